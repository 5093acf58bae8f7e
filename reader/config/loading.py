"""Reading the settings: the user's `reader.toml` (in the config folder), then the workspace's
`reader.toml`, which overrides it key by key. A file is never a reason to fail: what cannot be
used becomes a problem naming the file, the line and what was expected, and defaults stand in."""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
import unicodedata
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir

from reader.codebook.tag_names import parse_color
from reader.config.records import (
    PANES,
    CorpusSettings,
    ExportSettings,
    Settings,
    TagSettings,
    UiSettings,
    UserSettings,
)
from reader.errors import UsageError
from reader.text.typed_path import expand_home

CONFIG_ENV = "READER_CONFIG"  # a file to read instead of the user's (tests, other profiles)
CONFIG_FILE = "reader.toml"  # in the user's config folder, and in a workspace folder
MAX_CONFIG_BYTES = 1_000_000
LIBRARY_SORTS = ("title", "date", "annotations")
EXPORT_FORMATS = ("markdown", "json", "csv")
MAX_NAME = 100  # characters of a user name, a theme name, a binding id or keys string
MAX_PALETTE = 64
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_AT_LINE = re.compile(r"at line (\d+), column (\d+)")


def config_path() -> Path:
    """The user's config file: `$READER_CONFIG` if set, else `reader.toml` in the config folder
    platformdirs names (`~/.config/reader/` on Linux). It may not exist."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return expand_home(override)
    return Path(user_config_dir("reader", appauthor=False)) / CONFIG_FILE


def workspace_config_path(root: Path) -> Path:
    return root / CONFIG_FILE


class Refused(ValueError):
    """A value that cannot be used; the message says what is expected instead."""


# Checking one value: each checker takes what tomllib gave and returns the record's value.


def _shown(value: Any) -> str:
    """A value as a problem quotes it: short, and inert on a terminal (repr escapes controls)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value[:40] + ("…" if len(value) > 40 else ""))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"


def _key_shown(key: str) -> str:
    """A key or section name as a problem names it: as written, or quoted if it is long or
    holds anything a terminal would act on."""
    plain = len(key) <= 60 and key.isprintable() and not _has_controls(key)
    return key if plain else _shown(key)


def _has_controls(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS for ch in text)


def _string(value: Any, what: str, limit: int = MAX_NAME) -> str:
    if not isinstance(value, str):
        raise Refused(f"expected {what} (a quoted string), got {_shown(value)}")
    if _has_controls(value):
        raise Refused(f"expected {what} without control characters, got {_shown(value)}")
    if len(value) > limit:
        raise Refused(f"expected {what} of at most {limit} characters, got {len(value)}")
    return value


