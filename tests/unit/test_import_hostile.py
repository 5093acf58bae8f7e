"""Importing W3C JSON someone else wrote: a hostile file never crashes the import, a bad
annotation is refused alone with its reason, and annotations without an id stay apart."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.errors import UsageError
from reader.workspace import Workspace

DOC = "001_4310720f2bcf0b55"
QUOTES = ("practically impossible", "close ties", "Mojsilović stated")


def _item(workspace: Workspace, quote: str, **changes: Any) -> dict[str, Any]:
    """A well-formed W3C annotation of `quote` in DOC, with `changes` made to it."""
    text = workspace.text(workspace.document(DOC))
    start = text.index(quote)
    item: dict[str, Any] = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": f"urn:uuid:{uuid.uuid4().hex}",
        "type": "Annotation",
        "created": "2025-01-08T13:55:00Z",
        "body": [
            {"type": "TextualBody", "purpose": "commenting", "value": f"on {quote}"},
            {"type": "TextualBody", "purpose": "tagging", "value": "imported"},
        ],
        "target": {
            "source": f"corpus/{DOC}.txt",
            "selector": [
                {"type": "TextQuoteSelector", "exact": quote, "prefix": "", "suffix": ""},
                {"type": "TextPositionSelector", "start": start, "end": start + len(quote)},
            ],
        },
    }
    return _changed(item, changes)


def _changed(item: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """`changes` keyed by a path (`target.selector.1.start`); the value `...` deletes."""
    for path, value in changes.items():
        *parents, last = path.split(".")
        node: Any = item
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        key: Any = int(last) if isinstance(node, list) else last
        if value is ...:
            del node[key]
        else:
            node[key] = value
    return item


def _quotes(workspace: Workspace) -> list[str]:
    return sorted(a.quote for a in workspace.annotations())


# A bad annotation is refused alone; the others come in

INFINITY, NAN, HUGE, LONE = "@@Infinity@@", "@@NaN@@", "@@1e400@@", "@@lone@@"


def _json(items: list[Any]) -> str:
    """JSON as a hostile writer may write it: bare NaN and Infinity, lone surrogate escapes."""
    raw = json.dumps(items)
    raw = raw.replace(f'"{INFINITY}"', "Infinity").replace(f'"{NAN}"', "NaN")
    raw = raw.replace(f'"{HUGE}"', "1e400")
    return raw.replace(LONE, "\\ud83d")


HOSTILE = {
    "Infinity offset": ({"target.selector.1.start": INFINITY}, "start offset is Infinity"),
    "NaN offset": ({"target.selector.1.end": NAN}, "end offset is NaN"),
    "1e400 offset": ({"target.selector.1.end": HUGE}, "end offset is infinite"),
    "2**63 offset": ({"target.selector.1.end": 2**63}, "larger than any text"),
    "a 40-digit offset": ({"target.selector.1.end": 10**40}, "larger than any text"),
    "fractional offset": ({"target.selector.1.start": 1.5}, "start offset is 1.5"),
    "offset as text": ({"target.selector.1.start": "12"}, "start offset is text"),
    "negative offset": ({"target.selector.1.start": -4}, "offsets count from 0"),
    "offsets reversed": ({"target.selector.1.start": 10**6}, "comes before the start"),
    "lone surrogate in the note": ({"body.0.value": f"x{LONE}y"}, "lone surrogate (\\ud83d"),
    "lone surrogate in the quote": ({"target.selector.0.prefix": LONE}, "lone surrogate"),
    "lone surrogate in a tag": ({"body.1.value": LONE}, "lone surrogate"),
    "a list as created": ({"created": ["2025", 1, 8]}, "created is a list, not text"),
    "a date that is none": ({"created": "yesterday"}, "created is not an ISO 8601 date"),
    "an object as the quote": ({"target.selector.0.exact": {"a": 1}}, "is an object, not text"),
    "an empty quote": ({"target.selector.0.exact": ""}, "is empty"),
    "no quote selector": ({"target.selector.0": ...}, "no TextQuoteSelector"),
    "no target": ({"target": ...}, "no target"),
    "no source": ({"target.source": ...}, "no source"),
    "a list as the note": ({"body.0.value": ["a"]}, "body #1 is a list, not text"),
    "a number as the id": ({"id": 7}, "the id is a number, not text"),
    "a body that is a link": ({"body": "http://example.org/note"}, "is a link"),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_hostile_annotation_is_refused_alone(workspace: Workspace, case: str) -> None:
    """Before: a crash (OverflowError, UnicodeEncodeError, a binding error), or the whole
    file refused for one annotation."""
    changes, reason = HOSTILE[case]
    items = [_item(workspace, q) for q in QUOTES]
    _changed(items[1], changes)
    report = workspace.import_annotations(_json(items))
    assert report.total_added == 2
    [refusal] = report.refused
    assert refusal.item == 2 and not refusal.kept
    assert reason in refusal.reason
    assert refusal.id == (items[1]["id"] if isinstance(items[1].get("id"), str) else None)
    assert _quotes(workspace) == sorted([QUOTES[0], QUOTES[2]])


def test_what_is_not_an_annotation_is_refused_alone(workspace: Workspace) -> None:
    items = [7, _item(workspace, QUOTES[0]), "text", None, [], {}]
    report = workspace.import_annotations(json.dumps(items))
    assert report.total_added == 1
    assert [(r.item, r.reason) for r in report.refused] == [
        (1, "it is a number, not an annotation object"),
        (3, "it is text, not an annotation object"),
        (4, "it is null, not an annotation object"),
        (5, "it is a list, not an annotation object"),
        (6, "it has no target (the document and the quoted text)"),
    ]


def test_a_missing_document_is_refused_by_item(workspace: Workspace) -> None:
    elsewhere = _item(workspace, QUOTES[1], **{"target.source": "corpus/gone.txt"})
    report = workspace.import_annotations(json.dumps([_item(workspace, QUOTES[0]), elsewhere]))
    assert report.total_added == 1 and report.unmatched == ["gone.txt"]
    assert [(r.item, r.id, r.reason) for r in report.refused] == [
        (2, elsewhere["id"], "no document gone.txt in this workspace"),
    ]


def test_a_tag_that_cannot_be_kept_is_told(workspace: Workspace) -> None:
    item = _item(workspace, QUOTES[0], **{"body.1.value": "   "})
    report = workspace.import_annotations(json.dumps([item]))
    assert report.total_added == 1 and report.total_refused == 0
    [refusal] = report.refused
    assert refusal.kept and refusal.reason.startswith("without the tag '   '")
    assert refusal.message.startswith(f"#1 ({item['id']}) imported, but without the tag")


# Annotations without an id


def test_annotations_with_a_null_or_no_id_each_come_in_once(workspace: Workspace) -> None:
    """Before: every `"id": null` became the one id "None" (the rest skipped as present), and
    a missing id refused the whole file."""
    items = [
        _item(workspace, QUOTES[0], id=None),
        _item(workspace, QUOTES[1], id=None),
        _item(workspace, QUOTES[2], id=...),
    ]
    report = workspace.import_annotations(json.dumps(items))
    assert (report.total_added, report.refused) == (3, [])
    assert _quotes(workspace) == sorted(QUOTES)
    again = workspace.import_annotations(json.dumps(items))
    assert (again.total_added, again.already_present, again.refused) == (0, 3, [])
    assert len({a.uid for a in workspace.annotations()}) == 3


def test_the_same_annotation_twice_without_an_id_is_one(workspace: Workspace) -> None:
    twice = [_item(workspace, QUOTES[0], id=None), _item(workspace, QUOTES[0], id=None)]
    report = workspace.import_annotations(json.dumps(twice))
    assert report.total_added == 1
    assert [(r.item, r.reason) for r in report.refused] == [
        (2, "the same annotation as #1 in this file")
    ]


# A file that is not one is refused whole, changing nothing


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("[" * 101 + "]" * 101, "nested too deeply"),  # a hundred levels are allowed
        ('[{"target": ' + "[" * 5000 + "]" * 5000 + "}]", "nested too deeply"),
        (b'[{"id": "caf\xe9"}]', "not UTF-8 text (byte 0xe9 at position 12)"),
        ("{nope", "not JSON"),
        ('{"type": "Other"}', "not a W3C annotation list"),
    ],
    ids=["deep", "just too deep", "deep inside an item", "latin-1", "not JSON", "not a list"],
)
def test_an_unreadable_file_is_refused_whole(
    workspace: Workspace, raw: str | bytes, message: str
) -> None:
    """Before: RecursionError for deep nesting; a str-only import for bytes."""
    with pytest.raises(UsageError, match=re.escape(message)):
        workspace.import_annotations(raw)
    assert workspace.annotations() == []


def test_a_utf8_file_with_a_byte_order_mark_is_read(workspace: Workspace) -> None:
    raw = "\ufeff" + json.dumps([_item(workspace, QUOTES[0])], ensure_ascii=False)
    assert workspace.import_annotations(raw.encode("utf-8")).total_added == 1


def test_the_accepted_annotations_come_in_together_or_not_at_all(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.exchange import w3c_batch

    real, calls = w3c_batch.annotation_row, []

    def fails_second_time(*args: Any, **kwargs: Any) -> tuple:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return real(*args, **kwargs)

    monkeypatch.setattr(w3c_batch, "annotation_row", fails_second_time)
    items = [_item(workspace, q) for q in QUOTES]
    with pytest.raises(RuntimeError):
        workspace.import_annotations(json.dumps(items))
    assert workspace.annotations() == []


# The CLI: a line per refusal on stderr, a summary, exit 0 for a readable file


def _run(root: Path, *args: str, code: int) -> Any:
    result = CliRunner().invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result


def test_cli_reports_each_refusal_then_a_summary(workspace: Workspace, tmp_path: Path) -> None:
    good = _item(workspace, QUOTES[0])
    bad_id = "urn:uuid:\x1b[31mred\x1b[0m"
    items = [
        good,
        _item(workspace, QUOTES[1], id=bad_id, **{"target.selector.1.start": INFINITY}),
        _item(workspace, QUOTES[2], **{"body.0.value": LONE}),
        42,
    ]
    hostile = tmp_path / "hostile.json"
    hostile.write_text(_json(items), encoding="utf-8")
    root = workspace.root
    result = _run(root, "import-annotations", str(hostile), code=0)
    assert result.stdout.splitlines() == ["imported 1 (1 anchored)", "refused: 3"]
    lines = result.stderr.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("#2 (urn:uuid:␛[31mred␛[0m) refused: the start offset is Infinity")
    assert "\x1b" not in result.stderr
    assert lines[1] == (
        f"#3 ({items[2]['id']}) refused: the value of body #1 holds a lone surrogate "
        "(\\ud83d at character 0), which is not Unicode text"
    )
    assert lines[2] == "#4 refused: it is a number, not an annotation object"
    again = _run(root, "import-annotations", str(hostile), code=0)
    assert again.stdout.splitlines() == ["imported 0", "already present: 1", "refused: 3"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 100_000, "nested too deeply"),
        (b'[{"id": "\xff"}]', "is not UTF-8 text (byte 0xff at position 9)"),
        (b"{nope", "not JSON"),
    ],
    ids=["deep", "not UTF-8", "not JSON"],
)
def test_cli_refuses_an_unreadable_file_in_one_line(
    workspace: Workspace, tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    result = _run(workspace.root, "import-annotations", str(bad), code=2)
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"reader: cannot import {bad}: ") and message in line


def test_a_device_or_an_oversized_file_is_refused_unread(
    workspace_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`import-annotations /dev/zero` read until the memory ran out; a device is refused, and
    any file is read only up to the limit."""
    import os
    import stat

    from reader.cli import commands

    device = tmp_path / "zero"
    if os.geteuid() == 0:  # a node of /dev/zero of our own, never the system's
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 5))
        said = CliRunner().invoke(cli, ["-w", str(workspace_root), "import-annotations",
                                        str(device)])  # fmt: skip
        assert said.exit_code == 2 and "it is a device, not a file" in said.stderr
    big = tmp_path / "big.json"
    big.write_text("[" + " " * 64 + "]", encoding="utf-8")
    monkeypatch.setattr(commands, "IMPORT_LIMIT", 32)
    said = CliRunner().invoke(cli, ["-w", str(workspace_root), "import-annotations", str(big)])
    assert said.exit_code == 2 and "it is over" in said.stderr
