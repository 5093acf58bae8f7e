"""The document list and handle resolution at scale (issue #16): the list's counts come from one
GROUP BY (the same numbers as the per-document subqueries they replace), and a file name or stem
is found by SQL, not by building every document in Python."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.corpus import documents
from reader.corpus.documents import list_documents, resolve_document
from reader.errors import UsageError
from reader.store import Store, open_store
from reader.workspace import Workspace

OLD_LIST_SQL = """
SELECT d.id,
       (SELECT count(*) FROM annotations a WHERE a.document_id = d.id),
       (SELECT count(*) FROM annotations a WHERE a.document_id = d.id AND a.status = 'orphaned'),
       (SELECT group_concat(c.field) FROM metadata_corrections c WHERE c.document_id = d.id)
FROM documents d ORDER BY d.path
"""
"""The list's counts as they were read before #16: subqueries per document."""


@pytest.fixture
def annotated(tmp_path: Path) -> Iterator[Workspace]:
    """Documents with no, one and several highlights, some orphaned, some corrected."""
    corpus = tmp_path / "ws" / "corpus"
    corpus.mkdir(parents=True)
    for name in ("a", "b", "c", "d", "e"):
        (corpus / f"{name}.txt").write_text(f"Words of {name}: one two three four.\n", "utf-8")
    workspace = Workspace.open(tmp_path / "ws")
    a, b, c, d, _e = workspace.documents()
    for doc, quotes in ((a, ["one", "two", "three"]), (b, ["four"]), (c, ["one", "two"])):
        for quote in quotes:
            workspace.annotate_quote(doc, quote, tags=["t"])
    with workspace.store.write() as db:
        db.execute("UPDATE annotations SET status = 'orphaned' WHERE quote IN ('two', 'three')")
    workspace.correct_metadata(c, {"title": "C", "author": "Someone"})
    workspace.correct_metadata(d, {"date": "2020-01-02"})
    yield workspace
    workspace.close()


def test_list_counts_equal_the_old_per_document_subqueries(annotated: Workspace) -> None:
    db = annotated.store.db
    old = [
        (doc_id, count, orphans, tuple(sorted(fields.split(","))) if fields else ())
        for doc_id, count, orphans, fields in db.execute(OLD_LIST_SQL)
    ]
    new = [(d.id, d.annotations, d.orphans, d.corrected) for d in list_documents(db)]
    assert new == old
    assert [row[1:3] for row in new] == [(3, 2), (1, 0), (2, 1), (0, 0), (0, 0)]
    assert new[2][3] == ("author", "title") and new[3][3] == ("date",)


def test_one_document_has_the_counts_the_list_has(annotated: Workspace) -> None:
    listed = list_documents(annotated.store.db)
    assert [annotated.document(d.id) for d in listed] == listed


@pytest.fixture
def many(tmp_path: Path) -> Iterator[Store]:
    """3,000 stored documents in folders, with names and stems shared on purpose."""
    store = open_store(tmp_path / "annotations.db")
    paths = [f"batch{n % 30}/article{n:05d}.txt" for n in range(3000)]
    paths += ["notes.md", "press/notes.txt", "two/report.txt", "one/report.txt", "x.tar.gz"]
    paths += ["007.txt", "dotted.v2/plain", "a%b_c.txt", "ab_c.txt", "Case.txt"]
    with store.write() as db:
        db.conn.executemany(
            "INSERT INTO documents (path, status, added, updated) VALUES (?, 'ok', '', '')",
            [(path,) for path in paths],
        )
    yield store
    store.close()


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the Document objects built, to show no handle builds every document."""
    ids: list[int] = []
    real = documents._document

    def counting(row: tuple) -> object:
        ids.append(row[0])
        return real(row)

    monkeypatch.setattr(documents, "_document", counting)
    return ids


@pytest.mark.parametrize(
    ("handle", "path"),
    [
        ("batch7/article00007.txt", "batch7/article00007.txt"),
        ("article02999.txt", "batch29/article02999.txt"),
        ("article00042", "batch12/article00042.txt"),
        ("  article00042  ", "batch12/article00042.txt"),
        ("x.tar", "x.tar.gz"),
        ("x.tar.gz", "x.tar.gz"),
        ("007", "007.txt"),
        ("plain", "dotted.v2/plain"),
        ("a%b_c", "a%b_c.txt"),
        ("ab_c.txt", "ab_c.txt"),
        ("Case", "Case.txt"),
    ],
)
def test_names_and_stems_resolve_among_thousands_by_sql(
    many: Store, built: list[int], handle: str, path: str
) -> None:
    assert resolve_document(many.db, handle).path == path
    assert len(built) <= 2  # the match (and an id's document), never all 3,010


@pytest.mark.parametrize(
    ("handle", "named"),
    [
        ("report.txt", "one/report.txt, two/report.txt"),
        ("report", "one/report.txt, two/report.txt"),
        ("notes", "notes.md, press/notes.txt"),
    ],
)
def test_a_shared_name_or_stem_is_refused_naming_each(
    many: Store, built: list[int], handle: str, named: str
) -> None:
    with pytest.raises(UsageError, match=f"matches several documents \\({named}\\)"):
        resolve_document(many.db, handle)
    assert len(built) <= 2


@pytest.mark.parametrize(
    "handle", ["article", "rticle00042", "article00042.tx", "case", "a_b_c", "%", "_", "v2"]
)
def test_a_part_of_a_name_wildcards_and_case_match_nothing(many: Store, handle: str) -> None:
    with pytest.raises(UsageError, match="no document matches"):
        resolve_document(many.db, handle)


def test_digits_are_an_id_unless_a_stem_and_then_both_are_named(many: Store) -> None:
    assert resolve_document(many.db, "12").path == "batch11/article00011.txt"
    assert resolve_document(many.db, "#3006").path == "007.txt"
    with pytest.raises(UsageError, match="no document #99999"):
        resolve_document(many.db, "#99999")
    with many.write() as db:
        db.execute(
            "INSERT INTO documents (path, status, added, updated) VALUES ('5.txt', 'ok', '', '')"
        )
    with pytest.raises(UsageError, match=r"'5' could be 5.txt or #5 \(batch4/article00004.txt\)"):
        resolve_document(many.db, "5")


def test_an_undecodable_handle_names_no_file(many: Store) -> None:
    with pytest.raises(UsageError, match="no document matches"):
        resolve_document(many.db, "report\udcff")
