"""Read a REFI-QDA project (`.qdpx`) safely: the zip under limits (zip_limits.py), the XML with
no entities, DTD or network; plain-text sources and their selections, codes, notes and users.
One bad source or selection is refused alone, with its reason."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from reader.corpus.formats import Unreadable
from reader.corpus.formats.zip_limits import open_zip, read_member
from reader.exchange.refi.codebook import CodesRead, read_codes
from reader.exchange.refi.common import PROJECT_NS, RefiError, normal_guid, parse_xml

KIND = "QDPX"


def _q(name: str) -> str:
    return f"{{{PROJECT_NS}}}{name}"


@dataclass
class SelectionIn:
    item: int
    guid: str
    start: int
    end: int
    codes: list[str]
    note: str
    creator: str | None
    created: str | None
    modified: str | None


@dataclass
class SourceIn:
    item: int
    guid: str | None
    name: str
    text: str
    selections: list[SelectionIn] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)  # codings of the whole source
    note: str = ""


@dataclass
class ProjectIn:
    codes: CodesRead
    sources: list[SourceIn] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def read_qdpx(data: bytes) -> ProjectIn:
    """The project in a `.qdpx`'s bytes; RefiError when it cannot be read at all."""
    try:
        archive = open_zip(data, KIND)
        members = {info.filename.casefold(): info.filename for info in archive.infolist()}
        qde = members.get("project.qde")
        if qde is None:
            raise RefiError("not a REFI-QDA project: the zip holds no project.qde")
        root = parse_xml(read_member(archive, qde, KIND), "project.qde")
    except Unreadable as exc:
        raise RefiError(str(exc)) from None
    if root.tag != _q("Project"):
        raise RefiError(f"not a REFI-QDA project (its root is {etree.QName(root).localname!r})")

    def member_text(path: str | None) -> str | None:
        if not path or not path.startswith("internal://"):
            return None
        name = members.get(f"sources/{path.removeprefix('internal://')}".casefold())
        if name is None:
            raise RefiError(f"the zip holds no sources/{path.removeprefix('internal://')[:80]}")
        try:
            raw = read_member(archive, name, KIND)
        except Unreadable as exc:
            raise RefiError(str(exc)) from None
        try:
            return raw.decode("utf-8").removeprefix("\ufeff")  # QualCoder writes a BOM
        except UnicodeDecodeError as exc:
            raise RefiError(
                f"{name[:80]} is not UTF-8 ({exc.reason} at byte {exc.start})"
            ) from None

    codebook = root.find(f"{_q('CodeBook')}/{_q('Codes')}")
    project = ProjectIn(
        codes=read_codes(codebook, PROJECT_NS) if codebook is not None else CodesRead()
    )
    users = {normal_guid(u.get("guid")): (u.get("name") or "").strip()
             for u in root.iterfind(f"{_q('Users')}/{_q('User')}")}  # fmt: skip
    notes = _notes(root, member_text, project.refused)
    for item, element in enumerate(root.iterfind(f"{_q('Sources')}/*"), start=1):
        label = f"source #{item} {(element.get('name') or '')[:60]!r}"
        if element.tag != _q("TextSource"):
            project.refused.append(f"{label}: a {etree.QName(element).localname}; only plain-text "
                                   "sources are imported")  # fmt: skip
            continue
        try:
            text = _content(element, member_text)
        except RefiError as exc:
            project.refused.append(f"{label}: {exc}")
            continue
        source = SourceIn(item, normal_guid(element.get("guid")), element.get("name") or "", text)
        source.codes = _code_refs(element)
        source.note = _joined(notes.get(normal_guid(r.get("targetGUID"))) for r in
                              element.findall(_q("NoteRef")))  # fmt: skip
        for number, selection in enumerate(element.findall(_q("PlainTextSelection")), start=1):
            try:
                source.selections.append(_selection(number, selection, text, users, notes))
            except RefiError as exc:
                project.refused.append(f"{label} selection #{number}: {exc}")
        project.sources.append(source)
    return project


def _content(element: etree._Element, member_text) -> str:  # type: ignore[no-untyped-def]
    inline = element.find(_q("PlainTextContent"))
    if inline is not None:
        return inline.text or ""
    text = member_text(element.get("plainTextPath"))
    if text is None:
        raise RefiError("no plain text (neither PlainTextContent nor an internal plainTextPath)")
    return text


def _notes(root: etree._Element, member_text, refused: list[str]) -> dict[str | None, str]:  # type: ignore[no-untyped-def]
    notes: dict[str | None, str] = {}
    for item, note in enumerate(root.iterfind(f"{_q('Notes')}/{_q('Note')}"), start=1):
        try:
            notes[normal_guid(note.get("guid"))] = _content(note, member_text)
        except RefiError as exc:
            refused.append(f"note #{item}: {exc}")
    return notes


def _code_refs(element: etree._Element) -> list[str]:
    refs = (
        normal_guid(r.get("targetGUID"))
        for r in element.iterfind(f"{_q('Coding')}/{_q('CodeRef')}")
    )
    return [r for r in refs if r]


def _joined(parts) -> str:  # type: ignore[no-untyped-def]
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def _selection(item: int, element: etree._Element, text: str, users: dict[str | None, str],
               notes: dict[str | None, str]) -> SelectionIn:  # fmt: skip
    guid = normal_guid(element.get("guid"))
    if guid is None:
        raise RefiError(f"guid {str(element.get('guid'))[:40]!r} is not a GUID")
    try:
        start, end = int(element.get("startPosition", "")), int(element.get("endPosition", ""))
    except ValueError:
        raise RefiError("startPosition and endPosition must be whole numbers") from None
    if not 0 <= start < end <= len(text):
        raise RefiError(f"positions {start}..{end} are outside the text (0..{len(text)})")
    described = element.find(_q("Description"))
    note = _joined([described.text if described is not None else None,
                    *(notes.get(normal_guid(r.get("targetGUID"))) for r in
                      element.findall(_q("NoteRef")))])  # fmt: skip
    return SelectionIn(
        item=item,
        guid=guid,
        start=start,
        end=end,
        codes=_code_refs(element),
        note=note,
        creator=users.get(normal_guid(element.get("creatingUser"))) or None,
        created=element.get("creationDateTime"),
        modified=element.get("modifiedDateTime"),
    )
