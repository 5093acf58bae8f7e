"""`reader meta` (metadata a user corrects) and `reader add` (articles from URLs and files)."""

from __future__ import annotations

import click

from reader.cli.common import json_option, open_workspace, print_json
from reader.models import Document
from reader.text.sanitize import display_safe_line

METADATA_FIELDS = ("title", "author", "date", "source", "site")


@click.command("meta")
@click.argument("doc")
@click.option("--title", help="The article's title.")
@click.option("--author", help="Its author(s).")
@click.option("--date", help="Its publication date, YYYY-MM-DD.")
@click.option("--source", help="Its web address (http or https).")
@click.option("--site", help="The outlet that published it.")
@click.option(
    "--clear",
    "clear",
    multiple=True,
    type=click.Choice(METADATA_FIELDS),
    help="Drop your correction of this field (the file's own value comes back); repeatable.",
)
@json_option
@click.pass_context
def meta_command(
    ctx: click.Context,
    doc: str,
    title: str | None,
    author: str | None,
    date: str | None,
    source: str | None,
    site: str | None,
    clear: tuple[str, ...],
    as_json: bool,
) -> None:
    """Show or correct a document's title, author, date, source and site.

    Corrections are kept apart from what the file says: a re-sync or an edit of the file never
    undoes them, and every view (library, search, exports, statistics) uses them. With no
    option, prints the metadata and which fields you corrected.

    \b
    Example:
        reader meta 001_4310720f2bcf0b55 --title "Serbia begins distancing itself" --site ECFR
        reader meta 001_4310720f2bcf0b55 --clear title
    """
    workspace = open_workspace(ctx)
    document = workspace.document(doc)
    given = {"title": title, "author": author, "date": date, "source": source, "site": site}
    changes = {field: value for field, value in given.items() if value is not None}
    if changes or clear:
        document = workspace.correct_metadata(document, changes, list(clear))
    from_file = workspace.file_metadata(document)
    if as_json:
        print_json(_metadata_json(document, from_file))
        return
    for field in METADATA_FIELDS:
        value = getattr(document, field) or ""
        mark = "  (corrected; the file says: " if field in document.corrected else ""
        if mark:
            mark += f"{display_safe_line(str(from_file.get(field) or '—'))})"
        click.echo(f"{field:<7} {display_safe_line(value)}{mark}")


def _metadata_json(document: Document, from_file: dict[str, object]) -> dict[str, object]:
    return {
        "doc": document.path,
        "id": document.id,
        **{field: getattr(document, field) for field in METADATA_FIELDS},
        "corrected": list(document.corrected),
        "file": {field: from_file.get(field) for field in METADATA_FIELDS},
    }
