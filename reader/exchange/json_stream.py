"""Read a JSON file of annotations one annotation at a time, in memory bounded by the largest one.

W3C files are a JSON array, an AnnotationCollection whose `items` (or `first.items`) hold the
annotations, or one annotation. The list is walked here by hand and each element decoded by
`json.JSONDecoder.raw_decode` from a buffer that holds little more than that element, so a file
of a million annotations never sits in memory whole. The file-level rules of a whole-file read
stay: UTF-8 only, a depth cap, JSON's own syntax errors named with line and column.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import Any, Protocol

from reader.errors import UsageError
from reader.exchange.w3c_values import MAX_DEPTH, Unusable, too_deep, whole_number

CHUNK_CHARS = 1 << 20
BOM = b"\xef\xbb\xbf"
_WHITESPACE = " \t\n\r"
_DECODER = json.JSONDecoder(parse_constant=Unusable, parse_int=whole_number)


class ByteSource(Protocol):
    """What the file is read through: an open binary file, or anything with its `read`."""

    def read(self, size: int, /) -> bytes: ...


def utf8_chunks(
    stream: ByteSource,
    limit: int,
    chunk: int = CHUNK_CHARS,
    read: Callable[[int], None] | None = None,
) -> Iterator[str]:
    """The text of a UTF-8 byte stream in pieces (one BOM dropped); UsageError at the first
    byte that is not UTF-8 (with its position) or past `limit` bytes. `read(n)` hears of bytes."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    consumed = 0
    first = True
    while True:
        data = stream.read(chunk)
        if read is not None:
            read(len(data))
        if consumed + len(data) > limit:
            raise UsageError(f"it is over {limit >> 20} MB")
        pending = len(decoder.getstate()[0])
        offset = consumed - pending
        if first and data.startswith(BOM):
            data, consumed, offset = data[len(BOM) :], consumed + len(BOM), offset + len(BOM)
        first = False
        try:
            text = decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            bad = exc.object[exc.start]
            raise UsageError(
                f"the file is not UTF-8 text (byte 0x{bad:02x} at position {offset + exc.start}); "
                "W3C JSON files are UTF-8"
            ) from None
        consumed += len(data)
        if text:
            yield text
        if not data:
            return


