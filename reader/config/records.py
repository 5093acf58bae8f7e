"""Settings as plain records, every field with its default: what the faces read through
`Workspace.settings`. Loading, validation and the file's location are in reader/config/."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

PANES = ("library", "reader", "highlights")


@dataclass(frozen=True)
class UiSettings:
    theme: str | None = None  # any Textual theme name, or "reader" (tuned for reading)
    library_width: int | None = None  # columns; None: the layout decides
    highlights_width: int | None = None
    panes: tuple[str, ...] = PANES  # which panes show at start
    line_width: int | None = 80  # the reading measure, centred; None or 0: the pane's width
    library_sort: str | None = None  # title, date or annotations


@dataclass(frozen=True)
class ExportSettings:
    format: str = "markdown"  # markdown, json or csv
    folder: str | None = None  # where the app writes exports; None: <workspace>/exports


@dataclass(frozen=True)
class TagSettings:
    palette: tuple[str, ...] = ()  # #rrggbb colours new tags take, in order; () the built-in


@dataclass(frozen=True)
class UserSettings:
    name: str | None = None  # recorded as the creator in exports that have one


@dataclass(frozen=True)
class CorpusSettings:
    # Larger files in corpus/ are skipped unread, with the reason. None: 64 MB for plain text
    # and Markdown, 16 MB for web pages, 256 MB for EPUB, PDF and DOCX (never more than these).
    max_file_mb: int | None = None


@dataclass(frozen=True)
class Settings:
    """Everything the config files say, with defaults for what they leave out. `problems` are
    the lines that could not be used (each names its file and line); `sources` the files read."""

    keys: dict[str, str] = field(default_factory=dict)  # binding id -> keys ("ctrl+h,h")
    ui: UiSettings = field(default_factory=UiSettings)
    export: ExportSettings = field(default_factory=ExportSettings)
    tags: TagSettings = field(default_factory=TagSettings)
    user: UserSettings = field(default_factory=UserSettings)
    corpus: CorpusSettings = field(default_factory=CorpusSettings)
    problems: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return asdict(self)
