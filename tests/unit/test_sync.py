"""Sync: new files added, changed files re-read, vanished files marked missing, nothing lost."""

from __future__ import annotations

import os
from pathlib import Path

from reader.corpus import file_parse
from reader.corpus import sync as sync_module
from reader.workspace import Workspace


def _write(root: Path, name: str, content: bytes | str) -> Path:
    path = root / "corpus" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def _bump_mtime(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_first_sync_adds_every_sample_article(workspace: Workspace) -> None:
    report = workspace.last_sync
    assert len(report.added) == 5
    assert [d.status for d in workspace.documents()] == ["ok"] * 5


def test_unchanged_corpus_reads_no_file(workspace_root: Path, monkeypatch) -> None:
    Workspace.open(workspace_root).close()
    reads: list[str] = []
    monkeypatch.setattr(
        "reader.corpus.parse_pool.read_and_parse", lambda corpus, path, *rest: reads.append(path)
    )
    with Workspace.open(workspace_root) as ws:
        assert ws.last_sync.unchanged == 5
        assert not ws.last_sync.touched
    assert reads == []


def test_touched_but_identical_file_is_not_reparsed(workspace_root: Path, monkeypatch) -> None:
    Workspace.open(workspace_root).close()
    _bump_mtime(workspace_root / "corpus" / "002_d42153564ceb3715.txt")
    parsed: list[str] = []
    real_parse = file_parse.parse_document

    def spy(path, data, extract):
        parsed.append(path.name)
        return real_parse(path, data, extract)

    monkeypatch.setattr(file_parse, "parse_document", spy)
    with Workspace.open(workspace_root) as ws:
        assert ws.last_sync.unchanged == 5
        assert ws.last_sync.changed == []
    assert parsed == ["002_d42153564ceb3715.txt"]  # read and hashed once, found identical
    with Workspace.open(workspace_root) as ws:  # and the new mtime was recorded
        assert ws.last_sync.unchanged == 5
    assert parsed == ["002_d42153564ceb3715.txt"]


def test_new_file_is_added_and_changed_file_reread(workspace_root: Path) -> None:
    with Workspace.open(workspace_root) as ws:
        assert ws.document("001_4310720f2bcf0b55").title.startswith("Russian Ally")
    target = workspace_root / "corpus" / "001_4310720f2bcf0b55.txt"
    target.write_text("A Different Headline\n\nBody text here.\n", encoding="utf-8")
    _bump_mtime(target)
    _write(workspace_root, "sub/extra.md", "---\ntitle: Extra piece\n---\nHello there.\n")
    with Workspace.open(workspace_root) as ws:
        assert ws.last_sync.changed == ["001_4310720f2bcf0b55.txt"]
        assert ws.last_sync.added == ["sub/extra.md"]
        assert ws.document("001_4310720f2bcf0b55").title == "A Different Headline"
        assert ws.document("sub/extra.md").title == "Extra piece"


def test_removed_file_is_missing_and_keeps_annotations(workspace_root: Path) -> None:
    with Workspace.open(workspace_root) as ws:
        doc = ws.document("002_d42153564ceb3715")
        made = ws.annotate_quote(doc, "Sanctions against Russia no longer ruled out", note="keep")
    (workspace_root / "corpus" / "002_d42153564ceb3715.txt").unlink()
    with Workspace.open(workspace_root) as ws:
        assert ws.last_sync.missing == ["002_d42153564ceb3715.txt"]
        doc = ws.document("002_d42153564ceb3715")
        assert doc.status == "missing"
        kept = ws.annotation(made.id)
        assert (kept.quote, kept.note, kept.status) == (made.quote, "keep", "orphaned")
        assert ws.text(doc).count(made.quote) == 1  # last known text stays readable


def test_file_that_comes_back_reanchors_its_annotations(workspace_root: Path) -> None:
    path = workspace_root / "corpus" / "002_d42153564ceb3715.txt"
    original = path.read_bytes()
    with Workspace.open(workspace_root) as ws:
        made = ws.annotate_quote(ws.document(path.name), "Krušik")
    path.unlink()
    Workspace.open(workspace_root).close()
    path.write_bytes(original)
    with Workspace.open(workspace_root) as ws:
        assert ws.document(path.name).status == "ok"
        assert ws.annotation(made.id).status == "anchored"


def test_renamed_file_keeps_its_annotations_anchored(workspace_root: Path) -> None:
    old = workspace_root / "corpus" / "004_9b4db2a2590667cc.txt"
    with Workspace.open(workspace_root) as ws:
        made = ws.annotate_quote(ws.document(old.name), "CAATSA", occurrence=1)
    old.rename(old.with_name("renamed.txt"))
    with Workspace.open(workspace_root) as ws:
        assert ws.last_sync.renamed == [("004_9b4db2a2590667cc.txt", "renamed.txt")]
        kept = ws.annotation(made.id)
        assert (kept.doc, kept.status, kept.start) == ("renamed.txt", "anchored", made.start)
        assert len(ws.documents()) == 5


def test_edit_before_a_highlight_moves_it_onto_the_same_words(workspace_root: Path) -> None:
    path = workspace_root / "corpus" / "001_4310720f2bcf0b55.txt"
    with Workspace.open(workspace_root) as ws:
        made = ws.annotate_quote(ws.document(path.name), "practically impossible")
    path.write_text("EDITOR'S NOTE: updated.\n" + path.read_text(encoding="utf-8"), "utf-8")
    _bump_mtime(path)
    with Workspace.open(workspace_root) as ws:
        moved = ws.annotation(made.id)
        text = ws.text(ws.document(path.name))
        assert moved.status == "moved"
        assert moved.start == made.start + len("EDITOR'S NOTE: updated.\n")
        assert text[moved.start : moved.end] == "practically impossible"


def test_quote_removed_by_edit_becomes_orphan_not_lost(workspace_root: Path) -> None:
    path = workspace_root / "corpus" / "001_4310720f2bcf0b55.txt"
    with Workspace.open(workspace_root) as ws:
        made = ws.annotate_quote(ws.document(path.name), "practically impossible", tags=["arms"])
    path.write_text(path.read_text("utf-8").replace("practically impossible", "hard"), "utf-8")
    _bump_mtime(path)
    with Workspace.open(workspace_root) as ws:
        orphan = ws.annotation(made.id)
        assert orphan.status == "orphaned"
        assert (orphan.quote, orphan.tags, orphan.prefix) == (made.quote, ["arms"], made.prefix)
        assert "orphaned" in " ".join(ws.last_sync.warnings)


def test_every_file_is_listed_with_a_reason(empty_root: Path) -> None:
    _write(empty_root, "good.txt", "A Fine Title\n\nSome words.\n")
    _write(empty_root, "empty.txt", "   \n\n")
    _write(empty_root, "image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    _write(empty_root, "notes.pdf", b"%PDF-1.7 ...")
    _write(empty_root, "latin.txt", "Caf\xe9 au lait\n".encode("cp1252"))
    _write(empty_root, ".hidden.txt", "ignored")
    with Workspace.open(empty_root) as ws:
        by_path = {d.path: d for d in ws.documents()}
        report = ws.last_sync
    assert set(by_path) == {"good.txt", "empty.txt", "image.txt", "notes.pdf", "latin.txt"}
    assert by_path["good.txt"].status == "ok"
    assert by_path["empty.txt"].status == "skipped" and "empty" in by_path["empty.txt"].warning
    assert by_path["image.txt"].status == "skipped" and "PNG" in by_path["image.txt"].warning
    assert by_path["notes.pdf"].status == "skipped" and "PDF" in by_path["notes.pdf"].warning
    assert by_path["latin.txt"].status == "ok" and "1252" in by_path["latin.txt"].warning
    assert sorted(report.skipped) == ["empty.txt", "image.txt", "notes.pdf"]
    assert any(w.startswith("latin.txt:") for w in report.warnings)


def test_unreadable_file_is_skipped_and_others_still_sync(empty_root: Path, monkeypatch) -> None:
    _write(empty_root, "locked.txt", "Secret\n")
    _write(empty_root, "open.txt", "Open Title\n")
    real_open = os.open

    def refusing_open(path: str | Path, flags: int, *args: int) -> int:
        if Path(path).name == "locked.txt":  # as chmod 000 would, for root too
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refusing_open)
    with Workspace.open(empty_root) as ws:
        by_path = {d.path: d for d in ws.documents()}
    assert by_path["open.txt"].status == "ok"
    assert by_path["locked.txt"].status == "skipped"
    assert "Permission denied" in by_path["locked.txt"].warning


def test_a_file_that_crashes_the_parser_is_skipped_not_fatal(empty_root: Path, monkeypatch) -> None:
    _write(empty_root, "boom.txt", "Boom\n")
    _write(empty_root, "fine.txt", "Fine Title\n")
    real_parse = file_parse.parse_document

    def parse(path, data, extract):
        if path.name == "boom.txt":
            raise RecursionError("pathological input")
        return real_parse(path, data, extract)

    monkeypatch.setattr(file_parse, "parse_document", parse)
    with Workspace.open(empty_root) as ws:
        by_path = {d.path: d for d in ws.documents()}
    assert by_path["fine.txt"].status == "ok"
    assert by_path["boom.txt"].status == "skipped"
    assert "pathological input" in by_path["boom.txt"].warning


def test_skipped_file_that_becomes_text_is_imported(empty_root: Path) -> None:
    path = _write(empty_root, "later.txt", "")
    with Workspace.open(empty_root) as ws:
        assert ws.document("later").status == "skipped"
    path.write_text("Now It Has A Title\n\nand words\n", "utf-8")
    _bump_mtime(path)
    with Workspace.open(empty_root) as ws:
        doc = ws.document("later")
        assert (doc.status, doc.title) == ("ok", "Now It Has A Title")


def test_markdown_front_matter_tags_become_document_tags(empty_root: Path) -> None:
    _write(
        empty_root,
        "piece.md",
        "---\ntitle: Piece\nauthor: A. Writer\ndate: 2024-05-06\nurl: https://example.org/x\n"
        "tags: [serbia, energy]\n---\n\n# Heading\n\nBody.\n",
    )
    with Workspace.open(empty_root) as ws:
        doc = ws.document("piece")
        assert (doc.title, doc.author, doc.date, doc.source) == (
            "Piece",
            "A. Writer",
            "2024-05-06",
            "https://example.org/x",
        )
        names = [
            r[0]
            for r in ws.store.conn.execute(
                "SELECT t.name FROM document_tags x JOIN tags t ON t.id = x.tag_id ORDER BY t.name"
            )
        ]
        assert names == ["energy", "serbia"]


def test_a_first_sync_of_more_documents_than_an_index_batch_indexes_them_all(
    empty_root: Path,
) -> None:
    for n in range(450):  # the index reads documents 200 at a time
        _write(empty_root, f"doc-{n:03}.txt", f"Title number {n} zebra{n}\n\nWords.\n")
    with Workspace.open(empty_root) as ws:
        assert len(ws.last_sync.added) == 450
        assert [r.kind for r in ws.search("zebra449")][:1] == ["title"]


def test_a_sync_racing_another_over_a_rename_keeps_every_highlight(
    workspace_root: Path, monkeypatch
) -> None:
    """The watcher, the add dialog and a command in another terminal may sync at once: the one
    that takes the write lock second finds the rename applied already."""
    with Workspace.open(workspace_root) as ws:
        document = ws.document("001_4310720f2bcf0b55.txt")
        ws.annotate(document, 0, 7, ["actor"])
    corpus = workspace_root / "corpus"
    os.rename(corpus / "001_4310720f2bcf0b55.txt", corpus / "renamed.txt")
    real_parse_files = sync_module.parse_files

    def read_then_let_another_sync_win(*args):
        states = list(real_parse_files(*args))
        monkeypatch.setattr(sync_module, "parse_files", real_parse_files)
        Workspace.open(workspace_root).close()  # the other sync commits the rename first
        yield from states

    monkeypatch.setattr(sync_module, "parse_files", read_then_let_another_sync_win)
    with Workspace.open(workspace_root) as ws:
        renamed = ws.document("renamed.txt")
        assert renamed.status == "ok"
        assert [a.status for a in ws.annotations(renamed)] == ["anchored"]
        assert "001_4310720f2bcf0b55.txt" not in {d.path for d in ws.documents()}
