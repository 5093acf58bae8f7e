"""File names derived from titles that are safe on every system and never collide."""

from __future__ import annotations

import re
import unicodedata

MAX_STEM_CHARS = 100
MAX_STEM_BYTES = 200
"""File systems cap a name at 255 bytes, not characters: 200 bytes of UTF-8 leave room for a
" (12345)" counter and a suffix (84 CJK characters are already 252 bytes)."""
# Separators, controls and bidi overrides; also # ^ [ ] | which break Obsidian's [[links]].
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*#^\[\]\u202a-\u202e\u2066-\u2069]+')
_RESERVED = {
    "con", "prn", "aux", "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}  # fmt: skip
_ZWJ = "\u200d"
_REGIONAL = range(0x1F1E6, 0x1F200)  # two make a flag


def _extends(ch: str) -> bool:
    """Whether `ch` belongs to the character before it (a mark, a joiner, a variation selector,
    a skin tone, an emoji tag): a cut just before it would split what a reader sees as one."""
    code = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Me", "Mc")
        or ch == _ZWJ
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
    )


def _cut_at(text: str, end: int) -> str:
    """`text[:end]`, shortened to end between what a reader sees as characters (not inside an
    accent's cluster, an emoji sequence or a flag)."""
    cut = text[:end]
    while cut and len(cut) < len(text) and (_extends(text[len(cut)]) or cut[-1] == _ZWJ):
        cut = cut[:-1]
    regional = len(cut) - len(cut.rstrip("".join(map(chr, _REGIONAL))))
    if regional % 2 and len(cut) < len(text) and ord(text[len(cut)]) in _REGIONAL:
        cut = cut[:-1]  # half a flag
    return cut


def cut_to_bytes(text: str, limit: int, chars: int | None = None) -> str:
    """The longest start of `text` within `limit` bytes of UTF-8 (and `chars` characters),
    never cut inside a code point or what a reader sees as one character."""
    end = len(text.encode()[:limit].decode("utf-8", "ignore"))  # whole code points only
    end = min(end, chars) if chars is not None else end
    return text if end >= len(text) else _cut_at(text, end)


def safe_stem(title: str, fallback: str = "document") -> str:
    """A file-name stem from `title`: no separators, control characters or link syntax, no
    reserved names, no leading dots, no trailing dots or spaces, at most MAX_STEM_CHARS
    characters and MAX_STEM_BYTES bytes."""
    stem = _UNSAFE.sub(" ", unicodedata.normalize("NFC", title))
    stem = re.sub(r"\s+", " ", stem).strip().lstrip(".")
    stem = cut_to_bytes(stem, MAX_STEM_BYTES, MAX_STEM_CHARS).rstrip(". ")
    if not stem:
        stem = fallback
    if stem.split(".")[0].casefold() in _RESERVED:
        stem = f"_{stem}"
    return stem


def unique_names(titles: list[str], suffix: str = ".md") -> list[str]:
    """One safe file name per title, in order; repeats get " (2)", " (3)"… (ignoring case)."""
    taken: set[str] = set()
    names = []
    for title in titles:
        stem = safe_stem(title)
        name, n = f"{stem}{suffix}", 2
        while name.casefold() in taken:
            name, n = f"{stem} ({n}){suffix}", n + 1
        taken.add(name.casefold())
        names.append(name)
    return names
