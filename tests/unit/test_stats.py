"""Corpus statistics: tag hierarchy counts, per-document totals, co-occurrence, depth, the CLI."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import click
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from reader.analysis.stats import Highlight, cooccurrence, corpus_stats, text_bar
from reader.cli import cli
from reader.workspace import Workspace

DOC_A = "000_1d5d00d34374701d"
DOC_B = "001_4310720f2bcf0b55"
HOSTILE_TAG = "[bold]x[/] [@click=app.quit]q[/]"
HOSTILE_TITLE = "[red]T[/] \x1b]52;c;aGk=\x07 \x1b[2J \u202eevil"


def run(root: Path, *args: str) -> click.testing.Result:
    result = CliRunner().invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def seed(workspace: Workspace) -> None:
    """Two documents: overlapping, nested and adjacent highlights under `actor/...` and `frame`."""
    a, b = workspace.document(DOC_A), workspace.document(DOC_B)
    workspace.annotate(a, 0, 20, ["actor/russia", "actor/serbia"], note="both")
    workspace.annotate(a, 10, 30, ["actor/serbia/vucic", "frame"])
    workspace.annotate(a, 30, 40, ["frame/history"])  # adjacent to the one before: no overlap
    workspace.annotate(a, 100, 110, [], note="  \n ")  # untagged; a blank note is no note
    workspace.annotate(b, 5, 50, ["actor/russia"], note="x")
    workspace.annotate(b, 40, 60, ["frame"])


def orphan(workspace: Workspace, ann_id: int) -> None:
    with workspace.store.write() as db:
        db.execute("UPDATE annotations SET status = 'orphaned' WHERE id = ?", [ann_id])


def rows(stats) -> dict[str, tuple[int, int, dict[int, int]]]:
    return {t.path: (t.highlights, t.documents, t.per_document) for t in stats.tags}


def pairs(stats) -> dict[tuple[str, str], int]:
    return {(p.a, p.b): p.passages for p in stats.cooccurrence}


def test_parents_count_their_children_once_per_highlight(workspace: Workspace) -> None:
    seed(workspace)
    stats = workspace.stats()
    a, b = workspace.document(DOC_A).id, workspace.document(DOC_B).id
    assert [t.path for t in stats.tags] == [
        "actor", "actor/russia", "actor/serbia", "actor/serbia/vucic", "frame", "frame/history",
    ]  # fmt: skip
    assert rows(stats) == {
        "actor": (3, 2, {a: 2, b: 1}),  # the highlight with russia and serbia counts once
        "actor/russia": (2, 2, {a: 1, b: 1}),
        "actor/serbia": (2, 1, {a: 2}),
        "actor/serbia/vucic": (1, 1, {a: 1}),
        "frame": (3, 2, {a: 2, b: 1}),
        "frame/history": (1, 1, {a: 1}),
    }
    by_path = {t.path: t for t in stats.tags}
    assert by_path["actor"].implied and by_path["actor"].color is None
    assert not by_path["frame"].implied and by_path["frame"].color.startswith("#")
    assert by_path["actor/serbia/vucic"].level == 3
    assert by_path["actor"].count(workspace.document("002_d42153564ceb3715").id) == 0


def test_parents_and_children_sort_together_ignoring_case(workspace: Workspace) -> None:
    doc = workspace.document(DOC_A)
    for start, tag in enumerate(["Actor-x", "actor/Zeta", "actor/alpha", "Beta"]):
        workspace.annotate(doc, 0, 10 + start, [tag])
    assert [t.path for t in workspace.stats().tags] == [
        "actor", "actor/alpha", "actor/Zeta", "Actor-x", "Beta",
    ]  # fmt: skip


def test_every_ok_document_has_totals_even_without_highlights(workspace: Workspace) -> None:
    seed(workspace)
    orphan(workspace, workspace.annotations(workspace.document(DOC_B))[0].id)
    totals = {d.path.split(".")[0]: d for d in workspace.stats().documents}
    assert len(totals) == 5
    a, b = totals[DOC_A], totals[DOC_B]
    assert (a.highlights, a.tagged, a.distinct_tags, a.notes, a.orphans) == (4, 3, 5, 1, 0)
    assert (b.highlights, b.tagged, b.distinct_tags, b.notes, b.orphans) == (2, 2, 2, 1, 1)
    assert b.title == "Russian Ally Withdraws Support, Suspends Arms Contracts"
    assert b.per_1000_words == round(2 * 1000 / b.words, 2)
    empty = totals["002_d42153564ceb3715"]
    assert (empty.highlights, empty.per_1000_words) == (0, 0.0)
    assert workspace.stats().highlights == 6


def test_cooccurrence_on_same_and_overlapping_highlights_not_adjacent(
    workspace: Workspace,
) -> None:
    seed(workspace)
    assert pairs(workspace.stats()) == {
        ("actor/russia", "actor/serbia"): 1,  # one highlight carries both
        ("actor/serbia/vucic", "frame"): 1,
        ("actor/russia", "actor/serbia/vucic"): 1,  # overlap of [0, 20) and [10, 30)
        ("actor/russia", "frame"): 2,  # that overlap, and [5, 50) with [40, 60) in DOC_B
        ("actor/serbia", "actor/serbia/vucic"): 1,
        ("actor/serbia", "frame"): 1,
        # [10, 30) and [30, 40) only touch: frame/history meets nothing
    }
    assert workspace.stats().cooccurrence[0].passages == 2


def test_orphans_only_cooccur_with_themselves(workspace: Workspace) -> None:
    seed(workspace)
    second = workspace.annotations(workspace.document(DOC_A))[1]  # [10, 30): vucic + frame
    orphan(workspace, second.id)
    assert pairs(workspace.stats()) == {
        ("actor/russia", "actor/serbia"): 1,
        ("actor/serbia/vucic", "frame"): 1,  # the orphan with itself
        ("actor/russia", "frame"): 1,  # DOC_B only
    }


def test_depth_rolls_tags_up_for_the_table_and_pairs(workspace: Workspace) -> None:
    seed(workspace)
    stats = corpus_stats(workspace.store.db, depth=1)
    assert stats.depth == 1
    assert [t.path for t in stats.tags] == ["actor", "frame"]
    assert rows(stats)["actor"][0] == 3
    # russia and serbia on one highlight are both `actor` at depth 1: no pair of their own
    assert pairs(stats) == {("actor", "frame"): 3}
    assert [t.path for t in corpus_stats(workspace.store.db, depth=2).tags] == [
        "actor", "actor/russia", "actor/serbia", "frame", "frame/history",
    ]  # fmt: skip


def test_document_filter(workspace: Workspace) -> None:
    seed(workspace)
    b = workspace.document(DOC_B)
    stats = corpus_stats(workspace.store.db, document_ids=[b.id])
    assert [d.id for d in stats.documents] == [b.id]
    assert rows(stats)["actor"] == (1, 1, {b.id: 1})
    assert pairs(stats) == {("actor/russia", "frame"): 1}


def hl(start: int, end: int, *tags: str, doc: int = 1, orphaned: bool = False) -> Highlight:
    return Highlight(doc, start, end, frozenset(tags), orphaned)


def test_cooccurrence_definition_on_small_cases() -> None:
    # one highlight with both tags, and a second overlapping one with both: two passages
    assert cooccurrence([hl(0, 5, "a", "b")]) == {("a", "b"): 1}
    assert cooccurrence([hl(0, 5, "a", "b"), hl(3, 8, "a", "b")]) == {("a", "b"): 3}
    assert cooccurrence([hl(0, 5, "a"), hl(5, 8, "b")]) == {}  # adjacent
    assert cooccurrence([hl(0, 5, "a"), hl(1, 3, "b", doc=2)]) == {}  # other document
    assert cooccurrence([hl(0, 9, "a"), hl(2, 3, "b"), hl(4, 6, "b")]) == {("a", "b"): 2}
    assert cooccurrence([hl(0, 5, "a"), hl(0, 5, "a")]) == {}  # a tag never pairs with itself
    assert cooccurrence([hl(0, 5, "a", orphaned=True), hl(1, 3, "b")]) == {}
    assert cooccurrence([hl(0, 5, "a"), hl(2, 2, "b")]) == {("a", "b"): 1}  # empty, inside
    assert cooccurrence([hl(2, 5, "a"), hl(2, 2, "b")]) == {}  # empty, at the start: no overlap


def naive_cooccurrence(highlights: list[Highlight]) -> dict[tuple[str, str], int]:
    """The definition read literally: every unordered pair of highlights, itself included."""
    counts: dict[tuple[str, str], int] = {}
    for i, j in itertools.combinations_with_replacement(range(len(highlights)), 2):
        h1, h2 = highlights[i], highlights[j]
        if i != j and (
            h1.document_id != h2.document_id
            or h1.orphaned
            or h2.orphaned
            or not (h1.start < h2.end and h2.start < h1.end)
        ):
            continue
        met = {tuple(sorted((a, b))) for a in h1.tags for b in h2.tags if a != b}
        for pair in met:
            counts[pair] = counts.get(pair, 0) + 1
    return counts


@given(
    st.lists(
        st.builds(
            lambda doc, start, length, tags, orphaned: hl(
                start, start + length, *tags, doc=doc, orphaned=orphaned
            ),
            st.integers(1, 2),
            st.integers(0, 30),
            st.integers(0, 10),
            st.sets(st.sampled_from("abcd"), max_size=3),
            st.booleans(),
        ),
        max_size=25,
    )
)
def test_sweep_matches_the_all_pairs_definition(highlights: list[Highlight]) -> None:
    assert cooccurrence(highlights) == naive_cooccurrence(highlights)


def test_text_bar_uses_eighths_and_never_hides_a_small_count() -> None:
    assert text_bar(10, 10, 4) == "████"
    assert text_bar(5, 10, 3) == "█▌"
    assert text_bar(1, 1000, 10) == "▏"
    assert text_bar(0, 10, 10) == text_bar(3, 0, 10) == ""


def test_cli_stats_for_people(workspace_root: Path) -> None:
    with Workspace.open(workspace_root) as workspace:
        seed(workspace)
    out = run(workspace_root, "stats").stdout
    lines = out.splitlines()
    assert lines[1].split() == ["TAG", "D1", "D2", "D3", "D4", "D5", "ALL", "DOCS"]
    assert lines[2].split() == ["actor", "2", "1", "·", "·", "·", "3", "2"]
    assert lines[5].split() == ["vucic", "1", "·", "·", "·", "·", "1", "1"]
    assert "D2 = Russian Ally Withdraws Support, Suspends Arms Contracts" in out
    assert "2  ████████████████████  actor/russia + frame" in out
    [d1] = [line for line in lines if line.startswith("D1 ") and "█" in line]
    assert d1.split()[:3] == ["D1", "4", "████████████████████"]


def test_cli_stats_json_depth_and_doc(workspace_root: Path) -> None:
    with Workspace.open(workspace_root) as workspace:
        seed(workspace)
    data = json.loads(run(workspace_root, "stats", "--json").stdout)
    assert set(data) == {"depth", "highlights", "documents", "tags", "cooccurrence"}
    assert data["highlights"] == 6 and len(data["documents"]) == 5
    actor = data["tags"][0]
    assert actor["path"] == "actor" and actor["implied"] and actor["highlights"] == 3
    assert sorted(actor["per_document"].values()) == [1, 2]
    assert data["cooccurrence"][0] == {
        "a": "actor/russia", "b": "frame", "passages": 2,
        "a_color": data["tags"][1]["color"], "b_color": data["tags"][4]["color"],
    }  # fmt: skip
    rolled = json.loads(run(workspace_root, "stats", "--json", "--depth", "1").stdout)
    assert [t["path"] for t in rolled["tags"]] == ["actor", "frame"]
    one = json.loads(run(workspace_root, "stats", "--json", "--doc", DOC_B).stdout)
    assert [d["path"] for d in one["documents"]] == [f"{DOC_B}.txt"]


def test_cli_stats_shows_hostile_names_literally_and_inert(workspace_root: Path) -> None:
    with Workspace.open(workspace_root) as workspace:
        workspace.annotate(workspace.document(DOC_A), 0, 5, [HOSTILE_TAG, "plain"])
        with workspace.store.write() as db:
            db.execute("UPDATE documents SET title = ?, source = ?", [HOSTILE_TITLE, "\x1b[31m"])
    out = run(workspace_root, "stats").stdout
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert HOSTILE_TAG in out and "[red]T[/] ␛]52;c;aGk=␇ ␛[2J" in out
    data = json.loads(run(workspace_root, "stats", "--json").stdout)
    assert data["documents"][0]["title"] == HOSTILE_TITLE  # tools get the bytes as stored


def test_cli_stats_on_an_empty_workspace(empty_root: Path) -> None:
    out = run(empty_root, "stats").stdout
    assert "no tags yet" in out and "no two tags meet" in out


def test_highlights_of_a_file_that_became_unreadable_still_count(workspace: Workspace) -> None:
    seed(workspace)
    path = workspace.corpus_dir / workspace.document(DOC_B).path
    path.write_bytes(bytes(range(256)) * 64)  # binary now: sync skips it, keeps its highlights
    workspace.sync()
    assert workspace.document(DOC_B).status == "skipped"
    stats = workspace.stats()
    assert stats.highlights == 6
    assert rows(stats)["actor/russia"][:2] == (2, 2)
    assert {t.path: (t.highlights, t.documents) for t in stats.tags} == {
        n.path: (n.highlights, n.documents) for n in workspace.codebook()
    }
