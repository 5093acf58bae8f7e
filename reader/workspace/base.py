"""The open workspace's core: the store, the settings, the corpus and its documents, metadata
and attributes, and what the app remembers. `Workspace` (reader.workspace) builds on it with
highlights, the codebook, statistics, search and exports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Self

from reader.codebook.tag_names import configure_palette
from reader.config.loading import config_path, load_settings
from reader.corpus import attributes, document_state
from reader.corpus.corrections import correct_metadata, file_values
from reader.corpus.documents import (
    document_by_id,
    document_by_path,
    document_text,
    document_titles,
    iter_documents,
    list_documents,
    resolve_document,
)
from reader.corpus.sync import Progress, sync_corpus
from reader.errors import UsageError, WorkspaceError
from reader.models import AddResult, AttributeInfo, Document, SyncReport
from reader.search.index import index_document, settle_search_index
from reader.store import Store, open_store
from reader.workspace.folder import CORPUS_DIR, DATABASE_FILE, EXPORTS_DIR
from reader.workspace.names import workspace_root

if TYPE_CHECKING:
    from reader.config.records import Settings
    from reader.corpus.attributes_csv import AttributeImport
    from reader.corpus.listing_check import ListingCheck


class WorkspaceBase:
    """An open workspace folder: syncs the corpus on opening, then serves its documents."""

    def __init__(self, root: Path, store: Store, last_sync: SyncReport) -> None:
        self.root = root
        self.store = store
        self.last_sync = last_sync

    @classmethod
    def open(
        cls,
        root: Path | None = None,
        sync: bool = True,
        progress: Progress | None = None,
        listing: ListingCheck | None = None,
    ) -> Self:
        """Open the workspace folder `root` and, with `sync`, sync its corpus; `listing` is
        the listing of its corpus `start_corpus_listing` started (taken, or stopped)."""
        try:
            return cls._open(workspace_root(root), sync, progress, listing)
        finally:
            if listing is not None:
                listing.close()

    @classmethod
    def _open(
        cls, root: Path, sync: bool, progress: Progress | None, listing: ListingCheck | None
    ) -> Self:
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
            try:
                workspace.sync(progress, listing=listing)
            except BaseException:  # an unreadable corpus/, say: the store is not left open
                workspace.close()
                raise
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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Corpus and documents

    def sync(
        self,
        progress: Progress | None = None,
        committed: Progress | None = None,
        listing: ListingCheck | None = None,
    ) -> SyncReport:
        """Bring the store in line with `corpus/`; `progress(done, total)` hears of each file
        read, `committed(done, total)` of each batch stored (from the syncing thread), so a long
        first sync can say how far it got and show the documents already in. `listing`: one
        started earlier (reader/corpus/listing_check.py); by default the sync starts its own."""
        megabytes = self.settings.corpus.max_file_mb
        limit = megabytes * 2**20 if megabytes else None
        self.last_sync = sync_corpus(
            self.store,
            self.corpus_dir,
            progress,
            max_file_bytes=limit,
            committed=committed,
            listing=listing,
        )
        return self.last_sync

    def add(self, sources: Iterable[str]) -> list[AddResult]:
        """Bring articles in: each source is an http(s) address (fetched under time, size and
        redirect limits, saved as the page) or a file path (copied in); then the corpus is
        synced. The same address or the same content twice makes one document; one bad source
        is reported in its result and never stops the others."""
        from reader.corpus.adding import add_sources  # web and file fetching: `add` only

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

    def write_attributes_csv(self, path: Path, force: bool = False) -> Path:
        """`export_attributes_csv` written to `path` as every export is (a file reader did not
        write is replaced only with `force`, else `WouldReplace`); returns it."""
        from reader.exchange.ledger import ExportLedger
        from reader.exchange.writer import write_file

        ledger = ExportLedger.of_workspace(self.root)
        return write_file(path, self.export_attributes_csv(), force, ledger)

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

    def iter_documents(self) -> Iterator[Document]:
        """The documents in `documents()`'s order, read as they are used."""
        return iter_documents(self.store.db)

    def document_titles(self) -> dict[int, str]:
        return document_titles(self.store.db)

    def document(self, handle: str | int) -> Document:
        """The document an id (int) names, or a handle a user typed (`#12`, path, file name,
        stem, address); a handle that could mean two documents is refused."""
        if isinstance(handle, int):
            found = document_by_id(self.store.db, handle)
            if found is None:
                raise UsageError(f"no document #{handle}")
            return found
        return resolve_document(self.store.db, handle)

    def document_at(self, path: str) -> Document:
        """The document at `path` under corpus/ exactly, as `add` reports it (a file named
        `12` is that file here, where a user's `12` could also be #12)."""
        found = document_by_path(self.store.db, path)
        if found is None:
            raise UsageError(f"no document at {path}")
        return found

    def text(self, document: Document) -> str:
        text = document_text(self.store.db, document.id)
        if text is None:
            raise UsageError(f"{document.path} has no text ({document.warning or document.status})")
        return text

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
