"""An export through a template: the same documents, highlights, file names and safe writes as
the built-in Markdown export (reader/exchange/writer.py), only the text comes from the
template."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from reader.errors import UsageError
from reader.exchange.collect import DocumentExport, HighlightSource, collect, documents_matching
from reader.exchange.filenames import unique_names
from reader.exchange.ledger import ExportLedger
from reader.exchange.safe_write import shown, write_files
from reader.exchange.templating import ExportTemplate
from reader.models import Document


def _exports(
    workspace: HighlightSource, document: Document | None, tag: str | None, where: Iterable[str]
) -> list[DocumentExport]:
    chosen = documents_matching(workspace, where)
    if document is not None:
        chosen = {document.id} if chosen is None else chosen & {document.id}
    return collect(workspace, document, tag, document_ids=chosen,
                   attributes=workspace.all_attributes())  # fmt: skip


def _heading(tag: str | None) -> str:
    return f"Highlights tagged {tag}" if tag else "Highlights"


def template_text(
    workspace: HighlightSource,
    template: Path | None,
    document: Document | None = None,
    tag: str | None = None,
    where: Iterable[str] = (),
) -> str:
    """The export as one text through `template` (None: the built-in one); the template is
    read and checked before anything else is done."""
    loaded = ExportTemplate.from_file(template)
    return loaded.render_file(_exports(workspace, document, tag, where), _heading(tag))


def export_with_template(
    workspace: HighlightSource,
    template: Path | None,
    output: Path,
    document: Document | None = None,
    tag: str | None = None,
    where: Iterable[str] = (),
    split: bool = False,
    force: bool = False,
    ledger: ExportLedger | None = None,
) -> list[Path]:
    """Write the export through `template` to the file `output`, or with `split` one file per
    document (named from its title, `.md`) into the folder `output`; returns the files
    written. Nothing is written unless every rendering succeeded."""
    loaded = ExportTemplate.from_file(template)
    exports = _exports(workspace, document, tag, where)
    try:
        is_folder = output.is_dir()
    except OSError:
        is_folder = False
    if split:
        if not is_folder and (output.exists() or output.is_symlink()):
            raise UsageError(f"{shown(output)} is a file; --split writes into a folder")
        texts = loaded.render_split(exports, _heading(tag))
        names = unique_names([e.document.title for e in exports])
        return write_files([(output / n, t) for n, t in zip(names, texts, strict=True)],
                           force, ledger)  # fmt: skip
    if is_folder:
        raise UsageError(f"{shown(output)} is a folder: name a file, or add --split")
    return write_files([(output, loaded.render_file(exports, _heading(tag)))], force, ledger)
