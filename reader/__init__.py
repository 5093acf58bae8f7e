"""reader: read, highlight, tag and annotate a corpus of articles in the terminal."""

from reader import lean_imports

__version__ = "0.1.0"

lean_imports.install()  # before any module imports sqlite-utils (reader/lean_imports.py)
