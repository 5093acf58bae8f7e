"""Attributes as CSV: export → import changes nothing, twice = once, bad rows reported by
number, formulas guarded on the way out and the guard taken off on the way in."""

from __future__ import annotations

import csv
import io

import pytest

from reader.corpus.attributes_csv import guard_cell, unguard_cell
from reader.errors import UsageError
from reader.workspace import Workspace

A, B, C, D, E = (
    "000_1d5d00d34374701d",
    "001_4310720f2bcf0b55",
    "002_d42153564ceb3715",
    "003_ab75fb7eb88f90bb",
    "004_9b4db2a2590667cc",
)


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _state(ws: Workspace) -> tuple[dict[int, dict[str, str]], list[tuple]]:
    """Everything import could change: the attributes and the metadata corrections."""
    corrections = ws.store.db.execute(
        "SELECT document_id, field, value FROM metadata_corrections ORDER BY 1, 2"
    ).fetchall()
    return ws.all_attributes(), corrections


def _coded(ws: Workspace) -> None:
    ws.correct_metadata(ws.document(C), {"source": "https://www.rferl.org/a/serbia"})
    ws.set_attributes(ws.document(A), {"outlet": "ECFR", "wave": "2", "site": "ECFR"})
    ws.set_attributes(ws.document(B), {"outlet": "Politico, Europe", "wave": "-3"})
    ws.set_attributes(ws.document(D), {"note": 'says "no", then =SUM(A1)'})


def test_export_writes_every_document_with_its_stored_site_and_author(
    workspace: Workspace,
) -> None:
    _coded(workspace)
    rows = _rows(workspace.export_attributes_csv())
    assert rows[0] == ["doc", "author", "note", "outlet", "site", "wave"]  # no year, no month
    by_doc = {row[0]: dict(zip(rows[0][1:], row[1:], strict=True)) for row in rows[1:]}
    assert list(by_doc) == [d.path for d in workspace.documents()]
    assert by_doc[f"{A}.txt"] == {
        "author": "", "note": "", "outlet": "ECFR", "site": "ECFR", "wave": "2",
    }  # fmt: skip
    assert by_doc[f"{B}.txt"]["author"] == "Kathrine Frich"
    assert by_doc[f"{B}.txt"]["outlet"] == "Politico, Europe"
    assert by_doc[f"{B}.txt"]["wave"] == "-3"  # a number is no formula
    assert by_doc[f"{C}.txt"]["site"] == "rferl.org"  # from the address
    assert by_doc[f"{E}.txt"] == dict.fromkeys(rows[0][1:], "")


def test_export_then_import_changes_nothing(workspace: Workspace) -> None:
    _coded(workspace)
    before = _state(workspace)
    text = workspace.export_attributes_csv()
    report = workspace.import_attributes_csv(text)
    assert (report.documents, report.values_set, report.warnings) == (0, 0, [])
    assert report.unchanged == 8  # every non-empty cell, site from the address included
    assert _state(workspace) == before  # no correction made of a site that was derived
    assert workspace.export_attributes_csv() == text


def test_an_export_imported_into_another_workspace_rebuilds_it(
    workspace: Workspace, tmp_path
) -> None:
    _coded(workspace)
    text = workspace.export_attributes_csv()
    other_root = tmp_path / "other"
    other_root.mkdir()
    (other_root / "corpus").symlink_to(workspace.root / "corpus")
    with Workspace.open(other_root) as other:
        other.correct_metadata(other.document(C), {"source": "https://www.rferl.org/a/serbia"})
        report = other.import_attributes_csv(text)
        assert report.warnings == []
        assert (report.documents, report.values_set) == (3, 6)
        assert other.all_attributes() == workspace.all_attributes()
        assert other.export_attributes_csv() == text


def test_twice_is_once(workspace: Workspace) -> None:
    text = (
        "doc,outlet,wave,site\n"
        f"{A}.txt,ECFR,2,\n"
        f"{B},Politico,3,politico.eu\n"
        "3,,,RFE/RL\n"  # an id
        "nobody.txt,X,1,\n"
    )
    first = workspace.import_attributes_csv(text)
    assert (first.documents, first.values_set, first.unchanged) == (3, 6, 0)
    assert first.warnings == [
        "row 5: skipped: no document matches 'nobody.txt' (see `reader list`)"
    ]
    after_once = _state(workspace)
    second = workspace.import_attributes_csv(text)
    assert (second.documents, second.values_set, second.unchanged) == (0, 0, 6)
    assert second.warnings == first.warnings
    assert _state(workspace) == after_once
    assert workspace.document(C).site == "RFE/RL" and workspace.document(B).site == "politico.eu"


