"""What every `reader` command shares: opening the workspace, errors, JSON and tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from reader.cli.output import echo_json
from reader.cli.progress import SyncProgress
from reader.models import Annotation, Document, SyncReport
from reader.text.sanitize import display_safe_line
from reader.text.shorten import shorten

if TYPE_CHECKING:
    from reader.workspace import Workspace


def open_workspace(ctx: click.Context, sync: bool = True) -> Workspace:
    """Open (and sync) the workspace once per command; sync notes go to stderr, and so does
    the progress of a long sync when stderr is a terminal. `sync=False` leaves the sync to the
    caller (the TUI reads the corpus once it is on screen, with a progress bar)."""
    state = ctx.ensure_object(dict)
    if "workspace" not in state:
        import reader.workspace  # light: what it holds loads on first use

        # The corpus is listed on the other core while the store and the rest import.
        early = state.pop("early_listing", None)
        listing = reader.workspace.start_corpus_listing(state.get("root"), early) if sync else None
        if not sync and early is not None:
            early.close()
        from reader.workspace import Workspace  # the store and corpus load only when used

        progress = SyncProgress()
        try:
            workspace = Workspace.open(
                state.get("root"),
                sync=sync,
                progress=progress if progress.wanted else None,
                listing=listing,
            )
        finally:
            progress.finish()
        ctx.call_on_close(workspace.close)
        state["workspace"] = workspace
        echo_sync_notes(workspace.last_sync)
    return state["workspace"]


def echo_sync_notes(report: SyncReport) -> None:
    if not report.touched:
        return
    click.echo(f"corpus synced: {report.summary()}", err=True)
    for warning in report.warnings:
        click.echo(f"  warning: {display_safe_line(warning)}", err=True)


def print_json(data: object) -> None:
    echo_json(data)  # inert on a terminal (reader/cli/output.py)


def document_json(doc: Document) -> dict[str, object]:
    data = doc.as_json()
    data["annotations"] = doc.annotations
    return data


def annotation_json(annotation: Annotation) -> dict[str, object]:
    data = annotation.as_json()
    data["document_id"] = annotation.document_id
    return data


def table(rows: list[list[str]], headers: list[str], widths: list[int | None]) -> None:
    """Left-aligned columns; None width means "as wide as needed". Cells are display-safe."""
    cells = [[display_safe_line(c) for c in row] for row in rows]
    sizes = []
    for i, header in enumerate(headers):
        natural = max([len(header)] + [len(r[i]) for r in cells])
        sizes.append(min(natural, widths[i]) if widths[i] else natural)

    def fit(value: str, size: int) -> str:
        return shorten(value, size)

    click.echo("  ".join(h.ljust(s) for h, s in zip(headers, sizes, strict=True)).rstrip())
    for row in cells:
        line = "  ".join(fit(c, s).ljust(s) for c, s in zip(row, sizes, strict=True))
        click.echo(line.rstrip())


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for other tools.")
force_option = click.option(
    "--force", is_flag=True,
    help="Replace a file reader did not write (or that changed since), and write through a "
    "symbolic link to the file it points to.",
)  # fmt: skip

