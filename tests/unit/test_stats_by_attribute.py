"""Tag × attribute value: figures against a hand count on the five sample articles, by an
attribute someone set, by year and by month, rolled up, restricted, and through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reader.analysis.records import NONE_LABEL, AttributeStats
from reader.cli import cli
from reader.errors import UsageError
from reader.workspace import Workspace

# The sample corpus, in path order: D1 dated 2025-01-12, D2 2025-01-08 (moved to February
# below), D3 and D4 undated, D5 2022-03-04.
D1, D2, D3, D4, D5 = (
    "000_1d5d00d34374701d", "001_4310720f2bcf0b55", "002_d42153564ceb3715",
    "003_ab75fb7eb88f90bb", "004_9b4db2a2590667cc",
)  # fmt: skip
TAGS = ["actor", "actor/eu", "actor/russia", "actor/serbia", "actor/serbia/vucic", "frame",
        "frame/history"]  # fmt: skip


def seed(ws: Workspace) -> None:
    """outlet: D1 ECFR, D2 ecfr (the same outlet), D3 and D5 KI, D4 none. Highlights: D1 four
    (one untagged), D2, D3 and D4 one each, D5 none. Whole-document tags: D1 `frame` (it has
    frame highlights too: counted once), D3 `actor/russia`, D5 `actor/eu`."""
    d1, d2, d3, d4, d5 = (ws.document(d) for d in (D1, D2, D3, D4, D5))
    for doc, outlet, wave in ((d1, "ECFR", "10"), (d2, "ecfr", "9"), (d3, "KI", "2"),
                              (d5, "KI", "9")):  # fmt: skip
        ws.set_attributes(doc, {"outlet": outlet, "wave": wave})
    ws.correct_metadata(d2, {"date": "2025-02-03"})
    ws.annotate(d1, 0, 20, ["actor/russia", "actor/serbia"])  # h1
    ws.annotate(d1, 10, 30, ["actor/serbia/vucic", "frame"])  # h2
    ws.annotate(d1, 30, 40, ["frame/history"])  # h3
    ws.annotate(d1, 50, 60, [])  # h4, untagged: counts in the documents' totals only
    ws.annotate(d2, 5, 50, ["actor/russia"])  # h5
    ws.annotate(d3, 0, 10, ["frame"])  # h6
    ws.annotate(d4, 0, 10, ["actor/russia"])  # h7
    ws.set_document_annotation(d1, ["frame"], "")
    ws.set_document_annotation(d3, ["actor/russia"], "")
    ws.set_document_annotation(d5, ["actor/eu"], "")


def grid(stats: AttributeStats) -> dict[tuple[str, str | None], tuple[int, int, int]]:
    """(tag, value) -> (highlights, documents with the tag, documents with the value)."""
    return {(r.tag, r.value): (r.highlights, r.documents, r.documents_total) for r in stats.rows}


def words(ws: Workspace, *docs: str) -> int:
    return sum(ws.document(d).words for d in docs)


@pytest.fixture
def seeded(workspace: Workspace) -> Workspace:
    seed(workspace)
    return workspace


def test_by_a_set_attribute_against_a_hand_count(seeded: Workspace) -> None:
    stats = seeded.stats_by("outlet")
    assert (stats.name, stats.kind, stats.depth) == ("outlet", "text", None)
    assert [(v.value, v.label, v.documents, v.highlights) for v in stats.values] == [
        ("ECFR", "ECFR", 2, 5),  # D1 and D2 (ecfr: the same value, its first spelling shown)
        ("KI", "KI", 2, 1),
        (None, NONE_LABEL, 1, 1),  # D4 has no outlet
    ]
    assert [v.words for v in stats.values] == [
        words(seeded, D1, D2), words(seeded, D3, D5), words(seeded, D4),
    ]  # fmt: skip
    assert [t.tag for t in stats.tags] == TAGS
    assert grid(stats) == {
        ("actor", "ECFR"): (3, 2, 2),  # h1, h2, h5
        ("actor", "KI"): (0, 2, 2),  # no highlight, but D3 and D5 are tagged as a whole
        ("actor", None): (1, 1, 1),
        ("actor/eu", "ECFR"): (0, 0, 2),
        ("actor/eu", "KI"): (0, 1, 2),
        ("actor/eu", None): (0, 0, 1),
        ("actor/russia", "ECFR"): (2, 2, 2),
        ("actor/russia", "KI"): (0, 1, 2),
        ("actor/russia", None): (1, 1, 1),
        ("actor/serbia", "ECFR"): (2, 1, 2),  # h1 and h2 (vucic is a sub-tag)
        ("actor/serbia", "KI"): (0, 0, 2),
        ("actor/serbia", None): (0, 0, 1),
        ("actor/serbia/vucic", "ECFR"): (1, 1, 2),
        ("actor/serbia/vucic", "KI"): (0, 0, 2),
        ("actor/serbia/vucic", None): (0, 0, 1),
        ("frame", "ECFR"): (2, 1, 2),  # D1 by highlights and as a whole: once
        ("frame", "KI"): (1, 1, 2),
        ("frame", None): (0, 0, 1),
        ("frame/history", "ECFR"): (1, 1, 2),
        ("frame/history", "KI"): (0, 0, 2),
        ("frame/history", None): (0, 0, 1),
    }
    actor = stats.row("actor", "ECFR")
    assert actor is not None and actor.implied and actor.level == 1 and actor.share == 1.0
    assert actor.per_1000_words == round(3 * 1000 / words(seeded, D1, D2), 2)
    assert stats.row("actor", None).per_1000_words == round(1000 / words(seeded, D4), 2)
    assert stats.row("frame", "KI").share == 0.5


def test_json_is_long_format_with_null_for_none(seeded: Workspace) -> None:
    data = seeded.stats_by("outlet").as_json()
    assert len(data) == len(TAGS) * 3
    assert data[0] == {
        "tag": "actor", "value": "ECFR", "highlights": 3, "documents": 2, "documents_total": 2,
        "per_1000_words": round(3000 / words(seeded, D1, D2), 2),
        "words": words(seeded, D1, D2),
    }  # fmt: skip
    assert data[2]["value"] is None and data[2]["documents_total"] == 1


def test_by_year_and_by_month_use_the_document_date(seeded: Workspace) -> None:
    years = seeded.stats_by("year")
    assert years.kind == "date"
    assert [(v.value, v.documents) for v in years.values] == [("2022", 1), ("2025", 2), (None, 2)]
    by_year = grid(years)
    assert by_year["actor", "2025"] == (3, 2, 2)
    assert by_year["actor", "2022"] == (0, 1, 1)  # D5, tagged as a whole
    assert by_year["actor", None] == (1, 2, 2)  # h7 in D4; D3 as a whole
    assert by_year["frame", "2025"] == (2, 1, 2) and by_year["frame", None] == (1, 1, 2)

    months = seeded.stats_by("month")
    assert [(v.value, v.documents) for v in months.values] == [
        ("2022-03", 1), ("2025-01", 1), ("2025-02", 1), (None, 2),
    ]  # fmt: skip
    by_month = grid(months)
    assert by_month["actor", "2025-01"] == (2, 1, 1)  # h1, h2
    assert by_month["actor", "2025-02"] == (1, 1, 1)  # h5
    assert by_month["actor/serbia/vucic", "2025-02"] == (0, 0, 1)
    assert months.row("actor", "2025-02").per_1000_words == round(1000 / words(seeded, D2), 2)


def test_depth_rolls_tags_up_and_the_counts_stay(seeded: Workspace) -> None:
    full = grid(seeded.stats_by("outlet"))
    rolled = seeded.stats_by("outlet", depth=1)
    assert [t.tag for t in rolled.tags] == ["actor", "frame"]
    assert grid(rolled) == {key: n for key, n in full.items() if key[0] in ("actor", "frame")}
    assert [t.tag for t in seeded.stats_by("outlet", depth=2).tags] == TAGS[:4] + TAGS[5:]
    with pytest.raises(ValueError):
        seeded.stats_by("outlet", depth=0)


def test_numbers_sort_as_numbers_and_documents_restrict(seeded: Workspace) -> None:
    waves = seeded.stats_by("wave")
    assert waves.kind == "number"
    assert [v.value for v in waves.values] == ["2", "9", "10", None]
    assert grid(waves)["actor", "9"] == (1, 2, 2)  # h5 in D2; D5 as a whole
    some = seeded.stats_by("outlet", documents=[seeded.document(D1), seeded.document(D4)])
    assert [(v.value, v.documents) for v in some.values] == [("ECFR", 1), (None, 1)]
    assert grid(some)["actor", "ECFR"] == (2, 1, 1)


def test_the_values_add_up_to_the_tag_by_document_statistics(seeded: Workspace) -> None:
    totals = {t.path: t.highlights for t in seeded.stats().tags}
    for name in ("outlet", "year", "month", "wave", "site", "author"):
        stats = seeded.stats_by(name)
        for tag in stats.tags:
            assert sum(r.highlights for r in stats.rows if r.tag == tag.tag) == totals[tag.tag]
        assert sum(v.documents for v in stats.values) == 5


def test_an_attribute_nobody_has_is_an_error_but_derived_ones_never_are(
    workspace: Workspace,
) -> None:
    with pytest.raises(UsageError, match="no document has the attribute outlte"):
        workspace.stats_by("outlte")
    with pytest.raises(UsageError, match="not an attribute name"):
        workspace.stats_by("not a name")
    sites = workspace.stats_by("site")  # the sample articles name no site: all under (none)
    assert [(v.value, v.documents) for v in sites.values] == [(None, 5)] and sites.rows == ()


# The CLI


def run(root: Path, *args: str, code: int = 0) -> click.testing.Result:
    result = CliRunner().invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def test_cli_stats_by_for_people_and_for_tools(workspace_root: Path) -> None:
    with Workspace.open(workspace_root) as ws:
        seed(ws)
    lines = run(workspace_root, "stats", "--by", "outlet").stdout.splitlines()
    assert lines[0].startswith("Tags × outlet: highlights/documents")
    assert lines[1].split() == ["TAG", "ECFR", "KI", NONE_LABEL]
    assert lines[2].split() == ["actor", "3/2", "0/2", "1/1"]
    assert lines[3].split() == ["eu", "·", "0/1", "·"] and lines[3].startswith("  eu")
    assert lines[6].split() == ["vucic", "1/1", "·", "·"] and lines[6].startswith("    vucic")
    footer = {line.split()[0]: line.split()[1:] for line in lines[9:] if line.strip()}
    assert footer["DOCUMENTS"] == ["2", "2", "1"] and footer["HIGHLIGHTS"] == ["5", "1", "1"]

    data = json.loads(run(workspace_root, "stats", "--by", "month", "--json").stdout)
    assert set(data[0]) == {"tag", "value", "highlights", "documents", "documents_total",
                            "per_1000_words", "words"}  # fmt: skip
    assert {(d["tag"], d["value"]): d["highlights"] for d in data}["actor", "2025-01"] == 2
    rolled = json.loads(
        run(workspace_root, "stats", "--by", "year", "--depth", "1", "--json").stdout
    )
    assert sorted({d["tag"] for d in rolled}) == ["actor", "frame"]
    assert [d["value"] for d in rolled[:3]] == ["2022", "2025", None]
    one = json.loads(run(workspace_root, "stats", "--by", "outlet", "--doc", D3, "--json").stdout)
    assert {d["value"] for d in one} == {"KI"}
    assert "no document has the attribute" in run(
        workspace_root, "stats", "--by", "nope", code=2
    ).stderr


def test_cli_stats_by_shows_hostile_values_literally(workspace_root: Path) -> None:
    with Workspace.open(workspace_root) as ws:
        ws.set_attributes(ws.document(D1), {"outlet": "[red]x[/] \x1b[2J"})
        ws.annotate(ws.document(D1), 0, 5, ["t"])
    out = run(workspace_root, "stats", "--by", "outlet").stdout
    assert "\x1b" not in out and "[red]x[/]" in out
