"""A Markdown export merges only into a file reader wrote for the same document or scope (its
head block's key says which), keeps the file's line endings, and reads any front-matter key a
user wrote (issue #12, review)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reader.errors import WouldReplace
from reader.exchange.escaping import yaml_mapping
from reader.exchange.managed import split_front_matter
from reader.exchange.markdown import markdown_by_document, markdown_by_tag
from reader.exchange.vault_merge import merge_markdown, other_export
from reader.workspace import Workspace
from tests.unit.test_markdown_vault import export_of, make_annotation, make_document

DOC = "001_4310720f2bcf0b55"
OTHER = "000_1d5d00d34374701d"


def test_each_scope_has_its_own_head_key() -> None:
    one = markdown_by_document([export_of(make_document(1), [make_annotation(1)])])
    two = markdown_by_document([export_of(make_document(2), [make_annotation(2)])])
    both = markdown_by_document([export_of(make_document(n), [make_annotation(n)]) for n in (1, 2)])
    keys = [one.head_key(), two.head_key(), both.head_key()]
    keys += [markdown_by_tag([]).head_key(), markdown_by_tag([], "Codebook: x").head_key()]
    assert keys[:4] == ["doc-1", "doc-2", "all", "codebook"] and keys[4].startswith("codebook-")
    assert other_export(one.text(), one) is None
    assert other_export(one.text(), two) == "“Title”, corpus/001.txt"
    assert other_export(both.text(), one) is not None and other_export(one.text(), both)


def test_a_file_from_before_head_keys_merges_only_for_its_own_source() -> None:
    written = markdown_by_document([export_of(make_document(1), [make_annotation(1)])])
    legacy = written.text().replace("<!-- reader:head doc-1 -->", "<!-- reader:head head -->")
    legacy += "\nMine.\n"
    assert other_export(legacy, written) is None
    merged = merge_markdown(legacy, written, {}).text
    assert "<!-- reader:head doc-1 -->" in merged and "Deleted in reader" not in merged
    assert "Mine." in merged and merged.count("# Title") == 1
    other = markdown_by_document([export_of(make_document(2), [make_annotation(2)])])
    assert other_export(legacy, other) is not None


def test_the_cli_refuses_to_merge_another_documents_file(
    workspace: Workspace, tmp_path: Path
) -> None:
    first, second = workspace.document(DOC), workspace.document(OTHER)
    workspace.annotate_quote(first, "practically impossible", tags=["a"])
    workspace.annotate_quote(second, "Mojsilović", tags=["b"])
    one = tmp_path / "one.md"
    workspace.export("markdown", first, output=one)
    workspace.export("markdown", second, output=one)  # unchanged since written: replaced
    assert "Mojsilović" in one.read_text() and "Deleted in reader" not in one.read_text()
    one.write_text(one.read_text() + "mine\n")
    before = one.read_text()
    with pytest.raises(WouldReplace, match="holds another document's export"):
        workspace.export("markdown", first, output=one)
    assert one.read_text() == before
    workspace.export("markdown", first, output=one, force=True)  # replaced, never merged
    forced = one.read_text()
    assert "practically impossible" in forced and "Mojsilović" not in forced
    assert "Deleted in reader" not in forced and "mine" not in forced


def test_split_keeps_each_documents_file_through_a_new_title(
    workspace: Workspace, tmp_path: Path
) -> None:
    """A corrected title no longer starts a second file (nor lands in another document's file:
    the merge of 'Report' into 'Report (2)' the review found): each document's export goes back
    into the file holding its head key, whatever the file is called."""
    first, second = workspace.document(DOC), workspace.document(OTHER)
    for doc, quote in ((first, "practically impossible"), (second, "Mojsilović")):
        workspace.correct_metadata(doc, {"title": "Report"})
        workspace.annotate_quote(doc, quote, tags=["t"])
    vault = tmp_path / "vault"
    written = workspace.export("markdown", output=vault, split=True)
    assert sorted(p.name for p in written) == ["Report (2).md", "Report.md"]
    report = vault / "Report.md"
    holder = next(d for d in (first, second) if f"doc-{d.id} -->" in report.read_text())
    report.write_text(report.read_text() + "My apple notes.\n")
    workspace.correct_metadata(holder, {"title": "Report on apples"})
    workspace.annotate_quote(holder, "Serbia", occurrence=1, tags=["t"])
    again = workspace.export("markdown", output=vault, split=True)
    assert sorted(p.name for p in again) == ["Report (2).md", "Report.md"]
    assert sorted(p.name for p in vault.iterdir()) == ["Report (2).md", "Report.md"]
    text = report.read_text()
    assert f"doc-{holder.id} -->" in text and "My apple notes." in text
    assert 'title: "Report on apples"' in text and "Deleted in reader" not in text
    assert text.count("<!-- reader:hl ") == 2


def test_a_new_document_never_takes_another_documents_file_name(
    workspace: Workspace, tmp_path: Path
) -> None:
    first, second = workspace.document(DOC), workspace.document(OTHER)
    workspace.correct_metadata(first, {"title": "Report"})
    workspace.annotate_quote(first, "practically impossible")
    vault = tmp_path / "vault"
    workspace.export("markdown", output=vault, split=True)
    workspace.correct_metadata(first, {"title": "Apples"})  # Report.md is still first's file
    workspace.correct_metadata(second, {"title": "Report"})
    workspace.annotate_quote(second, "Mojsilović")
    written = workspace.export("markdown", output=vault, split=True)
    assert sorted(p.name for p in written) == ["Report (2).md", "Report.md"]
    assert f"doc-{second.id} -->" in (vault / "Report (2).md").read_text()


def test_non_string_front_matter_keys_are_kept() -> None:
    assert yaml.safe_load(yaml_mapping({2024: "x", "title": "y"})) == {2024: "x", "title": "y"}
    written = markdown_by_document([export_of(make_document(1), [make_annotation(1)])])
    text = written.text().replace(
        'title: "Title"\n', 'title: &t "Report on apples"\n2024: *t\n'
    )
    renamed = markdown_by_document([export_of(make_document(1, "New"), [make_annotation(1)])])
    front = yaml.safe_load(split_front_matter(merge_markdown(text, renamed, {}).text)[0])
    assert front[2024] == "Report on apples"


def test_a_crlf_file_stays_crlf() -> None:
    written = markdown_by_document([export_of(make_document(1), [make_annotation(1)])])
    text = (written.text() + "\nMine.\n").replace("\n", "\r\n")
    more = [make_annotation(1), make_annotation(2)]
    merged = merge_markdown(text, markdown_by_document([export_of(make_document(1), more)]), {})
    assert merged.text.count("\n") == merged.text.count("\r\n") > 20
    assert "Mine.\r\n" in merged.text and merged.text.count("<!-- reader:hl ") == 2
