"""Make untrusted text safe to put on a terminal, one code point for one.

Control characters would reach the terminal as live escape sequences (an OSC 52 in an article
could write the user's clipboard), and bidi overrides reorder what is shown. A lone surrogate
(a byte that was not UTF-8 in a file name or an argument, as Python decodes them) cannot even be
written out. Each is replaced by a visible stand-in of exactly one code point, so offsets into
the text still line up.
"""

from __future__ import annotations

import re

_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
CONTROL_PICTURE_BASE = 0x2400  # U+2400..U+241F: ␀..␟ pictures of the C0 controls
DELETE_PICTURE = "\u2421"  # ␡
STAND_IN = "\ufffd"  # C1 controls, bidi overrides and lone surrogates
SURROGATES = range(0xD800, 0xE000)


def _build_table(keep: str) -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):
        if chr(code) not in keep:
            table[code] = chr(CONTROL_PICTURE_BASE + code)
    table[0x7F] = DELETE_PICTURE
    for code in range(0x80, 0xA0):
        table[code] = STAND_IN
    for ch in _BIDI_CONTROLS:
        table[ord(ch)] = STAND_IN
    for code in SURROGATES:
        table[code] = STAND_IN
    return table


_MULTILINE = _build_table(keep="\n\t")
_SINGLE_LINE = _build_table(keep="")
# Nearly every text is clean: finding that out by search is 20x cheaper than translating it.
_NEEDS_STAND_INS = re.compile(
    f"[{re.escape(''.join(chr(c) for c in _MULTILINE if c not in SURROGATES))}\ud800-\udfff]"
)


def display_safe(text: str) -> str:
    """`text` with every control character but newline and tab made visible and inert."""
    if _NEEDS_STAND_INS.search(text) is None:
        return text
    return text.translate(_MULTILINE)


def display_safe_line(text: str) -> str:
    """Like `display_safe`, for one-line cells: newlines and tabs are shown as ␊ and ␉ too."""
    return text.translate(_SINGLE_LINE)
