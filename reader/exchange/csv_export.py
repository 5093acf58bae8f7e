"""CSV for spreadsheets and statistics tools: one row per highlight-tag pair, or the code matrix
(one row per document, one column per tag path).

Both carry the document's date, author, site and one column per attribute name in use (sorted;
empty where a document has none). Rows are written in the csv module's default dialect (RFC
4180: CRLF between records, and any cell holding a comma, a quote, `\n` or a bare `\r` quoted,
so a line break inside a cell never splits its record). A text cell starting with `=`, `+`, `-`,
`@`, a tab, a carriage return or a NUL (OWASP's list for CSV injection) gets a leading `'` so
that a spreadsheet shows it rather than runs it as a formula; a plain number such as `-3` is
left as it is (it is no formula, and tools should read it as a number). `raw` writes every cell
verbatim, for tools that never evaluate cells.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping

from reader.analysis.by_attribute import CodeMatrix
from reader.exchange.collect import DocumentExport

CSV_COLUMNS = [
    "id", "document", "title", "tag", "quote", "note", "start", "end", "created",
    "uid", "date", "author", "site", "document_tags",
]  # fmt: skip
MATRIX_COLUMNS = ["doc", "title", "date", "author", "site", "words", "highlights", "document_tags"]
SHOWN_AS_COLUMNS = {"author", "site"}  # attributes that have a column of their own already
TAG_SEPARATOR = "; "  # between a document's whole-document tags in one cell
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: object) -> object:
    """`value` as a spreadsheet will show it, never run it: see the module's docstring."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_STARTS):
        return value
    return value if _NUMBER.fullmatch(value) else "'" + value


def _row(values: Iterable[object], raw: bool = False) -> list[object]:
    return list(values) if raw else [safe_cell(v) for v in values]


def attribute_names(attributes: Mapping[int, Mapping[str, str]]) -> list[str]:
    """Every attribute name in use, sorted: the same columns whichever documents are written."""
    return sorted({name for values in attributes.values() for name in values})


def _headers(fixed: list[str], names: Iterable[str], prefix: str) -> list[str]:
    """`names` as column headers, each unique: one equal to an earlier header (ignoring case)
    is written `prefix:name` (an attribute `date` becomes `attribute:date`, a tag `title`
    becomes `tag:title`); plain names otherwise, as statistics tools like them."""
    taken = {h.casefold() for h in fixed}
    headers = []
    for name in names:
        header = name
        while header.casefold() in taken:
            header = f"{prefix}:{header}"
        taken.add(header.casefold())
        headers.append(header)
    return headers


def export_csv(
    exports: list[DocumentExport], names: list[str] | None = None, raw: bool = False
) -> str:
    """Rows in document and text order; an untagged highlight gets one row with an empty tag.
    `names`: the attribute columns (default: those the exported documents carry); `raw`: cells
    verbatim, no formula guard. `uid` is the annotation's id in the W3C JSON export."""
    if names is None:
        names = attribute_names({i: e.attributes for i, e in enumerate(exports)})
    names = [n for n in names if n not in SHOWN_AS_COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_row(CSV_COLUMNS + _headers(CSV_COLUMNS, names, "attribute"), raw))
    for export in exports:
        doc = export.document
        values = export.attributes
        about = [
            doc.date,
            doc.author,
            values.get("site", doc.site),
            TAG_SEPARATOR.join(export.tags),
        ]
        attribute_cells = [values.get(name, "") for name in names]
        for a in export.annotations:
            own = [a.id, doc.path, doc.title, "", a.quote, a.note, a.start, a.end, a.created, a.uid]
            for tag in a.tags or [""]:
                own[3] = tag
                writer.writerow(_row([*own, *about, *attribute_cells], raw))
    return out.getvalue()


def export_matrix(
    matrix: CodeMatrix,
    attributes: Mapping[int, Mapping[str, str]],
    names: list[str] | None = None,
    raw: bool = False,
) -> str:
    """The code matrix: one row per document (its metadata, then its attributes), then one
    column per tag path with its highlights (a parent counts its sub-tags, each highlight once,
    as `reader stats`). `names`: the attribute columns (default: those in `attributes`); `raw`:
    cells verbatim."""
    names = [n for n in (names or attribute_names(attributes)) if n not in SHOWN_AS_COLUMNS]
    attribute_headers = _headers(MATRIX_COLUMNS, names, "attribute")
    tag_headers = _headers(MATRIX_COLUMNS + attribute_headers, matrix.tags, "tag")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_row(MATRIX_COLUMNS + attribute_headers + tag_headers, raw))
    columns = [matrix.counts.get(tag, {}) for tag in matrix.tags]
    for doc in matrix.documents:
        values = attributes.get(doc.id, {})
        site = values.get("site", doc.site)
        about = [doc.path, doc.title, doc.date, doc.author, site, doc.words, doc.highlights]
        writer.writerow(
            _row([*about, TAG_SEPARATOR.join(matrix.document_tags.get(doc.id, ()))], raw)
            + _row((values.get(name, "") for name in names), raw)
            + [counts.get(doc.id, 0) for counts in columns]
        )
    return out.getvalue()
