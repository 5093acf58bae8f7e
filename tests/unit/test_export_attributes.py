"""Exports by attribute: the CSV's document columns, --where, the code matrix read back with
pandas, attributes in the W3C JSON, and the formula guard."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.errors import UsageError
from reader.exchange.collect import parse_where
from reader.exchange.csv_export import CSV_COLUMNS, MATRIX_COLUMNS, safe_cell
from reader.exchange.writer import render
from reader.workspace import Workspace

D1, D2, D3, D4, D5 = (
    "000_1d5d00d34374701d", "001_4310720f2bcf0b55", "002_d42153564ceb3715",
    "003_ab75fb7eb88f90bb", "004_9b4db2a2590667cc",
)  # fmt: skip
ATTRIBUTE_COLUMNS = ["month", "outlet", "wave", "year"]  # author and site have columns already


def seed(ws: Workspace) -> dict[str, str]:
    """outlet and wave on four documents, highlights in three, D5 tagged as a whole; returns
    the highlights' uids by name."""
    d1, d2, d3, d4, d5 = (ws.document(d) for d in (D1, D2, D3, D4, D5))
    ws.set_attributes(d1, {"outlet": "ECFR", "wave": "10"})
    ws.set_attributes(d2, {"outlet": "KI", "wave": "2"})
    ws.set_attributes(d3, {"outlet": "KI", "wave": "-3"})
    ws.set_attributes(d5, {"outlet": "@ECFR", "wave": "9"})
    made = {
        "h1": ws.annotate(d1, 0, 20, ["actor/russia", "actor/serbia"]),
        "h2": ws.annotate(d1, 10, 30, ["actor/serbia/vucic", "frame"], note="=HYPERLINK(1)"),
        "h3": ws.annotate(d2, 5, 50, ["actor/russia"]),
        "h4": ws.annotate(d4, 0, 10, []),
    }
    ws.set_document_annotation(d5, ["frame/whole", "actor"], "")
    return {name: a.uid for name, a in made.items()}


@pytest.fixture
def seeded(workspace: Workspace) -> Workspace:
    seed(workspace)
    return workspace


def exported(
    ws: Workspace,
    fmt: str = "csv",
    *where: str,
    matrix: bool = False,
    tag: str | None = None,
    doc: str | None = None,
) -> str:
    """What `reader export` writes, as a string."""
    document = ws.document(doc) if doc else None
    return render(ws, fmt, document, tag, "doc", where, matrix, ws.store.db)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_rows_carry_the_document_and_its_attributes(seeded: Workspace) -> None:
    out = render(seeded, "csv", None, None, "doc")
    header = next(csv.reader(io.StringIO(out)))
    assert header == CSV_COLUMNS + ATTRIBUTE_COLUMNS
    assert header[:9] == ["id", "document", "title", "tag", "quote", "note", "start", "end",
                          "created"]  # fmt: skip: the columns there were keep their places
    found = rows(out)
    assert [(r["document"], r["tag"]) for r in found] == [
        (f"{D1}.txt", "actor/russia"), (f"{D1}.txt", "actor/serbia"),
        (f"{D1}.txt", "actor/serbia/vucic"), (f"{D1}.txt", "frame"),
        (f"{D2}.txt", "actor/russia"), (f"{D4}.txt", ""),
    ]  # fmt: skip
    d2 = seeded.document(D2)
    first, third = found[0], found[4]
    assert (first["date"], first["outlet"], first["wave"], first["year"], first["month"]) == (
        "2025-01-12", "ECFR", "10", "2025", "2025-01",
    )  # fmt: skip
    assert (third["date"], third["author"], third["outlet"]) == (d2.date, d2.author, "KI")
    assert d2.author  # the sample names this article's author
    assert found[-1]["outlet"] == found[-1]["date"] == found[-1]["site"] == ""  # none set
    uids = {a.id: a.uid for a in seeded.annotations()}
    assert all(r["uid"] == uids[int(r["id"])] for r in found)


