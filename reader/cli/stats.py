"""`reader stats`: the tag-by-document table, tag co-occurrence and per-document totals; with
`--by KEY` the tag × attribute value table instead."""

from __future__ import annotations

import click

from reader.analysis.records import AttributeStats, CorpusStats, DocumentTotals, text_bar
from reader.cli.common import json_option, open_workspace, print_json, table
from reader.text.sanitize import display_safe_line
from reader.text.shorten import shorten

MAX_COLUMNS = 20  # documents across the tag table; more would not fit a terminal
TAG_WIDTH = 32
TITLE_WIDTH = 70
BAR_WIDTH = 20
MAX_PAIRS = 30
VALUE_WIDTH = 18


def _fit(text: str, width: int) -> str:
    text = display_safe_line(text)
    return shorten(text, width)


def document_label(totals: DocumentTotals) -> str:
    """`Title (source)`, one safe line, for legends."""
    title = _fit(totals.title, TITLE_WIDTH)
    return f"{title} ({_fit(totals.source, 30)})" if totals.source else title


def _count(n: int) -> str:
    return str(n) if n else "·"


def _tag_name(path: str, level: int) -> str:
    """The last segment indented under its parents, one safe line (indented after making it
    safe, which trims edge spaces)."""
    if level == 1:
        return _fit(path, TAG_WIDTH)
    indent = "  " * min(level - 1, TAG_WIDTH // 4)
    return indent + _fit(path.rsplit("/", 1)[-1], TAG_WIDTH - len(indent))


def _columns(cells: list[list[str]], headers: list[str], names: list[str]) -> None:
    """Names left, cells right-aligned under their headers."""
    name_width = max(len(headers[0]), *(len(n) for n in names))
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers[1:])]
    click.echo(
        headers[0].ljust(name_width)
        + "".join(f"  {h.rjust(w)}" for h, w in zip(headers[1:], widths, strict=True))
    )
    for name, row in zip(names, cells, strict=True):
        line = "".join(f"  {c.rjust(w)}" for c, w in zip(row, widths, strict=True))
        click.echo((name.ljust(name_width) + line).rstrip())


def echo_by_value(stats: AttributeStats) -> None:
    """Tags down, the attribute's values across: highlights/documents with the tag in each
    cell, then the documents, words and highlight density of each value."""
    click.echo(
        f"Tags × {stats.name}: highlights/documents with the tag (a tag counts its sub-tags; a "
        "document tagged as a whole counts once)"
    )
    if not stats.values:
        click.echo("  no documents")
        return
    shown = sorted(stats.values, key=lambda v: -v.documents)[:MAX_COLUMNS]
    columns = [i for i, value in enumerate(stats.values) if value in shown]
    headers = ["TAG"] + [_fit(stats.values[i].label, VALUE_WIDTH) for i in columns]
    step = len(stats.values)
    names, cells = [], []
    for first in range(0, len(stats.rows), step):
        rows = stats.rows[first : first + step]
        names.append(_tag_name(rows[0].tag, rows[0].level))
        cells.append(
            [f"{rows[i].highlights}/{rows[i].documents}" if rows[i].documents else "·"
             for i in columns]
        )  # fmt: skip
    totals = [stats.values[i] for i in columns]
    names += ["", "DOCUMENTS", "WORDS", "HIGHLIGHTS", "/1K WORDS"]
    cells += [
        [""] * len(columns),
        [str(v.documents) for v in totals],
        [f"{v.words:,}" for v in totals],
        [str(v.highlights) for v in totals],
        [f"{v.highlights * 1000 / v.words:.1f}" if v.words else "0.0" for v in totals],
    ]
    _columns(cells, headers, names)
    if not stats.tags:
        click.echo("  no tags yet")
    if len(stats.values) > len(columns):
        hidden = len(stats.values) - len(columns)
        click.echo(f"(+{hidden} more values with fewer documents; --json lists them all)")


def echo_tag_table(stats: CorpusStats) -> None:
    """Tags down (children indented under their parents), documents across as D1..Dn."""
    click.echo("Tags × documents: highlights (a tag counts its sub-tags, each highlight once)")
    if not stats.tags:
        click.echo("  no tags yet")
        return
    columns = stats.documents[:MAX_COLUMNS]
    labels = [f"D{i}" for i in range(1, len(columns) + 1)]
    names = [_tag_name(t.path, t.level) for t in stats.tags]
    name_width = max(len("TAG"), *(len(n) for n in names))
    rows = [
        [_count(t.count(d.id)) for d in columns] + [str(t.highlights), str(t.documents)]
        for t in stats.tags
    ]
    headers = [*labels, "ALL", "DOCS"]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    header = "".join(f"  {h.rjust(w)}" for h, w in zip(headers, widths, strict=True))
    click.echo("TAG".ljust(name_width) + header)
    for name, row in zip(names, rows, strict=True):
        cells = "".join(f"  {c.rjust(w)}" for c, w in zip(row, widths, strict=True))
        click.echo(name.ljust(name_width) + cells)
    click.echo("")
    for label, totals in zip(labels, columns, strict=True):
        click.echo(f"{label} = {document_label(totals)}")
    if len(stats.documents) > len(columns):
        hidden = len(stats.documents) - len(columns)
        click.echo(f"(+{hidden} more documents in ALL and DOCS; pick some with --doc, or --json)")


