"""The codebook: tag tree counts, rename/merge/move/delete semantics, number keys, bulk tagging
and the CSV exchange. The rule under every test: no operation on tags ever loses a highlight."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.codebook.csv_io import export_codebook_csv, import_codebook_csv
from reader.codebook.tree import TagConflict, parse_color
from reader.errors import UsageError
from reader.models import Annotation
from reader.workspace import Workspace
from tests.conftest import SAMPLE_CORPUS

DOC_A = "001_4310720f2bcf0b55"
DOC_B = "000_1d5d00d34374701d"


def _sentences(workspace: Workspace, doc: str, count: int) -> list[tuple[int, int]]:
    """`count` separate spans of a document's text, 30 characters each, 40 apart."""
    text = workspace.text(workspace.document(doc))
    spans = []
    start = 200
    while len(spans) < count:
        if text[start : start + 30].strip():
            spans.append((start, start + 30))
        start += 70
    return spans


def _highlight(workspace: Workspace, doc: str, span: tuple[int, int], *tags: str) -> Annotation:
    return workspace.annotate(workspace.document(doc), *span, tags=list(tags))


@pytest.fixture
def coded(workspace: Workspace) -> Workspace:
    return _code(workspace)


def _code(workspace: Workspace) -> Workspace:
    """Five highlights in two documents, coded with a small hierarchy."""
    a = _sentences(workspace, DOC_A, 3)
    b = _sentences(workspace, DOC_B, 2)
    _highlight(workspace, DOC_A, a[0], "actor/russia", "frame/energy")
    _highlight(workspace, DOC_A, a[1], "actor/russia", "actor/serbia/vucic")
    _highlight(workspace, DOC_A, a[2], "frame/eu")
    _highlight(workspace, DOC_B, b[0], "actor/serbia")
    _highlight(workspace, DOC_B, b[1], "actor/serbia/vucic", "frame/energy")
    return workspace


def _tree(workspace: Workspace) -> dict[str, tuple[int, int, bool]]:
    return {n.path: (n.highlights, n.documents, n.exists) for n in workspace.codebook()}


def _tags_by_quote(workspace: Workspace) -> dict[int, list[str]]:
    return {a.id: a.tags for a in workspace.annotations()}


def test_tree_counts_include_sub_tags_once(coded: Workspace) -> None:
    assert _tree(coded) == {
        "actor": (4, 2, False),  # highlight 2 carries two actor tags: counted once
        "actor/russia": (2, 1, True),
        "actor/serbia": (3, 2, True),
        "actor/serbia/vucic": (2, 2, True),
        "frame": (3, 2, False),
        "frame/energy": (2, 2, True),
        "frame/eu": (1, 1, True),
    }
    nodes = coded.codebook()
    assert [n.path for n in nodes][:4] == [
        "actor",
        "actor/russia",
        "actor/serbia",
        "actor/serbia/vucic",
    ]
    assert nodes[0].depth == 0 and nodes[3].depth == 2 and nodes[3].label == "vucic"
    assert nodes[0].color is None and nodes[1].color and nodes[1].color.startswith("#")


def test_tags_on_whole_documents_are_counted_apart(coded: Workspace) -> None:
    """`documents` counts documents with a tagged highlight, as the statistics do; a tag on a
    whole document (E) is counted in `tagged_documents`."""
    doc = coded.document("002_d42153564ceb3715")
    coded.set_document_annotation(doc, ["frame/eu"], "")
    assert _tree(coded)["frame/eu"] == (1, 1, True)
    whole = {n.path: n.tagged_documents for n in coded.codebook()}
    assert whole["frame/eu"] == 1 and whole["frame"] == 1 and whole["actor"] == 0


def test_codebook_counts_agree_with_the_statistics(coded: Workspace) -> None:
    coded.set_document_annotation(coded.document("002_d42153564ceb3715"), ["actor/x"], "")
    stats = {t.path: (t.highlights, t.documents) for t in coded.stats().tags}
    tree = {n.path: (n.highlights, n.documents) for n in coded.codebook()}
    assert stats == tree


def test_tag_paths_are_tidied(workspace: Workspace) -> None:
    _highlight(workspace, DOC_A, _sentences(workspace, DOC_A, 1)[0], " Actor / Russia/ ")
    assert [n.path for n in workspace.codebook()] == ["Actor", "Actor/Russia"]


