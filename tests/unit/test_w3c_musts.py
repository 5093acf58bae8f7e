"""Every annotation the JSON export writes passes the 54 MUST assertions of the W3C Web
Annotation test suite (run as its harness runs them: tests/unit/w3c_musts.py; the suite's
files are fetched data, never committed: where they are absent, those tests skip and the
export's shape is still checked here). Before issue #12 a highlight without tag or note
passed 32 of 54: `"body": []` failed 15, the relative `target.source` 7."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from reader.workspace import Workspace

pytest.importorskip("jsonschema")
from tests.unit.w3c_musts import SUITE, must_count, must_outcomes, run_assertions

needs_suite = pytest.mark.skipif(
    not SUITE.is_dir(), reason="the W3C test suite's schemas are not here (see w3c_musts.py)"
)

DOC = "001_4310720f2bcf0b55"
OTHER = "002_d42153564ceb3715"
QUIET = "003_ab75fb7eb88f90bb"  # only the document's own note, no highlight
IMPORTED_ID = "http://example.org/annotations/7"


def _imported(workspace: Workspace) -> list[dict[str, Any]]:
    """A colleague's annotation (an IRI id, a creator) and one whose words are gone (orphan)."""
    text = workspace.text(workspace.document(DOC))
    start = text.index("close ties")
    target = {"source": f"corpus/{DOC}.txt"}
    return [
        {"id": IMPORTED_ID, "type": "Annotation", "creator": {"name": "Bo <b>"},
         "bodyValue": "theirs", "target": target | {"selector": [
             {"type": "TextQuoteSelector", "exact": "close ties"},
             {"type": "TextPositionSelector", "start": start, "end": start + 10}]}},
        {"id": "urn:uuid:" + uuid.uuid4().hex, "type": "Annotation",
         "target": target | {"selector": {"type": "TextQuoteSelector",
                                          "exact": "words that are nowhere"}}},
    ]  # fmt: skip


@pytest.fixture
def exported(workspace: Workspace) -> dict[str, dict[str, Any]]:
    """One exported annotation of each kind the export writes, by kind."""
    doc = workspace.document(DOC)
    workspace.annotate_quote(doc, "practically impossible")
    workspace.annotate_quote(doc, "Serbia", occurrence=1, tags=["actor/serbia", 'a "b"'])
    workspace.annotate_quote(doc, "Mojsilović stated", note="**bold** <script>x</script>")
    workspace.annotate_quote(workspace.document(OTHER), "the", occurrence=1, tags=["t"], note="n")
    workspace.set_document_annotation(doc, ["topic/arms"], "the document's note")
    workspace.set_document_annotation(workspace.document(QUIET), [], "only a note")
    report = workspace.import_annotations(json.dumps(_imported(workspace)))
    assert dict(report.added) == {"anchored": 1, "orphaned": 1}
    items = json.loads(workspace.export_text("json"))
    by_kind: dict[str, dict[str, Any]] = {}
    for item in items:
        quote = next((s["exact"] for s in item["target"].get("selector", [])
                      if s["type"] == "TextQuoteSelector"), None)  # fmt: skip
        kind = {
            None: "document note"
            if item["target"]["reader:path"] == f"{QUIET}.txt"
            else "document tags and note",
            "practically impossible": "no body",
            "Serbia": "tags only",
            "Mojsilović stated": "note only",
            "the": "tags and note",
            "close ties": "imported",
            "words that are nowhere": "orphan",
        }[quote]
        by_kind[kind] = item
    assert len(by_kind) == len(items) == 8
    return by_kind


KINDS = ["no body", "tags only", "note only", "tags and note", "imported", "orphan",
         "document tags and note", "document note"]  # fmt: skip


@needs_suite
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_exported_annotation_passes_the_54_musts(
    exported: dict[str, dict[str, Any]], kind: str
) -> None:
    outcomes = must_outcomes(exported[kind])
    assert len(outcomes) == 54
    failed = {o.file: o.errors for o in outcomes if not o.passed}
    assert failed == {}


