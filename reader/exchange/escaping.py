"""Write user text into Markdown so that any reader (CommonMark, Obsidian) reads it back as text.

Every character that could start Markdown, GFM or Obsidian syntax is backslash-escaped; leading
and trailing whitespace, which Markdown would strip or turn into line breaks, is written as
numeric character references. Parsing the result gives back the text exactly, line by line.
"""

from __future__ import annotations

import re

# Inline syntax in CommonMark, GFM (tables, strikethrough) and Obsidian (tags, highlights,
# comments, math, block references, wiki links).
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>&|~$^=%#!{}])")
_LINE_START_BLOCK = re.compile(r"^([-+:]|\d{1,9}(?=[.)]))")
_EDGE_SPACE = {" ": "&#32;", "\t": "&#9;"}


def escape_line(line: str) -> str:
    """One line of user text as Markdown inline content."""
    escaped = _INLINE_SPECIALS.sub(r"\\\1", line)
    body = escaped.lstrip(" \t")
    lead = escaped[: len(escaped) - len(body)]
    stripped = body.rstrip(" \t")
    trail = body[len(stripped) :]
    number = _LINE_START_BLOCK.match(stripped)
    if number and number.group(1)[0].isdigit():
        digits = number.group(1)
        stripped = digits + "\\" + stripped[len(digits) :]  # "1." would start a list
    elif number:
        stripped = "\\" + stripped
    return "".join(_EDGE_SPACE[c] for c in lead) + stripped + "".join(_EDGE_SPACE[c] for c in trail)


def escape_block(text: str, prefix: str = "") -> str:
    """Multi-line user text as Markdown lines, each starting with `prefix` (e.g. "> ").

    Lines stay lines (soft breaks); a blank line separates paragraphs, as in the original."""
    lines = []
    for line in text.split("\n"):
        lines.append(prefix.rstrip() if not line.strip() else prefix + escape_line(line))
    return "\n".join(lines)


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML) for front matter."""
    import json

    return json.dumps(value, ensure_ascii=False)


def tag_token(tag: str) -> str:
    """`tag` as an Obsidian-style `#tag`: letters, digits, `_`, `-`, `/` only."""
    token = re.sub(r"[^\w/-]+", "_", tag.strip()).strip("_/") or "tag"
    if token.isdigit():
        token = f"_{token}"  # Obsidian ignores purely numeric tags
    return f"#{token}"
