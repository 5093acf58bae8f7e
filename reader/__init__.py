"""reader: read, highlight, tag and annotate a corpus of articles in the terminal."""

__version__ = "0.1.0"
