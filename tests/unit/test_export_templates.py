"""`reader export --template FILE` (#12): Jinja2 with Readwise's variable names, sandboxed and
bounded; the default template is the built-in Markdown export; a template error is one line,
exit 2, and nothing is written."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.exchange.collect import collect
from reader.exchange.templating import (
    ExportTemplate,
    TemplateFailure,
    default_template_source,
    sandbox,
)
from reader.exchange.templating.sandbox import CODE_NAME
from reader.exchange.writer import render
from reader.workspace import Workspace

DOC = "001_4310720f2bcf0b55"
OTHER = "000_1d5d00d34374701d"
HOSTILE_NOTE = "{{ 7 * 7 }} {% raw %}\n# not a heading\n---\n> [[wiki]] <b>x</b> `c` *e*"

READWISE_STYLE = """\
# {{ title }}

## Metadata
- Author: {{ author }}
- URL: {{ url }}
{% if tags %}- Document Tags: {% for tag in tags %}[[{{ tag }}]] {% endfor %}{% endif %}

## Highlights
{% for highlight in highlights %}
- {{ highlight.text }} (Location {{ highlight.location }}){% if highlight.tags %}
    - Tags: {% for tag in highlight.tags %}[[{{ tag }}]] {% endfor %}{% endif %}\
{% if highlight.note %}
    - Note: {{ highlight.note }}{% endif %}
{% endfor %}
"""
"""The shape of Readwise's default Markdown export templates (page, metadata, highlights)."""


def run(root: Path, *args: str, code: int = 0) -> click.testing.Result:
    result = CliRunner().invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def annotated(workspace: Workspace) -> Workspace:
    """Several highlights in two documents: tags, notes, hostile text, document tags and note."""
    doc, other = workspace.document(DOC), workspace.document(OTHER)
    workspace.annotate_quote(doc, "practically impossible", tags=["arms", "actor/army"],
                             note="the army chief's **own** words")  # fmt: skip
    workspace.annotate_quote(doc, "Mojsilović stated", tags=["x y#z"], note=HOSTILE_NOTE)
    workspace.annotate_quote(other, "Mojsilović")
    workspace.set_document_annotation(doc, ["outlet/wire", "[[odd]]"], "doc *note*\n\n- item")
    return workspace


def test_the_default_template_is_the_built_in_markdown_export(annotated: Workspace) -> None:
    default = ExportTemplate.from_file(None)
    every = collect(annotated)
    assert len(every) == 2
    assert default.render_file(every, "Highlights") == render(annotated, "markdown", None, None,
                                                             "doc")  # fmt: skip
    one = annotated.document(DOC)
    assert default.render_file(collect(annotated, one), "Highlights") == render(
        annotated, "markdown", one, None, "doc"
    )
    tagged = collect(annotated, tag="arms")
    assert default.render_file(tagged, "Highlights tagged arms") == render(
        annotated, "markdown", None, "arms", "doc"
    )


def test_the_default_template_ships_with_the_package() -> None:
    assert "{%- for h in highlights %}" in default_template_source()


def test_readwise_variable_names(annotated: Workspace, tmp_path: Path) -> None:
    template = write(tmp_path / "vars.j2", """\
{{ title }}|{{ author }}|{{ url }}|{{ date }}|{{ tags|join(',') }}|{{ path }}|{{ count }}
{% for h in highlights %}{{ h.id }}|{{ h.text }}|{{ h.note|length }}|{{ h.tags|join(',') }}|\
{{ h.location }}|{{ h.color }}|{{ h.created }}|{{ h.start }}-{{ h.end }}|{{ h.block_id }}
{% endfor %}""")  # fmt: skip
    out = run(annotated.root, "export", "--doc", DOC, "--template", str(template)).stdout
    lines = out.splitlines()
    doc = annotated.document(DOC)
    assert lines[0] == (
        f"{doc.title}|Kathrine Frich||2025-01-08|[[odd]],outlet/wire|corpus/{DOC}.txt|1"
    )
    made = annotated.annotations(doc)
    first = next(a for a in made if a.quote == "practically impossible")
    assert lines[1] == (
        f"{first.uid}|practically impossible|30|{','.join(first.tags)}|14||{first.created}|"
        f"{first.start}-{first.end}|hl-{first.uid[:12]}"
    )
    assert [line.split("|")[0] for line in lines[1:]] == [a.uid for a in made]


