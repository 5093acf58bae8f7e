"""The one domain API the CLI and the TUI share: a folder with `corpus/` and `annotations.db`."""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from reader.annotate import annotations as annotation_ops
from reader.codebook import tree as codebook
from reader.codebook.tag_names import configure_palette
from reader.codebook.tags import tag_colors, tag_usage
from reader.config.loading import (
    config_path,
    config_template,
    load_settings,
    workspace_config_path,
)
from reader.corpus import attributes, document_state
from reader.corpus.adding import add_sources
from reader.corpus.corrections import correct_metadata, file_values
from reader.corpus.documents import document_text, document_titles, list_documents, resolve_document
from reader.corpus.sync import Progress, sync_corpus
from reader.errors import StoreError, UsageError, WorkspaceError
from reader.models import (
    AddResult,
    Annotation,
    AttributeInfo,
    Document,
    SyncReport,
    TagDeletion,
    TagNode,
)
from reader.search import SearchIndexStats, SearchResult, search_index_stats
from reader.search.index import index_document, settle_search_index
from reader.store import Store, open_store

if TYPE_CHECKING:
    from reader.analysis.records import AttributeStats, CorpusStats
    from reader.codebook.csv_io import CodebookImport
    from reader.config.records import Settings
    from reader.corpus.attributes_csv import AttributeImport
    from reader.exchange.importer import ImportReport

CORPUS_DIR = "corpus"
DATABASE_FILE = "annotations.db"
WORKSPACE_ENV = "READER_WORKSPACE"
EXPORTS_DIR = "exports"  # where the TUI writes exports it names itself


def default_root() -> Path:
    return Path(os.environ.get(WORKSPACE_ENV) or ".")


