"""Which tool wrote a file, told by its content, never by its name.

Kindle clippings are text with `==========` records and a `- Your Highlight … | …` line;
Readwise is CSV whose header has `Highlight` and `Book Title`; Hypothesis is JSON with `rows`
(the API's search answer) or a list of objects with `target` and `uri`; reader's own W3C JSON
has the anno.jsonld `@context` or `type: Annotation`; QDPX is a zip holding `project.qde`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from typing import Any, Literal

from reader.errors import UsageError

Format = Literal["kindle", "readwise", "hypothesis", "w3c", "qdpx"]
UNKNOWN = (
    "not a format reader imports (Kindle clippings, Readwise CSV, Hypothesis JSON, W3C JSON, QDPX)"
)
KINDLE_SEPARATOR = "=========="
_KINDLE_META = re.compile(r"^\s*-\s.*\|", re.MULTILINE)
_W3C_TYPES = {"Annotation", "AnnotationCollection", "AnnotationPage"}


def decode_text(raw: bytes) -> str:
    """The file as text: UTF-8 (a byte-order mark dropped); anything else is a UsageError."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.object[exc.start]
        raise UsageError(
            f"the file is not UTF-8 text (byte 0x{bad:02x} at position {exc.start})"
        ) from None


def detect_format(raw: bytes) -> Format:
    """The format of `raw`; UsageError (UNKNOWN, or not UTF-8) when it is none reader takes."""
    if raw.startswith(b"PK\x03\x04"):
        if _is_qdpx(raw):
            return "qdpx"
        raise UsageError(UNKNOWN)
    text = decode_text(raw)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            data = json.loads(stripped)
        except (ValueError, RecursionError):
            raise UsageError(UNKNOWN) from None
        return _json_format(data)
    if KINDLE_SEPARATOR in text and _KINDLE_META.search(text):
        return "kindle"
    if _is_readwise(text):
        return "readwise"
    raise UsageError(UNKNOWN)


def _is_qdpx(raw: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return any(name.lower() == "project.qde" for name in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _json_format(data: Any) -> Format:
    if isinstance(data, dict):
        context = data.get("@context")
        contexts = context if isinstance(context, list) else [context]
        if data.get("type") in _W3C_TYPES or any(
            isinstance(c, str) and "anno.jsonld" in c for c in contexts
        ):
            return "w3c"
        if isinstance(data.get("rows"), list):
            return "hypothesis"
    if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        if all(item.get("type") == "Annotation" for item in data):
            return "w3c"
        if all("target" in item and "uri" in item for item in data):
            return "hypothesis"
    raise UsageError(UNKNOWN)


def _is_readwise(text: str) -> bool:
    first = text.split("\n", 1)[0]
    try:
        header = next(csv.reader([first]))
    except (csv.Error, StopIteration):
        return False
    names = {cell.strip() for cell in header}
    return {"Highlight", "Book Title"} <= names
