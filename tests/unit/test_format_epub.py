"""EPUB extraction: spine order, metadata, and every way a book can be refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from reader.corpus.formats import Unreadable
from reader.corpus.formats.epub import extract_epub

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>"""

PACKAGE = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="id">urn:uuid:1234</dc:identifier>
    <dc:title>The Lighthouse Keeper</dc:title>
    <dc:creator>Ada Lind</dc:creator>
    <dc:creator>Boris Ek</dc:creator>
    <dc:date>2019-04-02</dc:date>
    <dc:publisher>Harbour Press</dc:publisher>
  </metadata>
  <manifest>
    <item id="c1" href="text/chapter%201.xhtml" media-type="application/xhtml+xml"/>
    <item id="c2" href="text/chapter2.xhtml" media-type="application/xhtml+xml"/>
    <item id="css" href="style.css" media-type="text/css"/>
  </manifest>
  <spine><itemref idref="c2"/><itemref idref="c1"/></spine>
</package>"""


def chapter(body: str, head: str = "") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>{head}
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title>
<style>p {{ color: red }}</style></head><body>{body}</body></html>"""


CHAPTER_ONE = chapter(
    "<h1>Chapter One</h1><p>The lamp was lit at dusk.</p>"
    "<ul><li>oil</li><li>wick</li></ul><p>Written &lt;b&gt;plainly&lt;/b&gt;.</p>"
)
CHAPTER_TWO = chapter("<h1>Prologue</h1><p>Before the storm, the sea was calm.</p>")


def make_epub(members: dict[str, str | bytes], *, compress: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, content in members.items():
            kind = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            archive.writestr(name, content, compress_type=kind)
    return buffer.getvalue()


def book(**overrides: str | bytes) -> bytes:
    members: dict[str, str | bytes] = {
        "META-INF/container.xml": CONTAINER,
        "OEBPS/content.opf": PACKAGE,
        "OEBPS/text/chapter 1.xhtml": CHAPTER_ONE,
        "OEBPS/text/chapter2.xhtml": CHAPTER_TWO,
        "OEBPS/style.css": "p { margin: 0 }",
    }
    members.update(overrides)
    return make_epub({name: value for name, value in members.items() if value != ""})


def test_chapters_follow_the_spine_with_headings_and_items_on_their_own_lines() -> None:
    extracted = extract_epub(book())
    assert extracted.text == (
        "Prologue\n\nBefore the storm, the sea was calm.\n\nChapter One\n\n"
        "The lamp was lit at dusk.\n\n- oil\n- wick\n\nWritten <b>plainly</b>."
    )
    assert "color" not in extracted.text


def test_metadata_comes_from_dublin_core() -> None:
    extracted = extract_epub(book())
    assert extracted.title == "The Lighthouse Keeper"
    assert extracted.author == "Ada Lind, Boris Ek"
    assert extracted.date == "2019-04-02"
    assert extracted.site == "Harbour Press"


def test_a_year_alone_is_not_a_date() -> None:
    package = PACKAGE.replace("2019-04-02", "2019")
    assert extract_epub(book(**{"OEBPS/content.opf": package})).date is None


def test_missing_container_is_refused() -> None:
    with pytest.raises(Unreadable, match=r"container\.xml"):
        extract_epub(book(**{"META-INF/container.xml": ""}))


def test_not_a_zip_is_refused() -> None:
    with pytest.raises(Unreadable, match="not a valid EPUB"):
        extract_epub(b"this is not a zip file at all")


def test_malformed_package_xml_is_refused_with_a_reason() -> None:
    with pytest.raises(Unreadable, match="package file is damaged"):
        extract_epub(book(**{"OEBPS/content.opf": "<package><metadata></package"}))


def test_malformed_chapter_xhtml_is_read_leniently() -> None:
    broken = "<html><body><p>Unclosed paragraph<p>Second one & more<br></body>"
    extracted = extract_epub(book(**{"OEBPS/text/chapter2.xhtml": broken}))
    assert extracted.text.startswith("Unclosed paragraph\n\nSecond one & more\n\nChapter One")


def test_drm_encrypted_chapters_are_refused() -> None:
    encryption = """<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
      xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
      <enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
      <enc:CipherData><enc:CipherReference URI="OEBPS/text/chapter2.xhtml"/></enc:CipherData>
      </enc:EncryptedData></encryption>"""
    with pytest.raises(Unreadable, match="DRM"):
        extract_epub(book(**{"META-INF/encryption.xml": encryption}))


def test_obfuscated_fonts_are_not_drm() -> None:
    encryption = """<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
      xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
      <enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>
      <enc:CipherData><enc:CipherReference URI="OEBPS/fonts/serif.otf"/></enc:CipherData>
      </enc:EncryptedData></encryption>"""
    assert extract_epub(book(**{"META-INF/encryption.xml": encryption})).title


def test_external_entities_are_never_resolved() -> None:
    head = '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    hostile = chapter("<p>Before &xxe; after.</p>", head=head)
    extracted = extract_epub(book(**{"OEBPS/text/chapter2.xhtml": hostile}))
    assert "root:" not in extracted.text
    assert extracted.text.startswith("Before")


def test_external_entities_in_the_package_are_never_resolved() -> None:
    package = PACKAGE.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE package [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    ).replace("The Lighthouse Keeper", "&xxe;The Lighthouse Keeper")
    extracted = extract_epub(book(**{"OEBPS/content.opf": package}))
    assert extracted.title == "The Lighthouse Keeper"


def test_zip_bomb_is_refused_before_inflating() -> None:
    bomb = make_epub(
        {
            "META-INF/container.xml": CONTAINER,
            "OEBPS/content.opf": PACKAGE,
            "OEBPS/text/chapter2.xhtml": b"\0" * (4 * 1024 * 1024),  # ~4 KB compressed
        }
    )
    assert len(bomb) < 64 * 1024
    with pytest.raises(Unreadable, match="zip bomb"):
        extract_epub(bomb)


def test_a_book_without_text_is_refused() -> None:
    empty = chapter('<div><img src="cover.jpg" alt="cover"/></div>')
    with pytest.raises(Unreadable, match="no readable text"):
        extract_epub(
            book(**{"OEBPS/text/chapter 1.xhtml": empty, "OEBPS/text/chapter2.xhtml": empty})
        )


def test_a_spine_entry_without_its_file_is_skipped() -> None:
    extracted = extract_epub(book(**{"OEBPS/text/chapter2.xhtml": ""}))
    assert extracted.text.startswith("Chapter One")
