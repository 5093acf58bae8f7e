"""Tag names and colours as text: tidying a typed name, its case-blind key, its colour.

Pure (no store): the TUI may call these while the user types; reader/codebook/tags.py keeps the tags
table and reader/codebook/tree.py the tree.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

from reader.errors import UsageError

MAX_TAG_CHARS = 100
# A tag is a label: control characters and bidi overrides have no place in one.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# New tags take these in order (the first one no tag has yet). Twelve hues 30 degrees apart on the
# OKLCh wheel at one lightness (0.68) and chroma (0.14, less where sRGB ends): each hue is its
# own colour even as a faint tint or in a 256-colour terminal (reader/ui/tints.py), and a mid
# lightness reads as a swatch on dark and light themes. The first six are the six hues a
# 16-colour terminal has (red, yellow, green, cyan, blue, magenta), the next six fall between.
TAG_PALETTE = (
    "#6397ee",  # blue
    "#c58d04",  # gold
    "#be7ace",  # magenta
    "#66ad56",  # green
    "#e17174",  # red
    "#0dadb4",  # cyan
    "#dc7b40",  # orange
    "#0aa6da",  # sky
    "#d771a4",  # pink
    "#04b28c",  # teal
    "#9887e8",  # violet
    "#9e9f1e",  # olive
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


_configured_palette: tuple[str, ...] = ()


def configure_palette(palette: Sequence[str]) -> None:
    """The user's `[tags] palette` for this process: a workspace sets it when it opens (one
    process serves one workspace's settings), so every path that makes a tag uses it."""
    global _configured_palette
    _configured_palette = tuple(palette)


def tag_palette(palette: Sequence[str] | None = None) -> tuple[str, ...]:
    """`palette` (else the configured `[tags] palette`) as `#rrggbb`, what is not a colour
    left out; the built-in TAG_PALETTE when nothing is left."""
    colors = []
    for value in palette if palette is not None else _configured_palette:
        try:
            colors.append(parse_color(value))
        except UsageError:
            continue  # the config loader reports it; a new tag still gets a colour
    return tuple(dict.fromkeys(colors)) or TAG_PALETTE


def next_tag_color(used: Iterable[str | None], palette: Sequence[str] | None = None) -> str:
    """The colour a new tag takes: the first palette colour no tag has (`used` holds every
    tag's colour); when all are taken, the one fewest tags have, earliest first."""
    colors = tag_palette(palette)
    counts = Counter(color.lower() for color in used if color)
    return min(colors, key=lambda color: counts[color])  # min keeps the first of equals


def is_palette_color(color: str, palette: Sequence[str] | None = None) -> bool:
    """Whether `color` is one a new tag may be given (so not one a user chose)."""
    return color.lower() in tag_palette(palette)


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