class JsonBuffer:
    """The unread part of a text that arrives in chunks, and JSON values decoded from it."""

    def __init__(self, chunks: Iterable[str]) -> None:
        self.chunks = iter(chunks)
        self.text = ""
        self.pos = 0
        self.ended = False
        self.base = 0  # absolute character offset of text[0]
        self.lines = 0  # newlines before text[0]
        self.line_start = 0  # absolute offset where the line holding text[0] starts

    def _more(self) -> bool:
        """Append the next chunk, dropping what was read; False at the end of the text."""
        if self.ended:
            return False
        chunk = next(self.chunks, None)
        if chunk is None:
            self.ended = True
            return False
        if self.pos:
            done = self.text[: self.pos]
            newline = done.rfind("\n")
            if newline >= 0:
                self.lines += done.count("\n")
                self.line_start = self.base + newline + 1
            self.base += self.pos
            self.text, self.pos = self.text[self.pos :], 0
        self.text += chunk.removeprefix("\ufeff") if self.base == 0 and not self.text else chunk
        return True

    def peek(self) -> str:
        """The next character that is not whitespace ('' at the end), not consumed."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self._more():
                return ""

    def take(self, char: str, expecting: str) -> None:
        if self.peek() != char:
            self.fail(expecting)
        self.pos += 1

    def value(self) -> Any:
        """The JSON value that starts here (after whitespace), decoded whole."""
        self.peek()
        tried = -1
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except RecursionError:
                raise UsageError(too_deep()) from None
            except json.JSONDecodeError as exc:
                if not self._grow(tried):
                    self.fail(exc.msg, exc.pos)
                tried = len(self.text) - self.pos
                continue
            if end < len(self.text) or self.ended or not self._grow(-1):
                self.pos = end  # a number or a word at the buffer's end may go on
                return value

    def checked_value(self, depth: int) -> Any:
        """`value()`, found at nesting `depth` (1: the top), refused when it nests past
        MAX_DEPTH; walked only when its text holds enough brackets to nest that deep."""
        self.peek()
        start = self.base + self.pos  # absolute: reading on may drop what came before
        value = self.value()
        span = self.text[start - self.base : self.pos]
        if depth + span.count("[") + span.count("{") - 1 > MAX_DEPTH:
            depth_checked(value, depth)
        return value

    def _grow(self, tried: int) -> bool:
        """Read on until the buffer holds twice what the last try saw (so a long value costs
        linear time); False when the text has ended."""
        grew = False
        while len(self.text) - self.pos <= 2 * max(tried, 0) or not grew:
            if not self._more():
                return grew
            grew = True
        return True

    def fail(self, message: str, at: int | None = None) -> None:
        """UsageError naming the place as json does (`line 3 column 7 (char 42)`)."""
        at = self.pos if at is None else at
        before = self.text[:at]
        newline = before.rfind("\n")
        line = self.lines + before.count("\n") + 1
        column = at - newline if newline >= 0 else self.base + at - self.line_start + 1
        where = f"line {line} column {column} (char {self.base + at})"
        raise UsageError(f"not JSON: {message}: {where}")

    def end(self) -> None:
        """Only whitespace may follow the top-level value."""
        if self.peek():
            self.fail("Extra data")


def depth_checked(value: Any, depth: int) -> Any:
    """`value`, found at nesting `depth` (1: the top), unless it nests past MAX_DEPTH."""
    stack: list[tuple[Any, int]] = [(value, depth)]
    while stack:
        one, level = stack.pop()
        if not isinstance(one, dict | list):
            continue
        if level > MAX_DEPTH:
            raise UsageError(too_deep())
        children = one.values() if isinstance(one, dict) else one
        stack.extend((child, level + 1) for child in children)
    return value


class AnnotationValues:
    """The annotations of a W3C file, one decoded JSON value each, in file order."""

    def __init__(self, chunks: Iterable[str]) -> None:
        self.buffer = JsonBuffer(chunks)
        self.streamed = False  # the list of annotations was found and walked

    def __iter__(self) -> Iterator[Any]:
        first = self.buffer.peek()
        if first == "[":
            yield from self._array(1)
        elif first == "{":
            rest = yield from self._object(1, ("items", "first"))
            if not self.streamed:
                yield from annotation_list(rest)
        else:
            value = self.buffer.checked_value(1)
            self.buffer.end()
            yield from annotation_list(value)
        self.buffer.end()

    def _array(self, depth: int) -> Iterator[Any]:
        buffer = self.buffer
        buffer.take("[", "Expecting value")
        self.streamed = True
        if buffer.peek() == "]":
            buffer.pos += 1
            return
        while True:
            yield buffer.checked_value(depth + 1)
            if buffer.peek() == "]":
                buffer.pos += 1
                return
            buffer.take(",", "Expecting ',' delimiter")

    def _object(self, depth: int, streams: tuple[str, ...]) -> Generator[Any, None, dict]:
        """Walk an object, streaming the first `items` list (or `first` object) it holds; the
        other members are decoded and returned."""
        buffer = self.buffer
        buffer.take("{", "Expecting value")
        rest: dict[str, Any] = {}
        if buffer.peek() == "}":
            buffer.pos += 1
            return rest
        while True:
            if buffer.peek() != '"':
                buffer.fail("Expecting property name enclosed in double quotes")
            key = buffer.value()
            buffer.take(":", "Expecting ':' delimiter")
            after = buffer.peek()
            if not self.streamed and key in streams and after == "[" and key == "items":
                yield from self._array(depth + 1)
            elif not self.streamed and key in streams and after == "{" and key == "first":
                rest[key] = yield from self._object(depth + 1, ("items",))
            else:
                rest[key] = buffer.checked_value(depth + 1)
            if buffer.peek() == "}":
                buffer.pos += 1
                return rest
            buffer.take(",", "Expecting ',' delimiter")


def annotation_list(data: Any) -> list[Any]:
    """The annotations a whole decoded W3C value holds; UsageError when it holds none."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if data.get("type") == "Annotation":
            return [data]
        for key in ("items", "first"):
            value = data.get(key)
            if isinstance(value, list):
                return value
            if isinstance(value, dict) and isinstance(value.get("items"), list):
                return value["items"]
    raise UsageError("not a W3C annotation list (expected a JSON array of annotations)")
