"""Markdown exports read by three CommonMark parsers and YAML, and re-exports into a vault that
keep every line the user wrote (issue #12)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
import commonmark
import pytest
import yaml
from markdown_it import MarkdownIt

from reader.exchange.collect import DocumentExport
from reader.exchange.escaping import yaml_mapping
from reader.exchange.managed import split_front_matter
from reader.exchange.markdown import block_id, markdown_by_document, markdown_by_tag
from reader.exchange.vault_merge import merge_markdown
from reader.models import Annotation, Document
from reader.workspace import Workspace

DOC = "001_4310720f2bcf0b55"
BREAKS = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\v", "\f"]
HOSTILE_TEXT = [f"A{b}# injected{b}- list{b}---{b}> quote{b}^hl-x" for b in BREAKS] + [
    "[!note] x <!-- reader:hl hl-a --> <!-- /reader:hl --> %% $$ [[link]] *em*",
]
HOSTILE_NOTES = [
    "---\ntitle: hijacked\n---",
    "# heading\n## another",
    "> a quote\n> ^hl-000000000000",
    "^hl-abc",
    "[!warning] callout?",
    "line\r# cr heading\r- cr list",
    "<!-- /reader:hl -->\n<!-- reader:hl hl-x -->",
    "%% open comment",
    "$$ open math",
    "```\nopen fence",
    "<div>\nopen html",
    "1. list\n- item\n\n    code",
    "a\u2028# ls heading\x85- nel list",
]
MD = MarkdownIt("commonmark")


def make_document(n: int, title: str = "Title", author: str | None = "Author") -> Document:
    return Document(id=n, path=f"{n:03}.txt", status="ok", title=title, author=author,
                    date="2025-01-01", source=None, words=10, reading_minutes=1, annotations=1,
                    warning=None, content_hash=None)  # fmt: skip


def make_annotation(n: int, quote: str = "quoted text", note: str = "", uid: str | None = None,
                    tags: list[str] | None = None) -> Annotation:  # fmt: skip
    uid = uid or f"{n:012x}{0:020x}"
    return Annotation(id=n, uid=uid, document_id=1, doc="001.txt", start=n * 10,
                      end=n * 10 + 5, quote=quote, prefix="", suffix="", tags=tags or ["t"],
                      note=note, color=None, status="anchored", content_hash="", created="",
                      updated="")  # fmt: skip


def export_of(doc: Document, annotations: list[Annotation], tags=None, note="") -> DocumentExport:
    return DocumentExport(doc, tags or [], note, annotations, [1] * len(annotations))


# Three parsers, one view: the kinds of the top-level blocks


def _markdown_it(text: str) -> list[str]:
    kinds = []
    for token in MD.parse(text):
        if token.level == 0 and token.nesting >= 0 and token.type != "inline":
            kinds.append(token.type.removesuffix("_open").replace("heading", f"h{token.tag[1:]}"))
    return [_name(k) for k in kinds]


def _commonmark(text: str) -> list[str]:
    node = commonmark.Parser().parse(text).first_child
    kinds = []
    while node is not None:
        kinds.append(_name(f"h{node.level}" if node.t == "heading" else node.t))
        node = node.nxt
    return kinds


class _TopTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth, self.kinds = 0, []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("br", "hr", "img", "input"):
            if self.depth == 0:
                self.kinds.append(_name(tag))
            return
        if self.depth == 0:
            self.kinds.append(_name(tag))
        self.depth += 1

    def handle_endtag(self, tag) -> None:
        if tag not in ("br", "hr", "img", "input"):
            self.depth -= 1

    def handle_comment(self, data) -> None:
        if self.depth == 0:
            self.kinds.append("html")


def _cmark_gfm(text: str) -> list[str]:
    parser = _TopTags()
    parser.feed(cmarkgfm.github_flavored_markdown_to_html(text))
    return parser.kinds


_NAMES = {"blockquote": "quote", "block_quote": "quote", "paragraph": "p", "p": "p",
          "html_block": "html", "thematic_break": "hr", "hr": "hr", "bullet_list": "list",
          "ordered_list": "list", "ul": "list", "ol": "list", "list": "list",
          "code_block": "code", "fence": "code", "pre": "code"}  # fmt: skip


def _name(kind: str) -> str:
    return _NAMES.get(kind, kind)


PARSERS = [_markdown_it, _commonmark, _cmark_gfm]


def structure(markdown: str) -> tuple[dict | None, list[str]]:
    """(the front matter as YAML reads it, the top-level blocks), the same for every parser."""
    front, body = split_front_matter(markdown)
    seen = [parse(body) for parse in PARSERS]
    assert seen[0] == seen[1] == seen[2], seen
    return (yaml.safe_load(front) if front is not None else None), seen[0]


def highlight_shape(count: int) -> list[str]:
    return ["html", "quote", "p", "html"] * count


def quotes(markdown: str) -> list[str]:
    """The text inside each top-level blockquote (markdown-it), nested notes included."""
    found, depth, current = [], 0, []
    for token in MD.parse(split_front_matter(markdown)[1]):
        if token.type == "blockquote_open":
            depth += 1
        elif token.type == "blockquote_close":
            depth -= 1
            if depth == 0:
                found.append("\n".join(current))
                current = []
        elif depth and token.type in ("inline", "fence", "code_block", "html_block"):
            current.append(token.content)
    return found


# Structure


@pytest.mark.parametrize("hostile", HOSTILE_TEXT)
def test_hostile_title_author_and_quote_stay_in_their_place(hostile: str) -> None:
    doc = make_document(1, title=hostile, author=hostile)
    annotations = [make_annotation(1, quote=hostile), make_annotation(2, quote="calm")]
    markdown = markdown_by_document([export_of(doc, annotations, tags=[hostile])]).text()
    front, kinds = structure(markdown)
    assert front == {"title": hostile, "author": hostile, "date": "2025-01-01",
                     "source": "corpus/001.txt", "tags": [hostile]}  # fmt: skip
    assert kinds == ["html", "h1", "html", *highlight_shape(2)]
    several = markdown_by_document(
        [export_of(doc, annotations), export_of(make_document(2, hostile), [])]
    ).text()
    assert structure(several)[1] == ["html", "h1", "html", "html", "h2", "p", "html",
                                     *highlight_shape(2), "html", "h2", "p", "html"]  # fmt: skip
    codebook = markdown_by_tag([export_of(doc, annotations)]).text()
    assert structure(codebook)[1] == ["html", "h1", "html", "html", "h2", "p", "html",
                                      *highlight_shape(2)]  # fmt: skip


@pytest.mark.parametrize("note", HOSTILE_NOTES)
def test_a_note_stays_inside_its_highlight(note: str) -> None:
    doc = make_document(1)
    annotations = [make_annotation(1, note=note), make_annotation(2, note="**bold** [[Link]]")]
    markdown = markdown_by_document([export_of(doc, annotations, note=note)]).text()
    front, kinds = structure(markdown)
    assert front["title"] == "Title"
    assert kinds == ["html", "h1", "quote", "html", *highlight_shape(2)]
    assert "> > **bold** [[Link]]" in markdown  # the user's Markdown, as written
    assert markdown.count("\n^hl-") == 2
    assert [line for line in markdown.splitlines() if line.startswith("<!--")] == [
        "<!-- reader:head doc-1 -->", "<!-- /reader:head -->",
        f"<!-- reader:hl {block_id(annotations[0])} -->", "<!-- /reader:hl -->",
        f"<!-- reader:hl {block_id(annotations[1])} -->", "<!-- /reader:hl -->",
    ]  # fmt: skip


def test_notes_are_markdown_and_quotes_are_text(workspace: Workspace, tmp_path: Path) -> None:
    doc = workspace.document(DOC)
    note = "**Turkey**, [[CAATSA]], [link](https://x.org)"
    made = workspace.annotate_quote(doc, "practically impossible", tags=["arms"], note=note)
    workspace.export("markdown", output=tmp_path / "out", split=True)
    (written,) = (tmp_path / "out").iterdir()
    markdown = written.read_text()
    html = cmarkgfm.github_flavored_markdown_to_html(markdown)
    assert "<strong>Turkey</strong>" in html and '<a href="https://x.org">link</a>' in html
    assert "[[CAATSA]]" in markdown
    (quote,) = [q for q in quotes(markdown) if "practically impossible" in q]
    assert "Turkey" in quote  # the note sits in the highlight's callout
    assert f"\n\n^{block_id(made)}\n\n<!-- /reader:hl -->" in markdown


def test_front_matter_values_cannot_inject_keys() -> None:
    values = {"date": "2025-01-01\ntitle: hijacked", "title": "x: y", "tags": ["a", "- b"]}
    assert yaml.safe_load(yaml_mapping(values)) == values
    doc = make_document(1, title="---\nx: 1")
    doc = Document(**{**doc.as_json(), "date": "2025-01-01\ntitle: hijacked"})
    front, _ = structure(markdown_by_document([export_of(doc, [make_annotation(1)])]).text())
    assert front["date"] == "2025-01-01\ntitle: hijacked" and front["title"] == "---\nx: 1"


def test_block_ids_are_valid_and_unique_for_any_uid() -> None:
    uids = ["http://example.org/a", "http://example.org/b",
            "urn:uuid:0A1B2C3D-4E5F-4a5b-8c9d-0e1f2a3b4c5d",
            "0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d", "http://examp"]  # fmt: skip
    annotations = [make_annotation(i + 1, uid=uid) for i, uid in enumerate(uids)]
    markdown = markdown_by_document([export_of(make_document(1), annotations)]).text()
    ids = [line[1:] for line in markdown.splitlines() if line.startswith("^")]
    assert len(ids) == len(set(ids)) == 5  # the two UUIDs are the same annotation's: -2
    assert all(__import__("re").fullmatch(r"hl-[0-9a-f]{12}(-\d+)?", i) for i in ids)
    assert ids[2] == "hl-0a1b2c3d4e5f" and ids[3] == "hl-0a1b2c3d4e5f-2"


# Re-exporting into a file the user edited


def _vault_file(annotations: list[Annotation], note: str = "") -> str:
    return markdown_by_document([export_of(make_document(1), annotations, note=note)]).text()


def test_merge_keeps_user_lines_updates_inserts_and_marks() -> None:
    a, b, c = make_annotation(1, note="first"), make_annotation(2), make_annotation(3)
    written = markdown_by_document([export_of(make_document(1), [a, c])])
    text = written.text()
    text = text.replace(
        "---\n\n<!-- reader:head", 'aliases: ["mine"]\n---\n\nAbove all.\n\n<!-- reader:head'
    )
    text = text.replace(
        f"<!-- reader:hl {block_id(c)} -->",
        f"Between, about C.\n\n## My heading\n\n<!-- reader:hl {block_id(c)} -->",
    )
    text += "\nAfter everything.\n"
    a2 = make_annotation(1, note="first, revised")
    again = markdown_by_document([export_of(make_document(1), [a2, b])])  # c deleted, b new
    result = merge_markdown(text, again, written.digests())
    merged = result.text
    for line in [
        'aliases: ["mine"]',
        "Above all.",
        "Between, about C.",
        "## My heading",
        "After everything.",
    ]:
        assert line in merged
    assert "first, revised" in merged and "> > first\n" not in merged
    assert merged.index(block_id(a)) < merged.index(block_id(b)) < merged.index("Between, about C.")
    assert f"<!-- reader:deleted {block_id(c)} -->" in merged and "Deleted in reader" in merged
    assert result.notes == []
    assert merge_markdown(merged, again, again.digests()).text == merged  # stable
    front, _ = structure(merged)
    assert front["aliases"] == ["mine"] and front["title"] == "Title"


def test_an_edit_inside_a_block_is_kept_and_said() -> None:
    a = make_annotation(1, note="reader's note")
    written = markdown_by_document([export_of(make_document(1), [a])])
    edited = written.text().replace("> > reader's note", "> > my own words")
    same = merge_markdown(edited, written, written.digests())
    assert "my own words" in same.text and same.notes == []  # reader's version did not change
    changed = markdown_by_document([export_of(make_document(1), [make_annotation(1, note="new")])])
    result = merge_markdown(edited, changed, written.digests())
    assert "my own words" in result.text and "> > new" not in result.text
    assert len(result.notes) == 1 and block_id(a) in result.notes[0]
    unknown = merge_markdown(edited, changed, {})  # no ledger: cannot tell, so kept
    assert "my own words" in unknown.text and unknown.notes


def test_front_matter_edits_keep_user_keys_and_comments() -> None:
    written = markdown_by_document([export_of(make_document(1), [make_annotation(1)])])
    text = written.text().replace('title: "Title"\n', 'title: "Title"\n# my comment\nrating: 5\n')
    renamed = markdown_by_document([export_of(make_document(1, title="New"), [make_annotation(1)])])
    merged = merge_markdown(text, renamed, written.digests()).text
    assert "# my comment\nrating: 5\n" in merged
    assert yaml.safe_load(split_front_matter(merged)[0])["title"] == "New"
    mine = text.replace('author: "Author"', 'author: "Me"')
    kept = merge_markdown(mine, renamed, written.digests())
    assert yaml.safe_load(split_front_matter(kept.text)[0])["author"] == "Me"


def test_cli_and_split_merge_and_refuse_foreign_files(workspace: Workspace, tmp_path: Path) -> None:
    doc = workspace.document(DOC)
    first = workspace.annotate_quote(doc, "practically impossible", tags=["arms"], note="mine")
    vault = tmp_path / "vault"
    (path,) = workspace.export("markdown", output=vault, split=True)
    path.write_text(path.read_text() + "\nMy conclusion.\n")
    second = workspace.annotate_quote(doc, "close alliance", tags=["x"])
    workspace.delete(first.id)
    notes: list[str] = []
    assert workspace.export("markdown", output=vault, split=True, on_note=notes.append) == [path]
    merged = path.read_text()
    assert "My conclusion." in merged and block_id(second) in merged
    assert f"<!-- reader:deleted {block_id(first)} -->" in merged and notes == []
    single = tmp_path / "one.md"
    workspace.export("markdown", output=single)
    mine = single.read_text().replace(
        "<!-- /reader:head -->\n", "<!-- /reader:head -->\n\n## Mine\n"
    )
    single.write_text(mine)
    workspace.export("markdown", output=single)
    assert single.read_text() == mine
    foreign = tmp_path / "foreign.md"
    foreign.write_text("not reader's\n")
    with pytest.raises(Exception, match="reader did not write"):
        workspace.export("markdown", output=foreign)
    assert foreign.read_text() == "not reader's\n"
