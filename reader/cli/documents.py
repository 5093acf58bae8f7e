"""`reader meta` (metadata a user corrects) and `reader add` (articles from URLs and files)."""

from __future__ import annotations

import click

from reader.cli.common import json_option, open_workspace, print_json
from reader.models import AddResult, Document
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


@click.command("add")
@click.argument("sources", metavar="SOURCE...", nargs=-1, required=True)
@json_option
@click.pass_context
def add_command(ctx: click.Context, sources: tuple[str, ...], as_json: bool) -> None:
    """Add articles: web addresses (http/https) are fetched and saved into corpus/ as the page,
    files (HTML, PDF, EPUB, DOCX, text, Markdown) are copied in. Prints each new document's id
    and title. The same address or content twice adds one document. A source that fails gets
    one line saying why (exit status 2); the others are still added.

    \b
    Example:
        reader add https://ecfr.eu/article/serbia-russia/ ~/Downloads/report.pdf
    """
    workspace = open_workspace(ctx)
    results = workspace.add(sources)
    rows = []
    for result in results:
        document = workspace.document_at(result.path) if result.path else None
        rows.append((result, document))
    if as_json:
        print_json([_added_json(result, document) for result, document in rows])
    for result, document in rows:
        source = display_safe_line(result.source)
        if result.outcome == "failed":
            reason = display_safe_line(result.message)
            said = reason if reason.startswith(source) else f"{source}: {reason}"
            click.echo(f"reader: {said}", err=True)
        elif not as_json and document is not None:
            verb = "added" if result.outcome == "added" else "already there"
            detail = f"  ({document.warning})" if document.status != "ok" else ""
            click.echo(f"{document.id}\t{verb}\t{display_safe_line(document.title)}{detail}")
    if any(result.outcome == "failed" for result, _ in rows):
        ctx.exit(2)


def _added_json(result: AddResult, document: Document | None) -> dict[str, object]:
    return {
        "source": result.source,
        "outcome": result.outcome,
        "path": result.path,
        "url": result.url,
        "reason": result.reason,
        "id": document.id if document else None,
        "title": document.title if document else None,
        "status": document.status if document else None,
    }
