"""The library's columns (issue #16): `Workspace.library_listing()` reads for every document
what `Workspace.documents()` says of it (ids, paths, statuses, titles, authors, dates, highlight
and orphan counts), in the same order, without building a `Document` per row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.workspace import Workspace


@pytest.fixture
def varied(tmp_path: Path) -> Iterator[Workspace]:
    """Highlighted, orphaned, corrected, untitled, skipped and missing documents."""
    corpus = tmp_path / "ws" / "corpus"
    corpus.mkdir(parents=True)
    for name in ("a", "b", "c", "d"):
        (corpus / f"{name}.txt").write_text(f"Words of {name}: one two three four.\n", "utf-8")
    (corpus / "gone.txt").write_text("Soon gone.\n", "utf-8")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    workspace = Workspace.open(tmp_path / "ws")
    by_path = {d.path: d for d in workspace.documents()}
    a, b, c = by_path["a.txt"], by_path["b.txt"], by_path["c.txt"]
    for doc, quotes in ((a, ["one", "two", "three"]), (c, ["four"])):
        for quote in quotes:
            workspace.annotate_quote(doc, quote, tags=["t"])
    with workspace.store.write() as db:
        db.execute("UPDATE annotations SET status = 'orphaned' WHERE quote = 'two'")
        db.execute("UPDATE documents SET title = NULL WHERE path = 'd.txt'")
    workspace.correct_metadata(b, {"title": "Bee", "author": "Someone", "date": "2020-01-02"})
    (corpus / "gone.txt").unlink()
    workspace.sync()
    yield workspace
    workspace.close()


def test_the_listing_says_what_the_documents_say(varied: Workspace) -> None:
    documents = varied.documents()
    listing = varied.library_listing()
    assert len(listing) == len(documents) == 6
    assert listing.ids == [d.id for d in documents]
    assert listing.paths == [d.path for d in documents]
    assert listing.statuses == [d.status for d in documents]
    assert listing.titles == [d.title for d in documents]
    assert listing.authors == [d.author for d in documents]
    assert listing.dates == [d.date for d in documents]
    assert listing.annotations == [d.annotations for d in documents]
    assert listing.orphans == [d.orphans for d in documents]
    assert set(listing.statuses) == {"ok", "skipped", "missing"}
    assert listing.titles[listing.paths.index("d.txt")] == "d"  # untitled: the file's stem
    assert listing.annotations[listing.paths.index("a.txt")] == 3
    assert listing.orphans[listing.paths.index("a.txt")] == 1
    assert listing.titles[listing.paths.index("b.txt")] == "Bee"


def test_an_empty_store_lists_nothing(tmp_path: Path) -> None:
    (tmp_path / "ws" / "corpus").mkdir(parents=True)
    with Workspace.open(tmp_path / "ws") as workspace:
        listing = workspace.library_listing()
    assert len(listing) == 0 and listing.ids == []


def test_hostile_and_odd_values_come_back_as_stored(varied: Workspace) -> None:
    """Titles with quotes, backslashes, control characters and NUL, emoji and CJK survive the
    JSON the columns travel in; a BLOB where text belongs is read row by row instead."""
    odd = 'He said "no" \\ \x00\x1b]52;c;aGk=\x07 😀 漢字 \u2028 end'
    with varied.store.write() as db:
        db.execute("UPDATE documents SET title = ?, author = ? WHERE path = 'a.txt'",
                   [odd, "Ñandú \t tab"])  # fmt: skip
    listing = varied.library_listing()
    at = listing.paths.index("a.txt")
    assert listing.titles[at] == odd and listing.authors[at] == "Ñandú \t tab"
    with varied.store.write() as db:
        db.execute("UPDATE documents SET author = ? WHERE path = 'c.txt'", [b"\xff\x00"])
    listing = varied.library_listing()
    assert listing.authors[listing.paths.index("c.txt")] == b"\xff\x00"
    assert listing.titles[at] == odd
