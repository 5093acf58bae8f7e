"""A path typed in a dialog whose `~name` names no user (found by the CLI fuzz, issue #15):
Python's expanduser raised RuntimeError, which ended the app; now it is a file name like any
other, refused as missing, and the dialog stays open to fix it."""

from __future__ import annotations

from reader.ui.app import make_app
from reader.ui.screens.add_dialog import AddDialog
from reader.workspace import Workspace
from tests.conftest import wait_until
from tests.ui.test_app import screen_text


async def test_a_home_of_no_user_is_refused_in_the_add_dialog(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("ctrl+o", *"~no-such-user-here/article.html", "enter")
        await wait_until(pilot, lambda: not app.screen.busy, "the refusal")
        assert isinstance(app.screen, AddDialog)  # the app is still running, the dialog open
        assert "no-such-user-here" in screen_text(app)
        assert len(workspace.documents()) == 5
