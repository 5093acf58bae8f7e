"""Which document of this workspace an imported W3C annotation is about.

Tried in order: the corpus path (`reader:path`, or the `corpus/…` source of reader's older
exports); the source IRI, as a `file:` IRI whose path ends in a document's path (the
longest such, so `b/x.txt` wins over `x.txt`) or as the web address a document came from; the
content hash the annotation was made on. Nothing else is guessed.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from reader.exchange.w3c_read import Incoming
from reader.models import Document


def _address_key(iri: str) -> str:
    """A web address compared loosely: no fragment, no trailing slash, scheme and host in
    lower case."""
    parts = urlsplit(iri.strip())
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}{query}"


class DocumentMatcher:
    """Looks up the document for an imported annotation (None: no document matches)."""

    def __init__(self, documents: list[Document]) -> None:
        self.by_path = {d.path: d for d in documents}
        self.by_hash = {d.content_hash: d for d in documents if d.content_hash}
        self.by_address: dict[str, Document] = {}
        for document in documents:
            if document.source and "://" in document.source:
                self.by_address.setdefault(_address_key(document.source), document)

    def __call__(self, item: Incoming) -> Document | None:
        if item.path is not None and item.path in self.by_path:
            return self.by_path[item.path]
        found = self._by_iri(item.iri) if item.iri else None
        if found is None and item.path is None and item.iri in self.by_path:
            found = self.by_path[item.iri]  # a bare relative path as the source
        return found or self.by_hash.get(item.content_hash or "")

    def _by_iri(self, iri: str) -> Document | None:
        if iri.lower().startswith("file:"):
            try:
                path = unquote(urlsplit(iri).path, errors="surrogateescape")
            except ValueError:
                return None
            ends = [p for p in self.by_path if path.endswith("/" + p)]
            return self.by_path[max(ends, key=len)] if ends else None
        if "://" in iri:
            return self.by_address.get(_address_key(iri))
        return None
