"""The canonical text every offset counts into: `\\n` newlines, Unicode NFC, code points."""

from __future__ import annotations

import unicodedata

BYTE_ORDER_MARK = "\ufeff"


def canonical_text(text: str) -> str:
    """Normalise newlines to `\\n` and compose to NFC; drop a leading byte-order mark."""
    if text.startswith(BYTE_ORDER_MARK):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def is_blank(text: str) -> bool:
    """True for empty or whitespace-only text (including Unicode spaces)."""
    return not text.strip()
