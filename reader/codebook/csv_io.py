"""Share a coding scheme: the codebook as CSV with the columns `path,description,color`.

Import adds and updates, never removes: a tag missing from the file stays, an empty cell leaves
what is there, and importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from reader.codebook.tags import clean_tag_name, ensure_tag
from reader.codebook.tree import clean_description, codebook, parse_color
from reader.errors import ReaderError, UsageError
from reader.store import Store

CODEBOOK_COLUMNS = ["path", "description", "color"]
COLUMN_ALIASES = {"colour": "color", "tag": "path"}
MAX_CODEBOOK_ROWS = 100_000


@dataclass
class CodebookImport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)  # rows skipped or cells ignored, and why


def export_codebook_csv(store: Store) -> str:
    """Every tag of its own (parents implied by paths only are implied again on import)."""
    out = io.StringIO()
    writer = csv.writer(out)  # the default dialect: a cell holding a bare \r is quoted
    writer.writerow(CODEBOOK_COLUMNS)
    for node in codebook(store.db):
        if node.exists:
            writer.writerow([node.path, node.description, node.color or ""])
    return out.getvalue()


def import_codebook_csv(store: Store, text: str) -> CodebookImport:
    """Create or update the tags the CSV names, in one transaction; bad rows become warnings."""
    try:
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    except csv.Error as exc:
        raise UsageError(f"not a codebook CSV: {exc}") from exc
    if not rows:
        raise UsageError("the codebook file is empty")
    header = [COLUMN_ALIASES.get(h, h) for h in (cell.strip().lower() for cell in rows[0])]
    if "path" not in header:
        raise UsageError("a codebook needs a header row with a `path` column")
    if len(rows) > MAX_CODEBOOK_ROWS:
        raise UsageError(f"a codebook has at most {MAX_CODEBOOK_ROWS} rows")
    column = {name: header.index(name) for name in CODEBOOK_COLUMNS if name in header}
    report = CodebookImport()
    with store.write() as db:
        for line, row in enumerate(rows[1:], start=2):
            cells = {name: row[i].strip() if i < len(row) else "" for name, i in column.items()}
            if not any(cells.values()):
                continue
            try:
                path = clean_tag_name(cells["path"])
                description = clean_description(cells.get("description", ""))
            except ReaderError as exc:
                report.warnings.append(f"row {line}: skipped: {exc}")
                continue
            color = None
            if cells.get("color"):
                try:
                    color = parse_color(cells["color"])
                except ReaderError as exc:
                    report.warnings.append(f"row {line}: colour ignored: {exc}")
            existing = db.execute(
                "SELECT id, description, color FROM tags WHERE key = ?", [path.casefold()]
            ).fetchone()
            tag_id = existing[0] if existing else ensure_tag(db, path)
            changes = {}
            if description and (existing is None or existing[1] != description):
                changes["description"] = description
            if color and (existing is None or existing[2] != color):
                changes["color"] = color
            if changes:
                db["tags"].update(tag_id, changes)
            if existing is None:
                report.created.append(path)
            elif changes:
                report.updated.append(path)
            else:
                report.unchanged += 1
    return report