def test_rename_takes_sub_tags_along_and_keeps_every_highlight(coded: Workspace) -> None:
    before = _tags_by_quote(coded)
    assert coded.rename_tag("actor/serbia", "actor/srbija") == 2
    after = _tags_by_quote(coded)
    assert after.keys() == before.keys()
    renamed = {
        ann_id: [t.replace("actor/serbia", "actor/srbija") for t in tags]
        for ann_id, tags in before.items()
    }
    assert after == {k: sorted(v, key=str.casefold) for k, v in renamed.items()}
    assert _tree(coded)["actor/srbija/vucic"] == (2, 2, True)
    assert "actor/serbia" not in _tree(coded)


def test_rename_changes_case_only(coded: Workspace) -> None:
    coded.rename_tag("frame/eu", "frame/EU")
    assert "frame/EU" in _tree(coded)
    assert len(coded.annotations(tag="frame/eu")) == 1


def test_rename_onto_an_existing_tag_asks_then_merges(coded: Workspace) -> None:
    before = _tags_by_quote(coded)
    with pytest.raises(TagConflict) as conflict:
        coded.rename_tag("frame/eu", "frame/energy")
    assert conflict.value.existing == ["frame/energy"]
    assert _tags_by_quote(coded) == before  # refused: nothing changed
    coded.rename_tag("frame/eu", "frame/energy", merge=True)
    assert _tree(coded)["frame/energy"] == (3, 2, True)
    assert "frame/eu" not in _tree(coded)
    assert _tags_by_quote(coded).keys() == before.keys()


def test_rename_refuses_moving_a_tag_inside_itself_and_unknown_tags(coded: Workspace) -> None:
    with pytest.raises(UsageError, match="inside itself"):
        coded.rename_tag("actor", "actor/old")
    with pytest.raises(UsageError, match="no tag"):
        coded.rename_tag("nothing", "else")


def test_merge_several_into_one(coded: Workspace) -> None:
    before = _tags_by_quote(coded)
    coded.describe_tag("frame/eu", "Framing through the EU accession")
    coded.merge_tags(["frame/eu", "frame/energy"], into="frame/economy")
    tree = _tree(coded)
    assert tree["frame/economy"] == (3, 2, True)
    assert "frame/eu" not in tree and "frame/energy" not in tree
    assert _tags_by_quote(coded).keys() == before.keys()
    economy = next(n for n in coded.codebook() if n.path == "frame/economy")
    assert economy.description == "Framing through the EU accession"


def test_merge_keeps_both_descriptions(coded: Workspace) -> None:
    coded.describe_tag("frame/eu", "EU accession")
    coded.describe_tag("frame/energy", "Gas and oil")
    coded.merge_tags(["frame/eu"], into="frame/energy")
    energy = next(n for n in coded.codebook() if n.path == "frame/energy")
    assert energy.description == "Gas and oil\n\nframe/eu: EU accession"


def test_merge_a_highlight_carrying_both_keeps_one_tag(coded: Workspace) -> None:
    coded.merge_tags(["actor/russia"], into="actor/serbia/vucic")
    both = [a for a in coded.annotations() if "actor/serbia/vucic" in a.tags]
    assert len(both) == 3
    assert all(a.tags.count("actor/serbia/vucic") == 1 for a in both)


def test_merge_a_parent_and_its_child(coded: Workspace) -> None:
    coded.merge_tags(["actor/serbia", "actor/serbia/vucic"], into="serbia")
    tree = _tree(coded)
    assert tree["serbia"] == (3, 2, True)
    assert not any(path.startswith("actor/serbia") for path in tree)


def test_merge_onto_itself_is_refused(coded: Workspace) -> None:
    before = _tags_by_quote(coded)
    with pytest.raises(UsageError, match="into itself"):
        coded.merge_tags(["frame/eu", "Frame/EU"], into="frame/eu")
    with pytest.raises(UsageError, match="inside itself"):
        coded.merge_tags(["actor"], into="actor/russia")
    assert _tags_by_quote(coded) == before


