"""`reader export --template FILE`: highlights written through a Jinja2 template.

A template renders one document (its variables at the top level, reader/exchange/templating/
context.py); `--split` writes each rendering to its own file, otherwise the renderings are
joined by a newline into one file. The output is whatever text the template writes (Markdown,
usually). `default.md.j2` beside this module is the built-in Markdown export as a template.
"""

from __future__ import annotations

import os
import stat
from importlib import resources
from pathlib import Path

from jinja2 import Template

from reader.exchange.collect import DocumentExport
from reader.exchange.safe_write import shown
from reader.exchange.templating.context import file_variables
from reader.exchange.templating.sandbox import TemplateFailure, load, render

__all__ = ["ExportTemplate", "TemplateFailure", "default_template_source"]

MAX_TEMPLATE_BYTES = 1 << 20
DEFAULT_NAME = "default.md.j2"


def default_template_source() -> str:
    """The built-in Markdown export, written as a template."""
    return resources.files(__package__).joinpath(DEFAULT_NAME).read_text(encoding="utf-8")


def _read(path: Path) -> str:
    """The template file's text; anything that keeps it from being read is one line."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise TemplateFailure(f"cannot read template {shown(path)}: {error.strerror}") from None
    try:
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
    except OSError:
        regular = False
    if not regular:
        os.close(fd)
        raise TemplateFailure(f"template {shown(path)} is not a file")
    with os.fdopen(fd, "rb") as file:
        try:
            data = file.read(MAX_TEMPLATE_BYTES + 1)
        except OSError as error:
            raise TemplateFailure(f"cannot read template {shown(path)}: {error.strerror}") from None
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateFailure(f"template {shown(path)} is over {MAX_TEMPLATE_BYTES >> 20} MB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TemplateFailure(f"template {shown(path)} line {line}: not UTF-8") from None


class ExportTemplate:
    """A template ready to render exports: the built-in one, or a user's file."""

    def __init__(self, source: str, name: str) -> None:
        self.name = name
        self.template: Template = load(source, name)

    @classmethod
    def from_file(cls, path: Path | None) -> ExportTemplate:
        """The template in `path` (None: the built-in default)."""
        if path is None:
            return cls(default_template_source(), DEFAULT_NAME)
        return cls(_read(path).removeprefix("\ufeff"), shown(path))

    def render_each(self, exports: list[DocumentExport], heading: str) -> list[str]:
        """One rendering per document of a file holding `exports`."""
        return render(self.template, self.name, file_variables(exports, heading))

    def render_file(self, exports: list[DocumentExport], heading: str) -> str:
        """One file holding every document of `exports`: the renderings joined by a newline
        (no document: an empty file)."""
        return "\n".join(self.render_each(exports, heading))

    def render_split(self, exports: list[DocumentExport], heading: str) -> list[str]:
        """One file per document: each rendering alone (`standalone` true, `count` 1)."""
        return [self.render_each([e], heading)[0] for e in exports]
