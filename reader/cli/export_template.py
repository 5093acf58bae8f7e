"""`reader export --template FILE`: the export's text from a Jinja2 template (a thin layer over
`Workspace.export_with_template`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from reader.cli.output import echo_text
from reader.errors import UsageError
from reader.text.sanitize import display_safe_line

if TYPE_CHECKING:
    from reader.workspace import Workspace

TEMPLATE_HELP = (
    "Jinja2 template the text comes from (Readwise's variable names; see the README), "
    "rendered once per document."
)


def export_through_template(
    workspace: Workspace,
    template: Path,
    fmt: str | None,
    group_by: str,
    csv_only: bool,
    doc: str | None,
    tag: str | None,
    where: tuple[str, ...],
    output: Path | None,
    split: bool,
    force: bool,
) -> None:
    """Print or write the export through `template`; options that only mean something to
    another format (`--format json`, `--by tag`, `--matrix`, `--raw`) are refused."""
    if fmt not in (None, "markdown") or csv_only:
        raise UsageError("--template writes the template's own text: leave out --format json/csv")
    if group_by != "doc":
        raise UsageError("--template renders one document at a time: leave out --by tag")
    if split and output is None:
        raise UsageError("--split needs -o FOLDER")
    document = workspace.document(doc) if doc else None
    result = workspace.export_with_template(template, output, document, tag, where, split,
                                            force)  # fmt: skip
    if isinstance(result, str):
        echo_text(result)
    elif result:
        names = ", ".join(display_safe_line(str(p)) for p in result)
        click.echo(f"wrote {len(result)} file(s): {names}", err=True)