def test_move_under_another_parent_and_back_to_the_top(coded: Workspace) -> None:
    assert coded.move_tag("actor/serbia", "country") == "country/serbia"
    assert _tree(coded)["country/serbia/vucic"] == (2, 2, True)
    assert coded.move_tag("country/serbia/vucic", None) == "vucic"
    assert _tree(coded)["vucic"] == (2, 2, True)


def test_delete_keeps_highlights_and_reports_counts(coded: Workspace) -> None:
    count = len(coded.annotations())
    preview = coded.tag_deletion("actor/serbia")
    assert (preview.tags, preview.highlights, preview.documents) == (["actor/serbia"], 1, 1)
    deleted = coded.delete_tag("actor/serbia")
    assert deleted == preview
    assert len(coded.annotations()) == count
    tree = _tree(coded)
    assert "actor/serbia/vucic" in tree and tree["actor/serbia"] == (2, 2, False)
    untagged = [a for a in coded.annotations() if not a.tags]
    assert len(untagged) == 1  # the one that carried only that tag: kept, with no tag


def test_delete_with_sub_tags(coded: Workspace) -> None:
    with pytest.raises(UsageError, match="only groups"):
        coded.tag_deletion("actor")
    preview = coded.tag_deletion("actor", with_subtags=True)
    assert sorted(preview.tags) == ["actor/russia", "actor/serbia", "actor/serbia/vucic"]
    assert (preview.highlights, preview.documents) == (4, 2)
    count = len(coded.annotations())
    coded.delete_tag("actor", with_subtags=True)
    assert len(coded.annotations()) == count
    assert not any(p.startswith("actor") for p in _tree(coded))


def test_describe_colour_and_keys_refuse_unknown_tags(coded: Workspace) -> None:
    before = _tree(coded)
    for change in (
        lambda: coded.describe_tag("typo", "x"),
        lambda: coded.color_tag("frame/typo", "red"),
        lambda: coded.set_favourite("typo", 1),
    ):
        with pytest.raises(UsageError, match="no tag"):
            change()
    assert _tree(coded) == before


def test_rename_refuses_sub_tag_paths_over_the_limit(coded: Workspace) -> None:
    before = _tags_by_quote(coded)
    with pytest.raises(UsageError, match="longer than 100"):
        coded.rename_tag("actor", "L" * 99)  # actor/serbia/vucic would pass 100 characters
    assert _tags_by_quote(coded) == before


def test_describe_colour_and_favourites(coded: Workspace) -> None:
    coded.describe_tag("frame", "How the article frames the relationship")
    coded.color_tag("actor/russia", "red")
    frame = next(n for n in coded.codebook() if n.path == "frame")
    assert frame.exists and frame.description.startswith("How the article")
    assert coded.tag_colors()["actor/russia"] == "#e06c75"
    coded.set_favourite("frame/eu", 1)
    coded.set_favourite("actor/russia", 2)
    coded.set_favourite("frame/energy", 1)  # takes key 1 from frame/eu
    assert coded.favourite_tags() == {1: "frame/energy", 2: "actor/russia"}
    coded.set_favourite("actor/russia", None)
    assert coded.favourite_tags() == {1: "frame/energy"}
    with pytest.raises(UsageError):
        coded.set_favourite("frame/eu", 10)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("#ABC", "#aabbcc"),
        ("123456", "#123456"),
        (" Teal ", "#2aa198"),
        ("#e06c75", "#e06c75"),
        ("#bad", "#bbaadd"),
    ],
)
def test_parse_color(given: str, stored: str) -> None:
    assert parse_color(given) == stored


@pytest.mark.parametrize("bad", ["", "#12", "reddish", "[bold]red", "#gggggg", "bad", "abc"])
def test_parse_color_refuses(bad: str) -> None:
    with pytest.raises(UsageError, match="not a colour"):
        parse_color(bad)


def test_bulk_tag_and_untag(coded: Workspace) -> None:
    ids = [a.id for a in coded.annotations(coded.document(DOC_A))]
    added = coded.tag_highlights(ids, "source/tass")
    assert added == sorted(ids)
    assert coded.tag_highlights(ids, "source/tass") == []  # already there: nothing changes
    assert _tree(coded)["source/tass"] == (3, 1, True)
    removed = coded.untag_highlights(ids[:2], "source/tass")
    assert removed == sorted(ids[:2])
    assert _tree(coded)["source/tass"] == (1, 1, True)
    with pytest.raises(UsageError, match="no tag"):
        coded.untag_highlights(ids, "never/used")


