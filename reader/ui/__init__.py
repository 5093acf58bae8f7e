"""The Textual face of reader; everything here talks to the domain through `Workspace`."""
