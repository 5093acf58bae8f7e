"""`reader attr`: documents as cases — the attributes each document carries (`outlet=ECFR`,
`wave=2`, and `site`, `author`, `year`, `month` from its metadata), set, listed and shared as
CSV."""

from __future__ import annotations

from pathlib import Path

import click

from reader.cli.common import (
    force_option,
    json_option,
    open_workspace,
    print_json,
    table,
)
from reader.cli.output import echo_text
from reader.errors import UsageError
from reader.models import AttributeInfo, Document
from reader.text.sanitize import display_safe_line


def _assignments(pairs: tuple[str, ...]) -> dict[str, str]:
    """`KEY=VALUE` words as typed; the workspace checks the names and values."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise UsageError(f"'{display_safe_line(pair)[:60]}' is not KEY=VALUE")
        values[name] = value
    return values


def _echo_attributes(values: dict[str, str]) -> None:
    if not values:
        click.echo("no attributes")
        return
    width = max(len(name) for name in values)
    for name, value in values.items():
        click.echo(f"{name.ljust(width)}  {display_safe_line(value)}")


def _joined(values: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in values.items())


def _names_table(summary: list[AttributeInfo]) -> None:
    rows = [
        [
            info.name,
            info.kind,
            str(info.documents),
            str(info.values),
            "metadata" if info.derived else "set",
        ]
        for info in summary
    ]
    table(rows, ["NAME", "TYPE", "DOCS", "VALUES", "FROM"], [None, None, None, None, None])


@click.group("attr")
def attr() -> None:
    """Documents as cases: named values each document carries, to filter, group and count by.

    `site`, `author`, `year` and `month` come from each document's metadata; any other name
    (`outlet`, `country`, `wave` …) is yours to set. A name is typed number or date when every
    value set under it parses as one (ISO dates: 2025, 2025-01, 2025-01-08), else text.

    \b
    Example:
        reader attr set 001_4310720f2bcf0b55 outlet=ECFR country=DE wave=2
        reader attr list
    """


@attr.command("set")
@click.argument("doc")
@click.argument("assignments", metavar="KEY=VALUE...", nargs=-1, required=True)
@click.pass_context
def set_(ctx: click.Context, doc: str, assignments: tuple[str, ...]) -> None:
    """Give DOC attributes (adding or replacing), then print all it carries.

    Names are letters, digits, `_`, `.` and `-`, starting with a letter, kept in lower case.
    Setting `site` or `author` corrects the document's metadata (as `reader meta` does);
    `year` and `month` follow its date (`reader meta DOC --date`).

    \b
    Example:
        reader attr set 001_4310720f2bcf0b55 outlet=ECFR "stance=mildly critical"
    """
    workspace = open_workspace(ctx)
    values = _assignments(assignments)
    _echo_attributes(workspace.set_attributes(workspace.document(doc), values))


@attr.command("unset")
@click.argument("doc")
@click.argument("key")
@click.pass_context
def unset(ctx: click.Context, doc: str, key: str) -> None:
    """Take attribute KEY off DOC, then print what it still carries.

    Unsetting `site` or `author` drops your correction: the file's own value comes back (one
    that is the file's own cannot be unset).

    \b
    Example:
        reader attr unset 001_4310720f2bcf0b55 stance
    """
    workspace = open_workspace(ctx)
    _echo_attributes(workspace.unset_attribute(workspace.document(doc), key))


def _document_json(document: Document, values: dict[str, str]) -> dict[str, object]:
    return {"doc": document.path, "id": document.id, "title": document.title, "attributes": values}


@attr.command("list")
@json_option
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    """Every document with its attributes, after a table of the names in use.

    The names table gives each name's type (text, number or date), how many documents carry
    it, how many distinct values it has, and whether it comes from the metadata or was set.
    With --json, one object per document: `doc` (its path), `id`, `title` and `attributes`
    (name → value); `reader attr names --json` gives the names table.

    \b
    Example:
        reader attr list --json
    """
    workspace = open_workspace(ctx)
    found = workspace.all_attributes()
    documents = [(doc, found.get(doc.id, {})) for doc in workspace.documents()]
    if as_json:
        print_json([_document_json(doc, values) for doc, values in documents])
        return
    summary = workspace.attribute_summary()
    if not summary:
        click.echo("no attributes yet: reader attr set DOC KEY=VALUE")
    else:
        _names_table(summary)
    if documents:
        click.echo()
        rows = [[str(doc.id), doc.title, _joined(values)] for doc, values in documents]
        table(rows, ["ID", "TITLE", "ATTRIBUTES"], [None, 40, None])


@attr.command("names")
@json_option
@click.pass_context
def names(ctx: click.Context, as_json: bool) -> None:
    """The attribute names in use: type, documents, distinct values, from metadata or set.

    With --json, one object per name: `name`, `kind` (text, number or date), `documents`,
    `values` and `derived` (true when it comes from the metadata and nobody set it).

    \b
    Example:
        reader attr names --json
    """
    summary = open_workspace(ctx).attribute_summary()
    if as_json:
        print_json([info.as_json() for info in summary])
    elif not summary:
        click.echo("no attributes yet: reader attr set DOC KEY=VALUE")
    else:
        _names_table(summary)


@attr.command("export")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The CSV file to write (replaced only if reader wrote it, or with --force).",
)
@force_option
@click.pass_context
def export(ctx: click.Context, output: Path | None, force: bool) -> None:
    """Write every document's attributes as CSV, to OUTPUT or standard output. OUTPUT is
    replaced only when reader wrote it and it is unchanged since, or with --force.

    The first column, `doc`, is the document's path under corpus/; then one column per name,
    `site` and `author` as in effect, never `year` or `month` (they follow the date). A cell a
    spreadsheet would run as a formula (=, +, -, @) gets a `'` in front, which import takes
    off again (a plain number such as -3 is left as it is): export, edit, import changes only
    what you edited.

    \b
    Example:
        reader attr export -o attributes.csv
    """
    workspace = open_workspace(ctx)
    if output is None:
        echo_text(workspace.export_attributes_csv())
        return
    workspace.write_attributes_csv(output, force)
    click.echo(f"wrote {display_safe_line(str(output))}", err=True)


@attr.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.pass_context
def import_(ctx: click.Context, file: Path) -> None:
    """Add and update attributes from a CSV: `doc` first (a path, id or file name), then one
    column per attribute name. Nothing is removed: an empty cell leaves the value as it is.

    Unknown documents, bad names and values, and rows with too many cells are reported with
    their row number (the header is row 1) and skipped; the rest is imported. `year` and
    `month` columns are ignored (they follow the date). Importing the same file twice does
    what importing it once did.

    \b
    Example:
        reader attr import attributes.csv
    """
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"cannot read {file}: {exc}") from exc
    report = open_workspace(ctx).import_attributes_csv(text)
    click.echo(
        f"updated {report.documents} document(s): {report.values_set} value(s) set, "
        f"{report.unchanged} unchanged"
    )
    for warning in report.warnings:
        click.echo(f"warning: {display_safe_line(warning)}", err=True)