def test_codebook_csv_round_trip(coded: Workspace, empty_root: Path) -> None:
    coded.describe_tag("frame", 'Framing, "quoted", with a comma,\nand a second line')
    coded.describe_tag("actor/russia", "[bold]not markup[/] \x1b[31m")
    coded.color_tag("frame/eu", "#123456")
    text = export_codebook_csv(coded.store)
    assert text.splitlines()[0] == "path,description,color"
    with Workspace.open(empty_root) as fresh:
        report = import_codebook_csv(fresh.store, text)
        assert report.warnings == [] and report.updated == []
        assert len(report.created) == 6  # every tag of its own; the parents are implied
        mine = [(n.path, n.description, n.color) for n in coded.codebook()]
        theirs = [(n.path, n.description, n.color) for n in fresh.codebook()]
        assert theirs == mine
        again = import_codebook_csv(fresh.store, text)
        assert (again.created, again.updated, again.unchanged) == ([], [], len(report.created))
        assert export_codebook_csv(fresh.store) == text


def test_codebook_import_never_drops_and_skips_bad_rows(coded: Workspace) -> None:
    coded.describe_tag("frame/eu", "kept")
    before = {n.path for n in coded.codebook()}
    csv_text = (
        "\ufeffPath,Color,Description\n"
        "frame/eu,,\n"  # empty cells leave what is there
        "frame/new,#abc,A new code\n"
        ",,orphan description\n"
        "x/y,not-a-colour,\n"
        "\x01\x02,,\n"
    )
    report = import_codebook_csv(coded.store, csv_text)
    after = {n.path: n for n in coded.codebook()}
    assert before <= after.keys()
    assert after["frame/eu"].description == "kept"
    assert (after["frame/new"].description, after["frame/new"].color) == ("A new code", "#aabbcc")
    assert "x/y" in after
    assert report.created == ["frame/new", "x/y"]
    assert len(report.warnings) == 3
    assert any("row 4" in w for w in report.warnings)
    assert any("colour ignored" in w for w in report.warnings)


def test_codebook_import_needs_a_path_column(coded: Workspace) -> None:
    with pytest.raises(UsageError, match="path"):
        import_codebook_csv(coded.store, "name,colour\nx,red\n")


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["rename", "merge", "move", "delete", "delete_all", "untag"]),
        st.sampled_from(["actor", "actor/russia", "actor/serbia", "frame", "frame/eu", "x"]),
        st.sampled_from(["actor", "frame/energy", "frame", "y/z", "actor/serbia/vucic", "Y"]),
    ),
    max_size=6,
)


def _remap(tags: dict[int, set[str]], old: str, new: str) -> dict[int, set[str]]:
    """What a rename does to each highlight's tag keys: the subtree of `old` moves to `new`."""

    def moved(key: str) -> str:
        return new + key[len(old) :] if key == old or key.startswith(old + "/") else key

    return {ann: {moved(k) for k in keys} for ann, keys in tags.items()}


