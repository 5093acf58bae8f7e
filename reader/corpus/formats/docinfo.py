"""Document-info fields (title, author) cleaned of what authoring tools write by default.

PDF and Word files often carry the template's or the tool's placeholder instead of a real
title or author (`Microsoft Word - draft.docx`, `Administrator`); showing those would be worse
than showing nothing, so the title then comes from elsewhere (the file name).
"""

from __future__ import annotations

import re
from typing import Any

_JUNK_TITLE = re.compile(
    r"(?:microsoft\s+\w+\s+-\s+.*|untitled.*|no\s+title|title|document\d*|word\s+document|"
    r"layout\s*\d*|slide\s*\d*|print|.*\.(?:docx?|pdf|rtf|odt|tex|dvi|indd|qxd|pptx?|xlsx?|"
    r"txt|html?))",
    re.IGNORECASE,
)
_JUNK_AUTHOR = {
    "administrator",
    "admin",
    "user",
    "owner",
    "unknown",
    "author",
    "default",
    "python-docx",
}


def clean_text(value: Any) -> str | None:
    """A metadata string with its whitespace tidied, or None when it is empty or not text."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.replace("\x00", "").split())
    return text or None


def clean_title(value: Any) -> str | None:
    """The title, unless it is a tool's default (`Microsoft Word - x.docx`, `untitled`)."""
    title = clean_text(value)
    return None if title is None or _JUNK_TITLE.fullmatch(title) else title


def clean_author(value: Any) -> str | None:
    """The author, unless it is a default account name such as `Administrator`."""
    author = clean_text(value)
    return None if author is None or author.casefold() in _JUNK_AUTHOR else author