def echo_cooccurrence(stats: CorpusStats) -> None:
    click.echo("Co-occurrence: passages where both tags apply (same or overlapping highlights)")
    pairs = stats.cooccurrence
    if not pairs:
        click.echo("  no two tags meet on a passage yet")
        return
    top = pairs[0].passages
    width = len(str(top))
    for pair in pairs[:MAX_PAIRS]:
        bar = text_bar(pair.passages, top, BAR_WIDTH).ljust(BAR_WIDTH)
        names = f"{_fit(pair.a, TAG_WIDTH)} + {_fit(pair.b, TAG_WIDTH)}"
        click.echo(f"{str(pair.passages).rjust(width)}  {bar}  {names}")
    if len(pairs) > MAX_PAIRS:
        click.echo(f"(+{len(pairs) - MAX_PAIRS} more pairs; --json lists them all)")


def echo_document_totals(stats: CorpusStats) -> None:
    click.echo("Documents: highlights, tagged ones, distinct tags, notes, orphans, per 1,000 words")
    top = max((d.highlights for d in stats.documents), default=0)
    rows = [
        [
            f"D{i}",
            str(d.highlights).rjust(len(str(top))) + " " + text_bar(d.highlights, top, BAR_WIDTH),
            str(d.tagged),
            str(d.distinct_tags),
            str(d.notes),
            str(d.orphans),
            f"{d.per_1000_words:.1f}",
            document_label(d) + ("" if d.status == "ok" else f"  [{d.status}]"),
        ]
        for i, d in enumerate(stats.documents, start=1)
    ]
    headers = ["DOC", "HIGHLIGHTS", "TAGGED", "TAGS", "NOTES", "ORPHANS", "/1K", "TITLE (SOURCE)"]
    table(rows, headers, [None] * 7 + [None])


@click.command("stats")
@click.option(
    "--depth",
    type=click.IntRange(min=1),
    help="Roll tags up to their first N path segments (actor/serbia/vucic -> actor at 1).",
)
@click.option(
    "--doc", "docs", multiple=True,
    help="Only this document (path, file name, stem or #ID); repeat for several.",
)  # fmt: skip
@click.option(
    "--by",
    "by",
    metavar="KEY",
    help="Tag × this attribute's values (site, author, year, month or one you set) instead.",
)
@json_option
@click.pass_context
def stats_command(
    ctx: click.Context, depth: int | None, docs: tuple[str, ...], by: str | None, as_json: bool
) -> None:
    """Tag counts by document, tags that meet on the same passages, and per-document totals;
    or with --by KEY, tag counts by the value of a document attribute.

    A parent tag counts its sub-tags (each highlight once). Two tags co-occur on a passage when
    one highlight carries both, or two overlapping highlights carry one each.

    With --by, each cell is highlights/documents: the highlights with the tag in the documents
    with that value, and how many of those documents have the tag on a highlight or as a whole.
    Documents without the attribute are counted under (none); --by year and --by month use
    the document date. --json prints one object per (tag, value): tag, value (null for none),
    highlights, documents, documents_total, per_1000_words.

    \b
    Examples:
        reader stats
        reader stats --depth 1 --doc 000_1d5d00d34374701d --doc 001_4310720f2bcf0b55
        reader stats --json | jq '.cooccurrence[:5]'
        reader stats --by site --depth 1
        reader stats --by month --json > frames-by-month.json
    """
    workspace = open_workspace(ctx)
    documents = [workspace.document(doc) for doc in docs] if docs else None
    if by is not None:
        by_value = workspace.stats_by(by, depth=depth, documents=documents)
        if as_json:
            print_json(by_value.as_json())
        else:
            echo_by_value(by_value)
        return
    stats = workspace.stats(depth=depth, documents=documents)
    if as_json:
        print_json(stats.as_json())
        return
    echo_tag_table(stats)
    click.echo("")
    echo_cooccurrence(stats)
    click.echo("")
    echo_document_totals(stats)
