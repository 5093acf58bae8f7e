"""A seeded random walk over the reading screen, typed as bursts (every key of a step queued
before the app handles the first), checked against a model after every step.

The model is the store as the user's actions explain it: each step predicts its effect from
what the screen shows before it (the selection, the highlight under the cursor), undo and redo
move through the model's own history, and cancelled dialogs, the palette, screen switches and
cursor motions change nothing. After each step the store must equal the model (no highlight
lost, none stray) and the find field must hold exactly the keys typed, in order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import pytest

from reader.ui.app import make_app
from reader.ui.screens.main_screen import MainScreen
from reader.workspace import Workspace
from tests.conftest import settle
from tests.ui.keys_helpers import burst

DOC = "001_4310720f2bcf0b55"
STEPS = 45
MOTIONS = ["j", "k", "w", "b", ")", "(", "}", "{", "l", "h", "G", "g", "W", "B"]
TAG_WORDS = ["actor/russia", "frame/arms", "frame/eu", "energy"]
STEP_KINDS = ["move", "move", "select", "mark", "annotate", "cancel", "edit", "delete", "undo",
              "redo", "find", "palette", "screens", "number"]  # fmt: skip

Highlight = tuple[int, int, tuple[str, ...], str]  # start, end, tags, note


def _same_order(highlights: list[Highlight]) -> list[Highlight]:
    """Highlights sorted, each one's tags sorted: the store keeps tags in an order of its own."""
    return sorted((s, e, tuple(sorted(tags, key=str.casefold)), n) for s, e, tags, n in highlights)


def store_state(workspace: Workspace) -> list[Highlight]:
    return _same_order([(a.start, a.end, tuple(a.tags), a.note) for a in workspace.annotations()])


@dataclass
class Model:
    """What the store should hold, and the history undo and redo walk through."""

    highlights: list[Highlight] = field(default_factory=list)
    undo: list[list[Highlight]] = field(default_factory=list)
    redo: list[list[Highlight]] = field(default_factory=list)

    def replace(self, old: Highlight, new: Highlight | None) -> None:
        """One highlight (not every equal one) edited, or deleted with `new` None."""
        after = list(self.highlights)
        after.remove(old)
        self.change(after + ([new] if new is not None else []))

    def change(self, after: list[Highlight]) -> None:
        after = _same_order(after)
        if after != self.highlights:
            self.undo.append(self.highlights)
            self.redo.clear()
            self.highlights = after

    def step_back(self) -> None:
        if self.undo:
            self.redo.append(self.highlights)
            self.highlights = self.undo.pop()

    def step_forward(self) -> None:
        if self.redo:
            self.undo.append(self.highlights)
            self.highlights = self.redo.pop()


def _typed_text(rng: random.Random) -> tuple[list[str], str]:
    """Letters with backspaces among them, and the text they leave."""
    keys: list[str] = []
    text = ""
    for _ in range(rng.randint(2, 9)):
        if text and rng.random() < 0.25:
            keys.append("backspace")
            text = text[:-1]
        else:
            letter = rng.choice("abcdefxyz")
            keys.append(letter)
            text += letter
    return keys, text


