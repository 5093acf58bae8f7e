"""An element tree (trafilatura's article tree, or an XHTML chapter) rendered as plain text.

One renderer for both vocabularies, so web pages and EPUB chapters read alike: paragraphs
apart by a blank line; a heading is a paragraph of its own; each list item is a line starting
with `- ` (ordered lists too: numbers would add words that the page did not have), nested
items indented by two spaces; each table row is a line with its cells apart by ` | `.
Text is taken from the tree as decoded characters, so `&lt;b&gt;` in a page stays `<b>`.
"""

from __future__ import annotations

import re

from lxml import etree

# Elements whose content is never text for a reader (code, styles, embedded objects, forms).
SKIPPED = frozenset(
    "script style noscript template title svg math iframe object embed canvas audio video"
    " select option button input textarea map graphic img picture source".split()
)
# Elements that start and end a paragraph (trafilatura's names and HTML's).
BLOCKS = frozenset(
    "p div section article main header footer aside nav form blockquote quote figure"
    " figcaption address details summary dl dd dt head h1 h2 h3 h4 h5 h6 hgroup center"
    " fieldset legend caption body html doc hr epigraph".split()
)
LISTS = frozenset({"list", "ul", "ol", "menu"})
ITEMS = frozenset({"item", "li"})
TABLES = frozenset({"table"})
ROWS = frozenset({"row", "tr"})
CELLS = frozenset({"cell", "td", "th"})
BREAKS = frozenset({"lb", "br"})
PREFORMATTED = frozenset({"pre", "code"})
_CODE_BLOCK_PARENTS = frozenset(
    {"doc", "body", "div", "section", "article", "main", "quote", "blockquote"}
)
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
_CELL_SEPARATOR = " | "


def _name(element: etree._Element) -> str | None:
    """The lower-case local tag name, or None for comments and processing instructions."""
    if not isinstance(element.tag, str):
        return None
    return etree.QName(element).localname.lower()


class _Renderer:
    """Walks a tree once, gathering inline text into the current line and closing blocks."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.lines: list[str] = []  # the current block's finished lines
        self.inline: list[str] = []  # the current line's pieces

    def end_line(self, prefix: str = "") -> None:
        """Finish the current line (dropped when it holds no text)."""
        text = _SPACES.sub(" ", "".join(self.inline)).strip()
        self.inline = []
        if text:
            self.lines.append(prefix + text)

    def end_block(self) -> None:
        """Finish the current paragraph, list or table."""
        self.end_line()
        if self.lines:
            self.blocks.append("\n".join(self.lines))
        self.lines = []

    def walk(self, element: etree._Element, depth: int = 0) -> None:
        """Render `element` and its children; its tail is left to the caller."""
        name = _name(element)
        if name is None or name in SKIPPED:
            return
        if name in BREAKS:
            self.end_line()
        elif name in LISTS:
            self.end_line() if depth else self.end_block()
            self.list_items(element, depth)
            if not depth:
                self.end_block()
        elif name in TABLES:
            self.end_block()
            self.table(element)
            self.end_block()
        elif name in PREFORMATTED and _is_code_block(element, name):
            self.end_block()
            text = "".join(element.itertext()).strip("\n")
            if text.strip():
                self.blocks.append(text)
        elif name in BLOCKS or name in ROWS or name in ITEMS:
            self.end_block()
            self.children(element, depth)
            self.end_block()
        else:  # inline: hi, ref, span, em, a, del …
            self.children(element, depth)

    def children(self, element: etree._Element, depth: int) -> None:
        """Render the text and children of `element`, with each child's tail."""
        if element.text:
            self.inline.append(element.text)
        for child in element:
            self.walk(child, depth)
            if child.tail:
                self.inline.append(child.tail)

    def list_items(self, element: etree._Element, depth: int) -> None:
        """Each item a `- ` line; a nested list's items indented under it."""
        prefix = "  " * depth + "- "
        for child in element:
            name = _name(child)
            if name in ITEMS:
                self.end_line()
                sub = _Renderer()
                sub.children_flat(child, depth + 1)
                first, *rest = sub.result_lines() or [""]
                if first:
                    self.lines.append(prefix + first)
                self.lines.extend(rest)
            elif name in LISTS:
                self.list_items(child, depth + 1)

    def children_flat(self, element: etree._Element, depth: int) -> None:
        """An item's content as lines: its own text, then any nested list's lines."""
        if element.text:
            self.inline.append(element.text)
        for child in element:
            name = _name(child)
            if name in LISTS:
                self.end_line()
                self.list_items(child, depth)
            elif name in BLOCKS or name in BREAKS:
                self.inline.append(" ")
                self.children_flat(child, depth)
                self.inline.append(" ")
            elif name is not None and name not in SKIPPED:
                self.walk(child, depth)
            if child.tail:
                self.inline.append(child.tail)

    def result_lines(self) -> list[str]:
        """Everything gathered so far, as lines."""
        self.end_line()
        return self.lines + [line for block in self.blocks for line in block.split("\n")]

    def table(self, element: etree._Element) -> None:
        """Each row a line of its cells' text, apart by ` | `; a caption on a line before."""
        for node in element.iter():
            name = _name(node)
            if name in ROWS and _owning_table(node) is element:
                cells = [_flat_text(cell) for cell in node if _name(cell) in CELLS]
                while cells and not cells[-1]:
                    cells.pop()  # a layout table's empty trailing cells are not columns
                line = _CELL_SEPARATOR.join(cell for cell in cells)
                if line.replace("|", "").strip():
                    self.lines.append(line.strip())
            elif name == "caption" and _owning_table(node) is element:
                caption = _flat_text(node)
                if caption:
                    self.lines.append(caption)


def _owning_table(node: etree._Element) -> etree._Element | None:
    """The nearest table around `node` (rows of a nested table belong to it, not ours)."""
    for ancestor in node.iterancestors():
        if _name(ancestor) in TABLES:
            return ancestor
    return None


def _flat_text(element: etree._Element) -> str:
    """All visible text under `element` on one line."""
    pieces: list[str] = []

    def gather(node: etree._Element) -> None:
        name = _name(node)
        if name is not None and name not in SKIPPED:
            if node.text:
                pieces.append(node.text)
            for child in node:
                gather(child)
                pieces.append(" " if _name(child) in BLOCKS | BREAKS | ITEMS else "")
                if child.tail:
                    pieces.append(child.tail)

    gather(element)
    return _SPACES.sub(" ", "".join(pieces)).strip()


def _is_code_block(element: etree._Element, name: str) -> bool:
    """`pre` always; `code` only when it stands as a block rather than inside a sentence."""
    if name == "pre":
        return True
    parent = element.getparent()
    return parent is None or _name(parent) in _CODE_BLOCK_PARENTS


def tree_to_blocks(root: etree._Element) -> list[str]:
    """The text blocks (paragraphs, headings, lists, tables) under `root`, in order."""
    renderer = _Renderer()
    renderer.walk(root)
    renderer.end_block()
    return renderer.blocks


def blocks_to_text(blocks: list[str]) -> str:
    """Blocks apart by one blank line, no trailing whitespace."""
    return "\n\n".join(block.rstrip() for block in blocks if block.strip())
