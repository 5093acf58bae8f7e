"""Documents as cases: attribute names and values, their types, the ones derived from metadata,
filters by value and range, and attributes kept through edits and renames."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.corpus.attributes import (
    MAX_NAME_CHARS,
    MAX_VALUE_CHARS,
    clean_name,
    clean_value,
    derived_values,
    parse_assignments,
    site_of,
    value_kind,
)
from reader.errors import UsageError
from reader.workspace import Workspace

HOSTILE = "[bold]x[/] \x1b]52;c;aGk=\x07 \x1b[2J [TODO] \u202e"
A, B, C, D, E = (  # the five sample articles, in path (and id) order
    "000_1d5d00d34374701d",
    "001_4310720f2bcf0b55",
    "002_d42153564ceb3715",
    "003_ab75fb7eb88f90bb",
    "004_9b4db2a2590667cc",
)


def _set(ws: Workspace, handle: str, **values: str) -> dict[str, str]:
    return ws.set_attributes(ws.document(handle), values)


def _ids(ws: Workspace, *handles: str) -> set[int]:
    return {ws.document(handle).id for handle in handles}


# Names and values


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("outlet", "outlet"),
        ("Outlet", "outlet"),
        ("  COUNTRY ", "country"),
        ("wave_2", "wave_2"),
        ("frame.main-2", "frame.main-2"),
        ("Länder", "länder"),
        ("STRASSE", "strasse"),
        ("x" * MAX_NAME_CHARS, "x" * MAX_NAME_CHARS),
    ],
)
def test_names_are_kept_in_lower_case(typed: str, stored: str) -> None:
    assert clean_name(typed) == stored


@pytest.mark.parametrize(
    "bad",
    ["", "   ", "2wave", "_x", "-x", "out let", "out:let", "out=let", "x" * (MAX_NAME_CHARS + 1),
     "a/b", "tag\x1b[2J", HOSTILE],
)  # fmt: skip
def test_bad_names_are_refused_saying_what_a_name_is(bad: str) -> None:
    with pytest.raises(UsageError, match="is not an attribute name") as refused:
        clean_name(bad)
    assert "\x1b" not in str(refused.value) and "\x07" not in str(refused.value)


def test_values_are_trimmed_controls_become_spaces_and_empty_or_long_ones_refused() -> None:
    assert clean_value("outlet", "  ECFR \n") == "ECFR"
    assert clean_value("outlet", "a\tb\x1b[2Jc") == "a b [2Jc"
    assert clean_value("v", "x" * MAX_VALUE_CHARS) == "x" * MAX_VALUE_CHARS
    with pytest.raises(UsageError, match="empty value"):
        clean_value("outlet", " \t ")
    with pytest.raises(UsageError, match=f"at most {MAX_VALUE_CHARS}"):
        clean_value("outlet", "x" * (MAX_VALUE_CHARS + 1))


def test_assignments_as_typed_on_a_command_line() -> None:
    assert parse_assignments(["Outlet=ECFR", "note=a=b", "empty="]) == {
        "outlet": "ECFR",
        "note": "a=b",
        "empty": "",
    }
    with pytest.raises(UsageError, match="is not KEY=VALUE"):
        parse_assignments(["outlet"])


# Types


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["2", "3.5", "-1", "+4", ".5"], "number"),
        (["2025", "2024-11", "2025-01-08"], "date"),
        (["2025", "3"], "number"),  # 3 is no date: all are numbers
        (["2025-02-30"], "text"),  # no such day
        (["2025-13"], "text"),
        (["2", "two"], "text"),
        (["ECFR"], "text"),
        ([], "text"),
    ],
)
def test_a_kind_holds_for_every_value(values: list[str], kind: str) -> None:
    assert value_kind(values) == kind


def test_types_are_decided_across_documents(workspace: Workspace) -> None:
    _set(workspace, A, wave="2", published="2024-11", outlet="ECFR")
    _set(workspace, B, wave="3.5", published="2025-01-08", outlet="42")
    kinds = {info.name: info for info in workspace.attribute_summary()}
    assert (kinds["wave"].kind, kinds["published"].kind, kinds["outlet"].kind) == (
        "number",
        "date",
        "text",
    )
    assert (kinds["wave"].documents, kinds["wave"].values, kinds["wave"].derived) == (2, 2, False)
    assert (kinds["year"].kind, kinds["month"].kind, kinds["year"].derived) == (
        "date",
        "date",
        True,
    )
    _set(workspace, C, wave="late")  # one value that is no number makes it text
    assert {i.name: i.kind for i in workspace.attribute_summary()}["wave"] == "text"


# Derived from the metadata


def test_site_comes_from_the_page_else_the_address() -> None:
    assert site_of("ECFR", "https://ecfr.eu/x") == "ECFR"
    assert site_of(None, "https://www.ecfr.eu/article/x") == "ecfr.eu"
    assert site_of(None, "https://Sub.Example.org:8080/x") == "sub.example.org"
    assert site_of(None, None) is None
    assert site_of(None, "http://[::1") is None  # an address that does not parse


def test_year_and_month_follow_the_date() -> None:
    assert derived_values(None, None, None, "2025-01-08") == {"year": "2025", "month": "2025-01"}
    assert derived_values(None, None, None, "2025") == {"year": "2025"}
    assert derived_values(None, None, None, "someday") == {}
    assert derived_values("S", None, "Ann", None) == {"site": "S", "author": "Ann"}


def test_the_sample_documents_carry_what_their_metadata_gives(workspace: Workspace) -> None:
    assert workspace.attributes(workspace.document(B)) == {
        "author": "Kathrine Frich",
        "month": "2025-01",
        "year": "2025",
    }
    assert workspace.attributes(workspace.document(C)) == {}  # no date, author or address


def test_a_file_with_an_address_and_a_year_only(workspace_root: Path) -> None:
    (workspace_root / "corpus" / "y.md").write_text(
        '---\ntitle: Year only\ndate: "2025"\nsource: https://www.example.org/a\n---\nBody.\n',
        encoding="utf-8",
    )
    with Workspace.open(workspace_root) as ws:
        assert ws.attributes(ws.document("y.md")) == {"site": "example.org", "year": "2025"}


def test_site_and_author_set_correct_the_metadata_and_unset_clears_it(
    workspace: Workspace,
) -> None:
    doc = workspace.correct_metadata(workspace.document(A), {"source": "https://www.ecfr.eu/a"})
    assert workspace.attributes(doc)["site"] == "ecfr.eu"
    values = _set(workspace, A, site="ECFR", author="Jana Novak")
    assert (values["site"], values["author"]) == ("ECFR", "Jana Novak")
    doc = workspace.document(A)
    assert (doc.site, doc.author, doc.corrected) == (
        "ECFR",
        "Jana Novak",
        ("author", "site", "source"),
    )
    assert not workspace.store.db.execute("SELECT * FROM document_attributes").fetchall()
    values = workspace.unset_attribute(doc, "site")
    assert values["site"] == "ecfr.eu" and workspace.document(A).site is None
    values = workspace.unset_attribute(doc, "Author")
    assert "author" not in values and workspace.document(A).author is None
    with pytest.raises(UsageError, match="author is its file's own, not one you set"):
        workspace.unset_attribute(workspace.document(B), "author")  # nothing silently kept
    assert workspace.document(B).author == "Kathrine Frich"


@pytest.mark.parametrize("name", ["year", "month", "YEAR"])
def test_year_and_month_are_refused(workspace: Workspace, name: str) -> None:
    doc = workspace.document(A)
    with pytest.raises(UsageError, match="follows the document's date"):
        workspace.set_attributes(doc, {name: "2020", "outlet": "ECFR"})
    with pytest.raises(UsageError, match="follows the document's date"):
        workspace.unset_attribute(doc, name)
    assert "outlet" not in workspace.attributes(doc)  # nothing of a refused set is kept


# Set and unset


def test_set_replaces_and_unset_removes(workspace: Workspace) -> None:
    assert _set(workspace, A, Outlet="ECFR", wave="2")["outlet"] == "ECFR"
    values = _set(workspace, A, outlet="RFE/RL")
    assert (values["outlet"], values["wave"]) == ("RFE/RL", "2")
    assert list(values) == sorted(values)  # names in order
    assert "outlet" not in workspace.unset_attribute(workspace.document(A), "OUTLET")
    with pytest.raises(UsageError, match="has no attribute outlet"):
        workspace.unset_attribute(workspace.document(A), "outlet")
    with pytest.raises(UsageError, match="empty value"):
        _set(workspace, A, wave="  ")
    assert workspace.attributes(workspace.document(A))["wave"] == "2"


def test_hostile_values_are_stored_literally_and_hostile_names_refused(
    workspace: Workspace,
) -> None:
    literal = '[bold]x[/] \'; DROP TABLE documents; -- \u202e =1+1 "q"'
    assert _set(workspace, A, note=literal)["note"] == literal
    stored = _set(workspace, B, note=HOSTILE)["note"]
    assert "\x1b" not in stored and "\x07" not in stored  # controls become spaces
    assert stored.startswith("[bold]x[/]") and "]52;c;aGk=" in stored and "\u202e" in stored
    assert workspace.documents_where("note", literal) == _ids(workspace, A)
    with pytest.raises(UsageError, match="is not an attribute name"):
        workspace.set_attributes(workspace.document(A), {HOSTILE: "x"})
    assert len(workspace.documents()) == 5


# Filters


def test_documents_where_a_value_ignoring_case(workspace: Workspace) -> None:
    _set(workspace, A, outlet="ECFR")
    _set(workspace, B, outlet="ecfr ")
    _set(workspace, C, outlet="RFE/RL")
    assert workspace.documents_where("outlet", "Ecfr") == _ids(workspace, A, B)
    assert workspace.documents_where("OUTLET", " rfe/rl ") == _ids(workspace, C)
    assert workspace.documents_where("outlet") == _ids(workspace, A, B, C)
    assert workspace.documents_where("outlet", "nobody") == set()
    assert workspace.documents_where("year", "2025") == _ids(workspace, A, B)
    assert workspace.documents_where("author", "kathrine frich") == _ids(workspace, B)


def test_number_ranges_closed_and_open(workspace: Workspace) -> None:
    for handle, wave in zip((A, B, C, D, E), ("1", "2", "3.5", "4", "10"), strict=True):
        _set(workspace, handle, wave=wave)
    assert workspace.documents_where("wave", low="2", high="4") == _ids(workspace, B, C, D)
    assert workspace.documents_where("wave", high="3") == _ids(workspace, A, B)
    assert workspace.documents_where("wave", low="2") == _ids(workspace, B, C, D, E)  # 10 > 2
    assert workspace.documents_where("wave", low="11") == set()


def test_date_ranges_cover_whole_periods(workspace: Workspace) -> None:
    # dates: A 2025-01-12, B 2025-01-08, E 2022-03-04; C and D are given some here
    workspace.correct_metadata(workspace.document(C), {"date": "2024-11-30"})
    workspace.correct_metadata(workspace.document(D), {"date": "2025-03-01"})
    assert workspace.documents_where("year", low="2022", high="2024") == _ids(workspace, C, E)
    assert workspace.documents_where("year", low="2025") == _ids(workspace, A, B, D)
    assert workspace.documents_where("year", high="2024") == _ids(workspace, C, E)
    in_winter = workspace.documents_where("month", low="2024-11", high="2025-02")
    assert in_winter == _ids(workspace, A, B, C)
    assert workspace.documents_where("month", low="2024", high="2024") == _ids(workspace, C)
    _set(workspace, A, seen="2024-12-24")
    _set(workspace, B, seen="2025-01-01")
    assert workspace.documents_where("seen", high="2024-12") == _ids(workspace, A)


# Kept as data


def _bump_mtime(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_attributes_are_kept_through_an_edit_and_a_rename(workspace_root: Path) -> None:
    path = workspace_root / "corpus" / f"{B}.txt"
    with Workspace.open(workspace_root) as ws:
        _set(ws, B, outlet="ECFR", wave="2", site="ECFR")
    path.write_text("A Different Headline\n\nBody text here.\n", encoding="utf-8")
    _bump_mtime(path)
    with Workspace.open(workspace_root) as ws:
        assert ws.last_sync.changed == [path.name]
        values = ws.attributes(ws.document(B))
        assert (values["outlet"], values["wave"], values["site"]) == ("ECFR", "2", "ECFR")
    path.rename(path.with_name("renamed.txt"))
    with Workspace.open(workspace_root) as ws:
        assert ws.last_sync.renamed == [(path.name, "renamed.txt")]
        values = ws.attributes(ws.document("renamed.txt"))
        assert (values["outlet"], values["wave"], values["site"]) == ("ECFR", "2", "ECFR")
        assert ws.documents_where("outlet", "ecfr") == {ws.document("renamed.txt").id}


def test_a_filter_on_an_unknown_name_or_a_bad_bound_is_refused_not_empty(
    workspace: Workspace,
) -> None:
    workspace.set_attributes(workspace.document("001_4310720f2bcf0b55"), {"outlet": "ECFR"})
    workspace.set_attributes(workspace.document("003_ab75fb7eb88f90bb"), {"wave": "2"})
    with pytest.raises(UsageError, match=r"no document has the attribute 'outlt' \(outlet\?\)"):
        workspace.documents_where("outlt", "ECFR")
    with pytest.raises(UsageError, match="'x' is not a number"):
        workspace.documents_where("wave", low="x")
    assert workspace.documents_where("site") == set()  # from metadata: known, none here


@pytest.mark.parametrize("name", ["tag", "doc", "kind", "http", "mailto"])
def test_names_the_search_language_reads_itself_are_refused(
    workspace: Workspace, name: str
) -> None:
    with pytest.raises(UsageError, match="search language"):
        workspace.set_attributes(workspace.document("001_4310720f2bcf0b55"), {name: "x"})
