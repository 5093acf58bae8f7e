"""`reader list`: every file in corpus/ with its state, as a table or as JSON written as the
documents are read (so `reader list --json | head` stops at once on 100,000 documents)."""

from __future__ import annotations

import click

from reader.cli.common import document_json, json_option, open_workspace, table
from reader.cli.output import echo_json_array


@click.command("list")
@json_option
@click.pass_context
def list_command(ctx: click.Context, as_json: bool) -> None:
    """List every file in corpus/: imported documents, and skipped or missing ones with reasons.

    \b
    Example:
        reader list --json
    """
    workspace = open_workspace(ctx)
    if as_json:
        echo_json_array(document_json(d) for d in workspace.iter_documents())
        return
    rows = [
        [
            str(d.id),
            d.status,
            d.date or "",
            str(d.words),
            str(d.annotations),
            d.title + (f" — {d.author}" if d.author else ""),
            d.path + (f"  ({d.warning})" if d.warning else ""),
        ]
        for d in workspace.documents()
    ]
    table(rows, ["ID", "STATUS", "DATE", "WORDS", "ANN", "TITLE", "PATH"], [None] * 5 + [60, None])
