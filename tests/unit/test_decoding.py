"""Decoding bytes into text (BOMs, UTF-8, cp1252, Latin-1, binary) and the canonical text form."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.corpus.ingest import parse_document
from reader.text.canonical import canonical_text, is_blank
from reader.text.decoding import binary_kind, decode_bytes

SAMPLE = "Serbia’s café ☕ 𝄞 — naïve"
FFFD = "\ufffd"


def _warning_count(warnings: list[str]) -> int:
    """The number in the single decoding warning ("3 invalid byte(s) replaced ...")."""
    assert len(warnings) == 1, warnings
    found = re.search(r"(\d+) invalid", warnings[0])
    assert found, warnings[0]
    return int(found.group(1))


# --- byte-order marks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_bom_selects_encoding_and_is_stripped(bom: bytes, codec: str) -> None:
    result = decode_bytes(bom + SAMPLE.encode(codec))
    assert result.text == SAMPLE
    assert result.encoding == codec
    assert result.warnings == []
    assert result.skip_reason is None


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_utf16_and_utf32_text_full_of_nuls_is_not_binary(bom: bytes, codec: str) -> None:
    data = bom + ("plain ascii article text\n" * 20).encode(codec)
    assert data.count(0) > len(data) // 4
    assert binary_kind(data) is None


def test_utf16_lone_surrogate_is_replaced_not_kept() -> None:
    # "a", an unpaired high surrogate D800, "b"
    result = decode_bytes(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8b\x00")
    assert result.text == f"a{FFFD}b"
    assert _warning_count(result.warnings) == 1
    result.text.encode("utf-8")


def test_bom_file_with_a_bad_byte_is_counted() -> None:
    result = decode_bytes(codecs.BOM_UTF8 + b"ab\xffcd")
    assert result.text == f"ab{FFFD}cd"
    assert result.encoding == "utf-8"
    assert _warning_count(result.warnings) == 1


# --- UTF-8 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["plain ascii", SAMPLE, "line one\nline two\n", ""])
def test_valid_utf8_decodes_strictly_without_warnings(text: str) -> None:
    result = decode_bytes(text.encode("utf-8"))
    assert result.text == text
    assert result.encoding == "utf-8"
    assert result.warnings == []


@pytest.mark.parametrize("bad", [b"\xff", b"\xff\xfe", b"\x80\xc0\xf5"])
def test_mostly_utf8_keeps_good_text_and_marks_each_bad_byte(bad: bytes) -> None:
    good_before = "Serbia’s café, "
    good_after = " the “long-standing” ties."
    data = good_before.encode("utf-8") + bad + good_after.encode("utf-8")
    result = decode_bytes(data)
    assert result.encoding == "utf-8"
    assert result.text == good_before + FFFD * len(bad) + good_after
    assert _warning_count(result.warnings) == len(bad)


def test_utf8_encoded_surrogate_is_replaced_not_decoded() -> None:
    # ED A0 80 would be U+D800 in "UTF-8" that allows surrogates; strict UTF-8 rejects it.
    result = decode_bytes(b"ok \xed\xa0\x80 caf\xc3\xa9")
    assert result.text is not None
    assert result.text.startswith("ok ")
    assert result.text.endswith(" café")
    assert FFFD in result.text
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in result.text)
    result.text.encode("utf-8")


# --- cp1252 and Latin-1 --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"caf\xe9 \x93quoted\x94", "café “quoted”"),
        (b"\x80 5 for a na\xefve r\xe9sum\xe9 \x96 done\x85", "€ 5 for a naïve résumé – done…"),
        (b"Serbia\x92s stance", "Serbia’s stance"),
    ],
)
def test_non_utf8_file_decodes_as_cp1252_with_warning(data: bytes, expected: str) -> None:
    result = decode_bytes(data)
    assert result.text == expected
    assert result.encoding == "cp1252"
    assert len(result.warnings) == 1
    assert "1252" in result.warnings[0]


@pytest.mark.parametrize("undefined", [0x81, 0x8D, 0x8F, 0x90, 0x9D])
def test_bytes_undefined_in_cp1252_fall_back_to_latin1(undefined: int) -> None:
    data = b"caf\xe9 " + bytes([undefined]) + b" end"
    result = decode_bytes(data)
    assert result.text == "café " + chr(undefined) + " end"
    assert result.encoding == "latin-1"
    assert len(result.warnings) == 1
    assert "Latin-1" in result.warnings[0]


def test_cp1252_file_with_accidental_utf8_pair_still_decodes_as_cp1252() -> None:
    data = "Café crème, the sign read “CAFÉ” in gold.".encode("cp1252")
    assert data == b"Caf\xe9 cr\xe8me, the sign read \x93CAF\xc9\x94 in gold."
    result = decode_bytes(data)
    assert result.text == "Café crème, the sign read “CAFÉ” in gold."
    assert result.encoding == "cp1252"


# --- binary files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "ZIP"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", "gzip"),
    ],
)
def test_binary_magic_numbers_are_skipped_with_reason(data: bytes, kind: str) -> None:
    named = binary_kind(data)
    assert named is not None
    assert kind in named
    result = decode_bytes(data)
    assert result.text is None
    assert result.skip_reason is not None
    assert kind in result.skip_reason


def test_high_share_of_control_bytes_is_binary() -> None:
    data = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B)) * 8
    data += b"some readable words"
    assert binary_kind(data) is not None
    result = decode_bytes(data)
    assert result.text is None
    assert result.skip_reason


@pytest.mark.parametrize("stray", [b"\x00", b"\x1b", b"\x1b[1m", b"\x07"])
def test_stray_nul_or_escape_in_text_is_not_binary(stray: bytes) -> None:
    data = b"A normal paragraph of article text, " + stray + b"followed by more ordinary text."
    assert binary_kind(data) is None
    result = decode_bytes(data)
    assert result.skip_reason is None
    assert result.text == data.decode("ascii")


def test_magic_only_counts_at_the_start() -> None:
    data = b"This article explains the %PDF- header and PK\x03\x04 zip signature."
    assert binary_kind(data) is None
    assert decode_bytes(data).text is not None


# --- never lone surrogates, never raises ---------------------------------------------------

TRICKY_INPUTS = [
    b"",
    b"\xff",
    b"\xed\xa0\x80",
    b"\xed\xbf\xbf\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"caf\xe9 \xe2\x82",
    codecs.BOM_UTF8 + b"\xed\xa0\x80",
    codecs.BOM_UTF16_LE + b"\x00\xd8",
    codecs.BOM_UTF16_BE + b"\xdc\x00a",
    codecs.BOM_UTF16_LE + b"a",
    codecs.BOM_UTF32_LE + b"\x00\xd8\x00\x00",
    codecs.BOM_UTF32_BE + b"\x00\x11\x00\x00",
    codecs.BOM_UTF32_LE + b"ab",
    b"\x81\x8d\x8f\x90\x9d",
]


@pytest.mark.parametrize("data", TRICKY_INPUTS)
def test_result_is_always_encodable_utf8(data: bytes) -> None:
    result = decode_bytes(data)
    assert result.text is not None
    result.text.encode("utf-8")
    canonical_text(result.text).encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(
    prefix=st.sampled_from(
        [
            b"",
            codecs.BOM_UTF8,
            codecs.BOM_UTF16_LE,
            codecs.BOM_UTF16_BE,
            codecs.BOM_UTF32_LE,
            codecs.BOM_UTF32_BE,
        ]
    ),
    body=st.binary(max_size=200),
)
def test_decode_bytes_never_raises_nor_yields_surrogates(prefix: bytes, body: bytes) -> None:
    result = decode_bytes(prefix + body)
    if result.text is None:
        assert result.skip_reason
    else:
        assert result.skip_reason is None
        result.text.encode("utf-8")


# --- canonical text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\r\nc", "a\nb\nc"),
        ("a\rb\rc", "a\nb\nc"),
        ("a\r\n\r\nb\rc\n", "a\n\nb\nc\n"),
        ("a\r\r\nb", "a\n\nb"),
    ],
)
def test_canonical_text_normalises_newlines(raw: str, expected: str) -> None:
    assert canonical_text(raw) == expected


def test_canonical_text_composes_to_nfc() -> None:
    assert canonical_text("caf" + "e\u0301") == "café"
    assert canonical_text("A\u030angstr\u00f6m") == "\u00c5ngstr\u00f6m"
    assert len(canonical_text("e\u0301")) == 1


def test_canonical_text_drops_only_a_leading_bom() -> None:
    assert canonical_text("\ufeffTitle\nBody") == "Title\nBody"
    assert canonical_text("Title\nBody") == "Title\nBody"


def test_canonical_offsets_are_code_points() -> None:
    text = canonical_text("e\u0301 \U0001d11e x")
    assert text == "é 𝄞 x"
    assert len(text) == 5
    assert text.index("x") == 4  # the astral clef counts as one, not as a surrogate pair


def test_canonical_text_is_idempotent() -> None:
    once = canonical_text("\ufeffe\u0301\r\nline\rend")
    assert canonical_text(once) == once


@pytest.mark.parametrize("text", ["", "  \n\t", "\u00a0\u2003", "\r\n \u3000"])
def test_is_blank_for_whitespace(text: str) -> None:
    assert is_blank(text)


@pytest.mark.parametrize("text", ["a", "  x  ", "\u00a0.\u2003", "\n\n-\n"])
def test_is_blank_false_for_any_visible_character(text: str) -> None:
    assert not is_blank(text)


# --- parse_document: skipped files and canonical text --------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t\n", b"\r\n\r\n", codecs.BOM_UTF8 + b" \r\n", "\u00a0\u2003\n".encode()],
)
@pytest.mark.parametrize("name", ["empty.txt", "empty.md"])
def test_parse_document_skips_empty_or_whitespace_files(name: str, data: bytes) -> None:
    doc = parse_document(Path(name), data)
    assert doc.text is None
    assert doc.skip_reason
    assert "empty" in doc.skip_reason


def test_parse_document_skips_binary_with_reason() -> None:
    doc = parse_document(Path("image.txt"), b"\x89PNG\r\n\x1a\n" + bytes(64))
    assert doc.text is None
    assert doc.skip_reason is not None
    assert "PNG" in doc.skip_reason


def test_parse_document_crlf_file_has_lf_canonical_text() -> None:
    data = "Title Line\r\nBy Jane Doe\r\n\r\nCafe\u0301 body.\r\n".encode()
    doc = parse_document(Path("crlf.txt"), data)
    assert doc.text == "Title Line\nBy Jane Doe\n\nCafé body.\n"
    assert doc.title == "Title Line"
    assert doc.author == "Jane Doe"


def test_parse_document_cp1252_file_keeps_warning_and_encoding() -> None:
    doc = parse_document(Path("old.txt"), b"Caf\xe9 Title\r\n\r\n\x93Quoted\x94 body text.\r\n")
    assert doc.encoding == "cp1252"
    assert doc.text == "Café Title\n\n“Quoted” body text.\n"
    assert doc.title == "Café Title"
    assert any("1252" in w for w in doc.warnings)
