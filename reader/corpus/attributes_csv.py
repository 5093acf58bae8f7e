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
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import sqlite_utils

from reader.corpus import attributes
from reader.corpus.documents import id_in_handle, list_documents, resolve_document
from reader.errors import ReaderError, UsageError
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
    writer = csv.writer(out)  # the default dialect: a cell holding a bare \r is quoted
    writer.writerow([DOC_COLUMN, *names])
    for path, values in rows:
        writer.writerow([guard_cell(path), *(guard_cell(values.get(n, "")) for n in names)])
    return out.getvalue()


def _delimiter(text: str) -> str:
    """`,` as written here; `;` or a tab when the header uses one instead, as spreadsheets in
    many locales (German Excel) write CSV."""
    header = text.split("\n", 1)[0]
    if header.strip('"').casefold().startswith(DOC_COLUMN):
        after = header.strip('"')[len(DOC_COLUMN) :].lstrip('"')[:1]
        if after in (";", "\t"):
            return after
    return ","


def _read_rows(text: str) -> list[list[str]]:
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text), strict=True)
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
    with store.write() as db:
        importer = _Importer(db, columns, report)
        for line, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(rows[0]):
                report.warnings.append(
                    f"row {line}: skipped: {len(row)} cells for {len(rows[0])} columns"
                )
                continue
            importer.import_row(line, row)
        for doc_id in importer.changed:
            index_document(db, doc_id)  # its title line names the site and author
        if importer.changed:
            settle_search_index(db)
    report.documents = len(importer.changed)
    return report


class _Importer:
    """One import's state: every document's attributes and handles read once (not once a row:
    10,000 rows would read the whole table 10,000 times), kept up to date as rows change them."""

    def __init__(
        self, db: sqlite_utils.Database, columns: dict[int, str], report: AttributeImport
    ) -> None:
        self.db = db
        self.columns = columns
        self.report = report
        self.current = attributes.attributes_by_document(db)
        self.changed: set[int] = set()
        self.by_path: dict[str, int] = {}
        names: dict[str, list[int]] = defaultdict(list)
        stems: dict[str, list[int]] = defaultdict(list)
        for doc_id, path in db.execute("SELECT id, path FROM documents"):
            self.by_path[path] = doc_id
            names[PurePosixPath(path).name].append(doc_id)
            stems[PurePosixPath(path).stem].append(doc_id)
        self.by_name = {name: ids[0] for name, ids in names.items() if len(ids) == 1}
        self.by_stem = {stem: ids[0] for stem, ids in stems.items() if len(ids) == 1}
        self.ids = set(self.by_path.values())

    def document_id(self, handle: str) -> int:
        """The document a `doc` cell names: its exact path first (what export writes, even a
        path that looks like an id), then as `resolve_document` takes handles (file name,
        stem, #id); anything else (an address, a name that could mean two documents, an
        unknown one) it resolves or refuses."""
        if handle in self.by_path:
            return self.by_path[handle]
        named = self.by_name.get(handle) or self.by_stem.get(handle)
        doc_id = id_in_handle(handle)
        as_id = doc_id if doc_id in self.ids else None
        if named is not None and as_id in (None, named):
            return named
        if as_id is not None and named is None:
            return as_id
        return resolve_document(self.db, handle).id

    def import_row(self, line: int, row: list[str]) -> None:
        """Set what one row changes; what it cannot becomes a warning naming the row."""
        warn = self.report.warnings.append
        handle = unguard_cell(row[0].strip())
        if not handle:
            warn(f"row {line}: skipped: no document in the `doc` column")
            return
        try:
            doc_id = self.document_id(handle)
        except ReaderError as exc:
            warn(f"row {line}: skipped: {exc}")
            return
        current = self.current.setdefault(doc_id, {})
        changes: dict[str, str] = {}
        for index, name in self.columns.items():
            value = unguard_cell(row[index].strip()) if index < len(row) else ""
            if not value:
                continue  # an empty cell leaves the value as it is
            if current.get(name) != value:
                try:
                    value = attributes.clean_value(name, value)
                except UsageError as exc:
                    warn(f"row {line}: {name} not set: {exc}")
                    continue
            if current.get(name) == value:
                self.report.unchanged += 1
            else:
                changes[name] = value
        if not changes:
            return
        try:
            with self.db.atomic():  # a savepoint: a refused correction leaves nothing of the row
                attributes.set_attributes(self.db, doc_id, changes)
        except ReaderError as exc:
            warn(f"row {line}: skipped: {exc}")
            return
        current.update(changes)
        self.changed.add(doc_id)
        self.report.values_set += len(changes)
