"""The minimal reading app: lists every document, opens one, shows hostile text literally."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static

from reader.ui.app import make_app
from reader.workspace import Workspace

SAMPLE_TITLES = [
    "Serbia begins distancing itself from Russia",
    "Russian Ally Withdraws Support, Suspends Arms Contracts",
    "Will Serbia now go from being an ally to an opponent of Putin?",
    "Bound to Russia: Serbia’s disruptive neutrality",
    "Time for Serbia to Scale Back Military Ties with Russia",
]


def _library_text(app) -> str:
    library = app.query_one("#library", OptionList)
    return "\n".join(
        str(library.get_option_at_index(i).prompt) for i in range(library.option_count)
    )


async def test_library_lists_the_five_titles_and_opens_one(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        text = _library_text(app)
        for title in SAMPLE_TITLES:
            assert title in text
        await pilot.press("down", "enter")
        await pilot.pause()
        shown = str(app.query_one("#document", Static).render())
        assert "Russian Ally Withdraws Support" in shown
        assert "Kathrine Frich · 2025-01-08 · 317 words" in shown


async def test_hostile_title_and_text_are_shown_literally(empty_root: Path) -> None:
    hostile = "[@click=app.quit]Click me[/] [TODO] \x1b]52;c;aGk=\x07 [/]\n\nBody [bold]x[/]\n"
    (empty_root / "corpus" / "[red]evil[x].txt").write_text(hostile, "utf-8")
    with Workspace.open(empty_root) as ws:
        app = make_app(ws)
        async with app.run_test(size=(120, 40)) as pilot:
            assert "[@click=app.quit]Click me[/] [TODO] ␛]52;c;aGk=␇ [/]" in _library_text(app)
            await pilot.press("enter")
            await pilot.pause()
            shown = str(app.query_one("#document", Static).render())
            assert "Body [bold]x[/]" in shown and "\x1b" not in shown
            await pilot.click("#document")
            assert app.is_running
