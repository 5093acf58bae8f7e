"""Turn a file's bytes into text, or a reason to skip it, never failing on bad input."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

# Files that start like these are not text, whatever their extension says.
BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "ELF executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"OggS\x00", "Ogg media file"),
    (b"\x00\x00\x01\x00", "icon image"),
)
# Magic numbers made of printable ASCII need a second check, or a text starting "RIFF" is lost.
_RIFF_KINDS = (b"WAVE", b"AVI ", b"WEBP")

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control bytes that plain text does not contain; tab, newline, CR, form feed and ESC are
# allowed so that a stray escape sequence does not turn an article into "binary".
_TEXT_CONTROLS = {0x09, 0x0A, 0x0C, 0x0D, 0x1B}
_BINARY_CONTROLS = bytes(b for b in range(0x20) if b not in _TEXT_CONTROLS) + b"\x7f"
CONTROL_SHARE_LIMIT = 0.10
SNIFF_BYTES = 8192
REPLACEMENT = "\ufffd"
_UTF8_SHAPED = re.compile(rb"[\xc0-\xff][\x80-\xbf]+")
_HIGH_BYTES = bytes(range(0x80, 0x100))


@dataclass
class DecodedText:
    """The decoded text (None when the file must be skipped) and what the user should know."""

    text: str | None
    encoding: str | None
    warnings: list[str] = field(default_factory=list)
    skip_reason: str | None = None


def binary_kind(data: bytes) -> str | None:
    """Name the kind of binary file `data` is, or None when it looks like text."""
    for magic, kind in BINARY_MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"RIFF") and data[8:12] in _RIFF_KINDS:
        return "RIFF media file"
    if data.startswith(b"ID3") and data[3:4] in (b"\x02", b"\x03", b"\x04"):
        return "MP3 audio"
    if any(data.startswith(bom) for bom, _ in BOMS):
        return None  # UTF-16/32 text is full of NULs but is text
    sample = data[:SNIFF_BYTES]
    if not sample:
        return None
    controls = len(sample) - len(sample.translate(None, _BINARY_CONTROLS))
    if controls / len(sample) > CONTROL_SHARE_LIMIT:
        return "binary data (many control bytes)"
    return None


def _looks_like_broken_utf8(data: bytes) -> bool:
    """True when `data` reads as UTF-8 with some damage rather than as a single-byte encoding.

    Single-byte encodings leave high bytes standing alone next to ASCII ("caf\xe9 "); UTF-8,
    even damaged (a stray surrogate, a cut sequence), keeps lead bytes followed by continuation
    bytes. A cp1252 file may hold a pair that happens to be valid UTF-8 (É” is C9 94), so the
    well-formed sequences must outnumber the lone high bytes.
    """
    shaped = _UTF8_SHAPED.findall(data)
    high_bytes = len(data) - len(data.translate(None, _HIGH_BYTES))
    lone = high_bytes - sum(len(run) for run in shaped)
    if lone == 0:
        return True
    text = data.decode("utf-8", errors="replace")
    valid = sum(1 for ch in text if ord(ch) > 0x7F and ch != REPLACEMENT)
    return valid > lone


def decode_bytes(data: bytes) -> DecodedText:
    """Decode by BOM, then strict UTF-8, then UTF-8 with visible replacements, cp1252, Latin-1."""
    kind = binary_kind(data)
    if kind is not None:
        return DecodedText(None, None, skip_reason=f"binary file ({kind})")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            text = body.decode(encoding, errors="replace")
            bad = text.count(REPLACEMENT) - body.decode(encoding, errors="ignore").count(
                REPLACEMENT
            )
            warnings = (
                [f"{bad} invalid byte sequence(s) replaced with {REPLACEMENT}"] if bad else []
            )
            return DecodedText(text, encoding, warnings)
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if _looks_like_broken_utf8(data):
        # Mostly UTF-8 with a few broken bytes: keep the good text, mark the bad bytes.
        text = data.decode("utf-8", errors="replace")
        bad = text.count(REPLACEMENT) - data.decode("utf-8", errors="ignore").count(REPLACEMENT)
        return DecodedText(
            text, "utf-8", [f"not valid UTF-8: {bad} invalid byte(s) replaced with {REPLACEMENT}"]
        )
    try:
        return DecodedText(
            data.decode("cp1252"), "cp1252", ["not valid UTF-8: decoded as Windows-1252"]
        )
    except UnicodeDecodeError:
        return DecodedText(
            data.decode("latin-1"),
            "latin-1",
            ["not valid UTF-8 or Windows-1252: decoded as Latin-1"],
        )