class Walk:
    """One random step at a time: keys for the app, the effect for the model."""

    def __init__(self, pilot, workspace: Workspace, rng: random.Random) -> None:
        self.pilot = pilot
        self.app = pilot.app
        self.workspace = workspace
        self.rng = rng
        self.model = Model()
        main = self.app.screen
        assert isinstance(main, MainScreen)
        self.main = main

    def _under_cursor(self, selection_wins: bool = True) -> Highlight | None:
        """The highlight `e` and `d` act on; for `a`, `m` and number keys (`selection_wins`)
        a selection means new text to highlight instead."""
        view = self.main.view
        if selection_wins and view.selection is not None:
            return None
        current = view.current_highlight()
        if current is None and selection_wins:  # a highlight that is exactly the sentence
            span = self._new_span()
            current = next((h for h in view.highlights if (h.start, h.end) == span), None)
        if current is None:
            return None
        a = self.workspace.annotation(current.annotation_id)
        return (a.start, a.end, tuple(sorted(a.tags, key=str.casefold)), a.note)

    async def step(self) -> str:
        rng = self.rng
        kind = rng.choice(STEP_KINDS)
        handler = getattr(self, f"_{kind}")
        keys = handler()
        burst(self.app, keys)
        await settle(self.pilot)
        return f"{kind} {keys}"

    def _move(self) -> list[str]:
        return [self.rng.choice(MOTIONS) for _ in range(self.rng.randint(1, 4))]

    def _select(self) -> list[str]:
        motions = [self.rng.choice(["w", "l", "W", "j"]) for _ in range(self.rng.randint(1, 3))]
        return ["escape", "v", *motions]

    def _new_span(self) -> tuple[int, int] | None:
        return self.main.reader.selection_or_sentence()

    def _opens_dialog(self) -> bool:
        """`a` opens the dialog on a highlight (to edit it) or on text it can highlight."""
        return self._under_cursor() is not None or self._new_span() is not None

    def _mark(self) -> list[str]:
        span = self._new_span()
        if self._under_cursor() is None and span is not None:
            self.model.change([*self.model.highlights, (*span, (), "")])
        return ["m"]

    def _annotate(self) -> list[str]:
        """`a`, tags typed in full, Tab to the note, a note, ctrl+s."""
        if not self._opens_dialog():
            return ["a"]  # nothing to highlight here: no dialog, so type nothing more
        tags = self.rng.sample(TAG_WORDS, self.rng.randint(0, 2))
        note_keys, note = _typed_text(self.rng)
        keys = ["a", *(", ".join(tags) + ", " if tags else ""), "tab", *note_keys, "ctrl+s"]
        under = self._under_cursor()
        if under is not None:  # `a` on a highlight edits it: new tags after the old ones, the
            old = list(under[2])  # note typed where the note's cursor starts: at its beginning
            new = old + [t for t in tags if t.casefold() not in {o.casefold() for o in old}]
            edited = (under[0], under[1], tuple(new), note + under[3])
            self.model.replace(under, edited)
        else:
            span = self._new_span()
            assert span is not None
            self.model.change([*self.model.highlights, (*span, tuple(tags), note)])
        return keys

    def _cancel(self) -> list[str]:
        """Open the dialog, type anywhere, Tab around, then Escape: nothing changes."""
        if not self._opens_dialog():
            return ["a"]
        keys = ["a"]
        for _ in range(self.rng.randint(1, 4)):
            keys += self.rng.choice([["tab"], ["shift+tab"], _typed_text(self.rng)[0]])
        return [*keys, "escape"]

    def _edit(self) -> list[str]:
        """On a highlight: e, Tab any number of times, type a tag, save: old tags stay first."""
        under = self._under_cursor(selection_wins=False)
        if under is None:
            return ["e"]  # nothing under the cursor: e does nothing
        tabs = ["tab"] * self.rng.randint(0, 4)
        word = self.rng.choice(["zeta", "omega"])
        focus_on_tags = len(tabs) % 2 == 0  # tags, note, tags, note ...
        if focus_on_tags:  # the cursor goes to the end of the tags, never selecting them
            new_tags = list(under[2]) + ([word] if word not in under[2] else [])
            edited = (under[0], under[1], tuple(new_tags), under[3])
        else:  # the note keeps its cursor: at its start
            edited = (under[0], under[1], under[2], word + under[3])
        self.model.replace(under, edited)
        return ["e", *tabs, *word, "ctrl+s"]

    def _delete(self) -> list[str]:
        under = self._under_cursor(selection_wins=False)
        if under is not None:
            self.model.replace(under, None)
        return ["d"]

    def _undo(self) -> list[str]:
        self.model.step_back()
        return ["u"]

    def _redo(self) -> list[str]:
        self.model.step_forward()
        return ["ctrl+r"]

    def _find(self) -> list[str]:
        keys, self.expected_find = _typed_text(self.rng)
        return ["escape", "slash", *keys]

    def _palette(self) -> list[str]:
        return ["ctrl+p", *"del", "escape"]

    def _screens(self) -> list[str]:
        return [self.rng.choice(["t", "s", "question_mark"]), "escape"]

    def _number(self) -> list[str]:
        """Number key 1 (tag `frame/eu`): toggles it on a highlight, else highlights with it."""
        under = self._under_cursor()
        if under is not None:
            tags = list(under[2])
            if "frame/eu" in tags:
                tags.remove("frame/eu")
            else:
                tags.append("frame/eu")
            self.model.replace(under, (under[0], under[1], tuple(tags), under[3]))
        else:
            span = self._new_span()
            if span is not None:
                self.model.change([*self.model.highlights, (*span, ("frame/eu",), "")])
        return ["1"]

    async def back_to_text(self) -> None:
        """After a find step: check the field, then leave it the way a person would."""
        reader = self.main.reader
        if reader.find_bar.is_open and self.app.focused is reader.find_bar:
            assert reader.find_bar.value == self.expected_find, "keys out of order in find"
            burst(self.app, ["escape"])
            await settle(self.pilot)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
async def test_random_walk_keeps_every_highlight_explained(workspace: Workspace, seed: int) -> None:
    workspace.create_tag("frame/eu")
    workspace.set_favourite("frame/eu", 1)
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        main = app.screen
        main.open_document(workspace.document(DOC), 400)
        await settle(pilot)
        walk = Walk(pilot, workspace, random.Random(seed))
        done: list[str] = []
        for _ in range(STEPS):
            done.append(await walk.step())
            await walk.back_to_text()
            assert app.screen is main, done
            assert app.focused is main.view, done
            assert store_state(workspace) == walk.model.highlights, "\n".join(done)
