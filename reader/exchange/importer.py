"""Read W3C Web Annotations back in: idempotent, merging a colleague's work, re-anchored.

An annotation is matched to a document by its path, else by the content hash it was made on;
its quote is placed again in the current text (exactly where it was, moved, or orphaned), and
one already present (same id) is skipped, so importing twice adds nothing. All in one
transaction: a file that cannot be read changes nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

from reader.annotate.anchoring import context, reanchor
from reader.annotate.annotations import insert_annotation, link_tag
from reader.corpus.documents import document_text
from reader.errors import UsageError
from reader.exchange.w3c import CONTENT_HASH, URN_PREFIX
from reader.models import Document
from reader.store import Store


class ImportTarget(Protocol):
    """Where annotations are imported to: `Workspace` is one (it calls this module)."""

    store: Store

    def documents(self) -> list[Document]: ...


@dataclass
class ImportReport:
    """What an import did: counts by anchor status, skips, and sources with no document."""

    added: Counter[str] = field(default_factory=Counter)
    already_present: int = 0
    unmatched: list[str] = field(default_factory=list)

    @property
    def total_added(self) -> int:
        return sum(self.added.values())


@dataclass(frozen=True)
class _Incoming:
    uid: str
    source: str
    content_hash: str | None
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    note: str
    tags: list[str]
    created: str | None
    modified: str | None
    creator: str | None = None


def _creator(value: Any) -> str | None:
    """A W3C creator's name: `{"name": …}` (a Person), a list of them (the first), or text."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("nickname")
    return str(value) if isinstance(value, str) and value.strip() else None


def _items(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if data.get("type") == "Annotation":
            return [data]
        for key in ("items", "first"):
            value = data.get(key)
            if isinstance(value, list):
                return value
            if isinstance(value, dict) and isinstance(value.get("items"), list):
                return value["items"]
    raise UsageError("not a W3C annotation list (expected a JSON array of annotations)")


def _parse(item: Any, index: int) -> _Incoming:
    """One annotation, checked; a malformed one is a usage error naming its position."""
    try:
        target = item["target"]
        selectors = target["selector"]
        if isinstance(selectors, dict):
            selectors = [selectors]
        quote = next(s for s in selectors if s.get("type") == "TextQuoteSelector")
        position = next((s for s in selectors if s.get("type") == "TextPositionSelector"), {})
        bodies = item.get("body") or []
        if isinstance(bodies, dict):
            bodies = [bodies]
        notes = [b["value"] for b in bodies if b.get("purpose") in ("commenting", None)]
        tags = [b["value"] for b in bodies if b.get("purpose") == "tagging"]
        source = str(target["source"])
        return _Incoming(
            uid=str(item["id"]).removeprefix(URN_PREFIX),
            source=source.removeprefix("corpus/"),
            content_hash=target.get(CONTENT_HASH),
            exact=str(quote["exact"]),
            prefix=str(quote.get("prefix", "")),
            suffix=str(quote.get("suffix", "")),
            start=int(position.get("start", -1)),
            end=int(position.get("end", -1)),
            note="\n\n".join(str(n) for n in notes),
            tags=[str(t) for t in tags],
            created=item.get("created"),
            modified=item.get("modified"),
            creator=_creator(item.get("creator")),
        )
    except (KeyError, TypeError, ValueError, StopIteration, AttributeError) as exc:
        raise UsageError(
            f"annotation #{index + 1} is not a readable W3C annotation ({exc!r})"
        ) from exc


def import_w3c_text(workspace: ImportTarget, raw: str) -> ImportReport:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise UsageError(f"not JSON: {exc}") from exc
    incoming = [_parse(item, i) for i, item in enumerate(_items(data))]
    return import_annotations(workspace, incoming)


def import_annotations(workspace: ImportTarget, incoming: list[_Incoming]) -> ImportReport:
    report = ImportReport()
    documents = workspace.documents()
    by_path = {d.path: d for d in documents}
    by_hash = {d.content_hash: d for d in documents if d.content_hash}
    with workspace.store.write() as db:
        present = {row[0] for row in db.execute("SELECT uid FROM annotations")}
        for item in incoming:
            if item.uid in present:
                report.already_present += 1
                continue
            document = by_path.get(item.source) or (by_hash.get(item.content_hash or ""))
            if document is None:
                report.unmatched.append(item.source)
                continue
            text = document_text(db, document.id)
            if text is None or document.status != "ok":
                status, start, end = "orphaned", max(0, item.start), max(0, item.end)
                prefix, suffix = item.prefix, item.suffix
            else:
                placed = reanchor(text, item.start, item.end, item.exact, item.prefix, item.suffix)
                status, start, end = placed.status, placed.start, placed.end
                if status == "orphaned":
                    prefix, suffix = item.prefix, item.suffix
                else:
                    prefix, suffix = context(text, start, end)
            ann_id = insert_annotation(
                db,
                document_id=document.id,
                span=(max(0, start), max(max(0, start), end)),
                quote=item.exact,
                context=(prefix, suffix),
                content_hash=item.content_hash or document.content_hash or "",
                note=item.note,
                status=status,
                uid=item.uid,
                times=(item.created, item.modified or item.created) if item.created else None,
                creator=item.creator,
            )
            for tag in item.tags:
                try:
                    link_tag(db, ann_id, tag)
                except UsageError:
                    continue  # an empty or oversized tag: the annotation still comes in
            present.add(item.uid)
            report.added[status] += 1
    return report
