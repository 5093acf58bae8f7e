"""`reader tags`: the codebook from the command line (tree, rename, merge, move, describe,
colour, delete, number keys, bulk tagging, CSV exchange)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from reader.cli.boundary import read_stdin_text
from reader.cli.common import force_option, json_option, open_workspace, print_json
from reader.cli.output import echo_text
from reader.errors import TagConflict, UsageError
from reader.models import TagNode
from reader.text.sanitize import display_safe_line
from reader.text.shorten import shorten

if TYPE_CHECKING:
    from reader.workspace import Workspace

T = TypeVar("T")
SEARCH_LIMIT = 5000  # results of each kind a bulk change by search may take


def _tree_lines(nodes: list[TagNode]) -> list[str]:
    """One line a tag: indented label, key, counts, colour and description."""
    labels = ["  " * n.depth + display_safe_line(n.label) for n in nodes]
    width = max([len("TAG")] + [len(label) for label in labels])
    lines = [f"{'TAG'.ljust(width)}  KEY  HIGHLIGHTS  DOCS  COLOR    DESCRIPTION"]
    for node, label in zip(nodes, labels, strict=True):
        key = f"[{node.favourite}]" if node.favourite else ""
        description = shorten(display_safe_line(node.description), 60)
        line = (
            f"{label.ljust(width)}  {key:<3}  {node.highlights:>10}  {node.documents:>4}  "
            f"{node.color or '':<7}  {description}"
        )
        lines.append(line.rstrip())
    return lines


@click.group(invoke_without_command=True)
@json_option
@click.pass_context
def tags(ctx: click.Context, as_json: bool) -> None:
    """The codebook: every tag as a tree with its counts; subcommands change it.

    Counts take sub-tags in: `actor` counts each highlight tagged `actor/russia` or
    `actor/serbia` once. With --json, one object per tag and per parent path.

    \b
    Example:
        reader tags --json
    """
    if ctx.invoked_subcommand is not None:
        return
    nodes = open_workspace(ctx).codebook()
    if as_json:
        print_json([node.as_json() for node in nodes])
    elif not nodes:
        click.echo("no tags yet: tag a highlight with `reader tag add ID TAG` or in the app")
    else:
        click.echo("\n".join(_tree_lines(nodes)))


def _merging_if_asked(change: Callable[[bool], T], yes: bool, done: str) -> T:
    """Rename or move; landing on existing tags merges with --yes, or when the user agrees."""
    try:
        return change(False)
    except TagConflict as conflict:
        names = ", ".join(display_safe_line(n) for n in conflict.existing)
        if not yes:
            if not sys.stdin.isatty():
                raise UsageError(f"already exists: {names}; add --yes to merge into it") from None
            if not click.confirm(f"{names} already exists. Merge into it?", default=False):
                raise UsageError(f"nothing {done}") from None
        return change(True)


@tags.command("create")
@click.argument("path")
@click.option("--description", default="", help="The codebook entry.")
@click.option("--color", help="#rrggbb, #rgb or a name such as red.")
@click.pass_context
def create(ctx: click.Context, path: str, description: str, color: str | None) -> None:
    """Add a tag to the codebook before tagging anything with it.

    \b
    Example:
        reader tags create frame/energy --description "Gas, oil, NIS" --color orange
    """
    click.echo(display_safe_line(open_workspace(ctx).create_tag(path, description, color)))


@tags.command("rename")
@click.argument("old")
@click.argument("new")
@click.option("--yes", "-y", is_flag=True, help="Merge without asking if NEW exists.")
@click.pass_context
def rename(ctx: click.Context, old: str, new: str, yes: bool) -> None:
    """Rename OLD to NEW everywhere, sub-tags included (`actor/...` follows `actor`).

    If NEW already exists, asks before merging OLD into it.

    \b
    Example:
        reader tags rename frame/eu frame/eu-accession
    """
    workspace = open_workspace(ctx)
    count = _merging_if_asked(lambda merge: workspace.rename_tag(old, new, merge), yes, "renamed")
    click.echo(f"renamed {count} tag(s)")


@tags.command("merge")
@click.argument("sources", nargs=-1, required=True)
@click.option("--into", required=True, help="The tag they all become.")
@click.pass_context
def merge(ctx: click.Context, sources: tuple[str, ...], into: str) -> None:
    """Merge SOURCES into one tag; every highlight keeps its passages, now tagged INTO.

    \b
    Example:
        reader tags merge russia russian-federation --into actor/russia
    """
    count = open_workspace(ctx).merge_tags(list(sources), into)
    click.echo(f"merged {count} tag(s) into {display_safe_line(into)}")


@tags.command("move")
@click.argument("tag")
@click.argument("parent", required=False)
@click.option("--yes", "-y", is_flag=True, help="Merge without asking if the new path exists.")
@click.pass_context
def move(ctx: click.Context, tag: str, parent: str | None, yes: bool) -> None:
    """Move TAG (with its sub-tags) under PARENT, or to the top without PARENT.

    \b
    Example:
        reader tags move vucic actor/serbia
    """
    workspace = open_workspace(ctx)
    path = _merging_if_asked(lambda merge: workspace.move_tag(tag, parent, merge), yes, "moved")
    click.echo(f"moved to {display_safe_line(path)}")


@tags.command("describe")
@click.argument("tag")
@click.argument("text")
@click.pass_context
def describe(ctx: click.Context, tag: str, text: str) -> None:
    """Set TAG's codebook description (`-` reads it from standard input).

    \b
    Example:
        reader tags describe frame/energy "Gas, oil and the NIS refinery"
    """
    if text == "-":
        text = read_stdin_text()
    open_workspace(ctx).describe_tag(tag, text)


@tags.command("color")
@click.argument("tag")
@click.argument("color")
@click.pass_context
def color(ctx: click.Context, tag: str, color: str) -> None:
    """Give TAG (and its highlights) a colour: #rrggbb, #rgb or a name such as red.

    \b
    Example:
        reader tags color actor/russia "#e06c75"
    """
    click.echo(open_workspace(ctx).color_tag(tag, color))


@tags.command("delete")
@click.argument("tag")
@click.option("--with-subtags", is_flag=True, help="Delete its sub-tags too.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask.")
@click.pass_context
def delete(ctx: click.Context, tag: str, with_subtags: bool, yes: bool) -> None:
    """Delete TAG; its highlights stay, losing only this tag.

    \b
    Example:
        reader tags delete frame/misc --yes
    """
    workspace = open_workspace(ctx)
    preview = workspace.tag_deletion(tag, with_subtags)
    names = ", ".join(display_safe_line(n) for n in preview.tags)
    losing = f"{preview.highlights} highlight(s) in {preview.documents} document(s)"
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError(f"would delete {names} from {losing}; add --yes to confirm")
        if not click.confirm(f"Delete {names}? {losing} lose it; the highlights stay."):
            raise UsageError("nothing deleted")
    workspace.delete_tag(tag, with_subtags)
    click.echo(f"deleted {names}; {losing} keep their text and other tags")


@tags.command("favourite")
@click.argument("tag")
@click.argument("key", type=click.IntRange(1, 9), required=False)
@click.pass_context
def favourite(ctx: click.Context, tag: str, key: int | None) -> None:
    """Put TAG on number key KEY (1-9) in the reader; without KEY, take it off.

    \b
    Example:
        reader tags favourite actor/russia 1
    """
    open_workspace(ctx).set_favourite(tag, key)


def _bulk_targets(workspace: Workspace, doc: str | None, query: str | None) -> list[int]:
    if (doc is None) == (query is None):
        raise click.UsageError("give --doc DOC or --search QUERY")
    if doc is not None:
        return [a.id for a in workspace.annotations(workspace.document(doc))]
    found: set[int] = set()
    for kind in ("quote", "note", "tag"):  # the kinds of result that are highlights
        results = workspace.search(query or "", limit=SEARCH_LIMIT, kind=kind)
        if len(results) == SEARCH_LIMIT:
            raise UsageError(
                f"the search finds more than {SEARCH_LIMIT} {kind} results: narrow it down"
            )
        found.update(r.annotation for r in results if r.annotation is not None)
    return sorted(found)


@tags.command("bulk-add")
@click.argument("tag")
@click.option("--doc", help="Every highlight of this document (path, file name, stem or #ID).")
@click.option("--search", "query", help="Every highlight this search finds.")
@click.pass_context
def bulk_add(ctx: click.Context, tag: str, doc: str | None, query: str | None) -> None:
    """Add TAG to every highlight of a document or of a search result.

    \b
    Example:
        reader tags bulk-add source/rferl --doc 000_1d5d00d34374701d
    """
    workspace = open_workspace(ctx)
    targets = _bulk_targets(workspace, doc, query)
    changed = workspace.tag_highlights(targets, tag)
    click.echo(f"tagged {len(changed)} of {len(targets)} highlight(s)")


@tags.command("bulk-remove")
@click.argument("tag")
@click.option("--doc", help="Every highlight of this document (path, file name, stem or #ID).")
@click.option("--search", "query", help="Every highlight this search finds.")
@click.pass_context
def bulk_remove(ctx: click.Context, tag: str, doc: str | None, query: str | None) -> None:
    """Take TAG off every highlight of a document or of a search result.

    \b
    Example:
        reader tags bulk-remove frame/misc --search "tag:frame/misc"
    """
    workspace = open_workspace(ctx)
    targets = _bulk_targets(workspace, doc, query)
    changed = workspace.untag_highlights(targets, tag)
    click.echo(f"untagged {len(changed)} of {len(targets)} highlight(s)")


@tags.command("export")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "qdc"]), default="csv", show_default=True,
    help="qdc: a REFI-QDA codebook (QualCoder, ATLAS.ti, MAXQDA, NVivo, Taguette).",
)  # fmt: skip
@force_option
@click.pass_context
def export(ctx: click.Context, output: Path | None, fmt: str, force: bool) -> None:
    """Write the codebook as CSV (path,description,color), to OUTPUT or standard output.
    OUTPUT is replaced only when reader wrote it and it is unchanged since, or with --force.
    --format qdc writes a REFI-QDA codebook: tag paths as nested codes, each tag's GUID (kept
    through renames), colour and description.

    \b
    Examples:
        reader tags export -o codebook.csv
        reader tags export --format qdc -o codebook.qdc
    """
    workspace = open_workspace(ctx)
    if fmt == "qdc":
        from reader.cli.refi import export_qdc

        return export_qdc(workspace, output, force)
    if output is None:
        echo_text(workspace.codebook_csv())
    else:
        workspace.export_codebook_csv(output, force)
        click.echo(f"wrote {display_safe_line(str(output))}", err=True)


@tags.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "qdc"]),
    help="Default: qdc for a .qdc file, else csv.",
)  # fmt: skip
@click.pass_context
def import_(ctx: click.Context, file: Path, fmt: str | None) -> None:
    """Add the tags, descriptions and colours of a codebook CSV or a REFI-QDA codebook (.qdc);
    nothing is ever removed. A code whose GUID or path is already a tag leaves that tag as it
    is (it only gains a description it lacked); nested codes become tag paths.

    \b
    Examples:
        reader tags import team-codebook.csv
        reader tags import Codebook-interviews.qdc
    """
    if (fmt or ("qdc" if file.suffix.lower() == ".qdc" else "csv")) == "qdc":
        from reader.cli.refi import import_qdc

        return import_qdc(open_workspace(ctx), file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"cannot read {file}: {exc}") from exc
    report = open_workspace(ctx).import_codebook_csv(text)
    click.echo(
        f"created {len(report.created)}, updated {len(report.updated)}, "
        f"unchanged {report.unchanged}"
    )
    for warning in report.warnings:
        click.echo(f"warning: {display_safe_line(warning)}", err=True)
