"""Annotations out of reader (Markdown, W3C JSON, CSV, the clipboard) and back in (JSON
import)."""
