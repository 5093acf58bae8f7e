"""Where an export goes: stdout, one file, or one file per document. Files are written by
reader/exchange/safe_write.py: atomically, and never over what reader did not write unless
forced. Any export can be limited to the documents meeting `--where` conditions on their
attributes."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import sqlite_utils

from reader.analysis.by_attribute import code_matrix
from reader.errors import UsageError
from reader.exchange.collect import HighlightSource, collect, documents_matching
from reader.exchange.csv_export import attribute_names, export_csv, export_matrix
from reader.exchange.filenames import safe_stem
from reader.exchange.ledger import ExportLedger
from reader.exchange.managed import ManagedFile
from reader.exchange.markdown import document_file, markdown_by_document, markdown_by_tag
from reader.exchange.markdown_files import write_markdown
from reader.exchange.safe_write import shown, write_files
from reader.exchange.split_names import split_paths
from reader.exchange.w3c import export_w3c
from reader.models import Document


def write_file(path: Path, content: str, force: bool, ledger: ExportLedger | None) -> Path:
    """One export file (`attr export -o`, `tags export -o`), under the same rules as every
    export: atomically, keeping the old file's mode, never over a folder or a device, and over a
    file reader did not write (or a link) only with `force`; returns `path`."""
    write_files([(path, content)], force, ledger)
    return path


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
    *,
    raw: bool = False,
) -> str:
    """The whole export as one string; `matrix` (CSV only) is the code matrix, read from `db`;
    `raw` (CSV only) writes cells verbatim, without the formula guard."""
    if matrix and fmt != "csv":
        raise UsageError("--matrix is a CSV: add --format csv")
    chosen = selected_documents(workspace, document, where)
    if fmt in ("json", "csv"):
        attributes = workspace.all_attributes()
        names = attribute_names(attributes)  # every name in use: the same columns whatever
        if matrix:
            if db is None:
                raise ValueError("the code matrix reads the store: pass db")
            return export_matrix(code_matrix(db, chosen, tag), attributes, names, raw)
        if fmt == "json":
            exports = collect(workspace, document, tag, document_ids=chosen,
                              attributes=attributes, document_notes=True)  # fmt: skip
            items = export_w3c(exports, workspace.corpus_dir)
            return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
        exports = collect(workspace, document, tag, document_ids=chosen, attributes=attributes)
        return export_csv(exports, names, raw)
    # to standard output without reader's markers: a file gets them (see `export`)
    return render_markdown(workspace, document, tag, group_by, where).text(markers=False)


def render_markdown(
    workspace: HighlightSource,
    document: Document | None,
    tag: str | None,
    group_by: str,
    where: Iterable[str] = (),
) -> ManagedFile:
    """A Markdown export as reader's blocks, to print or to merge into a file."""
    chosen = selected_documents(workspace, document, where)
    exports = collect(workspace, document, tag, document_ids=chosen)
    title = f"Highlights tagged {tag}" if tag else "Highlights"
    if group_by == "tag":
        return markdown_by_tag(exports, f"Codebook: {tag}" if tag else "Codebook")
    return markdown_by_document(exports, title)


def _is_folder(path: Path) -> bool:
    """Whether `path` is a folder; a path that cannot even be looked at is not (writing to it
    then says why)."""
    try:
        return path.is_dir()
    except OSError:
        return False


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
    force: bool = False,
    ledger: ExportLedger | None = None,
    *,
    raw: bool = False,
    on_note: Callable[[str], None] | None = None,
) -> list[Path]:
    """Run an export to stdout, a file, or (with `split`) a folder; returns the files written.
    A file is replaced only if `ledger` shows reader wrote it and it is unchanged, or `force`;
    Markdown into a file holding reader's blocks is merged, keeping the user's lines (what the
    merge kept of the user's goes to `on_note`)."""
    if split:
        if output is None or fmt != "markdown" or group_by != "doc" or matrix:
            raise UsageError("--split needs -o FOLDER and Markdown grouped by document")
        if not _is_folder(output) and (output.exists() or output.is_symlink()):
            raise UsageError(f"{shown(output)} is a file; --split writes into a folder")
        chosen = selected_documents(workspace, document, where)
        exports = collect(workspace, document, tag, document_ids=chosen)
        paths = split_paths(output, [e.document for e in exports])
        files = [(path, document_file(item)) for item, path in zip(exports, paths, strict=True)]
        return write_markdown(files, force, ledger, on_note)
    if output is not None and _is_folder(output):
        raise UsageError(f"{shown(output)} is a folder: name a file, or add --split")
    if output is not None and fmt == "markdown" and not matrix:
        managed = render_markdown(workspace, document, tag, group_by, where)
        return write_markdown([(output, managed)], force, ledger, on_note)
    content = render(workspace, fmt, document, tag, group_by, where, matrix, db, raw=raw)
    if output is None:
        sys.stdout.write(content)
        return []
    return write_files([(output, content)], force, ledger)


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
    return markdown_by_document(exports).text(markers=False), len(exports[0].annotations)


def export_search_results(
    source: HighlightSource,
    folder: Path,
    query: str,
    annotation_ids: set[int],
    ledger: ExportLedger | None = None,
) -> Path:
    """The highlights a search for `query` found, as Markdown in `folder/search <query>.md`
    (replacing that file only if reader wrote it and it is unchanged since)."""
    exports = collect(source, annotation_ids=annotation_ids)
    target = folder / f"search {safe_stem(query, 'results')}.md"
    markdown = markdown_by_document(exports, f"Highlights found by “{query}”")
    write_markdown([(target, markdown)], ledger=ledger)
    return target
