"""Where an export goes: stdout, one file, or one file per document; files written atomically."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from reader.errors import UsageError
from reader.exchange.collect import HighlightSource, collect
from reader.exchange.csv_export import export_csv
from reader.exchange.filenames import unique_names
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


def render(
    workspace: HighlightSource, fmt: str, document: Document | None, tag: str | None, group_by: str
) -> str:
    """The whole export as one string."""
    exports = collect(workspace, document, tag)
    if fmt == "json":
        return json.dumps(export_w3c(exports), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return export_csv(exports)
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
) -> list[Path]:
    """Run an export to stdout, a file, or (with `split`) a folder; returns the files written."""
    if split:
        if output is None or fmt != "markdown" or group_by != "doc":
            raise UsageError("--split needs -o FOLDER and Markdown grouped by document")
        if output.exists() and not output.is_dir():
            raise UsageError(f"{output} is a file; --split writes into a folder")
        exports = collect(workspace, document, tag)
        names = unique_names([e.document.title for e in exports])
        written = []
        for export_item, name in zip(exports, names, strict=True):
            path = output / name
            write_atomically(path, document_markdown(export_item, standalone=True))
            written.append(path)
        return written
    content = render(workspace, fmt, document, tag, group_by)
    if output is None:
        sys.stdout.write(content)
        return []
    if output.is_dir():
        raise UsageError(f"{output} is a folder: name a file, or add --split")
    write_atomically(output, content)
    return [output]
