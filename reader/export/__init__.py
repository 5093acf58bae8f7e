"""Annotations out of reader (Markdown, W3C JSON, CSV) and back in (JSON import)."""
