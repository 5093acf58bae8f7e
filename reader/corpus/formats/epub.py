"""An EPUB book turned into one plain text (its chapters in reading order) and its metadata.

An EPUB is a zip: `META-INF/container.xml` names the OPF package, whose spine lists the XHTML
chapters in order. A chapter is rendered whole (a book chapter has no boilerplate to guess
away) by the renderer web pages use, so headings, paragraphs and lists read alike. XML is
parsed with entities unresolved, no DTD and no network, so a hostile book cannot read files
(XXE) or call out; the zip is read through `zip_limits`, so it cannot inflate without bound.
"""

from __future__ import annotations

import posixpath
import zipfile
from datetime import date
from urllib.parse import unquote

import lxml.html
from lxml import etree

from reader.corpus.formats import Extracted, Unreadable
from reader.corpus.formats.render import blocks_to_text, tree_to_blocks
from reader.corpus.formats.safe_xml import safe_xml_parser
from reader.corpus.formats.zip_limits import open_zip, read_member

KIND = "EPUB"
CONTAINER = "META-INF/container.xml"
ENCRYPTION = "META-INF/encryption.xml"
_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "enc": "http://www.w3.org/2001/04/xmlenc#",
}
# Font obfuscation (IDPF, Adobe) hides fonts, not text: such books are readable.
_FONT_OBFUSCATION = {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
_CHAPTER_TYPES = {"application/xhtml+xml", "text/html", "application/x-dtbook+xml"}


def extract_epub(data: bytes) -> Extracted:
    """The book's text in spine order with title, author, date and publisher, or
    `Unreadable` saying why not (damaged zip, zip bomb, DRM, no package, no text)."""
    archive = open_zip(data, KIND)
    with archive:
        package_path = _package_path(archive)
        package = _parse_xml(read_member(archive, package_path, KIND), "package file")
        chapters = _spine_paths(package, posixpath.dirname(package_path))
        _refuse_drm(archive, set(chapters))
        blocks: list[str] = []
        for path in chapters:
            try:
                content = read_member(archive, path, KIND)
            except Unreadable as exc:
                if "is missing" in str(exc):
                    continue  # a spine entry without its file: skip it, keep the book
                raise
            blocks.extend(_chapter_blocks(content))
    text = blocks_to_text(blocks)
    if not text.strip():
        raise Unreadable("EPUB has no readable text (its chapters are empty or images)")
    return Extracted(
        text=text,
        title=_dc(package, "title"),
        author=_authors(package),
        date=_iso_date(_dc(package, "date")),
        site=_dc(package, "publisher"),
        description=_dc(package, "description"),
    )


def _parse_xml(content: bytes, what: str) -> etree._Element:
    """A safely parsed XML document, or `Unreadable` naming the damaged part."""
    try:
        root = etree.fromstring(content, parser=safe_xml_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise Unreadable(f"EPUB {what} is damaged ({str(exc)[:120]})") from None
    if root is None:
        raise Unreadable(f"EPUB {what} is empty")
    return root


def _package_path(archive: zipfile.ZipFile) -> str:
    """The OPF package's path, from `META-INF/container.xml`."""
    container = _parse_xml(read_member(archive, CONTAINER, KIND), "container.xml")
    for rootfile in container.iterfind(".//c:rootfile", _NS):
        path = rootfile.get("full-path")
        media = rootfile.get("media-type", "application/oebps-package+xml")
        if path and media == "application/oebps-package+xml":
            return _member_name(path)
    raise Unreadable("EPUB container.xml names no package file")


def _member_name(href: str, base: str = "") -> str:
    """A zip member name for `href` (percent-escapes decoded, `..` resolved, no fragment)."""
    path = unquote(href.split("#", 1)[0])
    return posixpath.normpath(posixpath.join(base, path)).lstrip("/")


def _spine_paths(package: etree._Element, base: str) -> list[str]:
    """The chapters' member names in reading order (spine items in the manifest, linear)."""
    manifest = {
        item.get("id"): item
        for item in package.iterfind("opf:manifest/opf:item", _NS)
        if item.get("id") and item.get("href")
    }
    paths: list[str] = []
    for itemref in package.iterfind("opf:spine/opf:itemref", _NS):
        item = manifest.get(itemref.get("idref"))
        if item is None or itemref.get("linear", "yes") == "no":
            continue
        if item.get("media-type", "application/xhtml+xml") not in _CHAPTER_TYPES:
            continue
        path = _member_name(item.get("href", ""), base)
        if path not in paths:
            paths.append(path)
    if not paths:
        raise Unreadable("EPUB package lists no chapters in its spine")
    return paths


def _refuse_drm(archive: zipfile.ZipFile, chapters: set[str]) -> None:
    """`Unreadable` when `encryption.xml` says chapters are encrypted (DRM); fonts may be."""
    if ENCRYPTION not in archive.namelist():
        return
    try:
        encryption = _parse_xml(read_member(archive, ENCRYPTION, KIND), "encryption.xml")
    except Unreadable:
        raise Unreadable("EPUB is DRM-protected (its encryption list is unreadable)") from None
    for data in encryption.iterfind(".//enc:EncryptedData", _NS):
        method = data.find("enc:EncryptionMethod", _NS)
        if method is not None and method.get("Algorithm") in _FONT_OBFUSCATION:
            continue
        reference = data.find(".//enc:CipherReference", _NS)
        uri = reference.get("URI", "") if reference is not None else ""
        if _member_name(uri) in chapters or not uri:
            raise Unreadable("EPUB is DRM-protected: its chapters are encrypted")


def _chapter_blocks(content: bytes) -> list[str]:
    """A chapter's blocks: XHTML parsed strictly and safely, else leniently as HTML."""
    try:
        root = etree.fromstring(content, parser=safe_xml_parser())
    except (etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        parser = lxml.html.HTMLParser(
            remove_comments=True, remove_pis=True, no_network=True, collect_ids=False
        )
        try:
            root = lxml.html.document_fromstring(content, parser=parser)
        except (etree.ParserError, ValueError):
            return []
    bodies = [element for element in root.iter() if _local(element) == "body"]
    return tree_to_blocks(bodies[0] if bodies else root)


def _local(element: etree._Element) -> str | None:
    """An element's tag without its namespace (None for comments and entities)."""
    return etree.QName(element).localname if isinstance(element.tag, str) else None


def _text(element: etree._Element) -> str:
    """An element's text, whitespace collapsed, without unresolved entity references."""
    pieces = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            pieces.append(_text(child))
        pieces.append(child.tail or "")
    return " ".join("".join(pieces).split())


def _dc(package: etree._Element, name: str) -> str | None:
    """The first Dublin Core `name` in the package metadata, whitespace collapsed."""
    for element in package.iterfind(f"opf:metadata/dc:{name}", _NS):
        value = _text(element)
        if value:
            return value
    return None


def _authors(package: etree._Element) -> str | None:
    """Every dc:creator, joined by ", " (co-authors are all authors)."""
    names = [
        _text(element)
        for element in package.iterfind("opf:metadata/dc:creator", _NS)
    ]
    names = [name for name in names if name]
    return ", ".join(dict.fromkeys(names)) or None


def _iso_date(value: str | None) -> str | None:
    """`YYYY-MM-DD` when dc:date gives a full date; a year alone is not a date."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None
