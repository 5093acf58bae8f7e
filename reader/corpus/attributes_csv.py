"""Document attributes as CSV, one row per document: `doc` (its path under corpus/), then one
column per attribute name. Export → import changes nothing, and importing a file twice does
what importing it once did.

Export writes every document (path order) with its stored attributes and `site` and `author`
as in effect (from the file, the URL's domain or a correction); never `year` or `month`, which
follow the date. Import takes any document handle in `doc`; it adds and updates, never removes
(an empty cell leaves the value as it is); `site` and `author` become metadata corrections only
where they differ from what is in effect; `year` and `month` columns are ignored with one
warning. Bad names in the header, unknown documents, too-long values and rows with more cells
than the header become warnings naming the row (the header is row 1); the rest is imported, in
one transaction.

Formula guard (as reader/exchange/csv_export.py): a cell that a spreadsheet would run (starting
with `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a `'` in front, and so is
one that already starts with quotes before such a character (`'=x` is written `''=x`); a plain
number such as `-3` is left as it is (no formula; tools should read a number). Import takes
exactly one `'` off a cell of that shape (`'` or more, then one of those characters). The two
are inverse, so every value survives the round trip.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import sqlite_utils

from reader.corpus import attributes
from reader.corpus.documents import document_by_id, list_documents, resolve_document
from reader.errors import ReaderError, UsageError
from reader.models import Document
from reader.search.index import index_document, settle_search_index
from reader.store import Store

DOC_COLUMN = "doc"
EXPORTED_DERIVED = ("site", "author")  # metadata that is worth sharing; year/month follow dates
DATE_FOLLOWERS = ("year", "month")
MAX_ROWS = 1_000_000
_GUARDED = re.compile(r"'*[=+\-@\t\r]")  # gets a `'` on export: a formula, or looks guarded
_UNGUARD = re.compile(r"'+[=+\-@\t\r]")  # loses one `'` on import
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")  # as csv_export's


@dataclass
class AttributeImport:
    """What `import_attributes` did: counts, and what it skipped with the row's number."""

    documents: int = 0  # documents with at least one value added or changed
    values_set: int = 0  # values added or changed
    unchanged: int = 0  # values the file gives as they already were
    warnings: list[str] = field(default_factory=list)


def guard_cell(text: str) -> str:
    """`text` as written to CSV: a `'` in front of what a spreadsheet would run as a formula."""
    return "'" + text if _GUARDED.match(text) and not _NUMBER.fullmatch(text) else text


def unguard_cell(text: str) -> str:
    """The inverse of `guard_cell`: one `'` off a guarded cell, anything else as it is."""
    return text[1:] if _UNGUARD.match(text) else text


def export_attributes(db: sqlite_utils.Database) -> str:
    """Every document, with its stored attributes and its `site` and `author` in effect."""
    documents = list_documents(db)
    found = attributes.attributes_by_document(db)
    rows = [
        (doc.path, {k: v for k, v in found.get(doc.id, {}).items() if k not in DATE_FOLLOWERS})
        for doc in documents
    ]
    names = sorted({name for _, values in rows for name in values})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([DOC_COLUMN, *names])
    for path, values in rows:
        writer.writerow([guard_cell(path), *(guard_cell(values.get(n, "")) for n in names)])
    return out.getvalue()


def _read_rows(text: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), strict=True)  # no quote unclosed
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise UsageError(f"not an attributes CSV: line {reader.line_num}: {exc}") from exc
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise UsageError("the attributes file is empty: it needs a header row `doc,NAME,...`")
    if len(rows) > MAX_ROWS:
        raise UsageError(f"an attributes file has at most {MAX_ROWS} rows")
    return rows


def _columns(header: list[str], rows: list[list[str]], report: AttributeImport) -> dict[int, str]:
    """Attribute name by column index; what cannot be imported is warned about (row 1)."""
    if header[0].strip().casefold() != DOC_COLUMN:
        raise UsageError(
            "the first column of an attributes file must be `doc` (a document's path, id or "
            "file name), then one column per attribute"
        )
    columns: dict[int, str] = {}
    for index, cell in enumerate(header[1:], start=1):
        if not cell.strip():
            if any(index < len(row) <= len(header) and row[index].strip() for row in rows):
                report.warnings.append(f"row 1: column {index + 1} has no name; ignored")
            continue
        try:
            name = attributes.clean_name(cell)
        except UsageError as exc:
            report.warnings.append(f"row 1: column {index + 1} ignored: {exc}")
            continue
        if name in columns.values():
            raise UsageError(f"the header names {name} twice")
        columns[index] = name
    for name in DATE_FOLLOWERS:
        if name in columns.values():
            report.warnings.append(
                f"row 1: column {name} ignored: it follows the document's date "
                "(reader meta DOC --date DATE)"
            )
    return {i: name for i, name in columns.items() if name not in DATE_FOLLOWERS}


def import_attributes(store: Store, text: str) -> AttributeImport:
    """Add and update the attributes the CSV gives, in one transaction; see the module's doc."""
    rows = _read_rows(text)
    report = AttributeImport()
    columns = _columns(rows[0], rows[1:], report)
    changed: set[int] = set()
    with store.write() as db:
        for line, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(rows[0]):
                report.warnings.append(
                    f"row {line}: skipped: {len(row)} cells for {len(rows[0])} columns"
                )
                continue
            doc_id = _import_row(db, line, row, columns, report)
            if doc_id is not None:
                changed.add(doc_id)
                index_document(db, doc_id)  # its title line names the site and author
        if changed:
            settle_search_index(db)
    report.documents = len(changed)
    return report


def _document(db: sqlite_utils.Database, handle: str) -> Document:
    """The document a `doc` cell names: its exact path first (what export writes, even a path
    that looks like an id), else any handle `reader` accepts."""
    row = db.execute("SELECT id FROM documents WHERE path = ?", [handle]).fetchone()
    found = document_by_id(db, row[0]) if row else None
    return found or resolve_document(db, handle)


def _import_row(
    db: sqlite_utils.Database,
    line: int,
    row: list[str],
    columns: dict[int, str],
    report: AttributeImport,
) -> int | None:
    """Set what one row changes; returns the document's id if anything changed."""
    handle = unguard_cell(row[0].strip())
    if not handle:
        report.warnings.append(f"row {line}: skipped: no document in the `doc` column")
        return None
    try:
        doc = _document(db, handle)
    except ReaderError as exc:
        report.warnings.append(f"row {line}: skipped: {exc}")
        return None
    current = attributes.document_attributes(db, doc.id)
    changes: dict[str, str] = {}
    for index, name in columns.items():
        value = unguard_cell(row[index].strip()) if index < len(row) else ""
        if not value:
            continue  # an empty cell leaves the value as it is
        if current.get(name) == value:
            report.unchanged += 1
            continue
        try:
            value = attributes.clean_value(name, value)
        except UsageError as exc:
            report.warnings.append(f"row {line}: {name} not set: {exc}")
            continue
        if current.get(name) == value:
            report.unchanged += 1
        else:
            changes[name] = value
    if not changes:
        return None
    try:
        with db.atomic():  # a savepoint: a refused correction leaves nothing of this row
            attributes.set_attributes(db, doc.id, changes)
    except ReaderError as exc:
        report.warnings.append(f"row {line}: skipped: {exc}")
        return None
    report.values_set += len(changes)
    return doc.id
