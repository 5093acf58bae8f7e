"""`reader search`: fuzzy search over the workspace from the command line."""

from __future__ import annotations

import click

from reader.cli.common import json_option, open_workspace, print_json, table
from reader.text.sanitize import display_safe_line


@click.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option(
    "--kind",
    type=click.Choice(["title", "text", "quote", "note", "tag"]),
    help="Only results of this kind.",
)
@json_option
@click.pass_context
def search(
    ctx: click.Context, query: tuple[str, ...], limit: int, kind: str | None, as_json: bool
) -> None:
    """Fuzzy search across titles, text, highlights, notes and tags.

    Forgives typos, missing accents, word order and partial words. Filters: tag:NAME,
    doc:TEXT, kind:note, "exact phrase", -word, and any attribute: outlet:ECFR,
    year:2022..2024, -site:N1.

    \b
    Examples:
        reader search sanctoins vucic
        reader search 'tag:actor "arms contracts"' --json
        reader search outlet:ECFR year:2025 sanctions
    """
    workspace = open_workspace(ctx)
    results = workspace.search(" ".join(query), limit=limit, kind=kind)
    for problem in workspace.search_problems(" ".join(query)):
        click.echo(f"reader: {display_safe_line(problem)}", err=True)
    if as_json:
        print_json([r.as_json() for r in results])
        return
    if not results:
        click.echo("no results", err=True)
        return
    rows = [
        [
            r.kind,
            r.doc,
            f"{r.start}-{r.end}" if r.annotation is None else f"#{r.annotation}",
            "".join(f"»{t}«" if hit else t for t, hit in r.snippet),
        ]
        for r in results
    ]
    table(rows, ["KIND", "DOC", "WHERE", "SNIPPET"], [None, 28, None, 90])
