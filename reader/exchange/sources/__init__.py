"""Highlights made in other tools (Kindle, Readwise, Hypothesis): recognised by content, matched
to a document, placed by their quote; `reader import FILE` is the face over it."""
