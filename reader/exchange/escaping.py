"""Write user text into Markdown so that any reader (CommonMark, Obsidian) reads it back as text.

Every character that could start Markdown, GFM or Obsidian syntax is backslash-escaped; leading
and trailing whitespace, which Markdown would strip or turn into line breaks, is written as
numeric character references. Parsing the result gives back the text exactly, line by line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

# Inline syntax in CommonMark, GFM (tables, strikethrough) and Obsidian (tags, highlights,
# comments, math, block references, wiki links).
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>&|~$^=%#!{}])")
_LINE_START_BLOCK = re.compile(r"^([-+:]|\d{1,9}(?=[.)]))")
_EDGE_SPACE = {" ": "&#32;", "\t": "&#9;"}
# What some reader takes for a line break (CommonMark: \n, \r; Python, YAML, JavaScript and editors:
# the rest): written as character references, so one line of text stays one line everywhere.
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


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
    line = "".join(_EDGE_SPACE[c] for c in lead) + stripped + "".join(_EDGE_SPACE[c] for c in trail)
    return _LINE_BREAKS.sub(lambda m: f"&#{ord(m.group())};", line)


def escape_block(text: str, prefix: str = "") -> str:
    """Multi-line user text as Markdown lines, each starting with `prefix` (e.g. "> ").

    Lines stay lines (soft breaks); a blank line separates paragraphs, as in the original."""
    lines = []
    for line in text.split("\n"):
        lines.append(prefix.rstrip() if not line.strip() else prefix + escape_line(line))
    return "\n".join(lines)


def tag_token(tag: str) -> str:
    """`tag` as an Obsidian-style `#tag`: letters, digits, `_`, `-`, `/` only."""
    token = re.sub(r"[^\w/-]+", "_", tag.strip()).strip("_/") or "tag"
    if token.isdigit():
        token = f"_{token}"  # Obsidian ignores purely numeric tags
    return f"#{token}"


class _QuotedDumper(yaml.SafeDumper):
    """SafeDumper writing every string double-quoted: no value can read as a date, a number, a
    boolean, a key or the end of the front matter, and a line break is an escape (\\n, \\L…)."""


def _quoted(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')


class _Key(str):
    """A front-matter key that reads the same unquoted (`title`, `tags`)."""


_PLAIN_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _key(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="")


_QuotedDumper.add_representer(str, _quoted)
_QuotedDumper.add_representer(_Key, _key)
_YAML_OPTIONS: dict[str, Any] = {
    "Dumper": _QuotedDumper,
    "default_flow_style": False,
    "sort_keys": False,
    "allow_unicode": True,
    "width": 1 << 30,  # never fold a long value over lines
    "line_break": "\n",
}


def yaml_mapping(values: Mapping[str, Any]) -> str:
    """`values` as YAML lines for front matter (each string quoted, in the order given)."""
    plain = {_Key(k) if _plain(k) else k: v for k, v in values.items()}
    return yaml.dump(plain, **_YAML_OPTIONS) if plain else ""


def _plain(key: object) -> bool:
    """Whether a key may be written unquoted: a string (a key the user wrote may be a number or
    a date) that YAML reads back as that same string."""
    return (
        isinstance(key, str)
        and bool(_PLAIN_KEY.fullmatch(key))
        and (key.casefold() not in _YAML_WORDS)
    )


def yaml_string(value: str) -> str:
    """One YAML double-quoted scalar, on one line."""
    return yaml.dump(value, **_YAML_OPTIONS).removesuffix("\n...\n").rstrip("\n")


_BLOCK_REF_AT_END = re.compile(r"(^|\s)\^([\w-]+\s*)$")


def note_lines(note: str) -> list[str]:
    """A note (the user's own Markdown) as lines to indent inside its highlight's block: split at
    every line break any reader knows (so a bare \\r cannot start a line of its own outside the
    indent), blank lines at the edges dropped; a block reference ending a line (`^hl-…`) and an
    unclosed Obsidian comment or math block (`%%`, `$$`, which would swallow what follows) are
    escaped. Everything else is left as the user wrote it."""
    for fence, escaped in (("%%", "\\%\\%"), ("$$", "\\$\\$")):
        if note.count(fence) % 2:
            note = note.replace(fence, escaped)
    lines = [_BLOCK_REF_AT_END.sub(r"\1\\^\2", line) for line in note.splitlines()]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def indented(lines: list[str], prefix: str) -> str:
    """Each line behind `prefix` (a blank line gets the prefix without its trailing space)."""
    return "\n".join(prefix + line if line.strip() else prefix.rstrip() for line in lines)