def test_import_adds_and_updates_never_removes(workspace: Workspace) -> None:
    workspace.set_attributes(workspace.document(A), {"outlet": "ECFR", "stance": "critical"})
    report = workspace.import_attributes_csv(f"doc,outlet,stance,wave\n{A},  ,neutral,1\n")
    assert (report.documents, report.values_set) == (1, 2)
    values = workspace.attributes(workspace.document(A))
    assert (values["outlet"], values["stance"], values["wave"]) == ("ECFR", "neutral", "1")
    workspace.import_attributes_csv(f"doc,wave\n{A}\n")  # a short row: the cells are empty
    assert workspace.attributes(workspace.document(A))["outlet"] == "ECFR"


def test_bad_rows_are_reported_by_number_and_the_rest_imported(workspace: Workspace) -> None:
    text = (
        "doc,outlet,Bad Name,wave,,year\n"  # row 1
        f"{A},ECFR,x,1,,2020\n"  # 2: the bad column and year are ignored
        f"{B},{'x' * 201},,2\n"  # 3: a too-long value; wave is still set
        f"{C},a,b,c,d,e,f\n"  # 4: more cells than the header
        ",RFE,,\n"  # 5: no document
        "\n"  # an empty line is no row
        f"{D},RFE/RL,,4,\n"  # 7
    )
    report = workspace.import_attributes_csv(text)
    assert report.warnings == [
        "row 1: column 3 ignored: 'Bad Name' is not an attribute name: a letter, then letters, "
        "digits, '_', '.' or '-', at most 40 characters (outlet, country, wave_2)",
        "row 1: column year ignored: it follows the document's date (reader meta DOC --date DATE)",
        "row 3: outlet not set: outlet's value is 201 characters; at most 200",
        "row 4: skipped: 7 cells for 6 columns",
        "row 5: skipped: no document in the `doc` column",
    ]
    assert (report.documents, report.values_set) == (3, 5)
    found = workspace.all_attributes()
    assert found[workspace.document(A).id] == {
        "month": "2025-01", "outlet": "ECFR", "wave": "1", "year": "2025",
    }  # fmt: skip
    assert "outlet" not in found[workspace.document(B).id]
    assert found[workspace.document(B).id]["wave"] == "2"
    assert found[workspace.document(C).id] == {}
    assert found[workspace.document(D).id] == {"outlet": "RFE/RL", "wave": "4"}


def test_a_nameless_column_with_values_is_reported_once(workspace: Workspace) -> None:
    report = workspace.import_attributes_csv(f"doc,,outlet\n{A},x,ECFR\n{B},y,\n")
    assert report.warnings == ["row 1: column 2 has no name; ignored"]
    assert report.values_set == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("\n\n", "empty"),
        ("outlet,doc\nx,y\n", "first column .* must be `doc`"),
        ("document,outlet\n", "must be `doc`"),
        ("doc,outlet,Outlet\n", "names outlet twice"),
        ('doc,outlet\n"unclosed,x\n', "not an attributes CSV"),
    ],
)
def test_a_file_that_is_no_attributes_csv_is_one_error(
    workspace: Workspace, text: str, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        workspace.import_attributes_csv(text)
    assert workspace.store.db.execute("SELECT count(*) FROM document_attributes").fetchone() == (0,)


def test_a_byte_order_mark_and_a_capital_doc_are_fine(workspace: Workspace) -> None:
    report = workspace.import_attributes_csv(f"\ufeffDOC,Outlet\r\n{A},ECFR\r\n")
    assert (report.values_set, report.warnings) == (1, [])


def test_the_whole_import_is_one_transaction(workspace: Workspace, monkeypatch) -> None:
    from reader.corpus import attributes_csv

    calls = []

    def fail_on_second(db, doc_id, values):
        calls.append(doc_id)
        if len(calls) == 2:
            raise RuntimeError("disk gone")
        real(db, doc_id, values)

    real = attributes_csv.attributes.set_attributes
    monkeypatch.setattr(attributes_csv.attributes, "set_attributes", fail_on_second)
    with pytest.raises(RuntimeError):
        workspace.import_attributes_csv(f"doc,outlet\n{A},ECFR\n{B},RFE\n")
    monkeypatch.undo()
    assert workspace.store.db.execute("SELECT count(*) FROM document_attributes").fetchone() == (0,)


# The formula guard


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+49 30 1234", "'+49 30 1234"),
        ("-3", "-3"),  # a plain number is no formula
        ("+1.5e3", "+1.5e3"),
        ("-3 apples", "'-3 apples"),
        ("'-3", "''-3"),
        ("\tx", "'\tx"),
        ("@cmd", "'@cmd"),
        ("'=x", "''=x"),  # looks guarded already: guarded once more
        ("''-1", "'''-1"),
        ("'quoted'", "'quoted'"),  # a quote before no formula is left alone
        ("'", "'"),
        ("a=b", "a=b"),
        ("ECFR", "ECFR"),
        ("", ""),
    ],
)
def test_the_guard_and_its_inverse(value: str, written: str) -> None:
    assert guard_cell(value) == written
    assert unguard_cell(written) == value


