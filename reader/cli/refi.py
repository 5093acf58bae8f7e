"""The REFI-QDA faces of `reader export --format qdpx` and `reader tags export/import --format
qdc`: thin over Workspace, each outcome one line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from reader.errors import UsageError
from reader.text.sanitize import display_safe_line

if TYPE_CHECKING:
    from reader.workspace import Workspace


def export_qdpx(workspace: Workspace, output: Path | None, force: bool) -> None:
    """Write the project to OUTPUT (a zip: never to standard output)."""
    if output is None or output == Path("-"):
        raise UsageError("--format qdpx writes a zip file: name it with -o FILE.qdpx")
    built = workspace.export_qdpx(output, force)
    orphaned = f" ({built.orphaned} orphaned highlight(s) left out)" if built.orphaned else ""
    click.echo(
        f"wrote {display_safe_line(str(output))}: {built.sources} source(s), "
        f"{built.selections} highlight(s){orphaned}",
        err=True,
    )


def export_qdc(workspace: Workspace, output: Path | None, force: bool) -> None:
    if output is None or output == Path("-"):
        click.echo(workspace.codebook_qdc().decode("utf-8"), nl=False)
        return
    workspace.export_qdc(output, force)
    click.echo(f"wrote {display_safe_line(str(output))}", err=True)


def import_qdc(workspace: Workspace, file: Path) -> None:
    report = workspace.import_qdc(file)
    for reason in report.refused:
        click.echo(f"refused: {display_safe_line(reason)}", err=True)
    click.echo(f"created {report.added}, already present {report.matched}, "
               f"refused {len(report.refused)}")  # fmt: skip
