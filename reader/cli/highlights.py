"""`reader tag`, `note` and `delete`: one highlight changed by its id (`reader annotations`
lists the ids). An id no highlight has, past SQLite's range included, is `no annotation with id
N` with exit status 2."""

from __future__ import annotations

import click

from reader.cli.boundary import read_stdin_text
from reader.cli.common import open_workspace
from reader.text.sanitize import display_safe_line


@click.group("tag")
def tag() -> None:
    """Add or remove a tag on one annotation."""


@tag.command("add")
@click.argument("annotation_id", metavar="ID", type=int)
@click.argument("name", metavar="TAG")
@click.pass_context
def tag_add(ctx: click.Context, annotation_id: int, name: str) -> None:
    """Add TAG to annotation ID (the tag is created if new).

    \b
    Example:
        reader tag add 12 "actor/russia"
    """
    annotation = open_workspace(ctx).add_tag(annotation_id, name)
    click.echo(display_safe_line(", ".join(annotation.tags)))


@tag.command("remove")
@click.argument("annotation_id", metavar="ID", type=int)
@click.argument("name", metavar="TAG")
@click.pass_context
def tag_remove(ctx: click.Context, annotation_id: int, name: str) -> None:
    """Remove TAG from annotation ID (the tag stays for other annotations).

    \b
    Example:
        reader tag remove 12 arms
    """
    annotation = open_workspace(ctx).remove_tag(annotation_id, name)
    click.echo(display_safe_line(", ".join(annotation.tags)))


@click.command("note")
@click.argument("annotation_id", metavar="ID", type=int)
@click.argument("text")
@click.pass_context
def note(ctx: click.Context, annotation_id: int, text: str) -> None:
    """Set the note of annotation ID to TEXT ("-" reads it from stdin; "" clears it).

    \b
    Example:
        reader note 12 "Compare with the EU statement"
    """
    if text == "-":
        text = read_stdin_text()
    open_workspace(ctx).set_note(annotation_id, text)


@click.command("delete")
@click.argument("annotation_id", metavar="ID", type=int)
@click.pass_context
def delete(ctx: click.Context, annotation_id: int) -> None:
    """Delete annotation ID (its tags stay defined).

    \b
    Example:
        reader delete 12
    """
    deleted = open_workspace(ctx).delete(annotation_id)
    click.echo(f"deleted {deleted.id}: {display_safe_line(deleted.quote[:60])}")
