"""`Workspace`: the core (base.py) with highlights, the codebook, statistics, search and
exports. Imported through the package (reader/workspace/__init__.py), which loads it lazily."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from reader.annotate import annotations as annotation_ops
from reader.codebook import tree as codebook
from reader.codebook.tags import tag_colors, tag_usage
from reader.errors import StoreError
from reader.models import Annotation, Document, TagDeletion, TagNode
from reader.search import SearchIndexStats, SearchResult, search_index_stats

if TYPE_CHECKING:
    from reader.analysis.records import AttributeStats, CorpusStats
    from reader.codebook.csv_io import CodebookImport
    from reader.corpus.library_listing import LibraryListing
    from reader.exchange.importer import ImportReport
    from reader.exchange.json_stream import ByteSource
    from reader.exchange.refi.codebook import CodebookImport as RefiCodebookImport
    from reader.exchange.refi.importing import QdpxImport
    from reader.exchange.refi.project import ProjectExport
    from reader.exchange.sources.records import SourceImport

from reader.workspace.base import WorkspaceBase

# Said beside a search's results while a large sync has yet to count the words it stored.
VOCABULARY_PENDING = "a misspelt word finds the new documents once the sync has counted their words"


class Workspace(WorkspaceBase):
    """Open workspace: its documents (WorkspaceBase), and their highlights, the codebook,
    statistics, search and exports."""

    def library_listing(self) -> LibraryListing:
        """Every document as the library's columns (no `Document` per row): what the TUI's
        list needs at 100,000 documents; `document(id)` gives the full record of one."""
        from reader.corpus.library_listing import library_listing

        return library_listing(self.store.db)

    # Annotations

    def annotations(
        self,
        document: Document | None = None,
        tag: str | None = None,
        status: str | None = None,
        limit: int | None = None,
    ) -> list[Annotation]:
        """Highlights in document then text order; `limit` keeps the first ones only."""
        return annotation_ops.list_annotations(
            self.store.db, document.id if document else None, tag, status, limit
        )

    def annotation(self, ann_id: int) -> Annotation:
        return annotation_ops.annotation_by_id(self.store.db, ann_id)

    def annotate(
        self,
        document: Document,
        start: int,
        end: int,
        tags: list[str] | tuple[str, ...] = (),
        note: str = "",
    ) -> Annotation:
        return annotation_ops.create_annotation(
            self.store, document, start, end, tags, note, creator=self.settings.user.name
        )

    def annotate_quote(
        self,
        document: Document,
        quote: str,
        occurrence: int | None = None,
        tags: list[str] | tuple[str, ...] = (),
        note: str = "",
    ) -> Annotation:
        """Highlight the text equal to `quote`; repeats need `occurrence` (1-based)."""
        start, end = annotation_ops.locate_quote(self.text(document), quote, occurrence)
        return self.annotate(document, start, end, tags, note)

    def add_tag(self, ann_id: int, tag: str) -> Annotation:
        return annotation_ops.add_tag(self.store, ann_id, tag)

    def remove_tag(self, ann_id: int, tag: str) -> Annotation:
        return annotation_ops.remove_tag(self.store, ann_id, tag)

    def set_note(self, ann_id: int, note: str) -> Annotation:
        return annotation_ops.set_note(self.store, ann_id, note)

    def update(self, ann_id: int, tags: list[str], note: str) -> Annotation:
        """Replace tags and note of one annotation in one transaction."""
        return annotation_ops.update_annotation(self.store, ann_id, tags, note)

    def reattach(self, ann_id: int, start: int, end: int) -> Annotation:
        """Attach a highlight (typically an orphan) to new words of its document."""
        return annotation_ops.reattach_annotation(self.store, ann_id, start, end)

    def delete(self, ann_id: int) -> Annotation:
        return annotation_ops.delete_annotation(self.store, ann_id)

    def restore(self, annotation: Annotation) -> Annotation:
        return annotation_ops.restore_annotation(self.store, annotation)

    # Tags

    def tag_usage(self) -> list[tuple[str, int, str]]:
        """(name, uses, colour) of every tag, most used first."""
        return tag_usage(self.store.db)

    def tag_colors(self) -> dict[str, str]:
        return tag_colors(self.store.db)

    def codebook(self) -> list[TagNode]:
        """The tag tree, depth first, with descriptions, colours and counts."""
        return codebook.codebook(self.store.db)

    def create_tag(self, path: str, description: str = "", color: str | None = None) -> str:
        return codebook.create_tag(self.store, path, description, color)

    def rename_tag(self, old: str, new: str, merge: bool = False) -> int:
        return codebook.rename_tag(self.store, old, new, merge)

    def move_tag(self, tag: str, parent: str | None, merge: bool = False) -> str:
        return codebook.move_tag(self.store, tag, parent, merge)

    def merge_tags(self, sources: list[str], into: str) -> int:
        return codebook.merge_tags(self.store, sources, into)

    def tag_deletion(self, tag: str, with_subtags: bool = False) -> TagDeletion:
        """What deleting `tag` would take, for the confirmation."""
        return codebook.deletion_preview(self.store.db, tag, with_subtags)

    def delete_tag(self, tag: str, with_subtags: bool = False) -> TagDeletion:
        return codebook.delete_tag(self.store, tag, with_subtags)

    def describe_tag(self, tag: str, description: str) -> None:
        codebook.describe_tag(self.store, tag, description)

    def color_tag(self, tag: str, color: str) -> str:
        return codebook.color_tag(self.store, tag, color)

    def favourite_tags(self) -> dict[int, str]:
        """Number key (1-9) → tag it applies."""
        return codebook.favourite_tags(self.store.db)

    def set_favourite(self, tag: str, slot: int | None) -> None:
        codebook.set_favourite(self.store, tag, slot)

    def codebook_csv(self) -> str:
        """The codebook as CSV (`path,description,color`), every tag of its own."""
        from reader.codebook.csv_io import export_codebook_csv

        return export_codebook_csv(self.store)

    def export_codebook_csv(self, path: Path, force: bool = False) -> Path:
        """Write the codebook as CSV to `path` as every export is (a file reader did not write
        is replaced only with `force`, else `WouldReplace`); returns `path`."""
        from reader.exchange.ledger import ExportLedger
        from reader.exchange.writer import write_file

        ledger = ExportLedger.of_workspace(self.root)
        return write_file(path, self.codebook_csv(), force, ledger)

    def import_codebook_csv(self, text: str) -> CodebookImport:
        """Add and update tags from codebook CSV text; never removes a tag."""
        from reader.codebook.csv_io import import_codebook_csv

        return import_codebook_csv(self.store, text)

    def codebook_qdc(self) -> bytes:
        """The codebook as a REFI-QDA codebook's bytes (UTF-8 XML)."""
        from reader.exchange.refi.codebook import write_qdc

        return write_qdc(self.store.db)

    def export_qdc(self, path: Path, force: bool = False) -> Path:
        """The codebook as a REFI-QDA codebook (`.qdc`: nested codes, GUIDs, colours,
        descriptions), written under every export's rules."""
        from reader.exchange.refi.files import export_qdc

        return export_qdc(self, path, force)

    def import_qdc(self, path: Path) -> RefiCodebookImport:
        """Tags from a REFI-QDA codebook; a tag already there (same GUID or path) is kept."""
        from reader.exchange.refi.files import import_qdc_file

        return import_qdc_file(self, path)

    def export_qdpx(self, path: Path, force: bool = False) -> ProjectExport:
        """The workspace as a REFI-QDA project (`.qdpx`) for QualCoder, ATLAS.ti, MAXQDA …"""
        from reader.exchange.refi.files import export_qdpx

        return export_qdpx(self, path, force)

    def import_qdpx(self, path: Path) -> QdpxImport:
        """A REFI-QDA project's plain-text sources (into corpus/), codes and codings; importing
        twice adds nothing. `.lines` is the report to print."""
        from reader.exchange.refi.files import import_qdpx_file

        return import_qdpx_file(self, path)

    def tag_highlights(self, annotation_ids: Iterable[int], tag: str) -> list[int]:
        """Add `tag` to many highlights at once; returns those that changed."""
        return codebook.tag_highlights(self.store, annotation_ids, tag)

    def untag_highlights(self, annotation_ids: Iterable[int], tag: str) -> list[int]:
        return codebook.untag_highlights(self.store, annotation_ids, tag)

    def stats(
        self, depth: int | None = None, documents: Iterable[Document] | None = None
    ) -> CorpusStats:
        """Tag-by-document counts, tag co-occurrence and per-document totals
        (reader/analysis/stats.py), tags rolled up to `depth` path segments, over `documents`
        (default: all)."""
        from reader.analysis.stats import corpus_stats  # loaded only when statistics are asked for

        ids = [d.id for d in documents] if documents is not None else None
        return corpus_stats(self.store.db, depth=depth, document_ids=ids)

    # Search

    def stats_by(
        self, name: str, depth: int | None = None, documents: Iterable[Document] | None = None
    ) -> AttributeStats:
        """Tag × attribute value (reader/analysis/by_attribute.py): for each tag and each value
        of `name`, highlights, documents with the tag, documents with the value, and highlights
        per 1,000 words; `year` and `month` group by the document date."""
        from reader.analysis.by_attribute import stats_by_attribute

        ids = [d.id for d in documents] if documents is not None else None
        return stats_by_attribute(self.store.db, name, depth=depth, document_ids=ids)

    def search(self, query: str, limit: int = 50, kind: str | None = None) -> list[SearchResult]:
        """Titles, paragraphs, highlights, notes and tags matching `query`, best first (the
        query language is in reader/search/query.py); `kind` keeps one kind of result."""
        from reader.search.engine import search  # rapidfuzz loads only when searching

        return search(self.store.conn, query, limit, kind)

    def search_problems(self, query: str) -> tuple[str, ...]:
        """What to say about `query` besides its results: attributes no document has, range
        bounds of the wrong type, unknown kinds, words left out, and misspelt words not matched
        yet (a large sync is still counting the words it brought in)."""
        from reader.search import query_problems, vocabulary_pending

        problems = query_problems(self.store.conn, query)
        if query.strip() and vocabulary_pending(self.store.conn):
            problems += (VOCABULARY_PENDING,)
        return problems

    def search_from_thread(
        self, query: str, limit: int = 50, kind: str | None = None
    ) -> list[SearchResult]:
        """`search` on a read-only connection of its own, so a worker thread can search while
        the app's connection writes; a database error is a StoreError."""
        import sqlite3

        from reader.search.engine import open_search_connection, search

        try:
            conn = open_search_connection(self.store.path)
            try:
                return search(conn, query, limit, kind)
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise StoreError(f"search failed: {exc}") from exc

    def search_index_stats(self) -> SearchIndexStats:
        return search_index_stats(self.store.conn)

    # Exports and citations (reader/exchange/ loads only when one is made)

    def export(
        self,
        fmt: str,
        document: Document | None = None,
        tag: str | None = None,
        group_by: str = "doc",
        output: Path | None = None,
        split: bool = False,
        where: Iterable[str] = (),
        matrix: bool = False,
        force: bool = False,
        raw: bool = False,
        on_note: Callable[[str], None] | None = None,
    ) -> list[Path]:
        """Highlights (of `document`, with `tag`) as `markdown`, `json` (W3C) or `csv`, grouped
        by `doc` or `tag`: to stdout when `output` is None, else to that file, or with `split`
        one Markdown file per document in the folder `output`. `where` (`KEY=VALUE` or
        `KEY=LOW..HIGH`) keeps the documents whose attributes match; `matrix` (CSV) writes the
        code matrix, one row per document; `raw` (CSV) writes cells verbatim, without the
        formula guard. JSON names each annotation's creator where it is known. Returns the
        files written. An existing file is replaced only when this
        workspace's exports wrote it and it is unchanged since, or with `force`
        (reader/exchange/safe_write.py); a refusal is `WouldReplace`. Markdown into a file
        holding reader's blocks is merged, keeping the user's lines; `on_note` hears what the
        merge kept of the user's (reader/exchange/vault_merge.py)."""
        from reader.exchange.ledger import ExportLedger
        from reader.exchange.writer import export

        ledger = ExportLedger.of_workspace(self.root)
        return export(self, fmt, document, tag, group_by, output, split, tuple(where), matrix,
                      self.store.db, force, ledger, raw=raw, on_note=on_note)  # fmt: skip

    def export_text(
        self,
        fmt: str,
        document: Document | None = None,
        tag: str | None = None,
        group_by: str = "doc",
        where: Iterable[str] = (),
        matrix: bool = False,
        raw: bool = False,
    ) -> str:
        """The export `export` would write, as text, for a face to print."""
        from reader.exchange.writer import render

        return render(self, fmt, document, tag, group_by, tuple(where), matrix, self.store.db,
                      raw=raw)  # fmt: skip

    def export_with_template(
        self,
        template: Path | None,
        output: Path | None = None,
        document: Document | None = None,
        tag: str | None = None,
        where: Iterable[str] = (),
        split: bool = False,
        force: bool = False,
    ) -> str | list[Path]:
        """Highlights through the Jinja2 `template` file (None: the built-in Markdown one):
        as text when `output` is None, else written as `export` writes (one file, or with
        `split` one per document in the folder `output`), returning the files written. A
        template that cannot be read or rendered is `UsageError` (reader/exchange/templating)."""
        from reader.exchange.ledger import ExportLedger
        from reader.exchange.templating.export import export_with_template, template_text

        if output is None:
            return template_text(self, template, document, tag, tuple(where))
        ledger = ExportLedger.of_workspace(self.root)
        return export_with_template(self, template, output, document, tag, tuple(where), split,
                                    force, ledger)  # fmt: skip

    def import_annotations(self, raw: str | bytes) -> ImportReport:
        """Import W3C JSON annotations (a file's text, or its UTF-8 bytes), re-anchored;
        importing twice adds nothing. An annotation that cannot be used is refused alone, with
        its reason in the report; a file that is not one raises UsageError."""
        from reader.exchange.importer import import_w3c_text

        return import_w3c_text(self, raw)

    def import_annotations_file(
        self, stream: ByteSource, limit: int, progress: Callable[[int], object] | None = None
    ) -> ImportReport:
        """Import a W3C JSON file as it is read from `stream` (at most `limit` bytes), in
        memory that does not grow with the file: annotations are stored in batches, one
        transaction each, and `progress(annotations read)` is told after each. An interrupted
        import keeps its whole batches; running it again adds only the rest."""
        from reader.exchange.importer import import_w3c_file

        return import_w3c_file(self, stream, limit, progress)

    def import_highlights(self, path: Path, dry_run: bool = False) -> SourceImport:
        """Import the file at `path` from Kindle (My Clippings.txt), Readwise (CSV), Hypothesis
        (JSON), reader's W3C JSON or QDPX, told by its content: each highlight matched to a
        document and placed by its quote, or reported; twice adds nothing; `dry_run` stores
        nothing. A file of no such format (or too large, not readable) is a UsageError."""
        from reader.exchange.sources.reading import import_highlights

        return import_highlights(self, path, dry_run)

    def export_stem(self, document: Document | None = None) -> str:
        """A safe file-name stem for an export of `document`, or (None) of the whole
        workspace: the title, or the workspace folder's name."""
        from reader.exchange.writer import export_stem

        return export_stem(self.root, document)

    def highlights_markdown(self, document: Document) -> tuple[str, int]:
        """Every highlight of `document` as Markdown, and how many there are ("", 0: none)."""
        from reader.exchange.writer import highlights_markdown

        return highlights_markdown(self, document)

    def export_search_results(self, query: str, annotation_ids: Iterable[int]) -> Path:
        """Write the highlights a search for `query` found as Markdown to
        `exports/search <query>.md` in the workspace; returns that file."""
        from reader.exchange.ledger import ExportLedger
        from reader.exchange.writer import export_search_results

        ledger = ExportLedger.of_workspace(self.root)
        return export_search_results(self, self.exports_dir, query, set(annotation_ids), ledger)

    def citation_for_annotation(self, ann_id: int) -> str:
        """A highlight as a cited Markdown quote (its note below), for the clipboard."""
        from reader.exchange.citation import annotation_with_citation

        annotation = self.annotation(ann_id)
        return annotation_with_citation(annotation, self.document(annotation.document_id))

    def citation_for_span(self, document: Document, start: int, end: int) -> str:
        """The words of `document` from `start` to `end` as a cited Markdown quote; an empty
        span quotes the document's title."""
        from reader.exchange.citation import quote_with_citation

        quote = self.text(document)[start:end].strip() if end > start else ""
        return quote_with_citation(quote or document.title, document)