def test_a_readwise_style_template(annotated: Workspace, tmp_path: Path) -> None:
    template = write(tmp_path / "readwise.md.j2", READWISE_STYLE)
    out = run(annotated.root, "export", "--template", str(template)).stdout
    assert out.startswith("# Serbia begins")  # documents in path order, one after the other
    assert "\n# Russian Ally Withdraws Support" in out
    assert "- Author: Kathrine Frich\n" in out
    assert "- Document Tags: [[[[odd]]]] [[outlet/wire]] \n" in out
    assert "- practically impossible (Location 14)\n" in out
    assert "    - Note: the army chief's **own** words\n" in out  # a note is the user's Markdown


def test_hostile_text_is_rendered_literally_never_run(annotated: Workspace, tmp_path: Path) -> None:
    template = write(tmp_path / "notes.j2", "{% for h in highlights %}[{{ h.note }}]{% endfor %}")
    out = run(annotated.root, "export", "--doc", DOC, "--template", str(template)).stdout
    assert f"[{HOSTILE_NOTE}]" in out  # `{{ 7 * 7 }}` in a note stays text: never 49
    escaped = write(tmp_path / "escaped.j2",
                    "{% for h in highlights %}{{ h.note|md_escape }}\n{% endfor %}")  # fmt: skip
    out = run(annotated.root, "export", "--doc", DOC, "--template", str(escaped)).stdout
    assert "\\# not a heading" in out and "\\[\\[wiki\\]\\]" in out and "\\<b\\>" in out
    assert "\n---\n" not in out


def test_filters_for_safe_markdown(annotated: Workspace, tmp_path: Path) -> None:
    template = write(tmp_path / "f.j2", """\
title: {{ '"x"\\ny: 1'|yaml }}
{{ 'a\\n# b'|quote_block }}
{{ 'x y#z'|hashtag }} ^{{ highlights[0]|block_id }} {{ '#1'|md_line }}
""")  # fmt: skip
    out = run(annotated.root, "export", "--doc", DOC, "--template", str(template)).stdout
    first = annotated.annotations(annotated.document(DOC))[0]
    assert out == (f'title: "\\"x\\"\\ny: 1"\n> a\n> \\# b\n#x_y_z ^hl-{first.uid[:12]} \\#1\n')


def test_split_writes_one_file_per_document_through_the_safe_writers(
    annotated: Workspace, tmp_path: Path
) -> None:
    template = write(tmp_path / "one.j2", "{{ title }} {{ index }}/{{ count }} {{ standalone }}\n")
    folder = tmp_path / "vault"
    run(annotated.root, "export", "--template", str(template), "-o", str(folder), "--split")
    files = sorted(folder.iterdir())
    assert [f.read_text(encoding="utf-8") for f in files] == [
        "Russian Ally Withdraws Support, Suspends Arms Contracts 1/1 True\n",
        "Serbia begins distancing itself from Russia 1/1 True\n",
    ]
    edited = files[0]
    write(edited, "my own lines\n")
    refused = run(annotated.root, "export", "--template", str(template), "-o", str(folder),
                  "--split", code=2)  # fmt: skip
    assert "add --force" in refused.stderr
    assert edited.read_text(encoding="utf-8") == "my own lines\n"


def test_one_file_joins_the_documents_and_replaces_only_its_own(
    annotated: Workspace, tmp_path: Path
) -> None:
    template = write(tmp_path / "t.j2", "{{ index }} of {{ count }}: {{ documents|length }}\n")
    out = tmp_path / "out.md"
    run(annotated.root, "export", "--template", str(template), "-o", str(out))
    assert out.read_text(encoding="utf-8") == "1 of 2: 2\n\n2 of 2: 2\n"
    run(annotated.root, "export", "--template", str(template), "-o", str(out))  # its own file


