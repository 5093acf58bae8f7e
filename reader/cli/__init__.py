"""The `reader` command: a thin click layer over `Workspace`. JSON for tools, tables for people."""

from reader.cli.attributes import attr
from reader.cli.commands import cli, main
from reader.cli.config import config_group
from reader.cli.documents import add_command, meta_command
from reader.cli.highlights import delete, note, tag
from reader.cli.importing import import_command
from reader.cli.search import search
from reader.cli.stats import stats_command
from reader.cli.tags import tags

cli.add_command(tag)
cli.add_command(note)
cli.add_command(delete)
cli.add_command(add_command)
cli.add_command(search)
cli.add_command(attr)
cli.add_command(meta_command)
cli.add_command(stats_command)
cli.add_command(tags)
cli.add_command(config_group)
cli.add_command(import_command)

__all__ = ["cli", "main"]