def init_workspace(root: Path) -> Path:
    """Create `root/corpus/` and an empty store; an existing workspace is left as it is."""
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root} exists and is not a folder")
    try:
        (root / CORPUS_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(f"cannot create {root / CORPUS_DIR}: {exc.strerror or exc}") from exc
    open_store(root / DATABASE_FILE).close()
    return root


def user_config_path() -> Path:
    """The user's config file (`$READER_CONFIG`, else reader.toml in the config folder)."""
    return config_path()


def folder_config_path(root: Path | None = None) -> Path | None:
    """The `reader.toml` of the workspace folder `root` (default: the current workspace), if
    that folder is a workspace (has corpus/) and has one."""
    root = (root or default_root()).expanduser()
    path = workspace_config_path(root)
    return path if (root / CORPUS_DIR).is_dir() and path.is_file() else None


def create_user_config() -> Path:
    """The user's config file, first written (when missing) as a commented template naming
    every setting and its default; a folder that cannot be created is a UsageError."""
    path = config_path()
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as handle:
                handle.write(config_template())
        except FileExistsError:
            pass  # written meanwhile: leave it as it is
        except OSError as exc:
            raise UsageError(f"cannot create {path}: {exc.strerror or exc}") from exc
    return path


def folder_settings(root: Path | None = None) -> Settings:
    """The settings in effect for the folder `root`, without opening its store: the user's
    file, overridden by the folder's reader.toml when the folder is a workspace. For commands
    that work outside any workspace (`reader config`)."""
    root = (root or default_root()).expanduser()
    return load_settings(root if (root / CORPUS_DIR).is_dir() else None)


class Workspace:
    """Open workspace: syncs the corpus on opening, then serves documents and annotations."""

    def __init__(self, root: Path, store: Store, last_sync: SyncReport) -> None:
        self.root = root
        self.store = store
        self.last_sync = last_sync

    @classmethod
    def open(
        cls, root: Path | None = None, sync: bool = True, progress: Progress | None = None
    ) -> Workspace:
        root = (root or default_root()).expanduser()
        if not root.is_dir():
            raise WorkspaceError(f"{root} is not a folder (create a workspace with `reader init`)")
        corpus = root / CORPUS_DIR
        if not corpus.is_dir():
            raise WorkspaceError(
                f"no {CORPUS_DIR}/ folder in {root.resolve()}: put articles in {corpus}/ "
                f"or create a workspace with `reader init DIR`"
            )
        store = open_store(root / DATABASE_FILE)
        workspace = cls(root, store, SyncReport())
        configure_palette(workspace.settings.tags.palette)  # new tags take the user's colours
        if sync:
            workspace.sync(progress)
        return workspace

    @property
    def corpus_dir(self) -> Path:
        return self.root / CORPUS_DIR

    # Settings (reader/config/): the user's reader.toml, overridden by the workspace's

    @cached_property
    def settings(self) -> Settings:
        """Read once, on first use; `problems` says what in the files could not be used."""
        return load_settings(self.root)

    def reload_settings(self) -> Settings:
        """Read the config files again (after the user edited them)."""
        self.__dict__.pop("settings", None)
        return self.settings

    @staticmethod
    def config_path() -> Path:
        return config_path()

    @property
    def exports_dir(self) -> Path:
        """Where the app writes the exports it names itself: `[export] folder`, else
        `exports/` in the workspace."""
        folder = self.settings.export.folder
        return Path(folder) if folder else self.root / EXPORTS_DIR

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Corpus and documents

    def sync(self, progress: Progress | None = None) -> SyncReport:
        """Bring the store in line with `corpus/`; `progress(done, total)` hears of each file
        read, so a long first sync can say how far it got."""
        self.last_sync = sync_corpus(self.store, self.corpus_dir, progress)
        return self.last_sync

    def add(self, sources: Iterable[str]) -> list[AddResult]:
        """Bring articles in: each source is an http(s) address (fetched under time, size and
        redirect limits, saved as the page) or a file path (copied in); then the corpus is
        synced. The same address or the same content twice makes one document; one bad source
        is reported in its result and never stops the others."""
        results = add_sources(self.store, self.corpus_dir, list(sources))
        if any(result.path for result in results):  # "already" may name a file not synced yet
            self.sync()
        return results

    def correct_metadata(
        self, document: Document, changes: dict[str, str], clear: list[str] = ()
    ) -> Document:
        """Set (or with `clear`, drop) the user's title, author, date, source or site of a
        document; stored apart from the file's own, kept through re-syncs and file edits."""
        with self.store.write() as db:
            correct_metadata(db, document.id, changes, list(clear))
            index_document(db, document.id)
            settle_search_index(db)
        return self.document(document.id)

    # Documents as cases: attributes (reader/corpus/attributes.py)

    def attributes(self, document: Document) -> dict[str, str]:
        """The document's attributes: `site`, `author`, `year`, `month` from its metadata, and
        those set on it (`outlet`, `wave` …), by name."""
        return attributes.document_attributes(self.store.db, document.id)

    def all_attributes(self) -> dict[int, dict[str, str]]:
        """Every document's attributes by document id (documents with none are left out)."""
        return attributes.attributes_by_document(self.store.db)

    def attribute_summary(self) -> list[AttributeInfo]:
        return attributes.attribute_summary(self.store.db)

    def set_attributes(self, document: Document, values: dict[str, str]) -> dict[str, str]:
        """Add or replace attributes in one transaction; `site` and `author` correct the
        metadata, `year` and `month` follow the date (refused)."""
        with self.store.write() as db:
            attributes.set_attributes(db, document.id, values)
            index_document(db, document.id)  # the title line names the site and author
            settle_search_index(db)
        return self.attributes(document)

    def unset_attribute(self, document: Document, name: str) -> dict[str, str]:
        with self.store.write() as db:
            attributes.unset_attribute(db, document.id, name)
            index_document(db, document.id)
            settle_search_index(db)
        return self.attributes(document)

    def edit_document(
        self,
        document: Document,
        corrections: dict[str, str],
        clear: list[str],
        values: dict[str, str],
        unset: list[str],
    ) -> Document:
        """Correct metadata and set and unset attributes in one transaction (the `I` dialog):
        all of it, or, on a refusal, none."""
        with self.store.write() as db:
            attributes.edit_document(db, document.id, corrections, clear, values, unset)
            index_document(db, document.id)
            settle_search_index(db)
        return self.document(document.id)

    def documents_where(
        self, name: str, value: str | None = None, low: str | None = None, high: str | None = None
    ) -> set[int]:
        """Ids of documents whose attribute matches (see attributes.documents_where)."""
        return attributes.documents_where(self.store.db, name, value, low, high)

    def export_attributes_csv(self) -> str:
        """Every document's stored and derived attributes as CSV, one row per document (the
        first column the document's path); round-trips with `import_attributes_csv`."""
        from reader.corpus.attributes_csv import export_attributes

        return export_attributes(self.store.db)

    def write_attributes_csv(self, path: Path) -> Path:
        """`export_attributes_csv` written to `path` atomically (replacing it); returns it."""
        from reader.exchange.writer import write_atomically

        write_atomically(path, self.export_attributes_csv())
        return path

    def import_attributes_csv(self, text: str) -> AttributeImport:
        """Add and update attributes from CSV text (first column a document handle, the header
        names the attributes); never removes one; bad rows are reported by number."""
        from reader.corpus.attributes_csv import import_attributes

        return import_attributes(self.store, text)

    def file_metadata(self, document: Document) -> dict[str, object]:
        """What the document's file itself says (before the user's corrections)."""
        return file_values(self.store.db, document.id)

    def documents(self) -> list[Document]:
        return list_documents(self.store.db)

    def document_titles(self) -> dict[int, str]:
        return document_titles(self.store.db)

    def document(self, handle: str | int) -> Document:
        return resolve_document(self.store.db, str(handle))

    def text(self, document: Document) -> str:
        text = document_text(self.store.db, document.id)
        if text is None:
            raise UsageError(f"{document.path} has no text ({document.warning or document.status})")
        return text

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

    def export_codebook_csv(self, path: Path) -> Path:
        """Write the codebook as CSV to `path` (atomically); returns `path`."""
        from reader.exchange.writer import write_atomically

        write_atomically(path, self.codebook_csv())
        return path

    def import_codebook_csv(self, text: str) -> CodebookImport:
        """Add and update tags from codebook CSV text; never removes a tag."""
        from reader.codebook.csv_io import import_codebook_csv

        return import_codebook_csv(self.store, text)

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

    # Per-document state

    def document_tags(self, document: Document) -> list[str]:
        return document_state.document_tags(self.store.db, document.id)

    def document_note(self, document: Document) -> str:
        return document_state.document_note(self.store.db, document.id)

    def set_document_annotation(self, document: Document, tags: list[str], note: str) -> None:
        document_state.set_document_annotation(self.store, document.id, tags, note)

    def reading_position(self, document: Document) -> int | None:
        return document_state.reading_position(self.store.db, document.id)

    def save_reading_position(self, document: Document, offset: int) -> None:
        document_state.save_reading_position(self.store, document.id, offset)

    def ui_state(self) -> dict[str, str]:
        """What the app remembered of this workspace (last document, theme, layout, sort)."""
        return {name: value for name, value in self.store.db.execute(
            "SELECT name, value FROM ui_state").fetchall()}  # fmt: skip

    def save_ui_state(self, values: dict[str, str]) -> None:
        """Remember `values` (name -> value) for the next run; other names are kept."""
        from reader.clock import utc_now

        with self.store.write() as db:
            db.conn.executemany(
                "INSERT INTO ui_state (name, value, updated) VALUES (?, ?, ?) ON CONFLICT(name) "
                "DO UPDATE SET value = excluded.value, updated = excluded.updated",
                [(name, value, utc_now()) for name, value in values.items()],
            )

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
        bounds of the wrong type, unknown kinds, words left out."""
        from reader.search import query_problems

        return query_problems(self.store.conn, query)

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
    ) -> list[Path]:
        """Highlights (of `document`, with `tag`) as `markdown`, `json` (W3C) or `csv`, grouped
        by `doc` or `tag`: to stdout when `output` is None, else to that file, or with `split`
        one Markdown file per document in the folder `output`. `where` (`KEY=VALUE` or
        `KEY=LOW..HIGH`) keeps the documents whose attributes match; `matrix` (CSV) writes the
        code matrix, one row per document. JSON names each annotation's creator where it is
        known. Returns the files written."""
        from reader.exchange.writer import export

        return export(
            self, fmt, document, tag, group_by, output, split, tuple(where), matrix, self.store.db
        )

    def import_annotations(self, raw: str) -> ImportReport:
        """Import W3C JSON annotations (text of a file), re-anchored; importing twice adds
        nothing."""
        from reader.exchange.importer import import_w3c_text

        return import_w3c_text(self, raw)

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
        from reader.exchange.writer import export_search_results

        return export_search_results(self, self.exports_dir, query, set(annotation_ids))

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
