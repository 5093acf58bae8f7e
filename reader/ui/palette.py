"""The command palette offers the actions of the screen on show, and only those (Posting's
`PostingProvider` is the model): with the tags view open, "Delete" deletes a tag, with its
confirmation, never the highlight under the hidden reader's cursor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from textual.actions import parse
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen


@dataclass(frozen=True)
class ScreenCommand:
    """One palette entry: a binding of the screen on show that can run now."""

    title: str
    help: str
    run: Callable[[], object]


def screen_commands(screen: Screen) -> list[ScreenCommand]:
    """Every action bound on `screen` or on the widgets from its focus up, that its owner says
    can run now (`check_action`); the app's own commands come from Textual's provider."""
    commands: list[ScreenCommand] = []
    seen: set[tuple[int, str]] = set()
    for namespace, bindings in screen._binding_chain:
        if namespace is screen.app:
            continue
        for binding_list in bindings.key_to_bindings.values():
            for binding in binding_list:
                if not binding.description or not (binding.show or binding.tooltip):
                    continue  # cursor motions and the like: keys, not commands
                if (id(namespace), binding.action) in seen:
                    continue
                seen.add((id(namespace), binding.action))
                _, name, parameters = parse(binding.action)
                if not namespace.check_action(name, parameters):
                    continue
                run = partial(namespace.run_action, binding.action)
                help_text = binding.tooltip or binding.description
                commands.append(ScreenCommand(binding.description, help_text, run))
    return commands


class ScreenCommandsProvider(Provider):
    """Palette commands from `screen_commands` of the screen the palette was opened on."""

    async def discover(self) -> Hits:
        for command in sorted(screen_commands(self.screen), key=lambda c: c.title):
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in screen_commands(self.screen):
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.run, help=command.help)