def test_csv_guards_formulas_but_not_numbers(seeded: Workspace) -> None:
    found = rows(render(seeded, "csv", None, None, "doc"))
    assert found[3]["note"] == "'=HYPERLINK(1)"
    assert [safe_cell(v) for v in ("=1+2", "+x", "-x", "@x", "\tx", "x=1", "-3", "+1.5", 7)] == [
        "'=1+2", "'+x", "'-x", "'@x", "'\tx", "x=1", "-3", "+1.5", 7,
    ]  # fmt: skip
    matrix = rows(exported(seeded, matrix=True))
    by_doc = {r["doc"]: r for r in matrix}
    assert by_doc[f"{D5}.txt"]["outlet"] == "'@ECFR" and by_doc[f"{D3}.txt"]["wave"] == "-3"


def test_an_attribute_named_like_a_column_gets_a_prefix(workspace: Workspace) -> None:
    doc = workspace.document(D1)
    workspace.set_attributes(doc, {"title": "x", "date2": "y"})
    workspace.annotate(doc, 0, 5, ["title"])
    header = next(csv.reader(io.StringIO(render(workspace, "csv", None, None, "doc"))))
    assert header[len(CSV_COLUMNS) :] == ["date2", "month", "attribute:title", "year"]
    matrix = next(csv.reader(io.StringIO(exported(workspace, matrix=True))))
    assert matrix[len(MATRIX_COLUMNS) :] == ["date2", "month", "attribute:title", "year",
                                             "tag:title"]  # fmt: skip


def test_where_limits_any_export(seeded: Workspace) -> None:
    def documents(fmt: str, *where: str) -> list[str]:
        out = exported(seeded, fmt, *where)
        if fmt == "json":
            return sorted({item["target"]["reader:path"][:-4] for item in json.loads(out)})
        if fmt == "markdown":
            return [d for d in (D1, D2, D3, D4, D5) if seeded.document(d).title in out]
        return sorted({r["document"][:-4] for r in rows(out)})

    assert documents("csv", "outlet=ecfr") == [D1]  # ignoring case
    assert documents("csv", "outlet=KI") == [D2]  # D3 has no highlight
    assert documents("csv", "outlet=KI", "outlet=ECFR") == [D1, D2]  # one attribute: either
    assert documents("csv", "outlet=KI", "wave=..5") == [D2]  # two attributes: both
    assert documents("csv", "wave=5..") == [D1]  # numbers compare as numbers (10 > 5)
    assert documents("csv", "year=2025..2025") == [D1, D2]
    assert documents("json", "outlet=ECFR") == [D1]
    assert documents("markdown", "outlet=KI") == [D2]
    assert documents("csv", "outlet=nobody") == []
    matrix = rows(exported(seeded, "csv", "outlet=KI", matrix=True))
    assert [r["doc"] for r in matrix] == [f"{D2}.txt", f"{D3}.txt"]
    one = rows(exported(seeded, "csv", "outlet=ECFR", doc=D2))
    assert one == []  # --doc and --where together: both must hold


def test_where_is_parsed_or_refused_with_a_reason() -> None:
    assert parse_where(["outlet=ECFR", "year=2022..2024", "wave=3..", "month=..2024-06"]) == [
        ("outlet", "ECFR", None, None), ("year", None, "2022", "2024"),
        ("wave", None, "3", None), ("month", None, None, "2024-06"),
    ]  # fmt: skip
    for bad in ("outlet", "=x", "outlet=", "year=..", "\x1b[2J", "\x1b=.."):
        with pytest.raises(UsageError) as caught:
            parse_where([bad])
        assert "\x1b" not in str(caught.value)


