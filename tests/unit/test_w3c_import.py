"""Importing W3C JSON: reader's own export round-trips into a fresh workspace (highlights,
tags, notes, the documents' own tags and notes), every valid shape of the model comes in, and
reader's older exports still do."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path
from typing import Any

from reader.workspace import Workspace
from tests.conftest import SAMPLE_CORPUS

DOC = "001_4310720f2bcf0b55"
OTHER = "002_d42153564ceb3715"


def _highlights(workspace: Workspace) -> list[tuple[Any, ...]]:
    return sorted(
        (a.doc, a.start, a.end, a.quote, tuple(a.tags), a.note, a.status, a.creator, a.uid)
        for a in workspace.annotations()
    )


def _own(workspace: Workspace) -> dict[str, tuple[list[str], str]]:
    return {
        d.path: (workspace.document_tags(d), workspace.document_note(d))
        for d in workspace.documents()
        if workspace.document_tags(d) or workspace.document_note(d)
    }


def _fresh(tmp_path: Path, name: str = "fresh") -> Path:
    root = tmp_path / name
    shutil.copytree(SAMPLE_CORPUS, root / "corpus")
    return root


def test_export_then_import_into_a_fresh_workspace_gives_the_same_work(
    workspace: Workspace, tmp_path: Path
) -> None:
    doc = workspace.document(DOC)
    workspace.annotate_quote(doc, "practically impossible")
    workspace.annotate_quote(doc, "Serbia", occurrence=1, tags=["actor/serbia", "b"])
    workspace.annotate_quote(doc, "Mojsilović stated", note="**note**\n\nwith lines")
    workspace.annotate_quote(workspace.document(OTHER), "the", occurrence=2, tags=["t"], note="n")
    workspace.set_document_annotation(doc, ["topic/arms", "x"], "the document's note")
    workspace.set_document_annotation(workspace.document("003_ab75fb7eb88f90bb"), ["q"], "")
    exported = workspace.export_text("json")
    with Workspace.open(_fresh(tmp_path)) as fresh:
        report = fresh.import_annotations(exported)
        assert report.refused == [] and dict(report.added) == {"anchored": 4, "document": 2}
        assert _highlights(fresh) == _highlights(workspace)
        assert _own(fresh) == _own(workspace)
        again = fresh.import_annotations(exported)
        assert (again.total_added, again.already_present) == (0, 6)
        assert _highlights(fresh) == _highlights(workspace) and _own(fresh) == _own(workspace)
        # and back: the fresh workspace's export is the same annotations, found present
        back = workspace.import_annotations(fresh.export_text("json"))
        assert (back.total_added, back.already_present) == (0, 6)


def test_document_notes_are_merged_never_replaced(workspace: Workspace, tmp_path: Path) -> None:
    workspace.set_document_annotation(workspace.document(DOC), ["theirs"], "their note")
    exported = workspace.export_text("json")
    with Workspace.open(_fresh(tmp_path)) as mine:
        mine.set_document_annotation(mine.document(DOC), ["mine"], "my note")
        mine.import_annotations(exported)
        assert mine.document_tags(mine.document(DOC)) == ["mine", "theirs"]
        assert mine.document_note(mine.document(DOC)) == "my note\n\ntheir note"


def _quote_target(workspace: Workspace, quote: str, source: Any) -> dict[str, Any]:
    start = workspace.text(workspace.document(DOC)).index(quote)
    return {
        "source": source,
        "selector": [
            {"type": "TextQuoteSelector", "exact": quote},
            {"type": "TextPositionSelector", "start": start, "end": start + len(quote)},
        ],
    }


def test_every_valid_shape_comes_in(workspace: Workspace) -> None:
    file_iri = (workspace.corpus_dir / f"{DOC}.txt").absolute().as_uri()
    elsewhere = f"file:///home/someone/else/corpus/{DOC}.txt"
    items = [
        {"type": "Annotation", "bodyValue": "a bodyValue",
         "target": _quote_target(workspace, "practically impossible", file_iri)},
        {"type": "Annotation", "motivation": "tagging",
         "body": {"type": "TextualBody", "value": "single-tag"},
         "target": [_quote_target(workspace, "close ties", elsewhere)]},
        {"type": "Annotation", "motivation": ["commenting"],
         "body": [{"type": "TextualBody", "value": "note", "purpose": ["commenting"]},
                  {"type": "SpecificResource", "source": "http://example.org/img.png"}],
         "target": [{"source": "http://example.org/other"},
                    _quote_target(workspace, "Mojsilović stated", f"corpus/{DOC}.txt")]},
        {"type": "Annotation", "bodyValue": "page note", "target": file_iri},
        {"type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging",
                                        "value": "page-tag"}, "target": {"id": elsewhere}},
    ]  # fmt: skip
    report = workspace.import_annotations(json.dumps(items))
    assert dict(report.added) == {"anchored": 3, "document": 2}
    assert [(r.item, r.kept, r.reason) for r in report.refused] == [
        (3, True, "without body #2 (a SpecificResource elsewhere, not text)"),
    ]
    found = {a.quote: (a.tags, a.note) for a in workspace.annotations()}
    assert found == {
        "practically impossible": ([], "a bodyValue"),
        "close ties": (["single-tag"], ""),
        "Mojsilović stated": ([], "note"),
    }
    doc = workspace.document(DOC)
    own = (workspace.document_tags(doc), workspace.document_note(doc))
    assert own == (["page-tag"], "page note")


def test_a_web_address_finds_its_document(empty_root: Path) -> None:
    (empty_root / "corpus" / "page.md").write_text(
        "---\ntitle: T\nsource: https://Example.org/news/a/\n---\nSome words here.\n", "utf-8"
    )
    item = {
        "type": "Annotation",
        "target": {
            "source": "https://example.org/news/a#section",
            "selector": {"type": "TextQuoteSelector", "exact": "words"},
        },
    }
    with Workspace.open(empty_root) as workspace:
        report = workspace.import_annotations(json.dumps([item]))
        assert report.total_added == 1 and report.refused == []
        assert [a.doc for a in workspace.annotations()] == ["page.md"]


def test_a_file_that_matches_nothing_is_refused_by_annotation(workspace: Workspace) -> None:
    items = [
        {"type": "Annotation", "id": "urn:uuid:" + str(uuid.uuid4()),
         "target": _quote_target(workspace, "close ties", "https://example.org/unknown")},
        {"type": "Annotation",
         "target": _quote_target(workspace, "close ties", f"corpus/{DOC}.txt")},
        {"type": "Annotation", "target": "https://example.org/unknown"},
    ]  # fmt: skip
    report = workspace.import_annotations(json.dumps(items))
    assert report.total_added == 1
    assert [(r.item, r.reason) for r in report.refused] == [
        (1, "no document https://example.org/unknown in this workspace"),
        (3, "it targets a whole document but has no tag or note to import"),
    ]


def test_reader_exports_of_before_issue_12_still_come_in(workspace: Workspace) -> None:
    """The old shape: `body: []`, a relative `corpus/` source, ids of 32 hex digits."""
    start = workspace.text(workspace.document(DOC)).index("close ties")
    uid = uuid.uuid4().hex
    old = [{
        "@context": "http://www.w3.org/ns/anno.jsonld", "id": f"urn:uuid:{uid}",
        "type": "Annotation", "created": "2025-01-08T13:55:00Z", "modified": "2025-01-08T13:55:00Z",
        "body": [], "reader:status": "anchored",
        "target": {"source": f"corpus/{DOC}.txt", "reader:contentHash": "x", "title": "T",
                   "selector": [
                       {"type": "TextQuoteSelector", "exact": "close ties", "prefix": "",
                        "suffix": ""},
                       {"type": "TextPositionSelector", "start": start, "end": start + 10}]},
    }]  # fmt: skip
    report = workspace.import_annotations(json.dumps(old))
    assert dict(report.added) == {"anchored": 1} and report.refused == []
    [made] = workspace.annotations()
    assert (made.uid, made.start, made.quote) == (uid, start, "close ties")
    hyphenated = json.loads(json.dumps(old).replace(uid, str(uuid.UUID(uid)).upper()))
    assert workspace.import_annotations(json.dumps(hyphenated)).already_present == 1
