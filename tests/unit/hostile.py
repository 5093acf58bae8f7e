"""A corpus of hostile entries: the files git carries (tests/fixtures/hostile/) and those it
cannot, made here in a temporary folder (names that are not UTF-8, a FIFO, links out, in, round
and to nowhere, a sparse file past the size limit). Each entry maps to what `reader list` must
say of it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
SECRET = "SECRET-OUTSIDE-THE-CORPUS-7f3a"  # in files outside corpus/ that links point to

# path in `reader list` -> (status, words its reason or warning holds)
EXPECTED: dict[str, tuple[str, str]] = {
    "billion-laughs.md": ("ok", "front matter ignored: aliases expand it past 256 K characters"),
    "deep-nesting.md": ("ok", "front matter ignored: nested more than 32 deep"),
    "escapes-in-title.md": ("ok", ""),
    "good-article.txt": ("ok", ""),
    "good-notes.md": ("ok", ""),
    "invisible-tag.md": ("ok", "front matter tag '///' left out: a tag needs at least one"),
    "lone-surrogates.md": ("ok", "lone surrogates"),
    "long-tag.md": ("ok", "left out: a tag is at most 100 characters"),
    "not-utf8-content.txt": ("ok", "decoded as Latin-1"),
    "bad\\xffname.txt": ("skipped", "file name is not valid UTF-8: rename the file"),
    "folder\\xfe": ("skipped", "folder name is not valid UTF-8: rename the folder"),
    "fifo.txt": ("skipped", "not a regular file but a FIFO: never opened"),
    "secret.txt": ("skipped", "outside the workspace: not followed"),
    "outside-folder": ("skipped", "outside the workspace: not followed"),
    "loop": ("skipped", "a folder it is in: not followed"),
    "dangling.txt": ("skipped", "link to nowhere.txt, which does not exist"),
    "huge.txt": ("skipped", "text file is 1,024 MB; the limit is 64 MB (raise it with [corpus]"),
    "same-article.txt": ("ok", ""),
    "shelf/kept.txt": ("ok", ""),
    "shelf-again": ("skipped", "link to shelf/, read there: not followed"),
}
GOOD_WORDS = "Belgrade weighed the sanctions"  # in good-article.txt (and same-article.txt)


def build_hostile_corpus(root: Path) -> Path:
    """A workspace at `root` whose corpus/ holds one of each hostile kind; returns corpus/."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for fixture in FIXTURES.iterdir():
        shutil.copyfile(fixture, corpus / fixture.name)
    outside = root.parent / f"{root.name}-outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{SECRET}\n\nA file outside the corpus.\n", "utf-8")
    (outside / "folder").mkdir()
    (outside / "folder" / "inner.txt").write_text(f"{SECRET} in a folder\n", "utf-8")
    raw = os.fsencode(corpus)
    with open(raw + b"/bad\xffname.txt", "wb") as bad:
        bad.write(b"A file whose name is not UTF-8.\n")
    os.mkdir(raw + b"/folder\xfe")
    with open(raw + b"/folder\xfe/inside.txt", "wb") as inner:
        inner.write(b"Under a folder whose name is not UTF-8.\n")
    os.mkfifo(corpus / "fifo.txt")  # opening it would wait for a writer for ever
    (corpus / "secret.txt").symlink_to(outside / "secret.txt")
    (corpus / "outside-folder").symlink_to(outside / "folder")
    (corpus / "loop").symlink_to(".")
    (corpus / "dangling.txt").symlink_to("nowhere.txt")
    (corpus / "same-article.txt").symlink_to("good-article.txt")  # inside: followed
    (corpus / "shelf").mkdir()
    (corpus / "shelf" / "kept.txt").write_text("Kept on a shelf\n\nWords.\n", "utf-8")
    (corpus / "shelf-again").symlink_to("shelf")
    with (corpus / "huge.txt").open("wb") as huge:  # 1 GiB that takes no room on disk
        huge.truncate(2**30)
    return corpus