def test_the_matrix_reads_back_with_pandas(seeded: Workspace) -> None:
    out = exported(seeded, matrix=True)
    frame = pd.read_csv(io.StringIO(out), keep_default_na=False)
    tags = ["actor", "actor/russia", "actor/serbia", "actor/serbia/vucic", "frame",
            "frame/whole"]  # fmt: skip
    assert list(frame.columns) == MATRIX_COLUMNS + ATTRIBUTE_COLUMNS + tags
    assert list(frame["doc"]) == [f"{d}.txt" for d in (D1, D2, D3, D4, D5)]
    frame = frame.set_index("doc")
    assert all(str(frame[t].dtype).startswith("int") for t in tags)
    stats = seeded.stats()
    for counts in stats.tags:  # every count as `reader stats` has it
        for doc in stats.documents:
            assert frame.loc[doc.path, counts.path] == counts.count(doc.id), (doc.path, counts)
    d1 = frame.loc[f"{D1}.txt"]
    assert (d1["actor"], d1["actor/serbia"], d1["frame"], d1["highlights"]) == (2, 2, 1, 2)
    assert (d1["outlet"], d1["year"], d1["date"]) == ("ECFR", "2025", "2025-01-12")
    assert frame.loc[f"{D4}.txt", "highlights"] == 1  # untagged, still a highlight
    assert frame.loc[f"{D5}.txt", "document_tags"] == "actor; frame/whole"
    assert frame.loc[f"{D5}.txt", "frame"] == 0  # a whole-document tag is no highlight
    assert frame.loc[f"{D4}.txt", "outlet"] == ""  # empty where unset
    assert list(frame["words"]) == [seeded.document(d).words for d in (D1, D2, D3, D4, D5)]
    wanted = pd.read_csv(io.StringIO(exported(seeded, matrix=True, tag="actor/serbia")))
    assert list(wanted.columns)[-2:] == ["actor/serbia", "actor/serbia/vucic"]
    assert "frame" not in wanted.columns


def test_json_carries_the_attributes_on_the_target(seeded: Workspace) -> None:
    items = json.loads(render(seeded, "json", None, None, "doc"))
    first = items[0]["target"]
    assert first["reader:path"] == f"{D1}.txt"
    assert first["reader:attributes"] == seeded.attributes(seeded.document(D1))
    assert first["reader:attributes"]["outlet"] == "ECFR"
    by_path = {item["target"]["reader:path"]: item["target"] for item in items}
    assert by_path[f"{D4}.txt"]["reader:attributes"] == {}  # D4: no date, no attribute


def test_the_json_with_attributes_imports_as_before(workspace_root: Path, tmp_path: Path) -> None:
    with Workspace.open(workspace_root) as ws:
        uids = seed(ws)
        exported = render(ws, "json", None, None, "doc")
    other = tmp_path / "other"
    (other / "corpus").mkdir(parents=True)
    for doc in (D1, D2):
        (other / "corpus" / f"{doc}.txt").write_bytes(
            (workspace_root / "corpus" / f"{doc}.txt").read_bytes()
        )
    with Workspace.open(other) as ws:
        report = ws.import_annotations(exported)
        assert report.total_added == 3
        assert {a.uid for a in ws.annotations()} == {uids["h1"], uids["h2"], uids["h3"]}


# The CLI


def run(root: Path, *args: str, code: int = 0) -> click.testing.Result:
    result = CliRunner().invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def test_cli_export_matrix_and_where(workspace_root: Path, tmp_path: Path) -> None:
    with Workspace.open(workspace_root) as ws:
        seed(ws)
    target = tmp_path / "matrix.csv"
    run(workspace_root, "export", "--format", "csv", "--matrix", "-o", str(target))
    frame = pd.read_csv(target, keep_default_na=False)
    assert len(frame) == 5 and frame["actor"].sum() == 3
    out = run(workspace_root, "export", "--format", "csv", "--matrix", "--where", "wave=2..9")
    assert sorted(r["doc"][:-4] for r in rows(out.stdout)) == [D2, D5]  # -3 and 10 left out
    out = run(workspace_root, "export", "--format", "csv", "--where", "outlet=ECFR")
    assert {r["document"] for r in rows(out.stdout)} == {f"{D1}.txt"}
    out = run(workspace_root, "export", "--format", "json", "--where", "year=2025")
    assert len(json.loads(out.stdout)) == 3
    assert "--matrix is a CSV" in run(workspace_root, "export", "--matrix", code=2).stderr
    bad = run(workspace_root, "export", "--format", "csv", "--where", "outlet", code=2)
    assert "is not KEY=VALUE" in bad.stderr
    bad = run(workspace_root, "export", "--format", "csv", "--where", "no name=x", code=2)
    assert "not an attribute name" in bad.stderr
