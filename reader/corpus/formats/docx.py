"""A Word (.docx) file as article text: headings, paragraphs, lists and tables in body order.

python-docx reads the document after `zip_limits` has vetted the container, so a zip bomb is
refused before anything is inflated; its XML parser does not resolve entities.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from reader.corpus.formats import Extracted, Unreadable
from reader.corpus.formats.docinfo import clean_author, clean_text, clean_title
from reader.corpus.formats.zip_limits import open_zip

_HEADING_STYLES = ("heading", "title", "subtitle")


def extract_docx(data: bytes) -> Extracted:
    """The article in a Word file, or `Unreadable` for zip bombs and damaged files."""
    with open_zip(data, "DOCX") as archive:
        if "[Content_Types].xml" not in archive.namelist():
            raise Unreadable("not a Word document (a zip without [Content_Types].xml)")
    try:
        document = Document(io.BytesIO(data))
        blocks, title_paragraph = _blocks(document)
        properties = document.core_properties
        title = clean_title(properties.title) or clean_title(title_paragraph)
        author = clean_author(properties.author)
        description = clean_text(properties.subject) or clean_text(properties.comments)
        created = properties.created
    except MemoryError:
        raise
    except PackageNotFoundError:
        raise Unreadable("not a Word document (no document part in the DOCX)") from None
    except (KeyError, ValueError, TypeError, AttributeError, etree.LxmlError) as exc:
        raise Unreadable(f"damaged DOCX ({type(exc).__name__}: {str(exc)[:120]})") from None
    return Extracted(
        text="\n\n".join(blocks),
        title=title,
        author=author,
        date=created.date().isoformat() if isinstance(created, datetime) else None,
        description=description,
    )


def _blocks(document: Any) -> tuple[list[str], str | None]:
    """Body blocks in order (a list's items make one block, a line each), and the text of the
    first paragraph styled as the title."""
    blocks: list[str] = []
    items: list[str] = []
    title: str | None = None
    style_names: dict[str | None, str] = {}
    for part in document.iter_inner_content():
        if isinstance(part, Table):
            _flush(items, blocks)
            rows = _table_rows(part)
            if rows:
                blocks.append("\n".join(rows))
            continue
        if not isinstance(part, Paragraph):
            continue
        text = _paragraph_text(part)
        if not text:
            _flush(items, blocks)
            continue
        style = _style_name(part, style_names)
        if style == "title" and title is None:
            title = text
        if _is_list_item(part, style):
            items.append(" ".join(text.split()))
            continue
        _flush(items, blocks)
        if style.startswith(_HEADING_STYLES):
            text = " ".join(text.split())  # a heading is one line
        blocks.append(text)
    _flush(items, blocks)
    return blocks, title


def _flush(items: list[str], blocks: list[str]) -> None:
    """End a list: its items become one block."""
    if items:
        blocks.append("\n".join(items))
        items.clear()


def _paragraph_text(paragraph: Paragraph) -> str:
    """The paragraph's text, soft line breaks kept as lines, other whitespace tidied."""
    lines = (" ".join(line.split()) for line in paragraph.text.split("\n"))
    return "\n".join(line for line in lines if line)


def _style_name(paragraph: Paragraph, names: dict[str | None, str]) -> str:
    """The paragraph style's name in lower case ("" when missing or broken). python-docx
    looks a style up by scanning every style, so names are cached by style id."""
    style_id = paragraph._p.style
    if style_id not in names:
        try:
            style = paragraph.style
        except (KeyError, ValueError, AttributeError):
            style = None
        names[style_id] = ((style.name if style is not None else None) or "").casefold()
    return names[style_id]


def _is_list_item(paragraph: Paragraph, style: str) -> bool:
    """A bulleted or numbered paragraph: numbering on the paragraph, or a list style."""
    properties = paragraph._p.pPr
    return style.startswith("list") or (properties is not None and properties.numPr is not None)


def _table_rows(table: Table) -> list[str]:
    """Each row as one line of its cells' texts; merged cells count once."""
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(" | ".join(cells))
    return rows
