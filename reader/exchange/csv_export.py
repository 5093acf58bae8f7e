"""CSV for spreadsheets and statistics tools: one row per highlight-tag pair."""

from __future__ import annotations

import csv
import io

from reader.exchange.collect import DocumentExport

CSV_COLUMNS = ["id", "document", "title", "tag", "quote", "note", "start", "end", "created"]


def export_csv(exports: list[DocumentExport]) -> str:
    """Rows in document and text order; an untagged highlight gets one row with an empty tag."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for export in exports:
        doc = export.document
        for a in export.annotations:
            for tag in a.tags or [""]:
                writer.writerow(
                    [a.id, doc.path, doc.title, tag, a.quote, a.note, a.start, a.end, a.created]
                )
    return out.getvalue()
