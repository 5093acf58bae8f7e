"""Highlights: creating and changing them in the store, and placing them again when a
file changes."""
