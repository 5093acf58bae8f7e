"""The `reader` group and its commands for documents, highlights, search and export."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reader import __version__
from reader.cli.common import (
    annotation_json,
    document_json,
    force_option,
    json_option,
    open_workspace,
    print_json,
    table,
)
from reader.cli.export_template import TEMPLATE_HELP, export_through_template
from reader.cli.group import ReaderGroup
from reader.cli.output import echo_text
from reader.errors import UsageError
from reader.text.sanitize import display_safe_line

if TYPE_CHECKING:
    from reader.workspace import ListingCheck

WORKSPACE_ENV = "READER_WORKSPACE"
"""reader.workspace's own name for it, spelled here so that `reader --help` and `--version` need
not load the store (tests/unit/test_cli_lazy.py checks the two agree)."""

LAZY_COMMANDS = {
    "add": "reader.cli.documents:add_command",
    "attr": "reader.cli.attributes:attr",
    "config": "reader.cli.config:config_group",
    "delete": "reader.cli.highlights:delete",
    "import": "reader.cli.importing:import_command",
    "list": "reader.cli.listing:list_command",
    "meta": "reader.cli.documents:meta_command",
    "note": "reader.cli.highlights:note",
    "search": "reader.cli.search:search",
    "stats": "reader.cli.stats:stats_command",
    "tag": "reader.cli.highlights:tag",
    "tags": "reader.cli.tags:tags",
}
"""The commands defined in other modules, imported when looked up (reader/cli/group.py)."""


@click.group(
    cls=ReaderGroup,
    lazy_commands=LAZY_COMMANDS,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "-w",
    "--workspace",
    "root",
    type=click.Path(path_type=Path, file_okay=False),
    envvar=WORKSPACE_ENV,
    help="Workspace folder holding corpus/ and annotations.db (default: current folder).",
)
@click.option(
    "--no-resume",
    is_flag=True,
    help="Open the app on the library, not on the last document read in this workspace.",
)
@click.version_option(__version__, prog_name="reader")
@click.pass_context
def cli(ctx: click.Context, root: Path | None, no_resume: bool) -> None:
    """Read, highlight, tag and annotate a corpus of articles.

    With no command, opens the reading app on the workspace, on the last document read where
    it was left (unless --no-resume).

    \b
    Example:
        reader -w ~/press list
    """
    ctx.ensure_object(dict)["root"] = root
    if ctx.invoked_subcommand is None:
        from reader.ui.app import run_app  # Textual loads only when the TUI is wanted

        run_app(open_workspace(ctx, sync=False), resume=not no_resume)


@cli.command("open")
@click.argument("doc")
@click.option("--at", "offset", type=click.IntRange(min=0), help="Code-point offset to open at.")
@click.pass_context
def open_command(ctx: click.Context, doc: str, offset: int | None) -> None:
    """Open the reading app straight on DOC (as `reader show` takes it: path, file name, stem
    or #ID), at an offset into its text.

    \b
    Example:
        reader open 001_4310720f2bcf0b55 --at 1017
    """
    workspace = open_workspace(ctx)
    document = workspace.document(doc)
    length = len(workspace.text(document))  # a skipped file is refused here, before the screen
    if offset is not None and offset > length:
        raise UsageError(f"--at {offset} is past the end of {document.path} ({length} code points)")
    from reader.ui.app import run_app

    run_app(workspace, (document, offset))


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def init(directory: Path) -> None:
    """Create an empty workspace: DIRECTORY/corpus/ and DIRECTORY/annotations.db.

    \b
    Example:
        reader init ~/press && cp articles/*.txt ~/press/corpus/
    """
    from reader.workspace import init_workspace

    init_workspace(directory)
    click.echo(f"workspace ready: put articles in {display_safe_line(str(directory / 'corpus'))}/")


@cli.command()
@json_option
@click.pass_context
def sync(ctx: click.Context, as_json: bool) -> None:
    """Sync the corpus into the store and report what changed (every command does this first).

    \b
    Example:
        reader sync --json
    """
    workspace = open_workspace(ctx)
    report = workspace.last_sync
    if as_json:
        print_json(report.__dict__ | {"renamed": [list(pair) for pair in report.renamed]})
    elif not report.touched:
        click.echo(f"corpus up to date: {report.unchanged} file(s) unchanged")


@cli.command()
@click.argument("doc")
@json_option
@click.pass_context
def show(ctx: click.Context, doc: str, as_json: bool) -> None:
    """Print a document's canonical text (the text all offsets count into).

    DOC is the document's path under corpus/, its file name, its stem or the web address it
    was added from, or #ID (its id: #12). Plain digits are an id only when no file is named so
    (never with a leading zero); a DOC that could mean two documents is refused, naming both.

    \b
    Example:
        reader show 001_4310720f2bcf0b55 | less
    """
    workspace = open_workspace(ctx)
    document = workspace.document(doc)
    text = workspace.text(document)
    if as_json:
        annotations = [annotation_json(a) for a in workspace.annotations(document)]
        print_json({"document": document_json(document), "text": text, "annotations": annotations})
        return
    echo_text(text)  # raw into a pipe (byte-for-byte), never live escape sequences on a terminal


@cli.command()
@click.argument("doc")
@click.option("--quote", help="The exact text to highlight.")
@click.option(
    "--occurrence", type=click.IntRange(min=1), help="Which repeat of the quote (1-based)."
)
@click.option("--start", type=click.IntRange(min=0), help="Start offset (code points).")
@click.option("--end", type=click.IntRange(min=0), help="End offset (code points, exclusive).")
@click.option("--tag", "tags", multiple=True, help="A tag to add; repeat for several.")
@click.option("--note", default="", help="A note (Markdown; may span lines).")
@json_option
@click.pass_context
def annotate(
    ctx: click.Context,
    doc: str,
    quote: str | None,
    occurrence: int | None,
    start: int | None,
    end: int | None,
    tags: tuple[str, ...],
    note: str,
    as_json: bool,
) -> None:
    """Highlight a passage of DOC, by quote or by offsets, with tags and a note.

    \b
    Example:
        reader annotate 001_4310720f2bcf0b55 --quote "practically impossible" \\
            --tag arms --note "the army chief's own words"
    """
    workspace = open_workspace(ctx)
    document = workspace.document(doc)
    if (start is None) != (end is None):
        raise click.UsageError("give both --start and --end")
    if quote is None and start is None:
        raise click.UsageError("give --quote TEXT or --start S --end E")
    if start is not None and end is not None:
        if quote is not None and workspace.text(document)[start:end] != quote:
            raise click.UsageError("--quote does not match the text at --start/--end")
        annotation = workspace.annotate(document, start, end, tags, note)
    else:
        assert quote is not None
        annotation = workspace.annotate_quote(document, quote, occurrence, tags, note)
    if as_json:
        print_json(annotation_json(annotation))
    else:
        click.echo(annotation.id)


@cli.command("annotations")
@click.option("--doc", help="Only this document (path, file name, stem or #ID).")
@click.option("--tag", help="Only annotations with this tag (or one of its sub-tags).")
@click.option(
    "--status",
    type=click.Choice(["anchored", "moved", "fuzzy", "orphaned"]),
    help="Only annotations with this anchor status (orphaned: their text is gone).",
)
@json_option
@click.pass_context
def annotations_command(
    ctx: click.Context, doc: str | None, tag: str | None, status: str | None, as_json: bool
) -> None:
    """List annotations in document and text order.

    \b
    Example:
        reader annotations --tag arms --json
    """
    workspace = open_workspace(ctx)
    document = workspace.document(doc) if doc else None
    annotations = workspace.annotations(document, tag, status)
    if as_json:
        print_json([annotation_json(a) for a in annotations])
        return
    rows = [
        [str(a.id), a.doc, f"{a.start}-{a.end}", a.status, ", ".join(a.tags), a.quote, a.note]
        for a in annotations
    ]
    table(
        rows,
        ["ID", "DOC", "SPAN", "STATUS", "TAGS", "QUOTE", "NOTE"],
        [None, 28, None, None, 24, 50, 40],
    )


@cli.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json", "csv", "qdpx"]),
    help="Default: [export] format in the config (`reader config show`), else markdown. "
    "qdpx: the whole project for QualCoder, ATLAS.ti, MAXQDA, NVivo (REFI-QDA), to -o FILE.",
)
@click.option("--doc", help="Only this document (path, file name, stem or #ID).")
@click.option("--tag", help="Only highlights with this tag or one of its sub-tags.")
@click.option(
    "--by", "group_by", type=click.Choice(["doc", "tag"]), default="doc", show_default=True,
    help="Markdown grouping: by document, or a codebook by tag.",
)  # fmt: skip
@click.option(
    "--where",
    "where",
    multiple=True,
    metavar="KEY=VALUE",
    help="Only documents whose attribute matches (KEY=LOW..HIGH for a range); repeatable.",
)
@click.option(
    "--matrix",
    is_flag=True,
    help="With --format csv: the code matrix, one row per document, one column per tag.",
)
@click.option(
    "--raw", is_flag=True, help="With --format csv: cells verbatim, no leading ' on formulas."
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path),
    help="File (or folder with --split); - is standard output.",
)  # fmt: skip
@click.option("--split", is_flag=True, help="One Markdown file per document in the -o folder.")
@click.option("--template", type=click.Path(path_type=Path), help=TEMPLATE_HELP)
@force_option
@click.pass_context
def export_command(
    ctx: click.Context,
    fmt: str | None,
    doc: str | None,
    tag: str | None,
    group_by: str,
    where: tuple[str, ...],
    matrix: bool,
    output: Path | None,
    split: bool,
    force: bool,
    raw: bool,
    template: Path | None,
) -> None:
    """Export highlights as Markdown (for reports and Obsidian), W3C JSON or CSV.

    CSV has one row per highlight and tag, with the document's date, author, site, own tags
    and one column per attribute. --matrix writes the code matrix statistics tools want: one
    row per document (doc, title, date, author, site, words, highlights, document_tags, then
    its attributes), then one column per tag path with its highlights (a parent counts its
    sub-tags, as in `reader stats`). JSON carries each document's attributes in the target.
    Each row's uid is the annotation's id in the JSON export. Text cells starting with = + - @,
    a tab or a carriage return get a leading ' so spreadsheets never run them as formulas
    (numbers such as -3 stay numbers); --raw writes every cell verbatim.

    --where keeps documents whose attribute equals VALUE (ignoring case) or lies within
    LOW..HIGH (numbers and dates compared as such; either bound may be left out). Conditions
    on different attributes must all hold; several on one attribute are alternatives.

    Markdown into a file (or --split folder) reader exported to before is merged: every line
    you added or changed outside reader's blocks (<!-- reader:… --> markers) is kept, reader's
    blocks are updated in place, new highlights go in text order and deleted ones are kept,
    marked "Deleted in reader"; a block you edited is kept as you left it (a note says so).
    Otherwise -o replaces a file only when this workspace's export wrote it and it is unchanged
    since; anything else (a file reader did not write, a symbolic link) needs --force.
    A folder or a device is never written. A replaced file keeps its permissions; other hard
    links to it keep the old content. On a terminal, control characters in the text are shown
    as visible stand-ins; into a pipe or file the export is exact.

    --template FILE takes the text from a Jinja2 template, rendered once per document (joined
    by a newline into one file, or one file each with --split); an error in it is one line.

    \b
    Examples:
        reader export --doc 001_4310720f2bcf0b55 -o russian-ally.md
        reader export --by tag --tag actor > codebook.md
        reader export -o notes/ --split
        reader export --format json -o annotations.json
        reader export --format csv --where site=ecfr.eu --where year=2022..2024 -o ecfr.csv
        reader export --format csv --matrix -o matrix.csv
        reader export --format qdpx -o project.qdpx
        reader export --template notes.md.j2 -o vault/ --split
    """
    workspace = open_workspace(ctx)
    if template is not None:
        return export_through_template(workspace, template, fmt, group_by, matrix or raw, doc,
                                       tag, where, None if output == Path("-") else output,
                                       split, force)  # fmt: skip
    fmt = fmt or workspace.settings.export.format
    if fmt == "qdpx":
        from reader.cli.refi import export_qdpx

        return export_qdpx(workspace, output, force)
    document = workspace.document(doc) if doc else None
    output = None if output == Path("-") else output
    if output is None and not split:
        text = workspace.export_text(fmt, document, tag, group_by, where, matrix, raw)
        echo_text(text, is_json=fmt == "json" and not matrix)
        return
    written = workspace.export(
        fmt, document, tag, group_by, output, split, where=where, matrix=matrix,
        force=force, raw=raw,
        on_note=lambda note: click.echo(f"note: {display_safe_line(note)}", err=True),
    )  # fmt: skip
    if written:
        names = ", ".join(display_safe_line(str(p)) for p in written)
        click.echo(f"wrote {len(written)} file(s): {names}", err=True)


IMPORT_LIMIT = 1 << 30  # 1 GB of JSON: about a million annotations


@cli.command("import-annotations")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.pass_context
def import_annotations_command(ctx: click.Context, file: Path) -> None:
    """Import W3C JSON annotations (from `reader export --format json`, here or elsewhere).

    Importing the same file twice adds nothing; annotations are placed again in the current
    text and kept as orphans where their words are gone. An annotation that cannot be used
    (no document for it, an offset that is no whole number, text that is not Unicode) is
    refused alone: one line on stderr says which and why, and the others come in. The file is
    read as it is stored, a few thousand annotations per transaction (a progress line on stderr
    when it is a terminal), so an interrupted import keeps what it stored and running it again
    adds the rest. Exit status 0 when the file was read, 2 when it is not a UTF-8 JSON file of
    annotations.

    \b
    Example:
        reader import-annotations colleague.json
    """
    from reader.cli.import_progress import CountingReader, ImportProgress

    workspace = open_workspace(ctx)
    shown = display_safe_line(str(file))
    try:
        if stat.S_ISCHR(file.stat().st_mode) or stat.S_ISBLK(file.stat().st_mode):
            raise UsageError(f"cannot import {shown}: it is a device, not a file")
        handle = file.open("rb")
    except OSError as exc:
        raise click.UsageError(f"cannot read {shown}: {exc.strerror or exc}") from exc
    with handle:  # read as it is imported, bounded whatever the file
        size = os.fstat(handle.fileno()).st_size
        if size > IMPORT_LIMIT:
            raise UsageError(f"cannot import {shown}: it is over {IMPORT_LIMIT >> 20} MB")
        counted = CountingReader(handle)
        progress = ImportProgress(counted, size)
        try:
            report = workspace.import_annotations_file(
                counted, IMPORT_LIMIT, progress if progress.wanted else None
            )
        except UsageError as exc:
            raise UsageError(f"cannot import {shown}: {exc}") from exc
        except OSError as exc:
            raise click.UsageError(f"cannot read {shown}: {exc.strerror or exc}") from exc
        finally:
            progress.finish()
    for refusal in report.refused:
        click.echo(display_safe_line(refusal.message), err=True)
    statuses = ", ".join(f"{n} {status}" for status, n in sorted(report.added.items()))
    click.echo(f"imported {report.total_added}" + (f" ({statuses})" if statuses else ""))
    if report.already_present:
        click.echo(f"already present: {report.already_present}")
    if report.total_refused:
        click.echo(f"refused: {report.total_refused}")


def main() -> None:
    run(None)


def run(listing: ListingCheck | None) -> None:
    """The CLI, with a listing of the corpus already under way (reader/cli/early_listing.py)."""
    cli(prog_name="reader", obj={"early_listing": listing} if listing is not None else None)