@settings(max_examples=40, deadline=None)
@given(operations=OPERATIONS)
def test_tag_operations_never_lose_a_highlight_and_map_tags_exactly(
    operations: list[tuple[str, str, str]],
) -> None:
    """Each operation either changes nothing (refused) or does exactly what a model of it says
    to every highlight's tags; the highlights themselves never change."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(SAMPLE_CORPUS, root / "corpus")
        with Workspace.open(root) as coded:
            _code(coded)
            highlights = {a.id: (a.start, a.end, a.note) for a in coded.annotations()}
            for operation, tag, other in operations:
                before = {a.id: {t.casefold() for t in a.tags} for a in coded.annotations()}
                try:
                    if operation in ("rename", "merge"):
                        if operation == "rename":
                            coded.rename_tag(tag, other, merge=True)
                        else:
                            coded.merge_tags([tag], other)
                        expected = _remap(before, tag.casefold(), other.casefold())
                    elif operation == "move":
                        moved_to = coded.move_tag(tag, other, merge=True)
                        expected = _remap(before, tag.casefold(), moved_to.casefold())
                    elif operation in ("delete", "delete_all"):
                        coded.delete_tag(tag, with_subtags=operation == "delete_all")
                        key = tag.casefold()
                        expected = {
                            ann: {k for k in keys if k != key and not (
                                operation == "delete_all" and k.startswith(key + "/"))}
                            for ann, keys in before.items()
                        }  # fmt: skip
                    else:
                        coded.untag_highlights(list(highlights), tag)
                        expected = {a: keys - {tag.casefold()} for a, keys in before.items()}
                except UsageError:
                    expected = before  # refused: nothing changed
                now = {a.id: {t.casefold() for t in a.tags} for a in coded.annotations()}
                assert now == expected, (operation, tag, other)
                assert {a.id: (a.start, a.end, a.note) for a in coded.annotations()} == highlights
                nodes = coded.codebook()
                keys = [n.key for n in nodes]
                assert len(keys) == len(set(keys))
                for node in nodes:  # every count is the distinct highlights of the subtree
                    assert node.highlights == len(coded.annotations(tag=node.path))


def test_migration_tidies_tag_names_from_before_paths(tmp_path: Path) -> None:
    """Tags saved by version 3 could hold `a / b`, `x/`, `a//b` or `/`: version 4 gives each a
    tidy path, folding two that become one, and no highlight loses a tag."""
    import sqlite3

    from reader.store.migrations import migrate

    root = tmp_path / "ws"
    (root / "corpus").mkdir(parents=True)
    (root / "corpus" / "a.txt").write_text("Title\n\nOne two three four five six.\n", "utf-8")
    conn = sqlite3.connect(root / "annotations.db", isolation_level=None)
    migrate(conn, target=3)
    conn.execute(
        "INSERT INTO documents (id, path, status, content_hash, added, updated) "
        "VALUES (1, 'a.txt', 'ok', 'h', 't', 't')"
    )
    conn.execute("INSERT INTO document_texts VALUES (1, 'Title\n\nOne two three four five six.\n')")
    legacy = ["actor / russia", "actor/russia", "x/", "a//b", "/", "Frame / EU"]
    for i, name in enumerate(legacy, start=1):
        conn.execute("INSERT INTO tags (id, name, key, color) VALUES (?, ?, ?, '#e5c07b')",
                     [i, name, name.casefold()])  # fmt: skip
        conn.execute(
            'INSERT INTO annotations (id, uid, document_id, start, "end", quote, content_hash, '
            "created, updated) VALUES (?, ?, 1, 7, 10, 'One', 'h', 't', 't')",
            [i, f"u{i}"],
        )
        conn.execute("INSERT INTO annotation_tags VALUES (?, ?)", [i, i])
    conn.execute("INSERT INTO annotation_tags VALUES (1, 2)")  # both spellings on one highlight
    conn.close()
    with Workspace.open(root) as ws:
        tags = {a.id: a.tags for a in ws.annotations()}
        assert tags == {
            1: ["actor/russia"],  # the two spellings folded into one tag, carried once
            2: ["actor/russia"],
            3: ["x"],
            4: ["a/b"],
            5: ["untitled-5"],
            6: ["Frame/EU"],
        }
        paths = [n.path for n in ws.codebook()]
        assert paths == [
            "a",
            "a/b",
            "actor",
            "actor/russia",
            "Frame",
            "Frame/EU",
            "untitled-5",
            "x",
        ]
        assert len(ws.annotations(tag="actor / russia")) == 2
        ws.rename_tag("actor / russia", "actor/rus")
        assert {n.path for n in ws.codebook()} >= {"actor/rus"}


def test_create_a_code_before_using_it(workspace: Workspace) -> None:
    assert workspace.create_tag(" frame / energy ", "Gas and oil", "orange") == "frame/energy"
    node = next(n for n in workspace.codebook() if n.path == "frame/energy")
    assert (node.description, node.color, node.highlights) == ("Gas and oil", "#d19a66", 0)
    with pytest.raises(UsageError, match="already in the codebook"):
        workspace.create_tag("Frame/Energy")
    with pytest.raises(UsageError, match="not a colour"):
        workspace.create_tag("frame/x", color="reddish")
    assert "frame/x" not in {n.path for n in workspace.codebook()}
