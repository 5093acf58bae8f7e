"""What the QDC and QDPX modules share: namespaces, GUIDs, text XML can carry, a safe parser."""

from __future__ import annotations

import re
import uuid

from lxml import etree

from reader.corpus.formats.safe_xml import safe_xml_parser

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
CODEBOOK_LOCATION = "http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"
PROJECT_LOCATION = "http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
ORIGIN = "reader"
MAX_XML_BYTES = 256 * 1024 * 1024

# GUIDs reader derives (documents, users, implied parent codes) are UUID5s in this namespace,
# so the same thing has the same GUID in every export.
_READER_NS = uuid.UUID("6f1d8a52-3f0e-4c59-9d0b-8e9a1c0e5a71")
_GUID = re.compile(r"\{?[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\}?")
# Characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def derived_guid(kind: str, value: str) -> str:
    """A stable GUID for `value` of `kind` (`document`, `user`, `path` …)."""
    return str(uuid.uuid5(_READER_NS, f"{kind}:{value}"))


def guid_for_uid(uid: str) -> str:
    """A highlight's GUID from its uid: the uid itself when it is a UUID (any spelling), so a
    round trip gives the same uid back; else a GUID derived from it."""
    try:
        return str(uuid.UUID(uid.removeprefix("urn:uuid:")))
    except ValueError:
        return derived_guid("highlight", uid)


def normal_guid(value: str | None) -> str | None:
    """`value` as a lower-case hyphenated GUID, or None when it is not one."""
    if value is None or _GUID.fullmatch(value.strip()) is None:
        return None
    return str(uuid.UUID(value.strip().strip("{}")))


def xml_text(value: str) -> str:
    """`value` with the characters XML 1.0 cannot hold replaced by U+FFFD, one for one, so
    offsets counted in it stay right."""
    return _NOT_XML.sub("\ufffd", value)




class RefiError(ValueError):
    """A file that is not a REFI-QDA codebook or project reader can read; says why."""


def parse_xml(data: bytes, what: str) -> etree._Element:
    """The root element of `data`, parsed safely; a DOCTYPE (entities) is refused."""
    if len(data) > MAX_XML_BYTES:
        raise RefiError(f"{what} is larger than {MAX_XML_BYTES:,} bytes")
    try:
        root = etree.fromstring(data, parser=safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        raise RefiError(f"{what} is not well-formed XML ({exc})") from None
    if root is None:
        raise RefiError(f"{what} holds no XML element")
    if root.getroottree().docinfo.doctype:
        raise RefiError(f"{what} has a DOCTYPE; REFI-QDA files have none, so it is refused")
    return root
