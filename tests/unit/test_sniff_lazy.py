"""Asking whether a `.txt` holds a web page imports no HTML parser (lxml costs ~30 ms in the
sync's thread and in every parse worker): only a file that does hold one loads it. Checked by
what a fresh interpreter loads, never by timing it (bench/sync_bench.py measures the time)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.unit.test_format_html import page

_PARSE = """
import json, sys
from pathlib import Path
from reader.corpus.file_parse import encode_batch, parse_batch
from reader.corpus.ingest import parse_document, extract_in_process
corpus = Path(sys.argv[1])
names = sys.argv[2:]
for name in names:
    parse_document(corpus / name, (corpus / name).read_bytes(), extract_in_process)
parse_batch(encode_batch(corpus, None, [(name, False) for name in names]))
print(json.dumps(sorted(sys.modules)))
"""


def loaded_parsing(corpus: Path, *names: str) -> set[str]:
    """The modules a fresh interpreter holds after parsing `names`, here and as a worker does."""
    done = subprocess.run(
        [sys.executable, "-c", _PARSE, str(corpus), *names], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_plain_text_is_parsed_without_the_html_parser(tmp_path: Path) -> None:
    (tmp_path / "prose.txt").write_text("A Title\n\nSome prose about <html> tags.\n")
    (tmp_path / "notes.md").write_text("# Notes\n\nbody\n")
    loaded = loaded_parsing(tmp_path, "prose.txt", "notes.md")
    assert "lxml" not in loaded
    assert "reader.corpus.formats.html" not in loaded


def test_a_page_saved_as_txt_still_goes_to_the_html_reader(tmp_path: Path) -> None:
    (tmp_path / "saved.txt").write_bytes(page("<article><h1>Saved</h1><p>Words.</p></article>"))
    assert "reader.corpus.formats.html" in loaded_parsing(tmp_path, "saved.txt")