@needs_suite
def test_the_musts_catch_the_old_export(exported: dict[str, dict[str, Any]]) -> None:
    """The shape written before issue #12: an empty body list and a relative source."""
    old = json.loads(json.dumps(exported["no body"]))
    old.pop("motivation")
    old["body"] = []
    old["target"]["source"] = f"corpus/{DOC}.txt"
    passed, total, failed = must_count([old])
    assert (passed, total) == (32, 54)
    assert "annotations/bodiesTargets/3.3.7-bodyViaValidated.json" in failed
    assert "annotations/3.2-targetObjectsRecognized.json" in failed


def test_the_shape_of_the_export(exported: dict[str, dict[str, Any]], workspace: Workspace) -> None:
    plain, tagged, noted = exported["no body"], exported["tags only"], exported["note only"]
    assert "body" not in plain and plain["motivation"] == "highlighting"
    assert tagged["motivation"] == "tagging" and noted["motivation"] == "commenting"
    assert [b["purpose"] for b in exported["tags and note"]["body"]] == ["commenting", "tagging"]
    for item in exported.values():
        assert item["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
        assert {"reader", "title"} <= set(item["@context"][1])
        if item is not exported["imported"]:
            assert re.fullmatch(r"urn:uuid:[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", item["id"])
        assert item["target"]["source"].startswith("file:///")
    assert exported["imported"]["id"] == IMPORTED_ID
    assert exported["imported"]["creator"] == {"type": "Person", "name": "Bo <b>"}
    assert exported["orphan"]["reader:status"] == "orphaned"
    whole = exported["document tags and note"]
    assert "selector" not in whole["target"]
    assert [(b["purpose"], b["value"]) for b in whole["body"]] == [
        ("commenting", "the document's note"), ("tagging", "topic/arms")]  # fmt: skip
    path = Path(workspace.corpus_dir, f"{DOC}.txt").absolute()
    assert plain["target"]["source"] == path.as_uri()
    assert plain["target"]["reader:path"] == f"{DOC}.txt"
    assert set(plain) >= {"created", "modified"}


def test_a_web_source_is_the_target_and_odd_paths_stay_iris(empty_root: Path) -> None:
    (empty_root / "corpus" / "a b#[x].md").write_text(
        "---\ntitle: T\nsource: https://example.org/a b?q=é\n---\nSome words here.\n", "utf-8"
    )
    (empty_root / "corpus" / "ünï %20.txt").write_text("Other words here.\n", "utf-8")
    with Workspace.open(empty_root) as workspace:
        for document in workspace.documents():
            workspace.annotate_quote(document, "words")
        items = json.loads(workspace.export_text("json"))
    sources = sorted(item["target"]["source"] for item in items)
    assert sources[1] == "https://example.org/a%20b?q=%C3%A9"
    assert sources[0].startswith("file:///") and sources[0].endswith("/%C3%BCn%C3%AF%20%2520.txt")
    if SUITE.is_dir():
        assert must_count(items)[:2] == (54, 54)


@needs_suite
def test_the_harness_skips_and_combines_as_the_w3c_harness_does() -> None:
    """`onUnexpectedResult: failAndSkip` skips the rest of its level; `compareWith: or` passes
    when one nested assertion does; `expectedResult: invalid` inverts."""
    number = {"title": "a number", "type": "number"}
    text = {"title": "text", "type": "string"}
    outcomes: list[Any] = []
    run_assertions([number | {"onUnexpectedResult": "failAndSkip"}, text], "x", outcomes)
    assert [(o.passed, o.skipped) for o in outcomes] == [(False, False), (False, True)]
    outcomes = []
    either = {"title": "either", "compareWith": "or", "assertions": [number, text]}
    run_assertions([either, number | {"expectedResult": "invalid"}], "x", outcomes)
    assert [o.passed for o in outcomes] == [True, True]
