"""The statistics screen with Pilot: counts in the three views, keys, closing, hostile names."""

from __future__ import annotations

from textual.widgets import DataTable, TabbedContent

from reader.ui.app import make_app
from reader.ui.screens.stats_screen import StatsScreen
from reader.workspace import Workspace
from tests.conftest import wait_until

DOC_A = "000_1d5d00d34374701d"
DOC_B = "001_4310720f2bcf0b55"


def screen_text(app) -> str:
    """What the terminal shows now, as plain text, one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def cells(table: DataTable, row: int) -> list[str]:
    return [getattr(cell, "plain", str(cell)) for cell in table.get_row_at(row)]


def seed(workspace: Workspace) -> None:
    a, b = workspace.document(DOC_A), workspace.document(DOC_B)
    workspace.annotate(a, 0, 20, ["actor/russia", "actor/serbia"], note="both")
    workspace.annotate(a, 10, 30, ["actor/serbia/vucic", "frame"])
    workspace.annotate(b, 5, 50, ["actor/russia"])
    workspace.annotate(b, 40, 60, ["frame"])


async def open_stats(pilot, workspace: Workspace) -> StatsScreen:
    screen = StatsScreen(workspace.stats())
    pilot.app.push_screen(screen)
    await wait_until(
        pilot, lambda: pilot.app.screen is screen and screen.is_mounted, "the statistics screen"
    )
    return screen


async def test_three_views_show_the_counts_and_keys_switch_between_them(
    workspace: Workspace,
) -> None:
    seed(workspace)
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_stats(pilot, workspace)
        tabs = screen.query_one(TabbedContent)
        tag_table = screen.query_one("#tag-table", DataTable)
        assert tabs.active == "tags" and app.focused is tag_table
        assert [c.strip() for c in cells(tag_table, 0)] == [
            "actor",
            "2",
            "1",
            "·",
            "·",
            "·",
            "3",
            "2",
        ]
        assert [c.strip() for c in cells(tag_table, 3)][:3] == ["vucic", "1", "·"]
        shot = screen_text(app)
        assert "D2 Russian Ally Withdraws Support, Suspends Arms Contracts" in shot
        assert "actor · 2 in D1 Serbia begins distancing itself from Russia" in shot
        await pilot.press("right")
        assert "actor · 1 in D2 Russian Ally" in screen_text(app)

        await pilot.press("2")
        pair_table = screen.query_one("#pair-table", DataTable)
        assert tabs.active == "pairs" and app.focused is pair_table
        rows = [cells(pair_table, i) for i in range(pair_table.row_count)]
        assert [(r[0].strip(), r[2], r[3]) for r in rows[:1]] == [("2", "actor/russia", "frame")]
        assert rows[0][1].strip() == "█" * 12 and rows[1][1].strip() == "██████"
        assert len(rows) == 6

        await pilot.press("tab")
        document_table = screen.query_one("#document-table", DataTable)
        assert tabs.active == "documents" and app.focused is document_table
        first = cells(document_table, 0)
        assert first[0] == "D1" and first[1].split() == ["2", "█" * 12]
        assert [c.strip() for c in first[2:6]] == ["2", "4", "1", "·"]
        await pilot.press("down")
        assert "D2 Russian Ally Withdraws Support" in screen_text(app)

        await pilot.press("tab")
        assert tabs.active == "attributes"
        await pilot.press("tab")
        assert tabs.active == "tags"
        await pilot.press("shift+tab", "shift+tab")
        assert tabs.active == "documents"
        await pilot.press("1")
        assert tabs.active == "tags" and app.focused is tag_table


async def test_escape_and_q_close_the_screen(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stats(pilot, workspace)
        await pilot.press("escape")
        assert not isinstance(app.screen, StatsScreen)
        await open_stats(pilot, workspace)
        await pilot.press("q")
        assert not isinstance(app.screen, StatsScreen) and app.is_running


async def test_empty_workspace_says_what_to_do(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stats(pilot, workspace)
        assert "No tags yet" in screen_text(app)
        await pilot.press("2")
        assert "No two tags meet yet" in screen_text(app)
        await pilot.press("3")
        assert len(app.screen.query_one("#document-table", DataTable).rows) == 5


async def test_readable_at_80_by_24(workspace: Workspace) -> None:
    seed(workspace)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stats(pilot, workspace)
        shot = screen_text(app)
        assert "D5 Time for Serbia to Scale Back Military Ties with Russia" in shot  # legend
        assert "1 Tags" in shot.splitlines()[-1] and "esc Close" in shot.splitlines()[-1]
        await pilot.press("3")
        assert "D5   0" in screen_text(app)


async def test_hostile_tag_names_and_titles_are_shown_literally(workspace: Workspace) -> None:
    hostile_tags = ["[bold]x", "[@click=app.quit]q", "[b]t[/b]"]
    workspace.annotate(workspace.document(DOC_A), 0, 20, hostile_tags)
    with workspace.store.write() as db:
        db.execute(
            "UPDATE documents SET title = ?, source = ? WHERE path = ?",
            ["[red]T[/] \x1b]52;c;aGk=\x07 \u202eevil", "[link=x]src", f"{DOC_A}.txt"],
        )
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_stats(pilot, workspace)
        shot = screen_text(app)
        assert "[bold]x" in shot and "[@click=app.quit]q" in shot
        assert "D1 [red]T[/] ␛]52;c;aGk=␇ \ufffdevil ([link=x]src)" in shot
        await pilot.press("2")
        shot = screen_text(app)
        assert "[b]t[/b]" in shot and "[@click=app.quit]q" in shot
        await pilot.click(screen.query_one("#pair-table", DataTable), offset=(30, 1))
        await pilot.press("3")
        assert "[red]T[/] ␛]52;c;aGk=␇" in screen_text(app)
        assert app.is_running and isinstance(app.screen, StatsScreen)


async def test_view_4_counts_tags_by_attribute_and_a_moves_to_the_next(
    workspace: Workspace,
) -> None:
    """The hand count: `actor` has 3 highlights, 2 in ECFR's document (one document of one);
    `frame` 1 in ECFR's and 1 in N1's; by year the two 2025 documents hold all four."""
    seed(workspace)
    workspace.set_attributes(workspace.document(DOC_A), {"outlet": "ECFR"})
    workspace.set_attributes(workspace.document(DOC_B), {"outlet": "N1"})
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("s")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        await pilot.press("4")
        view = screen.attribute_view
        names = [info.name for info in view.names]
        assert {"outlet", "year", "month"} <= set(names)
        while view.names[view.name_index].name != "outlet":
            await pilot.press("a")
        table = screen.query_one("#attribute-table", DataTable)
        assert app.focused is table
        header = [getattr(c.label, "plain", str(c.label)) for c in table.columns.values()]
        assert header[1].startswith("ECFR") and header[2].startswith("N1")
        actor = [c.strip() for c in cells(table, 0)]
        assert actor[0] == "actor" and actor[1].startswith("2 ") and actor[2].startswith("1 ")
        assert "by outlet" in screen_text(app)
        while view.names[view.name_index].name != "year":
            await pilot.press("a")
        header = [getattr(c.label, "plain", str(c.label)) for c in table.columns.values()]
        assert header[1] == "Trend"
        assert header[2].startswith("2022") and header[3].startswith("2025")  # in time order
        actor = [c.strip() for c in cells(table, 0)]
        assert actor[2] == "·" and actor[3].startswith("3 ")
        assert actor[1] == "···█"  # none in 2022 (nor 2023, 2024: no documents), all in 2025


def test_a_trend_shows_empty_periods_and_many_values_are_cut_to_the_latest() -> None:
    from reader.analysis.records import AttributeStats, TagByValue, ValueTotals
    from reader.ui.widgets.attribute_stats import MAX_VALUES, _shown_values, trend

    def row(value: str | None, highlights: int) -> TagByValue:
        return TagByValue("frame", 1, False, None, value, highlights, 1, 1, 1000)

    assert trend([row("2022-03", 1), row("2022-06", 2), row(None, 5)]) == "▅··█"
    months = [f"20{20 + m // 12}-{m % 12 + 1:02}" for m in range(72)]
    totals = (*(ValueTotals(m, 1, 1000, 1) for m in months), ValueTotals(None, 1, 1, 0))
    stats = AttributeStats("month", "date", None, totals, ())
    shown = _shown_values(stats)
    assert len(shown) == MAX_VALUES and shown[-1].value is None
    assert shown[-2].value == months[-1]  # the latest periods, then "(none)"
