"""The codebook as REFI-QDA codes: tag paths become nested `Code` elements (a parent path that
is no tag of its own is a non-codable code with a derived GUID), each with its tag's GUID,
colour and description. Read back, nested codes become tag paths again."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlite_utils
from lxml import etree

from reader.codebook.guids import TagRecord, give_guid, tag_records, tag_with_guid
from reader.codebook.tag_names import clean_tag_name, parse_color
from reader.codebook.tags import ensure_tag, find_tag
from reader.codebook.tree import MAX_DESCRIPTION_CHARS
from reader.errors import UsageError
from reader.exchange.refi.common import (
    CODEBOOK_LOCATION,
    CODEBOOK_NS,
    ORIGIN,
    XSI_NS,
    RefiError,
    derived_guid,
    normal_guid,
    parse_xml,
    xml_text,
)

_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_DESCRIPTION_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MAX_CODE_DEPTH = 64


def codes_element(records: list[TagRecord], ns: str) -> etree._Element:
    """`<Codes>` in namespace `ns` holding every tag, nested by path."""
    codes = etree.Element(f"{{{ns}}}Codes")
    own = {r.key: r for r in records}
    made: dict[str, etree._Element] = {}
    for record in records:
        parts, keys = record.path.split("/"), record.key.split("/")
        parent = codes
        for depth in range(1, len(parts) + 1):
            key = "/".join(keys[:depth])
            if key not in made:
                made[key] = _code(parent, ns, parts[depth - 1], own.get(key), key)
            parent = made[key]
    return codes


def _code(
    parent: etree._Element, ns: str, label: str, record: TagRecord | None, key: str
) -> etree._Element:
    code = etree.SubElement(parent, f"{{{ns}}}Code")
    code.set("guid", record.guid if record else derived_guid("path", key))
    code.set("name", xml_text(label))
    code.set("isCodable", "true" if record else "false")
    if record and _HEX_COLOR.fullmatch(record.color):
        code.set("color", record.color.upper())
    if record and record.description:
        etree.SubElement(code, f"{{{ns}}}Description").text = xml_text(record.description)
    return code


def write_qdc(db: sqlite_utils.Database) -> bytes:
    """The workspace's codebook as a REFI-QDA codebook (`.qdc`), UTF-8."""
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS, "xsi": XSI_NS})
    root.set("origin", ORIGIN)
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{CODEBOOK_NS} {CODEBOOK_LOCATION}")
    codes = codes_element(tag_records(db), CODEBOOK_NS)
    if len(codes):  # the schema wants at least one Code: an empty codebook has a placeholder
        root.append(codes)
    else:
        etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@dataclass(frozen=True)
class CodeSpec:
    """One code of a file: its GUID (None when the file's is not one), tag path and what the
    tag takes from it."""

    item: int
    guid: str | None
    path: str
    description: str
    color: str | None
    codable: bool
    has_children: bool


@dataclass
class CodesRead:
    codes: list[CodeSpec] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def read_codes(codes: etree._Element, ns: str) -> CodesRead:
    """Every `Code` under `<Codes>`, depth first, with the path its nesting gives."""
    read = CodesRead()

    def walk(element: etree._Element, prefix: str, depth: int) -> None:
        for code in element.findall(f"{{{ns}}}Code"):
            item = len(read.codes) + len(read.refused) + 1
            name = (code.get("name") or "").strip()
            if depth > MAX_CODE_DEPTH:
                read.refused.append(f"code #{item} {name[:40]!r}: nested deeper than "
                                    f"{MAX_CODE_DEPTH}")  # fmt: skip
                continue
            path = f"{prefix}/{name}" if prefix else name
            described = code.find(f"{{{ns}}}Description")
            read.codes.append(
                CodeSpec(
                    item=item,
                    guid=normal_guid(code.get("guid")),
                    path=path,
                    description=(described.text or "") if described is not None else "",
                    color=code.get("color"),
                    codable=(code.get("isCodable") or "true").strip() in ("true", "1"),
                    has_children=code.find(f"{{{ns}}}Code") is not None,
                )
            )
            walk(code, path, depth + 1)

    walk(codes, "", 1)
    return read


def read_qdc(data: bytes) -> CodesRead:
    """The codes of a REFI-QDA codebook file."""
    root = parse_xml(data, "the codebook")
    if root.tag != f"{{{CODEBOOK_NS}}}CodeBook":
        raise RefiError(f"not a REFI-QDA codebook (its root is {etree.QName(root).localname!r})")
    codes = root.find(f"{{{CODEBOOK_NS}}}Codes")
    return read_codes(codes, CODEBOOK_NS) if codes is not None else CodesRead()


@dataclass
class CodebookImport:
    """What importing codes did: tags made, codes that matched a tag (by GUID or path), and
    each code refused with its reason."""

    added: int = 0
    matched: int = 0
    refused: list[str] = field(default_factory=list)
    tag_of_guid: dict[str, int] = field(default_factory=dict)


def import_codes(db: sqlite_utils.Database, read: CodesRead) -> CodebookImport:
    """Make a tag for each code no tag is yet (matched by GUID, else by path), with the code's
    GUID, colour and description; a tag that exists keeps its name and colour, and gains a
    description only where it had none. Call inside a write."""
    report = CodebookImport(refused=list(read.refused))
    for spec in read.codes:
        implied_parent = not spec.codable and spec.has_children and not spec.description.strip()
        try:
            tag_id = _existing(db, spec)
            if tag_id is None and implied_parent:
                continue  # reader implies a parent from its children's paths
            if tag_id is None:
                tag_id = ensure_tag(db, spec.path)
                report.added += 1
                if spec.guid:
                    give_guid(db, tag_id, spec.guid)
                color = _color(spec.color)
                if color:
                    db.execute("UPDATE tags SET color = ? WHERE id = ?", [color, tag_id])
            else:
                report.matched += 1
            description = _description(spec.description)
            if description:
                db.execute(
                    "UPDATE tags SET description = ? WHERE id = ? AND description = ''",
                    [description, tag_id],
                )
        except UsageError as exc:
            report.refused.append(f"code #{spec.item} {spec.path[:60]!r}: {exc}")
            continue
        if spec.guid:
            report.tag_of_guid[spec.guid] = tag_id
    return report


def _existing(db: sqlite_utils.Database, spec: CodeSpec) -> int | None:
    found = tag_with_guid(db, spec.guid) if spec.guid else None
    if found is None:
        clean_tag_name(spec.path)  # raises UsageError for a name no tag can have
        found = find_tag(db, spec.path)
    return found


def _color(value: str | None) -> str | None:
    try:
        return parse_color(value) if value and value.strip().startswith("#") else None
    except UsageError:
        return None


def _description(value: str) -> str:
    return _DESCRIPTION_CONTROL.sub("", value.replace("\r\n", "\n")).strip()[:MAX_DESCRIPTION_CHARS]
