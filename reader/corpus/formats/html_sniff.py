"""Whether a text starts like a web page, without importing a parser.

A sync asks this of every `.txt` file (a page saved as `.txt` is read as HTML); the parser
(lxml, ~30 ms to import) is imported only by files that do hold a page, not to ask.
"""

from __future__ import annotations

import re

SNIFF_CHARS = 4096  # how far into a file its start (and a page's declarations) is looked for
# What may come before a page's first tag: whitespace, a BOM, comments, an XML declaration.
_PREAMBLE = re.compile(r"\A(?:\s|\ufeff|<!--.*?-->|<\?xml[^>]*\?>)*", re.DOTALL)
_HTML_START = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """True when `text` starts like a web page (doctype or html/head/body tag after any BOM,
    whitespace or comments), so a page saved as `.txt` is read as HTML and prose is not."""
    start = _PREAMBLE.match(text[:SNIFF_CHARS])
    head = text[start.end() if start else 0 :][:200]
    return _HTML_START.match(head) is not None
