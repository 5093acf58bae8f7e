"""Bring the store in line with the files in `corpus/`.

An unchanged corpus costs its listing: `find`'s listing of it, or else the scan's digest,
equals the one the last sync stored (reader/corpus/listing_check.py, fingerprint.py), so
neither a file nor the documents table is read. Otherwise
files are read only when their size or mtime moved, re-parsed only when their content hash
changed, and stored in batches of a few hundred files (or BATCH_BYTES of text), each its own
transaction: memory stays flat however large the corpus, and an interrupted first sync keeps
the batches it committed. Annotations are never dropped: those of a changed document are
re-anchored, those of a vanished or unreadable one orphaned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from reader.corpus.compact_files import CompactFiles
from reader.corpus.fingerprint import (
    Generations,
    listing_value,
    schema_version,
    stored_digest,
    stored_listing,
)
from reader.corpus.ingest import Extractor
from reader.corpus.listing_check import ListingCheck, start_listing
from reader.corpus.parse_pool import parse_files
from reader.corpus.scan import (
    CorpusScan,
    FileState,
    decided_unread,
    scan,
    skip_reason_unread,
)
from reader.corpus.scan import scan_corpus as scan_corpus  # where reader add looks
from reader.corpus.sync_apply import Renames, apply_batch
from reader.models import SyncReport
from reader.store import Store

# done, total: `progress` is called as files are read, `committed` after each batch is stored,
# so a long first sync can show how far it got and the documents already in.
Progress = Callable[[int, int], None]
# A batch is BATCH_FILES files at first (the first documents show soon), twice as many each
# batch after up to MAX_BATCH_FILES (each batch costs a commit and a vocabulary merge, so
# fewer, larger ones are cheaper: 2,000 files measured 25% faster than 300), or BATCH_BYTES of
# text, whichever comes first.
BATCH_FILES = 250
MAX_BATCH_FILES = 2_000
BATCH_BYTES = 32 * 2**20
# Past this many files to read, words are counted once at the end of the sync rather than
# merged into the vocabulary batch by batch (typo expansion then knows the new words from the
# last batch on; exact words are found from each batch on).
BULK_FILES = 500


def sync_corpus(
    store: Store,
    corpus_dir: Path,
    progress: Progress | None = None,
    extract: Extractor | None = None,
    max_file_bytes: int | None = None,
    committed: Progress | None = None,
    listing: ListingCheck | None = None,
) -> SyncReport:
    """Add new files, re-read changed ones, mark vanished ones missing; report what happened.

    `progress(done, total)` is told before the first file is read and after each one;
    `committed(done, total)` after each batch's transaction, from this thread. Web pages, EPUB,
    PDF and DOCX are read by `extract`; by default in worker processes under time and memory
    limits. Files larger than `max_file_bytes` (None: each format's default) are skipped unread.
    What is under a folder that cannot be read keeps its state; CorpusUnreadable when
    `corpus_dir` itself cannot be read (then nothing changes). `listing` is a listing of
    `corpus_dir` started earlier (the CLI starts it before its imports); by default one starts
    here. It must end before the scan begins (reader/corpus/listing_check.py says why)."""
    report = SyncReport()
    generations = Generations(store.conn)  # before the scan: a sync committing after it counts
    schema = schema_version(store.conn)
    listed = _listed(listing or start_listing(corpus_dir), max_file_bytes, schema)
    known_listing = stored_listing(store.conn)
    if listed is not None and known_listing is not None and known_listing[0] == listed:
        report.unchanged = known_listing[1]
        return report
    found = scan(corpus_dir)
    digest = found.hexdigest(max_file_bytes, schema)
    # No listing is kept with what could not be looked into (find failed there too, but a
    # folder may become unreadable between the two).
    kept_listing = None
    if listed is not None and not found.unreadable:
        kept_listing = listing_value(listed, len(found), digest)
    _report_unreadable(found, report)
    if digest == stored_digest(store.conn):
        report.unchanged = len(found)
        if kept_listing is not None:
            generations.listing_noted(store.conn, digest, kept_listing)
        return report
    known = {
        row[0]: row
        for row in store.conn.execute(
            "SELECT path, id, status, size, mtime_ns, content_hash, warning FROM documents"
        )
    }
    to_apply: list[FileState] = []
    for state in found.states():  # a FileState a file, kept only for those to apply
        row = known.get(state.path)
        if (
            row
            and row[2] != "missing"
            and (row[3], row[4]) == (state.size, state.mtime_ns)
            and (
                not decided_unread(state, row[2], row[5], row[6])
                or row[6] == skip_reason_unread(state, max_file_bytes)
            )
        ):
            report.unchanged += 1
            continue
        to_apply.append(state)
    to_apply.sort(key=lambda state: state.path)
    for state in to_apply:
        state.skip_reason = skip_reason_unread(state, max_file_bytes)
    vanished = sorted(
        path
        for path, row in known.items()
        if path not in found and row[2] != "missing" and not found.covers(path)
    )
    renames = _renames(known, vanished)
    # A row, a stat and a FileState per file, in every block of memory the scan took: held as
    # flat arrays instead, all of it is given back before the batches (100k files: ~100 MB).
    pending = CompactFiles(to_apply)
    del known, found, to_apply
    total = len(pending)
    if progress and total:
        progress(0, total)
    done = 0
    batches = _batches(parse_files(corpus_dir, pending, extract, max_file_bytes), total, progress)
    bulk = total > BULK_FILES
    for batch, last in batches:
        with store.write() as db:
            apply_batch(db, batch, vanished if last else [], renames, report, bulk, last)
            generations.committing(db, digest if last else None, kept_listing)
        done += len(batch)
        for state in batch:
            state.parsed = None  # the text is in the store now
        if committed and batch:
            committed(done, total)
    return report


def _listed(listing: ListingCheck | None, max_file_bytes: int | None, schema: int) -> str | None:
    """The listing's token once `find` ended (None where it proves nothing)."""
    if listing is None:
        return None
    try:
        return listing.token(max_file_bytes, schema)
    finally:
        listing.close()


def _renames(known: dict[str, tuple], vanished: list[str]) -> Renames:
    """Where a new file with a known content may come from: a missing or vanished document."""
    gone = frozenset(vanished)
    by_hash: dict[str, tuple[str, int]] = {}
    for path, row in known.items():
        if row[5] and (row[2] == "missing" or path in gone):
            by_hash.setdefault(row[5], (path, row[1]))
    return Renames(by_hash, gone)


def _batches(
    parsed: Iterator[FileState], total: int, progress: Progress | None
) -> Iterator[tuple[list[FileState], bool]]:
    """The files read, in batches (growing from BATCH_FILES); the last is flagged
    (and always comes, even empty, so that vanished files and the digest are stored)."""
    batch: list[FileState] = []
    size = 0
    limit = BATCH_FILES
    for done, state in enumerate(parsed, 1):
        if progress:
            progress(done, total)
        batch.append(state)
        text = state.parsed.text if state.parsed else None
        size += len(text) if text else 0
        if (len(batch) >= limit or size >= BATCH_BYTES) and done < total:
            yield batch, False
            batch, size = [], 0
            limit = min(limit * 2, max(MAX_BATCH_FILES, BATCH_FILES))
    yield batch, True


def _report_unreadable(found: CorpusScan, report: SyncReport) -> None:
    for place, reason in sorted(found.unreadable.items()):
        report.unreadable.append(place)
        report.warnings.append(f"{place}: {reason}; what was synced from it is kept as it was")
