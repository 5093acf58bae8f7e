"""The strip above the text: title, byline, size, the document's attributes, and its own tags
and note."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from reader.models import DERIVED_ATTRIBUTES, Document
from reader.text.sanitize import display_safe_line
from reader.text.shorten import shorten

NOTE_PREVIEW_CHARS = 120
ATTRIBUTE_VALUE_CHARS = 40
ATTRIBUTE_LINE_CHARS = 110  # the attributes keep to one line of the header, mostly


def header_content(
    document: Document,
    tags: list[str],
    note: str,
    colors: dict[str, str],
    attributes: dict[str, str] | None = None,
) -> Content:
    """Literal Content for the header: every piece of user text is data, never markup. The
    byline reads author · outlet · date · size (I corrects what the file got wrong)."""
    meta = " · ".join(
        part
        for part in (
            document.author,
            document.site,
            document.date,
            f"{document.words:,} words",
            f"{document.reading_minutes} min read",
            f"{document.annotations} highlight{'s' if document.annotations != 1 else ''}",
        )
        if part
    )
    parts: list[Content | str | tuple[str, str]] = [
        (display_safe_line(document.title), "bold"),
        "\n",
        (display_safe_line(meta), "$text-muted"),
    ]
    if document.status != "ok":
        parts += ["  ", (f"[{document.status}]", "bold $error")]
    own = [(n, v) for n, v in (attributes or {}).items() if n not in DERIVED_ATTRIBUTES]
    if own:  # the attributes set on it (those from metadata are in the byline), on one line
        parts.append("\n")
        used = 0
        for i, (name, value) in enumerate(own):
            shown = shorten(display_safe_line(value), ATTRIBUTE_VALUE_CHARS)
            used += len(name) + len(shown) + 3
            if i and used > ATTRIBUTE_LINE_CHARS:
                parts.append((f" · +{len(own) - i} more (I shows all)", "$text-muted"))
                break
            parts += [" · " if i else "", (display_safe_line(name), "$text-muted"), "=",
                      (shown, "$text-accent")]  # fmt: skip
    if tags or note.strip():
        parts.append("\n")
        for tag in tags:
            parts += [(f"#{display_safe_line(tag)}", colors.get(tag.casefold(), "")), " "]
        if note.strip():
            first = shorten(display_safe_line(note.strip().splitlines()[0]), NOTE_PREVIEW_CHARS)
            parts.append((f"✎ {first}", "italic $text-muted"))
    return Content.assemble(*parts)


class DocumentHeader(Static):
    """Shows `header_content` for the open document."""

    DEFAULT_CSS = """
    DocumentHeader {
        height: auto;
        padding: 0 2;
        background: $boost;
        border-bottom: solid $panel;
    }
    """

    def show(
        self,
        document: Document,
        tags: list[str],
        note: str,
        colors: dict[str, str],
        attributes: dict[str, str] | None = None,
    ) -> None:
        self.update(header_content(document, tags, note, colors, attributes))