ERRORS = [
    ("syntax.j2", "a\n{{ title }\n", "template {} line 2: unexpected '}'"),
    ("typo.j2", "a\n\n{{ titel }}\n", "template {} line 3: 'titel' is undefined"),
    ("attr.j2", "{% for h in highlights %}\n{{ h.colour }}{% endfor %}",
     "template {} line 2: 'dict object' has no attribute 'colour'"),
    ("sandbox.j2", "{{ title.__class__.__mro__ }}",
     "template {} line 1: not allowed: access to attribute '__class__' of 'str' object "
     "is unsafe."),
    ("mutate.j2", "{{ highlights.append(1) }}",
     "template {} line 1: not allowed: access to attribute 'append' of 'list' object is "
     "unsafe."),
    ("include.j2", "{% include '/etc/passwd' %}",
     "template {} line 1: cannot include '/etc/passwd': a template reads no other file"),
    ("big.j2", "x\n{{ 'x' * 10**9 }}",
     "template {} line 2: a value longer than the export limit is refused"),
    ("doubling.j2", "{% set ns = namespace(s='xx') %}{% for i in range(64) %}"
     "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
     "template {} line 1: a value longer than the export limit is refused"),
    ("wide.j2", "{{ title|center(10**9) }}",
     "template {} line 1: a width over the export limit is refused"),
    ("zero.j2", "{{ 1 / 0 }}", "template {} line 1: ZeroDivisionError: division by zero"),
    ("binary.j2", b"ok\n\xff\xfe", "template {} line 2: not UTF-8"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "source", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_a_template_error_is_one_line_exit_2_and_nothing_written(
    annotated: Workspace, tmp_path: Path, name: str, source: str | bytes, message: str
) -> None:
    template = write(tmp_path / name, source)
    out = tmp_path / "out.md"
    result = run(annotated.root, "export", "--template", str(template), "-o", str(out), code=2)
    assert result.stderr == "reader: " + message.replace("{}", str(template)) + "\n"
    assert not out.exists()
    assert run(annotated.root, "export", "--template", str(template), code=2).stdout == ""


def test_a_runaway_loop_is_stopped(annotated: Workspace) -> None:
    """Ranges in ranges (10**10 steps) end at the step budget, with the previous tracer (a
    debugger's, coverage's) back in place."""
    loop = "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"
    before = sys.gettrace()
    with pytest.raises(TemplateFailure, match=r"^template loop line 1: ran too long"):
        ExportTemplate(loop, "loop").render_each(collect(annotated), "Highlights")
    assert sys.gettrace() is before


def test_output_is_capped(annotated: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reader.exchange.templating.sandbox.MAX_CHARS", 1000)
    many = "{% for i in range(5000) %}ab{% endfor %}"
    with pytest.raises(TemplateFailure, match="wrote more than 1,000 characters"):
        ExportTemplate(many, "many").render_each(collect(annotated), "Highlights")


GROWERS = [
    '{{ ("x" * 100) | replace("x", "x" * 20) }}',
    '{{ ("x" * 100).replace("x", "x" * 20) }}',
    '{{ ", ".join(["x" * 600] * 2) }}',
    '{{ (["x" * 600] * 2) | join("-") }}',
    '{{ "x".center(5000) }}',
    '{{ "x".ljust(5000) }}',
    '{{ "x".zfill(5000) }}',
    '{{ ("\\t" * 100).expandtabs(50) }}',
    '{{ "{0}{0}{0}".format("x" * 600) }}',
    '{{ "%s%s%s" | format("x" * 600, "y", "z") }}',
    '{{ ("%s" * 3) % ("x" * 600, "y", "z") }}',
    '{{ (["x" * 600] * 2) | length }}',
    '{{ ("\\n" * 100) | indent(20) }}',
    '{{ ("\\n" * 100) | indent("y" * 20) }}',
    '{{ ("x" * 200) | wordwrap(1, wrapstring="y" * 20) }}',
    '{{ ("x" * 600) | list | length }}',
    "{{ [1] | slice(2000) | list | length }}",
    '{{ ("<" * 600) | escape }}',
    '{% set s = "x" * 600 %}{{ [s, s] ~ "" }}',
    '{% set s = "x" * 600 %}{{ [s, s] }}',
]


@pytest.mark.parametrize("source", GROWERS)
def test_a_value_is_measured_before_it_is_built(
    annotated: Workspace, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    """#12: filters, `str` methods, `%`, `~` and list repeats that would pass the limit are
    refused before the value exists (the limit lowered to 1000 characters here)."""
    monkeypatch.setattr("reader.exchange.templating.sandbox.MAX_CHARS", 1000)
    with pytest.raises(TemplateFailure, match=r"^template grow line 1: .*export limit"):
        ExportTemplate(source, "grow").render_each(collect(annotated), "Highlights")


def test_what_stays_within_the_limit_still_works(annotated: Workspace) -> None:
    source = (
        '{{ "ab" | replace("a", "xy") }} {{ ["a", "b"] | join(", ") }} {{ "x".center(3) }}|'
        ' {{ "{} {}".format(1, 2) }} {{ 1 ~ "a" }} {{ "%s-%d" % ("a", 3) }} {{ [1, 2] * 2 }}'
        ' {{ "ab" | upper }} {{ range(5) | batch(2) | list }} {{ "a\nb" | indent(2) }}'
    )
    out = ExportTemplate(source, "ok").render_each(collect(annotated), "Highlights")
    assert out[0] == "xyb a, b  x | 1 2 1a a-3 [1, 2, 1, 2] AB [[0, 1], [2, 3], [4]] a\n  b"


BOMBS = [
    '{{ ("x" * 60000000) | replace("x", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx") | length }}',
    '{{ ("x" * 60000000) | replace("x", "x" * 60000000) | length }}',
    '{{ ("x" * 6000000).replace("x", "x" * 100) | length }}',
]


@pytest.mark.parametrize("bomb", BOMBS)
def test_the_reviewers_bombs_are_one_line_exit_2(
    annotated: Workspace, tmp_path: Path, bomb: str
) -> None:
    template = tmp_path / "bomb.j2"
    template.write_text(bomb, encoding="utf-8")
    args = ["-w", str(annotated.root), "export", "--template", str(template)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "replace` would make a value longer than the export limit" in result.output


def test_memory_error_is_one_line(annotated: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    def exhausted(*args: object) -> str:
        raise MemoryError

    monkeypatch.setitem(sandbox.FILTERS, "md_line", exhausted)
    with pytest.raises(TemplateFailure, match=r"^template oom line 1: MemoryError"):
        ExportTemplate("{{ 'x' | md_line }}", "oom").render_each(collect(annotated), "H")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("missing.j2", "cannot read template {p}: No such file or directory"),
        (".", "template {p} is not a file"),
    ],
)
def test_a_template_that_cannot_be_read(
    annotated: Workspace, tmp_path: Path, path: str, message: str
) -> None:
    target = tmp_path / path
    result = run(annotated.root, "export", "--template", str(target), code=2)
    assert result.stderr == f"reader: {message.format(p=target)}\n"


def test_options_of_other_formats_are_refused(annotated: Workspace, tmp_path: Path) -> None:
    template = write(tmp_path / "t.j2", "{{ title }}\n")
    for extra in (["--format", "csv"], ["--by", "tag"], ["--matrix"]):
        result = run(annotated.root, "export", "--template", str(template), *extra, code=2)
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("reader: --template")


def test_template_frames_are_the_only_ones_traced() -> None:
    template = ExportTemplate("{{ title }}", "t").template
    assert template.root_render_func.__code__.co_filename == CODE_NAME
