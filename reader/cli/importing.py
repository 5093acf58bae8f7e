"""`reader import FILE`: highlights from Kindle, Readwise, Hypothesis, W3C JSON or QDPX."""

from __future__ import annotations

from pathlib import Path

import click

from reader.cli.common import json_option, open_workspace, print_json
from reader.errors import UsageError
from reader.text.sanitize import display_safe_line


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--dry-run", is_flag=True, help="Say what would be imported; store nothing.")
@json_option
@click.pass_context
def import_command(ctx: click.Context, file: Path, dry_run: bool, as_json: bool) -> None:
    """Import highlights made elsewhere: Kindle's My Clippings.txt, a Readwise CSV export,
    Hypothesis JSON (the API's rows), reader's W3C JSON or a QDPX project, told by content.

    Each highlight goes to the document with its source address, else its title (and author),
    else the one document holding its quote, and sits on its quote (with Hypothesis's context).
    One line on stderr names each highlight not placed: with no document it is left out; with
    a document but no sure place it is kept as an orphan of it. Importing twice adds nothing.
    Exit status 0 when the file was read, 2 when it is no format reader imports.

    \b
    Example:
        reader import "My Clippings.txt"
        reader import readwise-export.csv --dry-run
    """
    workspace = open_workspace(ctx)
    try:
        report = workspace.import_highlights(file, dry_run=dry_run)
    except UsageError as exc:
        if str(exc).startswith("cannot import "):  # the QDPX importer names the file itself
            raise
        raise UsageError(f"cannot import {display_safe_line(str(file))}: {exc}") from exc
    if as_json:
        print_json(report.as_json())
        return
    for missed in report.not_placed:
        click.echo(display_safe_line(missed.message), err=True)
    for skipped in report.skipped:
        title = f' "{skipped.title}"' if skipped.title else ""
        click.echo(display_safe_line(f"#{skipped.item}{title} skipped: {skipped.reason}"), err=True)
    for line in report.details:
        click.echo(display_safe_line(line))
    click.echo(display_safe_line(report.summary()))