def test_formulas_survive_the_round_trip_and_are_never_written_bare(
    workspace: Workspace,
) -> None:
    values = {"a": '=HYPERLINK("http://x")', "b": "'=1+1", "c": "-2", "d": "@SUM", "e": "''+1"}
    workspace.set_attributes(workspace.document(A), values)
    text = workspace.export_attributes_csv()
    for row in _rows(text):
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@") or cell == "-2", cell
    workspace.unset_attribute(workspace.document(A), "a")
    workspace.unset_attribute(workspace.document(A), "b")
    report = workspace.import_attributes_csv(text)
    assert (report.values_set, report.unchanged, report.warnings) == (
        2,
        4,
        [],
    )  # c, d, e and B's author
    stored = workspace.attributes(workspace.document(A))
    assert {name: stored[name] for name in values} == values


def test_import_stores_an_unguarded_formula_literally(workspace: Workspace) -> None:
    workspace.import_attributes_csv(f"doc,note\n{A},=1+1\n{B},'=1+1\n{C},'plain\n")
    found = workspace.all_attributes()
    assert found[workspace.document(A).id]["note"] == "=1+1"
    assert found[workspace.document(B).id]["note"] == "=1+1"  # the guard taken off
    assert found[workspace.document(C).id]["note"] == "'plain"


def test_a_path_that_looks_like_a_formula_or_an_id(workspace_root) -> None:
    (workspace_root / "corpus" / "-draft.txt").write_text("Draft\n\nText.\n", encoding="utf-8")
    (workspace_root / "corpus" / "2").write_text("Two\n\nText.\n", encoding="utf-8")
    with Workspace.open(workspace_root) as ws:
        ws.set_attributes(ws.document("-draft.txt"), {"outlet": "A"})
        [two] = [doc for doc in ws.documents() if doc.path == "2"]  # `2` alone is id 2
        ws.set_attributes(two, {"outlet": "B"})
        text = ws.export_attributes_csv()
        assert "'-draft.txt,,A" in text.splitlines() and "2,,B" in text.splitlines()
        before = ws.all_attributes()
        ws.store.db.execute("DELETE FROM document_attributes")
        ws.store.db.conn.commit()
        report = ws.import_attributes_csv(text)
        assert report.warnings == [] and ws.all_attributes() == before


def test_a_semicolon_or_tab_separated_file_is_read_as_spreadsheets_write_it(
    workspace: Workspace,
) -> None:
    for sep in (";", "\t"):
        text = f"doc{sep}outlet{sep}wave\n001_4310720f2bcf0b55.txt{sep}ECFR; Berlin{sep}2\n"
        text = text.replace("ECFR; Berlin", '"ECFR; Berlin"') if sep == ";" else text
        report = workspace.import_attributes_csv(text)
        assert report.warnings == []
        attributes = workspace.attributes(workspace.document("001_4310720f2bcf0b55"))
        assert (attributes["outlet"], attributes["wave"]) == ("ECFR; Berlin", "2")
