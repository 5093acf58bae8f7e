"""Where an export goes: stdout, one file, or one file per document; files written atomically.
Any export can be limited to the documents meeting `--where` conditions on their attributes."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import sqlite_utils

from reader.analysis.by_attribute import code_matrix
from reader.errors import UsageError
from reader.exchange.collect import HighlightSource, collect, documents_matching
from reader.exchange.csv_export import attribute_names, export_csv, export_matrix
from reader.exchange.filenames import safe_stem, unique_names
from reader.exchange.markdown import document_markdown, markdown_by_document, markdown_by_tag
from reader.exchange.w3c import export_w3c
from reader.models import Document


def write_atomically(path: Path, content: str) -> None:
    """Write via a temporary file and a rename, so a reader never sees half an export. A path
    that cannot be written (a file where a folder should be, no permission, a full disk) is a
    user error saying why, not a crash."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def selected_documents(
    workspace: HighlightSource, document: Document | None, where: Iterable[str]
) -> set[int] | None:
    """Ids of the documents an export covers (`document`, and those meeting `where`), or None
    for every document."""
    chosen = documents_matching(workspace, where)
    if document is not None:
        chosen = {document.id} if chosen is None else chosen & {document.id}
    return chosen


def render(
    workspace: HighlightSource,
    fmt: str,
    document: Document | None,
    tag: str | None,
    group_by: str,
    where: Iterable[str] = (),
    matrix: bool = False,
    db: sqlite_utils.Database | None = None,
) -> str:
    """The whole export as one string; `matrix` (CSV only) is the code matrix, read from `db`."""
    if matrix and fmt != "csv":
        raise UsageError("--matrix is a CSV: add --format csv")
    chosen = selected_documents(workspace, document, where)
    if fmt in ("json", "csv"):
        attributes = workspace.all_attributes()
        names = attribute_names(attributes)  # every name in use: the same columns whatever
        if matrix:
            if db is None:
                raise ValueError("the code matrix reads the store: pass db")
            return export_matrix(code_matrix(db, chosen, tag), attributes, names)
        exports = collect(workspace, document, tag, document_ids=chosen, attributes=attributes)
        if fmt == "json":
            return json.dumps(export_w3c(exports), ensure_ascii=False, indent=2) + "\n"
        return export_csv(exports, names)
    exports = collect(workspace, document, tag, document_ids=chosen)
    title = f"Highlights tagged {tag}" if tag else "Highlights"
    if group_by == "tag":
        return markdown_by_tag(exports, f"Codebook: {tag}" if tag else "Codebook")
    return markdown_by_document(exports, title)


def export(
    workspace: HighlightSource,
    fmt: str,
    document: Document | None,
    tag: str | None,
    group_by: str,
    output: Path | None,
    split: bool,
    where: Iterable[str] = (),
    matrix: bool = False,
    db: sqlite_utils.Database | None = None,
) -> list[Path]:
    """Run an export to stdout, a file, or (with `split`) a folder; returns the files written."""
    if split:
        if output is None or fmt != "markdown" or group_by != "doc" or matrix:
            raise UsageError("--split needs -o FOLDER and Markdown grouped by document")
        if output.exists() and not output.is_dir():
            raise UsageError(f"{output} is a file; --split writes into a folder")
        chosen = selected_documents(workspace, document, where)
        exports = collect(workspace, document, tag, document_ids=chosen)
        names = unique_names([e.document.title for e in exports])
        written = []
        for export_item, name in zip(exports, names, strict=True):
            path = output / name
            write_atomically(path, document_markdown(export_item, standalone=True))
            written.append(path)
        return written
    content = render(workspace, fmt, document, tag, group_by, where, matrix, db)
    if output is None:
        sys.stdout.write(content)
        return []
    if output.is_dir():
        raise UsageError(f"{output} is a folder: name a file, or add --split")
    write_atomically(output, content)
    return [output]


def export_stem(root: Path, document: Document | None) -> str:
    """A safe file-name stem: the document's title, or the workspace folder's name."""
    if document is not None:
        return safe_stem(document.title)
    return safe_stem(root.resolve().name, "highlights")


def highlights_markdown(source: HighlightSource, document: Document) -> tuple[str, int]:
    """Every highlight of `document` as Markdown, and how many there are ("", 0: none)."""
    exports = collect(source, document)
    if not exports:
        return "", 0
    return markdown_by_document(exports), len(exports[0].annotations)


def export_search_results(
    source: HighlightSource, folder: Path, query: str, annotation_ids: set[int]
) -> Path:
    """The highlights a search for `query` found, as Markdown in `folder/search <query>.md`."""
    exports = collect(source, annotation_ids=annotation_ids)
    target = folder / f"search {safe_stem(query, 'results')}.md"
    write_atomically(target, markdown_by_document(exports, f"Highlights found by “{query}”"))
    return target
