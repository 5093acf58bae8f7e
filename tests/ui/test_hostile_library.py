"""The app over a hostile corpus (issue #15): it reads corpus/ once on screen, lists every entry
(skipped ones after the readable, each with its reason) and still opens the good files."""

from __future__ import annotations

from pathlib import Path

from reader.ui.app import make_app
from reader.ui.screens.main_screen import MainScreen
from reader.workspace import Workspace
from tests.conftest import wait_until
from tests.unit.hostile import EXPECTED, build_hostile_corpus


async def test_the_library_lists_every_hostile_entry(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    build_hostile_corpus(root)
    with Workspace.open(root, sync=False) as workspace:
        app = make_app(workspace, live_library=True)
        async with app.run_test(size=(160, 48)) as pilot:
            screen = app.screen
            assert isinstance(screen, MainScreen)
            listing = screen.library.document_list

            def paths() -> set[str]:
                return {document.path for document in listing.documents}

            await wait_until(pilot, lambda: paths() == set(EXPECTED), "every hostile entry")
            by_path = {document.path: document for document in listing.documents}
            for path, (status, reason) in EXPECTED.items():
                assert by_path[path].status == status
                assert reason in (by_path[path].warning or "")
            statuses = [document.status for document in listing.rows]
            skipped_from = statuses.index("skipped")
            assert set(statuses[skipped_from:]) == {"skipped"}  # after the readable ones
            assert listing.select_document(by_path["good-article.txt"].id)
            await pilot.press("enter")
            await wait_until(
                pilot,
                lambda: "Belgrade weighed the sanctions" in screen.view.text,
                "the good article to open",
            )
