"""Word files to article text: block order, headings, lists, tables, core properties, refusals."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest
from docx import Document

from reader.corpus.formats import Unreadable
from reader.corpus.formats.docx import extract_docx


def article_docx() -> bytes:
    """A short article with a title, headings, paragraphs, a bulleted list and a table."""
    document = Document()
    document.add_paragraph("Gas, Grain and Sanctions", style="Title")
    document.add_paragraph("Belgrade has kept its ties with Moscow   while talking to Brussels.")
    document.add_heading("What the ministers said", level=1)
    document.add_paragraph("Three points came up again and again:")
    for item in ["the gas contract", "the grain corridor", "the visa regime"]:
        document.add_paragraph(item, style="List Bullet")
    document.add_paragraph("After the list, a paragraph with a soft\nline break.")
    table = document.add_table(rows=3, cols=2)
    rows = [("Year", "Imports"), ("2021", "2.1 bcm"), ("2022", "")]
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_heading("Outlook", level=2)
    document.add_paragraph("Nobody expects a change before the elections.")
    properties = document.core_properties
    properties.title = "Serbia between East and West"
    properties.author = "Jelena Markovic"
    properties.created = datetime(2022, 11, 3, 8, 0, tzinfo=UTC)
    properties.subject = "Energy policy"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_blocks_in_order_with_headings_lists_and_tables() -> None:
    extracted = extract_docx(article_docx())
    assert extracted.text.split("\n\n") == [
        "Gas, Grain and Sanctions",
        "Belgrade has kept its ties with Moscow while talking to Brussels.",
        "What the ministers said",
        "Three points came up again and again:",
        "the gas contract\nthe grain corridor\nthe visa regime",
        "After the list, a paragraph with a soft\nline break.",
        "Year | Imports\n2021 | 2.1 bcm\n2022 | ",
        "Outlook",
        "Nobody expects a change before the elections.",
    ]


def test_core_properties_give_title_author_date() -> None:
    extracted = extract_docx(article_docx())
    assert (extracted.title, extracted.author, extracted.date, extracted.description) == (
        "Serbia between East and West",
        "Jelena Markovic",
        "2022-11-03",
        "Energy policy",
    )


def test_without_a_core_title_the_title_paragraph_is_used() -> None:
    document = Document()
    document.add_paragraph("The Title Paragraph", style="Title")
    document.add_paragraph("Body.")
    document.core_properties.title = ""
    out = io.BytesIO()
    document.save(out)
    extracted = extract_docx(out.getvalue())
    assert extracted.title == "The Title Paragraph"
    assert extracted.author is None  # python-docx's own default author is no author


def test_merged_table_cells_count_once() -> None:
    document = Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "Heading across"
    for cell, text in zip(table.rows[1].cells, ["a", "b", "c"], strict=True):
        cell.text = text
    out = io.BytesIO()
    document.save(out)
    assert extract_docx(out.getvalue()).text == "Heading across\na | b | c"


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_inflated() -> None:
    bomb = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": bytes(8 * 1024**2)})
    assert len(bomb) < 64 * 1024  # megabytes of zeros squeeze into kilobytes
    with pytest.raises(Unreadable, match="zip bomb"):
        extract_docx(bomb)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"This is plain text saved with a .docx name.", "damaged zip container"),
        (b"", "damaged zip container"),
        (_zip({"hello.txt": b"hi"}), "not a Word document"),
        (
            _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document"}),
            "damaged DOCX",
        ),
    ],
    ids=["not-a-zip", "empty", "zip-without-document", "broken-xml"],
)
def test_damaged_files_are_unreadable_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(Unreadable, match=reason):
        extract_docx(data)


def test_truncated_docx_is_unreadable() -> None:
    data = article_docx()
    with pytest.raises(Unreadable, match="DOCX"):
        extract_docx(data[: len(data) // 2])
