"""Tag names and colours as text: tidying a typed name, its case-blind key, its colour.

Pure (no store): the TUI may call these while the user types; reader/codebook/tags.py keeps the tags
table and reader/codebook/tree.py the tree.
"""

from __future__ import annotations

import re
import unicodedata
import zlib

from reader.errors import UsageError

MAX_TAG_CHARS = 100
# A tag is a label: control characters and bidi overrides have no place in one.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
TAG_PALETTE = (
    "#e5c07b",  # yellow
    "#98c379",  # green
    "#56b6c2",  # cyan
    "#c678dd",  # magenta
    "#61afef",  # blue
    "#e06c75",  # red
    "#d19a66",  # orange
    "#a9b665",  # olive
)
# Names people type for colours, as the hex the store keeps (the TUI and exports read hex).
NAMED_COLORS = {
    "yellow": "#e5c07b",
    "green": "#98c379",
    "cyan": "#56b6c2",
    "magenta": "#c678dd",
    "purple": "#c678dd",
    "blue": "#61afef",
    "red": "#e06c75",
    "orange": "#d19a66",
    "olive": "#a9b665",
    "pink": "#f4a6c0",
    "teal": "#2aa198",
    "brown": "#a0522d",
    "grey": "#9da5b4",
    "gray": "#9da5b4",
    "white": "#e6e6e6",
}
_HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})|([0-9a-fA-F]{6})")


def tidy_tag_name(name: str) -> str:
    """NFC, no control characters, inner whitespace collapsed, the path tidied (`a / b/` is
    `a/b`); may come back empty."""
    name = _CONTROL.sub("", unicodedata.normalize("NFC", name))
    cleaned = re.sub(r"\s+", " ", name).strip().lstrip("#").strip()
    return "/".join(part.strip() for part in cleaned.split("/") if part.strip())


def clean_tag_name(name: str) -> str:
    """The tidied name; a user error when nothing is left or it is huge."""
    cleaned = tidy_tag_name(name)
    if not cleaned:
        raise UsageError("a tag needs at least one visible character")
    if len(cleaned) > MAX_TAG_CHARS:
        raise UsageError(f"a tag is at most {MAX_TAG_CHARS} characters")
    return cleaned


def tag_key(name: str) -> str:
    return clean_tag_name(name).casefold()


def default_color(name: str) -> str:
    return TAG_PALETTE[zlib.crc32(tag_key(name).encode("utf-8")) % len(TAG_PALETTE)]


def parse_color(value: str) -> str:
    """`#rrggbb` from `#rgb`, `#rrggbb` (`#` optional: `bad` is a word, `#bad` a colour) or a
    colour name."""
    value = value.strip().lower()
    if value in NAMED_COLORS:
        return NAMED_COLORS[value]
    match = _HEX.fullmatch(value)
    if match is None:
        names = ", ".join(sorted(NAMED_COLORS))
        raise UsageError(f"'{value}' is not a colour: use #rrggbb or one of {names}")
    digits = match.group(1) or match.group(2)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return "#" + digits
