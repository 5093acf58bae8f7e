"""W3C import read as a stream: the same as a whole-file read, bounded, batched, resumable."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from reader.errors import UsageError
from reader.exchange.importer import import_w3c_chunks
from reader.exchange.json_stream import AnnotationValues, annotation_list, utf8_chunks
from reader.exchange.w3c_values import Unusable, whole_number
from reader.workspace import Workspace
from tests.conftest import SAMPLE_CORPUS

DOC = "001_4310720f2bcf0b55"
WORDS = ["practically impossible", "close ties", "Mojsilović stated"]


def _pieces(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def _stored(ws: Workspace) -> list[tuple[Any, ...]]:
    return sorted(
        (a.doc, a.start, a.end, a.quote, tuple(a.tags), a.note, a.status, a.uid)
        for a in ws.annotations()
    )


def _varied(ws: Workspace, count: int) -> list[dict[str, Any]]:
    """`count` annotations of every kind the reader takes or refuses, cycling."""
    text = ws.text(ws.document(DOC))
    kinds: list[Any] = []
    for n in range(count):
        quote = WORDS[n % len(WORDS)]
        start = text.index(quote)
        target = {
            "source": f"corpus/{DOC}.txt",
            "selector": [
                {"type": "TextQuoteSelector", "exact": quote},
                {"type": "TextPositionSelector", "start": start, "end": start + len(quote)},
            ],
        }
        one: dict[str, Any] = {"type": "Annotation", "id": f"urn:x:{n}", "target": target}
        match n % 7:
            case 1:
                one["bodyValue"] = f"note {n} – ünïcode"
            case 2:
                one["body"] = [
                    {"type": "TextualBody", "value": f"tag{n % 5}", "purpose": "tagging"}
                ]
            case 3:
                del one["id"]  # anonymous: the same one repeated is refused as such
                one["bodyValue"] = f"anon {n % 14}"
            case 4:
                one["id"] = f"urn:x:{n - 1}"  # repeats an id
            case 5:
                target["selector"][1]["start"] = float("inf")  # Infinity
            case 6:
                target["source"] = "corpus/nowhere.txt"
        kinds.append(one)
    return kinds


def _fresh(tmp_path: Path, name: str) -> Workspace:
    root = tmp_path / name
    shutil.copytree(SAMPLE_CORPUS, root / "corpus")
    return Workspace.open(root)


SHAPES: list[Any] = [
    [],
    [{"type": "Annotation", "n": 1}, 2, "three", None, [4, [5]], {"deep": {"er": [1.5e3]}}],
    {"type": "AnnotationCollection", "total": 2, "first": {"items": [{"a": 1}, {"b": 2}]}},
    {"first": {"type": "AnnotationPage", "items": [{"a": 1}]}, "label": "x"},
    {"type": "AnnotationPage", "partOf": {"id": "p"}, "items": [{"a": [1, 2]}, {}]},
    {"type": "Annotation", "body": {"value": "x"}, "target": "t"},
    {"items": "not a list", "first": {"items": [{"z": 0}]}},
]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("size", [1, 3, 64, 1 << 20])
def test_the_stream_yields_what_a_whole_read_finds(shape: Any, size: int) -> None:
    text = "\ufeff" + json.dumps(shape, indent=1, ensure_ascii=False) + "\n"
    expected = annotation_list(json.loads(text[1:]))
    assert list(AnnotationValues(_pieces(text, size))) == expected


def test_odd_numbers_and_constants_are_kept_across_chunk_edges() -> None:
    text = '[{"start": 12345678901234567890123456789012345, "end": 1.0e2, "x": -Infinity}, NaN]'
    for size in (1, 2, 5, 100):
        got = list(AnnotationValues(_pieces(text, size)))
        assert repr(got[0]["start"]) == repr(whole_number("1" + "2345678901" * 3 + "2345"))
        assert got[0]["end"] == 100.0 and isinstance(got[0]["x"], Unusable) and len(got) == 2


@pytest.mark.parametrize(
    "text",
    ['[{"a": 1}, {"b": 2} {"c": 3}]', '[{"a": 1},\n {"b": tru}]', '{"items": [1, 2]} x',
     '[1, 2', '{"items": [1], 3: 4}', "[\n\n  {\"a\": \"unterminated}]"],
)  # fmt: skip
def test_bad_json_is_named_where_json_names_it(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as whole:
        json.loads(text)
    for size in (1, 4, 1000):
        with pytest.raises(UsageError) as streamed:
            list(AnnotationValues(_pieces(text, size)))
        assert str(streamed.value) == f"not JSON: {whole.value}"


def test_depth_and_utf8_are_checked_as_the_file_arrives() -> None:
    deep = "[" + "[" * 100 + "]" * 100 + "]"
    with pytest.raises(UsageError, match="nested too deeply"):
        list(AnnotationValues(_pieces(deep, 7)))
    assert len(list(AnnotationValues(["[" + "[" * 98 + "]" * 98 + "]"]))) == 1
    raw = b'[{"a": "' + "é".encode() * 10 + b'\xff"}]'
    with pytest.raises(UsageError, match=r"byte 0xff at position 28\)"):
        list(AnnotationValues(utf8_chunks(io.BytesIO(raw), limit=100, chunk=3)))
    with pytest.raises(UsageError, match="over 0 MB"):
        list(AnnotationValues(utf8_chunks(io.BytesIO(raw), limit=10, chunk=4)))


def test_streaming_import_stores_what_a_whole_file_import_stores(
    workspace: Workspace, tmp_path: Path
) -> None:
    varied = json.dumps(_varied(workspace, 120), ensure_ascii=False)
    doc = workspace.document(DOC)
    workspace.annotate_quote(doc, WORDS[0], tags=["energy/oil"], note="a note")
    workspace.annotate_quote(doc, WORDS[1])
    workspace.set_document_annotation(doc, ["whole"], "the document's note")
    exported = workspace.export_text("json")
    for name, text in (("varied", varied), ("export", exported)):
        with _fresh(tmp_path, f"whole-{name}") as whole, _fresh(tmp_path, f"stream-{name}") as ws:
            expected = whole.import_annotations(text.encode())
            chunks = utf8_chunks(io.BytesIO(text.encode()), limit=1 << 30, chunk=5)
            report = import_w3c_chunks(ws, chunks, batch_size=4)
            assert report == expected
            assert _stored(ws) == _stored(whole)
            assert expected.total_added > 0
            assert (expected.total_refused > 20) is (name == "varied")


class CountingFile(io.BytesIO):
    """A file that remembers how much has been read from it."""

    bytes_read = 0

    def read(self, size: int | None = -1, /) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def test_the_first_batch_is_stored_long_before_the_file_is_read(
    workspace: Workspace, tmp_path: Path
) -> None:
    items = [one | {"padding": "p" * 400} for one in _varied(workspace, 7000)]
    raw = json.dumps(items).encode()
    assert len(raw) > 3 << 20  # three of the reader's 1 MB chunks
    source = CountingFile(raw)
    read_when_stored: list[int] = []
    with _fresh(tmp_path, "bounded") as ws:
        report = ws.import_annotations_file(
            source, 1 << 30, progress=lambda n: read_when_stored.append(source.bytes_read)
        )
        assert report.total_added > 2000
    assert read_when_stored[0] < len(raw) / 2
    assert read_when_stored == sorted(read_when_stored) and read_when_stored[-1] == len(raw)


class Interrupted(Exception):
    pass


def test_an_interrupted_import_keeps_whole_batches_and_a_rerun_adds_the_rest(
    workspace: Workspace, tmp_path: Path
) -> None:
    items = _varied(workspace, 100)
    raw = json.dumps(items, ensure_ascii=False)
    with _fresh(tmp_path, "whole") as whole:
        expected = _stored(whole) if whole.import_annotations(raw) else []
    batches: list[int] = []

    def stop_after_two(read: int) -> None:
        batches.append(read)
        if len(batches) == 2:
            raise Interrupted

    with _fresh(tmp_path, "cut") as ws:
        with pytest.raises(Interrupted):
            import_w3c_chunks(ws, _pieces(raw, 50), progress=stop_after_two, batch_size=10)
        with _fresh(tmp_path, "two-batches") as part:  # the items read by the second batch
            part.import_annotations(json.dumps(items[: batches[1]], ensure_ascii=False))
            kept = _stored(part)
        assert _stored(ws) == kept and len(kept) > 10
        again = import_w3c_chunks(ws, _pieces(raw, 50), batch_size=10)
        assert again.already_present == len(kept)
        assert _stored(ws) == expected
        assert len({a.uid for a in ws.annotations()}) == len(ws.annotations())
