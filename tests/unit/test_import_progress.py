"""The import's progress line: on a terminal only, wiped at the end."""

from __future__ import annotations

import io

from reader.cli.import_progress import CountingReader, ImportProgress, import_line


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_line_says_how_much_is_read_and_how_many_came_in() -> None:
    line = import_line(3 << 20, 12 << 20, 250_000, elapsed=10.0)
    assert (
        line
        == "importing [######..................] 3/12 MB · 250,000 annotations · about 30 s left"
    )


def test_a_terminal_gets_the_line_and_a_clean_end() -> None:
    reader = CountingReader(io.BytesIO(b"x" * 100))
    reader.read(50)
    screen = Terminal()
    progress = ImportProgress(reader, 100, screen)
    assert progress.wanted
    progress(2000)
    assert "2,000 annotations" in screen.getvalue()
    progress.finish()
    assert screen.getvalue().endswith("\r\x1b[2K")
    assert not ImportProgress(reader, 100, io.StringIO()).wanted
