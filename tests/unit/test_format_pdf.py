"""PDF text layer to article text: paragraphs, hyphens, headers and footers, metadata, refusals."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime

import pytest
from fpdf import FPDF
from pypdf import PdfWriter

from reader.corpus.formats import Unreadable
from reader.corpus.formats.pdf import SCANNED, extract_pdf

OPENING = [  # "sanc-tions" is split at a line end; "Serbia-Russia" is a compound
    "The Serbia-Russia relationship has shaped the region for years, and the question",
    "of sanc-",
    "tions has divided the government in Belgrade ever since the war began in 2022.",
]
SECOND = [  # a compound split after its hyphen, the next part capitalised
    "Officials defended the ties with Moscow, pointing to the old Serbia-",
    "Russia gas contract that expires this year.",
]
TOPICS = ["the energy deal", "the border talks", "the arms trade", "the media law", "the EU bid"]


def _sentences(seed: int, count: int) -> str:
    """Distinct sentences (no page repeats another), so only the furniture repeats."""
    words = ["ministers", "argued", "over", "quotas", "while", "observers", "noted", "delays"]
    return " ".join(
        f"In week {seed * 10 + n}, {TOPICS[(seed + n) % len(TOPICS)]} "
        f"{' '.join(words[(seed + n + k) % len(words)] for k in range(6))} again."
        for n in range(count)
    )


class _Article(FPDF):
    """An article page: a running header, a centred `Page n of N` footer."""

    def header(self) -> None:
        self.set_font("Helvetica", size=9)
        self.cell(0, 8, "Balkan Review - Spring 2023 - Issue 4", new_x="LMARGIN", new_y="NEXT")
        self.ln(6)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=9)
        self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")


def _lines(pdf: FPDF, lines: list[str], *, indent: bool = False) -> None:
    for number, line in enumerate(lines):
        if indent and number == 0:
            pdf.set_x(pdf.l_margin + 8)
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")


def article_pdf(pages: int = 3) -> bytes:
    """A multi-page article with a gap-separated and indent-separated paragraphs, a word
    hyphenated across a line end and a compound split after its hyphen."""
    pdf = _Article()
    pdf.set_title("Sanctions and the Serbian Government")
    pdf.set_author("Ana Petrovic")
    pdf.set_creation_date(datetime(2023, 4, 5, 10, 30, tzinfo=UTC))
    pdf.set_font("Times", size=12)
    for page in range(pages):
        pdf.add_page()
        if page == 0:
            _lines(pdf, OPENING)
            pdf.ln(5)
            _lines(pdf, SECOND)
            pdf.ln(5)
        for part in range(2):
            body = textwrap.wrap(_sentences(page * 2 + part, 4), 85)
            _lines(pdf, body, indent=part == 1)
    return bytes(pdf.output())


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def test_paragraphs_hyphens_and_metadata() -> None:
    extracted = extract_pdf(article_pdf())
    paragraphs = _paragraphs(extracted.text)
    assert paragraphs[0] == (
        "The Serbia-Russia relationship has shaped the region for years, and the question of "
        "sanctions has divided the government in Belgrade ever since the war began in 2022."
    )
    assert paragraphs[1] == (
        "Officials defended the ties with Moscow, pointing to the old Serbia-Russia gas contract "
        "that expires this year."
    )
    assert len(paragraphs) == 2 + 3 * 2  # two body paragraphs a page, one per gap or indent
    assert paragraphs[2] == _sentences(0, 4)  # lines of one paragraph joined with a space
    assert paragraphs[-1] == _sentences(5, 4)  # an indented paragraph is a paragraph of its own
    assert (extracted.title, extracted.author, extracted.date) == (
        "Sanctions and the Serbian Government",
        "Ana Petrovic",
        "2023-04-05",
    )


def test_running_headers_footers_and_page_numbers_are_removed() -> None:
    text = extract_pdf(article_pdf(pages=4)).text
    assert "Balkan Review" not in text
    assert "Page" not in text
    assert "\n\n4\n\n" not in text


def test_bare_page_numbers_at_the_page_edge_are_removed() -> None:
    pdf = FPDF()
    pdf.set_font("Times", size=12)
    for page in range(3):
        pdf.add_page()
        _lines(pdf, textwrap.wrap(_sentences(page, 3), 85))
        pdf.set_y(-20)
        pdf.cell(0, 10, f"- {page + 1} -" if page else "12", align="C")
    text = extract_pdf(bytes(pdf.output())).text
    assert text == "\n\n".join(_sentences(page, 3) for page in range(3))


def test_one_page_without_furniture_keeps_every_line() -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 6, "A short note.")
    extracted = extract_pdf(bytes(pdf.output()))
    assert extracted.text == "A short note."
    assert extracted.title is None


@pytest.mark.parametrize(
    "title", ["Microsoft Word - draft.docx", "untitled", "Untitled-3", "report.pdf"]
)
def test_junk_titles_are_ignored(title: str) -> None:
    pdf = FPDF()
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 6, "Body text.")
    assert extract_pdf(bytes(pdf.output())).title is None


def test_title_and_author_fall_back_to_xmp() -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 6, "Body text.")
    pdf.set_xmp_metadata(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Gas and Power</rdf:li></rdf:Alt>'
        "</dc:title><dc:creator><rdf:Seq><rdf:li>Marko Ilic</rdf:li></rdf:Seq></dc:creator>"
        "</rdf:Description></rdf:RDF>"
    )
    extracted = extract_pdf(bytes(pdf.output()))
    assert (extracted.title, extracted.author) == ("Gas and Power", "Marko Ilic")


def scanned_pdf() -> bytes:
    """Pages that are only an image, as a scanner without OCR writes them."""
    from PIL import Image  # fpdf2 depends on Pillow

    pdf = FPDF()
    image = Image.new("L", (200, 280), color=230)
    for _ in range(2):
        pdf.add_page()
        pdf.image(image, x=10, y=10, w=190)
    return bytes(pdf.output())


def test_a_scan_without_text_is_unreadable_with_advice() -> None:
    with pytest.raises(Unreadable) as caught:
        extract_pdf(scanned_pdf())
    assert str(caught.value) == SCANNED
    assert "run OCR first" in SCANNED


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 3],
        lambda data: b"%PDF-1.7\n" + bytes(range(256)) * 40,
        lambda data: b"%PDF-",
        lambda data: b"",
        lambda data: b"PK\x03\x04 this is a zip, not a pdf",
    ],
    ids=["truncated", "garbage", "header-only", "empty", "not-a-pdf"],
)
def test_damaged_pdfs_are_unreadable_with_a_reason(damage) -> None:
    with pytest.raises(Unreadable) as caught:
        extract_pdf(damage(article_pdf(pages=2)))
    assert "PDF" in str(caught.value)


def test_encrypted_with_empty_user_password_is_read() -> None:
    writer = PdfWriter(clone_from=__import__("io").BytesIO(article_pdf(pages=1)))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    out = __import__("io").BytesIO()
    writer.write(out)
    assert "sanctions" in extract_pdf(out.getvalue()).text


def test_encrypted_with_a_password_is_unreadable() -> None:
    import io

    writer = PdfWriter(clone_from=io.BytesIO(article_pdf(pages=1)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(Unreadable, match="encrypted with a password"):
        extract_pdf(out.getvalue())
