"""Exports: Markdown that parses back to the words written, W3C JSON that imports back, CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reader.cli import cli
from reader.exchange.collect import collect
from reader.exchange.escaping import escape_block
from reader.exchange.filenames import safe_stem, unique_names
from reader.exchange.importer import import_w3c_text
from reader.exchange.markdown import markdown_by_document, markdown_by_tag
from reader.exchange.writer import render
from reader.workspace import Workspace

DOC = "001_4310720f2bcf0b55"
HOSTILE_NOTES = [
    "# not a heading",
    "> not a quote\n---\n===",
    "line\n===",
    "`code` [link](http://x) ![img](y) <b>html</b> &amp;",
    "  indented\n    code?\ntrailing  ",
    "1. list\n- item\n+ item\n* item",
    "*em* _u_ ~~s~~ ==hl== %%c%% $m$ #tag ^ref [[wiki]] back\\slash |a|b|",
    "first paragraph\n\nsecond paragraph",
]
MD = MarkdownIt("commonmark")


def inline_text(token) -> str:
    return "".join(
        c.content if c.type == "text" else "\n" if c.type == "softbreak" else f"<{c.type}>"
        for c in token.children
    )


def blocks(markdown: str) -> list[tuple[str, str]]:
    """(container, text) of each paragraph: container is "quote" inside a blockquote."""
    out, depth = [], 0
    for token in MD.parse(markdown):
        if token.type == "blockquote_open":
            depth += 1
        elif token.type == "blockquote_close":
            depth -= 1
        elif token.type == "inline":
            out.append(("quote" if depth else "body", inline_text(token)))
        elif token.type in ("hr", "code_block", "fence", "html_block"):
            out.append(("body", f"<<{token.type}>>"))
    return out


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from("ab #>-=*_`[]()!<>&|~$^%\\ \t\n1.+:{}"), max_size=40))
def test_escaped_text_parses_back_to_itself(text: str) -> None:
    expected, current = [], []
    for line in text.split("\n"):  # a blank (or whitespace-only) line separates paragraphs
        if line.strip():
            current.append(line)
        elif current:
            expected.append("\n".join(current))
            current = []
    if current:
        expected.append("\n".join(current))
    assert [t for _, t in blocks(escape_block(text))] == expected


def test_several_documents_in_one_file_and_codebook_by_tag(workspace: Workspace) -> None:
    a = workspace.annotate_quote(workspace.document(DOC), "practically impossible",
                                 tags=["actor/army", "frame"])  # fmt: skip
    b = workspace.annotate_quote(workspace.document("000_1d5d00d34374701d"), "Mojsilović",
                                 tags=["actor/army"])  # fmt: skip
    workspace.annotate_quote(workspace.document(DOC), "Mojsilović stated", tags=["other"])
    by_doc = markdown_by_document(collect(workspace, tag="actor")).text()
    assert by_doc.index("## Serbia begins") < by_doc.index("## Russian Ally")
    assert "Mojsilović stated" not in by_doc
    codebook = markdown_by_tag(collect(workspace)).text()
    headings = [line for line in codebook.splitlines() if line.startswith("## ")]
    assert headings == ["## actor/army", "## frame", "## other"]
    assert "2 highlight(s) in 2 document(s)" in codebook
    assert codebook.count(f"^hl-{a.uid[:12]}") == 1  # a block id stands once per file
    assert f"^hl-{b.uid[:12]}" in codebook


def test_same_database_same_bytes(workspace: Workspace) -> None:
    workspace.annotate_quote(workspace.document(DOC), "practically impossible", tags=["b", "a"])
    for fmt, by in [("markdown", "doc"), ("markdown", "tag"), ("json", "doc"), ("csv", "doc")]:
        assert render(workspace, fmt, None, None, by) == render(workspace, fmt, None, None, by)


def test_safe_unique_file_names() -> None:
    assert safe_stem('a/b\\c:d*e?f"g<h>i|j') == "a b c d e f g h i j"
    assert safe_stem("CON") == "_CON" and safe_stem("nul.txt") == "_nul.txt"
    assert safe_stem("...hidden. ") == "hidden"
    assert safe_stem("\x1b]52;evil\x07") == "52;evil"  # [ ] # ^ | break Obsidian links
    assert safe_stem("") == "document" and len(safe_stem("x" * 500)) == 100
    assert unique_names(["Same", "same", "Same"]) == ["Same.md", "same (2).md", "Same (3).md"]


def test_csv_has_a_row_per_highlight_tag_pair(workspace: Workspace) -> None:
    doc = workspace.document(DOC)
    workspace.annotate_quote(doc, "practically impossible", tags=["a", "b"], note='say "hi",\nok')
    workspace.annotate_quote(doc, "Mojsilović stated")
    rows = list(csv.DictReader(io.StringIO(render(workspace, "csv", None, None, "doc"))))
    assert [(r["tag"], r["quote"]) for r in rows] == [
        ("a", "practically impossible"), ("b", "practically impossible"), ("", "Mojsilović stated"),
    ]  # fmt: skip
    assert rows[0]["note"] == 'say "hi",\nok' and rows[0]["document"] == f"{DOC}.txt"


def test_w3c_json_round_trip_is_idempotent_and_merges(workspace_root: Path, tmp_path: Path) -> None:
    with Workspace.open(workspace_root) as mine:
        doc = mine.document(DOC)
        made = mine.annotate_quote(doc, "practically impossible", tags=["arms"], note="mine")
        exported = render(mine, "json", None, None, "doc")
    [item] = json.loads(exported)
    selectors = {s["type"]: s for s in item["target"]["selector"]}
    assert selectors["TextQuoteSelector"]["exact"] == "practically impossible"
    assert selectors["TextPositionSelector"] == {
        "type": "TextPositionSelector", "start": made.start, "end": made.end,
    }  # fmt: skip
    assert item["target"]["reader:path"] == f"{DOC}.txt"
    assert item["target"]["source"] == (workspace_root / "corpus" / f"{DOC}.txt").as_uri()
    assert {b["purpose"]: b["value"] for b in item["body"]} == {
        "commenting": "mine",
        "tagging": "arms",
    }

    colleague = tmp_path / "colleague"
    (colleague / "corpus").mkdir(parents=True)
    text = (workspace_root / "corpus" / f"{DOC}.txt").read_text("utf-8")
    (colleague / "corpus" / "renamed.txt").write_text("PREFACE\n" + text, "utf-8")
    with Workspace.open(colleague) as theirs:
        theirs_own = theirs.annotate_quote(theirs.document("renamed"), "Mojsilović stated")
        report = import_w3c_text(theirs, exported)
        assert report.total_added == 0 and report.unmatched == [f"{DOC}.txt"]
    (colleague / "corpus" / f"{DOC}.txt").write_text("PREFACE\n" + text, "utf-8")
    with Workspace.open(colleague) as theirs:
        report = import_w3c_text(theirs, exported)
        assert (report.total_added, dict(report.added)) == (1, {"moved": 1})
        again = import_w3c_text(theirs, exported)
        assert (again.total_added, again.already_present) == (0, 1)
        imported = [a for a in theirs.annotations() if a.uid == made.uid]
        assert len(imported) == 1 and imported[0].start == made.start + len("PREFACE\n")
        assert (imported[0].note, imported[0].tags) == ("mine", ["arms"])
        assert theirs.annotation(theirs_own.id).quote == "Mojsilović stated"


def test_cli_export_to_file_folder_and_import(workspace_root: Path, tmp_path: Path) -> None:
    def run(*args: str, code: int = 0):
        result = CliRunner().invoke(cli, ["-w", str(workspace_root), *args], catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result

    run("annotate", DOC, "--quote", "practically impossible", "--tag", "arms")
    run("annotate", "000_1d5d00d34374701d", "--quote", "Mojsilović", "--tag", "arms")
    out = tmp_path / "report.md"
    run("export", "-o", str(out))
    assert out.read_text("utf-8").startswith("<!-- reader:head all -->\n\n# Highlights\n")
    folder = tmp_path / "vault"
    run("export", "-o", str(folder), "--split")
    assert sorted(p.name for p in folder.iterdir()) == [
        "Russian Ally Withdraws Support, Suspends Arms Contracts.md",
        "Serbia begins distancing itself from Russia.md",
    ]
    assert "--split needs" in run("export", "--split", code=2).stderr
    exported = tmp_path / "a.json"
    run("export", "--format", "json", "-o", str(exported))
    assert "already present: 2" in run("import-annotations", str(exported)).stdout
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", "utf-8")
    assert "not JSON" in run("import-annotations", str(bad), code=2).stderr


def test_an_unwritable_export_path_is_a_user_error(workspace, tmp_path) -> None:
    """A file where a folder should be: one line saying why, never a traceback."""
    from reader.errors import UsageError

    (tmp_path / "afile").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="cannot write"):
        workspace.export("markdown", output=tmp_path / "afile" / "out.md")
    with pytest.raises(UsageError, match="cannot write"):
        workspace.export_codebook_csv(tmp_path / "afile" / "codebook.csv")
