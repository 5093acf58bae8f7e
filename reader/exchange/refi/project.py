"""The workspace as a REFI-QDA project (`.qdpx`): a zip of `project.qde` and `sources/`.

Each document is a `TextSource` whose plain text (`sources/GUID.txt`, UTF-8) is its canonical
text, so a `PlainTextSelection`'s positions are reader's own offsets (code points from 0, the
end exclusive, as REFI-QDA 1.5 §10.2 counts them). Each highlight is a selection named by its
quote, with one `Coding` per tag and its note as a `Note`; document tags are codings of the
whole source and the document note a `Note` the source refers to. Users are the highlights'
creators. Orphaned highlights (no place in the text) are left out and counted.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import sqlite_utils
from lxml import etree

from reader.codebook.guids import tag_records
from reader.exchange.refi.codebook import codes_element
from reader.exchange.refi.common import (
    ORIGIN,
    PROJECT_LOCATION,
    PROJECT_NS,
    XSI_NS,
    derived_guid,
    guid_for_uid,
    xml_text,
)
from reader.models import Annotation, Document

NAME_CHARS = 200  # a selection's name is its quote, shortened


class ProjectSource(Protocol):
    """What the export reads: `Workspace` is one."""

    def documents(self) -> list[Document]: ...
    def text(self, document: Document) -> str: ...
    def annotations(self, document: Document | None = None) -> list[Annotation]: ...
    def document_tags(self, document: Document) -> list[str]: ...
    def document_note(self, document: Document) -> str: ...


@dataclass
class ProjectExport:
    """The `.qdpx` bytes, and what they hold."""

    data: bytes
    sources: int = 0
    selections: int = 0
    orphaned: int = 0


def _q(name: str) -> str:
    return f"{{{PROJECT_NS}}}{name}"


def refi_datetime(value: str | None) -> str | None:
    """`value` (an ISO time) as an xsd:dateTime in UTC, or None when it is not a time."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _set_time(element: etree._Element, attribute: str, value: str | None) -> None:
    moment = refi_datetime(value)
    if moment:
        element.set(attribute, moment)


class _Builder:
    def __init__(self, db: sqlite_utils.Database) -> None:
        records = tag_records(db)
        self.tag_guid = {r.key: r.guid for r in records}
        self.codes = codes_element(records, PROJECT_NS)
        self.users: dict[str, str] = {}  # name → GUID
        self.notes = etree.Element(_q("Notes"))

    def user(self, name: str | None) -> str | None:
        if not name:
            return None
        return self.users.setdefault(name, derived_guid("user", name))

    def coding(self, parent: etree._Element, owner: str, tag: str, who: str | None) -> None:
        guid = self.tag_guid.get(tag.casefold())
        if guid is None:
            return
        coding = etree.SubElement(
            parent, _q("Coding"), guid=derived_guid("coding", f"{owner}|{tag.casefold()}")
        )
        if who:
            coding.set("creatingUser", who)
        etree.SubElement(coding, _q("CodeRef"), targetGUID=guid)

    def note(self, parent: etree._Element, guid: str, name: str, text: str, who: str | None,
             when: str | None) -> None:  # fmt: skip
        note = etree.SubElement(self.notes, _q("Note"), guid=guid, name=xml_text(name))
        if who:
            note.set("creatingUser", who)
        _set_time(note, "creationDateTime", when)
        etree.SubElement(note, _q("PlainTextContent")).text = xml_text(text)
        etree.SubElement(parent, _q("NoteRef"), targetGUID=guid)


def build_project(workspace: ProjectSource, db: sqlite_utils.Database, name: str) -> ProjectExport:
    """The `.qdpx` of every readable document, its highlights, tags and notes."""
    builder = _Builder(db)
    sources = etree.Element(_q("Sources"))
    texts: list[tuple[str, str]] = []
    result = ProjectExport(b"")
    by_document: dict[int, list[Annotation]] = {}
    for annotation in workspace.annotations():
        by_document.setdefault(annotation.document_id, []).append(annotation)
    for document in workspace.documents():
        if document.status != "ok":
            continue
        guid = derived_guid("document", document.path)
        text = xml_text(workspace.text(document))  # one for one: offsets stay right
        texts.append((guid, text))
        source = etree.SubElement(sources, _q("TextSource"), guid=guid)
        source.set("name", xml_text(document.path))
        source.set("plainTextPath", f"internal://{guid}.txt")
        result.sources += 1
        for annotation in by_document.get(document.id, []):
            if annotation.status == "orphaned" or annotation.end > len(text):
                result.orphaned += 1
                continue
            _selection(builder, source, annotation)
            result.selections += 1
        for tag in workspace.document_tags(document):
            builder.coding(source, guid, tag, None)
        note = workspace.document_note(document)
        if note.strip():
            builder.note(source, derived_guid("document-note", document.path),
                         f"Note on {document.path}", note, None, None)  # fmt: skip
    root = _project_root(builder, sources, name)
    result.data = _zip(root, texts)
    return result


def _selection(builder: _Builder, source: etree._Element, annotation: Annotation) -> None:
    guid = guid_for_uid(annotation.uid)
    who = builder.user(annotation.creator)
    selection = etree.SubElement(source, _q("PlainTextSelection"), guid=guid)
    selection.set("name", xml_text(annotation.quote[:NAME_CHARS]))
    selection.set("startPosition", str(annotation.start))
    selection.set("endPosition", str(annotation.end))
    if who:
        selection.set("creatingUser", who)
    _set_time(selection, "creationDateTime", annotation.created)
    _set_time(selection, "modifiedDateTime", annotation.updated)
    for tag in annotation.tags:
        builder.coding(selection, guid, tag, who)
    if annotation.note.strip():
        builder.note(selection, derived_guid("note", guid), annotation.quote[:60],
                     annotation.note, who, annotation.created)  # fmt: skip


def _project_root(builder: _Builder, sources: etree._Element, name: str) -> etree._Element:
    root = etree.Element(_q("Project"), nsmap={None: PROJECT_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{PROJECT_NS} {PROJECT_LOCATION}")
    root.set("name", xml_text(name))
    root.set("origin", ORIGIN)
    _set_time(root, "creationDateTime", datetime.now(UTC).isoformat())
    if builder.users:
        users = etree.SubElement(root, _q("Users"))
        for user_name, guid in sorted(builder.users.items()):
            etree.SubElement(users, _q("User"), guid=guid, name=xml_text(user_name))
    if len(builder.codes):
        etree.SubElement(root, _q("CodeBook")).append(builder.codes)
    if len(sources):
        root.append(sources)
    if len(builder.notes):
        root.append(builder.notes)
    return root


def _zip(root: etree._Element, texts: Iterable[tuple[str, str]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        qde = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        archive.writestr("project.qde", qde)
        for guid, text in texts:
            archive.writestr(f"sources/{guid}.txt", text.encode("utf-8"))
    return buffer.getvalue()