def _one_of(choices: tuple[str, ...], what: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in choices:
            raise Refused(f"expected {what}: {_choices(choices)}; got {_shown(value)}")
        return value

    return check


def _choices(choices: tuple[str, ...]) -> str:
    quoted = [f'"{c}"' for c in choices]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _columns(
    low: int, high: int, zero: str | None = None, unit: str = "columns"
) -> Callable[[Any], int | None]:
    """A whole number (of columns) from `low` to `high` (or 0, meaning `zero`, when given)."""
    expected = f"a whole number of {unit} from {low} to {high}" + (
        f", or 0 for {zero}" if zero else ""
    )

    def check(value: Any) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Refused(f"expected {expected}, got {_shown(value)}")
        if value == 0 and zero:
            return 0
        if not low <= value <= high:
            raise Refused(f"expected {expected}, got {value}")
        return value

    return check


def _theme(value: Any) -> str:
    name = _string(value, "a theme name").strip()
    if not name:
        raise Refused('expected a theme name such as "reader" or "textual-dark", got ""')
    return name


def _panes(value: Any) -> tuple[str, ...]:
    expected = f"a list of panes from {_choices(PANES)}, such as {json.dumps(list(PANES))}"
    if not isinstance(value, list) or not value:
        raise Refused(f"expected {expected}, got {_shown(value)}")
    for pane in value:
        if not isinstance(pane, str) or pane not in PANES:
            raise Refused(
                f"unknown pane {_shown(pane)}{_nearest(pane, PANES)}; expected {expected}"
            )
    if len(set(value)) != len(value):
        raise Refused(f"a pane is named twice; expected {expected}")
    return tuple(value)


def _folder(value: Any, workspace_root: Path | None) -> str:
    text = _string(value, "a folder", limit=4096).strip()
    if not text:
        raise Refused('expected a folder such as "~/notes/exports" or "exports", got ""')
    try:
        folder = Path(text).expanduser()
    except RuntimeError as exc:  # no home folder to expand ~ to
        raise Refused(f"cannot expand {_shown(text)}: {exc}") from exc
    if not folder.is_absolute() and workspace_root is not None:
        folder = workspace_root / folder
    return str(folder)


def _palette(value: Any) -> tuple[str, ...]:
    """Colours as the tags view takes them: `#rrggbb`, `#rgb` or a name (`red`, `teal`…)."""
    expected = 'a list of colours ("#rrggbb", "#rgb" or a name), such as ["#e69f00", "teal"]'
    if not isinstance(value, list):
        raise Refused(f"expected {expected}, got {_shown(value)}")
    if len(value) > MAX_PALETTE:
        raise Refused(f"expected at most {MAX_PALETTE} colours, got {len(value)}")
    colours = []
    for colour in value:
        try:
            colours.append(parse_color(colour) if isinstance(colour, str) else "")
        except UsageError:
            colours.append("")
        if not colours[-1]:
            raise Refused(f"{_shown(colour)} is not a colour; expected {expected}")
    return tuple(colours)


def _user_name(value: Any) -> str | None:
    return _string(value, "a name").strip() or None


def _keys_string(value: Any) -> str:
    keys = _string(value, 'keys such as "h" or "ctrl+g,f3"').strip()
    if not keys:
        raise Refused('expected keys such as "h" or "ctrl+g,f3", got ""')
    return keys


Checker = Callable[[Any], Any]
SECTIONS: dict[str, dict[str, Checker]] = {
    "ui": {
        "theme": _theme,
        "library_width": _columns(10, 300),
        "highlights_width": _columns(10, 300),
        "panes": _panes,
        "line_width": _columns(20, 1000, zero="the pane's width"),
        "library_sort": _one_of(LIBRARY_SORTS, "a library sort"),
    },
    "export": {
        "format": _one_of(EXPORT_FORMATS, "an export format"),
        "folder": partial(_folder, workspace_root=None),  # loading passes the workspace
    },
    "tags": {"palette": _palette},
    "corpus": {"max_file_mb": _columns(1, 4096, unit="megabytes")},
    "user": {"name": _user_name},
}
KEYS_SECTION = "keys"  # binding id -> keys; the ids are the TUI's to check


def _nearest(word: str, known: Any, prefix: str = "") -> str:
    """` (did you mean theme?)` for the known word nearest `word`, or "" if none is near."""
    match = difflib.get_close_matches(str(word), list(known), n=1, cutoff=0.6)
    return f" (did you mean {prefix}{match[0]}?)" if match else ""


# Where a key is written, so that a problem can name its line (best effort: None if not found)


_HEADER = re.compile(r"\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")


def _line_of(text: str, section: str | None, key: str | None = None) -> int | None:
    """The line of `[section]` (key None) or of `key = …` in it; also finds `section.key = …`."""
    current: str | None = None
    quoted = rf"""(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')""" if key else ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            current = header.group(1).replace('"', "").replace("'", "").replace(" ", "")
            if current == (section if key is None else f"{section}.{key}"):
                return number  # the section, or a table where a setting should be
            continue
        if key is None:
            continue
        if current == section and re.match(rf"\s*{quoted}\s*[=.]", line):
            return number
        if (
            current is None
            and section
            and re.match(rf"\s*{re.escape(section)}\s*\.\s*{quoted}\s*=", line)
        ):
            return number
    return None


class _FileCheck:
    """Checks one parsed file: the values it sets, by section and key, and its problems."""

    def __init__(self, path: Path, text: str, workspace_root: Path | None) -> None:
        self.path = path
        self.text = text
        self.workspace_root = workspace_root
        self.values: dict[str, dict[str, Any]] = {name: {} for name in SECTIONS}
        self.keys: dict[str, str] = {}
        self.problems: list[str] = []

    def problem(self, section: str | None, key: str | None, message: str) -> None:
        line = _line_of(self.text, section, key)
        where = f"{self.path}:{line}" if line else str(self.path)
        name = ".".join(_key_shown(part) for part in (section, key) if part)
        self.problems.append(f"{where}: {name}: {message}" if name else f"{where}: {message}")

    def check(self, data: dict[str, Any]) -> None:
        for section, table in data.items():
            if section == KEYS_SECTION:
                self.check_keys(table)
            elif section in SECTIONS:
                self.check_section(section, table)
            elif isinstance(table, dict):
                self.problem(
                    section, None,
                    f"unknown section{_nearest(section, [KEYS_SECTION, *SECTIONS])}; "
                    f"the sections are [{KEYS_SECTION}], " + ", ".join(f"[{s}]" for s in SECTIONS),
                )  # fmt: skip
            else:
                self.problem(None, section, f"not in a section{self.home_of(section)}")

    def home_of(self, key: str) -> str:
        """Where a key outside its section belongs: `(did you mean ui.theme?)`, or nothing."""
        everywhere = [f"{s}.{k}" for s, checks in SECTIONS.items() for k in checks]
        for qualified in everywhere:
            if qualified.endswith(f".{key}"):
                return f" (did you mean {qualified}?)"
        return _nearest(key, everywhere)

    def check_section(self, section: str, table: Any) -> None:
        if not isinstance(table, dict):
            self.problem(None, section, f"expected a section [{section}], got {_shown(table)}")
            return
        checks = SECTIONS[section]
        for key, value in table.items():
            if key not in checks:
                hint = _nearest(key, checks, prefix=f"{section}.") or self.home_of(key)
                known = ", ".join(checks)
                self.problem(section, key, f"unknown setting{hint}; [{section}] has {known}")
                continue
            check = checks[key]
            if key == "folder":  # relative folders are in the workspace
                check = partial(_folder, workspace_root=self.workspace_root)
            try:
                checked = check(value)
            except Refused as exc:
                self.problem(section, key, str(exc))
                continue
            self.values[section][key] = checked

    def check_keys(self, table: Any) -> None:
        if not isinstance(table, dict):
            self.problem(None, KEYS_SECTION, f"expected a section [keys], got {_shown(table)}")
            return
        for binding, value in _flattened(table):
            try:
                _string(binding, "a binding id")
                self.keys[binding] = _keys_string(value)
            except Refused as exc:
                self.problem(KEYS_SECTION, binding, str(exc))


def _flattened(table: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """`reader.find = "ctrl+g"` (a table in TOML) as the binding id "reader.find"."""
    found: list[tuple[str, Any]] = []
    for key, value in table.items():
        if isinstance(value, dict) and value:
            found += _flattened(value, f"{prefix}{key}.")
        else:
            found.append((prefix + key, value))
    return found


# Reading the files


def _read_toml(path: Path) -> tuple[str, dict[str, Any]] | str | None:
    """The text and the tables of `path`; None if there is no such file; a problem (str) if it
    cannot be used at all."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{path}: cannot read it ({exc.strerror or exc}); defaults used instead"
    if len(raw) > MAX_CONFIG_BYTES:
        return f"{path}: larger than {MAX_CONFIG_BYTES:,} bytes, not read; defaults used instead"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return f"{path}:{line}: not UTF-8 text (byte {exc.start}); this file is not used"
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = _AT_LINE.search(str(exc))
        where = f"{path}:{at.group(1)}" if at else str(path)
        return f"{where}: not valid TOML: {exc}; this file is not used"
    except RecursionError:
        return f"{path}: nested too deeply to read; this file is not used"


def load_settings(workspace_root: Path | None) -> Settings:
    """The user's file, then (when `workspace_root` is given) the workspace's `reader.toml` over
    it key by key. Missing files mean defaults; never raises for what a file says."""
    paths = [config_path()]
    if workspace_root is not None:
        paths.append(workspace_config_path(workspace_root))
    values: dict[str, dict[str, Any]] = {name: {} for name in SECTIONS}
    keys: dict[str, str] = {}
    problems: list[str] = []
    sources: list[str] = []
    for path in paths:
        read = _read_toml(path)
        if read is None:
            continue
        sources.append(str(path))
        if isinstance(read, str):
            problems.append(read)
            continue
        text, data = read
        checked = _FileCheck(path, text, workspace_root)
        checked.check(data)
        for section, found in checked.values.items():
            values[section].update(found)
        keys.update(checked.keys)
        problems += checked.problems
    return Settings(
        keys=keys,
        ui=UiSettings(**values["ui"]),
        export=ExportSettings(**values["export"]),
        tags=TagSettings(**values["tags"]),
        user=UserSettings(**values["user"]),
        corpus=CorpusSettings(**values["corpus"]),
        problems=tuple(problems),
        sources=tuple(sources),
    )


TEMPLATE = """\
# reader's settings. Uncomment a line to change it; what is left out keeps its default.
# A reader.toml in a workspace folder overrides this file, setting by setting.
# `reader config show` prints the settings in effect and any line that cannot be used.

[keys]
# Remap an action by its binding id (the help screen lists them): id = "keys", several keys
# separated by commas.
# annotate = "h"
# "reader.find" = "ctrl+g"

[ui]
# theme = "reader"                      # any Textual theme, or "reader" (tuned for reading)
# library_width = 30                    # columns (default: the layout decides)
# highlights_width = 40                 # columns (default: the layout decides)
# panes = ["library", "reader", "highlights"]   # which panes show at start
# line_width = 80                       # the reading measure, centred; 0: the pane's width
# library_sort = "title"                # "title", "date" or "annotations"

[export]
# format = "markdown"                   # "markdown", "json" or "csv"
# folder = "exports"                    # where the app writes exports (relative: in the workspace)

[tags]
# palette = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7"]

[corpus]
# max_file_mb = 64                      # larger files are skipped unread (default: 64 for
#                                       # text, 16 for web pages, 256 for EPUB, PDF, DOCX)

[user]
# name = "Your Name"                    # the creator recorded in W3C JSON exports
"""


def config_template() -> str:
    """A commented file naming every setting with its default or an example."""
    return TEMPLATE
