"""File names derived from titles that are safe on every system and never collide."""

from __future__ import annotations

import re
import unicodedata

MAX_STEM_CHARS = 100
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*\u202a-\u202e\u2066-\u2069]+')
_RESERVED = {
    "con", "prn", "aux", "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}  # fmt: skip


def safe_stem(title: str, fallback: str = "document") -> str:
    """A file-name stem from `title`: no separators or control characters, no reserved names,
    no leading dots, no trailing dots or spaces, at most MAX_STEM_CHARS characters."""
    stem = _UNSAFE.sub(" ", unicodedata.normalize("NFC", title))
    stem = re.sub(r"\s+", " ", stem).strip().lstrip(".")[:MAX_STEM_CHARS].rstrip(". ")
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
