"""`reader config`: where the settings file is, editing it, and the settings in effect. These
commands never open the store, so they work outside any workspace; what a config file gets
wrong is reported on stderr and never makes them fail."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import click

from reader.cli.common import json_option, print_json
from reader.config.records import Settings
from reader.text.sanitize import display_safe_line

SECTIONS = ("keys", "ui", "export", "tags", "corpus", "user")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@click.group("config")
def config_group() -> None:
    """The settings file: its path, editing it, and the settings in effect.

    One TOML file in your config folder ([keys], [ui], [export], [tags], [corpus],
    [user]); a reader.toml in a workspace folder overrides it, setting by setting.
    READER_CONFIG names another file instead.

    \b
    Examples:
        reader config path
        reader config edit
        reader config show --json
    """


def _root(ctx: click.Context) -> Path | None:
    root = ctx.ensure_object(dict).get("root")
    return Path(root) if root is not None else None


def echo_problems(settings: Settings) -> int:
    """The files' problems, and what the app could not apply: `[keys]` (an id no binding has,
    a key that is none, a key two actions would share), an unknown theme or sort."""
    problems = list(settings.problems)
    if settings.keys or settings.ui.theme or settings.ui.library_sort:
        from reader.ui.settings_check import settings_problems  # the app's own check

        problems = settings_problems(settings, settings.ui.theme)
    for problem in problems:
        click.echo(f"reader: {display_safe_line(problem)}", err=True)
    return len(problems)


@config_group.command("path")
@click.pass_context
def path_command(ctx: click.Context) -> None:
    """Print the path of your config file, then the workspace's reader.toml if it has one.

    \b
    Example:
        reader config path
    """
    from reader.workspace import folder_config_path, user_config_path

    user_file = user_config_path()
    click.echo(display_safe_line(str(user_file)))
    workspace_file = folder_config_path(_root(ctx))
    if workspace_file is not None:
        click.echo(display_safe_line(str(workspace_file)))
    if not user_file.exists():
        click.echo("reader: not created yet (`reader config edit` writes a template)", err=True)


@config_group.command("edit")
@click.pass_context
def edit_command(ctx: click.Context) -> None:
    """Open your config file in $VISUAL or $EDITOR (else vi), first creating it with every
    setting commented out at its default; then report what cannot be used.

    \b
    Example:
        EDITOR=nano reader config edit
    """
    from reader.workspace import create_user_config, folder_settings

    path = create_user_config()
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    click.edit(filename=str(path), editor=editor)
    settings = folder_settings(_root(ctx))
    if not echo_problems(settings):
        click.echo(f"reader: {display_safe_line(str(path))}: no problems", err=True)


@config_group.command("show")
@json_option
@click.pass_context
def show_command(ctx: click.Context, as_json: bool) -> None:
    """Print the settings in effect (defaults for what the files leave out) as TOML, or
    --json; the lines that cannot be used go to stderr.

    \b
    Examples:
        reader config show
        reader -w ~/press config show --json
    """
    from reader.workspace import folder_settings

    settings = folder_settings(_root(ctx))
    if as_json:
        print_json(settings.as_json())
    else:
        click.echo(settings_as_toml(settings), nl=False)
    echo_problems(settings)


def settings_as_toml(settings: Settings) -> str:
    """The settings as a TOML file would say them; what is not set is a comment."""
    data = settings.as_json()
    sources = ", ".join(settings.sources) or "none (every setting at its default)"
    lines = [f"# read from: {sources}"]
    for section in SECTIONS:
        lines += ["", f"[{section}]"]
        for key, value in data[section].items():
            name = key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)
            lines.append(f"# {name}: not set" if value is None else f"{name} = {_toml(value)}")
    return "".join(display_safe_line(line) + "\n" for line in lines)


def _toml(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value).lower() if isinstance(value, bool) else str(value)
