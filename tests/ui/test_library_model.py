"""The library's model at scale (issue #16): the word index scores as the per-word `extract`
over whole rows did within a word, the column sorts order as the `Document` sorts did, no
`Document` is built for a row until it is highlighted or opened, and attributes are read only
when a filter needs them."""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Iterable, Sequence

import pytest
from rapidfuzz import fuzz, process, utils

from reader.models import Document
from reader.text.textnav import fold
from reader.ui.widgets.library_columns import DocumentColumns
from reader.ui.widgets.library_index import EXACT_TOKEN_LENGTH, FUZZY_CUTOFF, FuzzyIndex
from reader.ui.widgets.library_model import LibraryModel
from reader.ui.widgets.library_rows import SORT_KEYS, OrderRanks, SortKey, sorted_indices
from tests.ui.test_library import make_document

# -- the scoring and sorting as they were before #16, kept here as the reference ---------------


def old_scores(documents: Sequence[Document], query: str) -> dict[int, float]:
    """`FuzzyIndex.scores` before #16: one `process.extract` per word over a dict."""
    choices = [utils.default_process(fold(f"{d.title} {d.author or ''} {d.path}"))
               for d in documents]  # fmt: skip
    words = sorted(dict.fromkeys(utils.default_process(fold(query)).split()), key=len,
                   reverse=True)  # fmt: skip
    totals: dict[int, float] | None = None
    for word in words:
        candidates: Iterable[tuple[int, str]] = (
            enumerate(choices) if totals is None else ((i, choices[i]) for i in totals)
        )
        if len(word) <= EXACT_TOKEN_LENGTH:
            hits = {i: 100.0 for i, choice in candidates if word in choice}
        else:
            found = process.extract(
                word, dict(candidates), scorer=fuzz.partial_ratio, processor=None,
                score_cutoff=FUZZY_CUTOFF, limit=None,
            )  # fmt: skip
            hits = {i: score for _, score, i in found}
        totals = hits if totals is None else {i: totals[i] + s for i, s in hits.items()}
        if not totals:
            break
    return {i: t / len(words) for i, t in (totals or {}).items()}


def old_sorted(documents: Sequence[Document], order: SortKey) -> list[int]:
    """`sorted_indices` before #16: keys built from `Document`s, Python sorts throughout."""
    keys = [(d.title.casefold(), d.path) for d in documents]
    indices = sorted(range(len(documents)), key=keys.__getitem__)
    if order == "date":
        dated = [i for i in indices if documents[i].date]
        undated = [i for i in indices if not documents[i].date]
        dated.sort(key=lambda i: documents[i].date or "", reverse=True)
        indices = dated + undated
    elif order == "annotations":
        indices.sort(key=lambda i: documents[i].annotations, reverse=True)
    indices.sort(key=lambda i: documents[i].status == "skipped")
    return indices


# -- a varied library --------------------------------------------------------------------------

WORDS = (
    "Serbia Russia Belgrade Vučić Dušan Šešelj sanctions energy Zürich Kraków naïve café "
    "pipeline 李小龙 Ελλάδα Łukasz Đoković Straße minister analysts ECFR neutrality"
).split()
AUTHORS = ["Jane Doe", "Kathrine Frich", "Milan Petrović", "李小龙", None, "Dana Author"]


def varied_documents(count: int, seed: int = 3) -> list[Document]:
    rng = random.Random(seed)
    documents = []
    for i in range(count):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 7)))
        documents.append(make_document(
            i + 1, title, path=f"{rng.choice(['press', 'notes'])}/{i:04d}-{title[:12]}.txt",
            author=rng.choice(AUTHORS),
            date=rng.choice([None, "2024-01-02", "2024-01-02", "2023-12-31", "2025-06-01"]),
            annotations=rng.choice([0, 0, 1, 2, 2, 7]),
            status=rng.choice(["ok"] * 8 + ["missing", "skipped"]),
        ))  # fmt: skip
    return documents


QUERIES = ["serbia", "serbai", "vucic", "Vučić", "dusan seselj", "sanctoins", "se", "ser",
           "li", "李小龙", "zurich", "krakow energy", "lukasz", "dokovic", "strasse", "jane",
           "petrovic", "0042", "notes", "press serbia", "naive cafe", "analysts minister",
           "zzzz", "e", "ecfr", "pipelnie", "kathrine frich", "belgrade russia serbia"]  # fmt: skip


def _lost_at_a_word_edge(word: str, choice: str) -> bool:
    """Whether the whole-string scorer's best stretch of `choice` for `word` spans two words
    or is cut short by the string's start or end: the matches the word index drops."""
    found = fuzz.partial_ratio_alignment(word, choice)
    stretch = choice[found.dest_start : found.dest_end]
    cut = len(stretch) < len(word) and (found.dest_start == 0 or found.dest_end == len(choice))
    return " " in stretch or cut


@pytest.mark.parametrize("seed", [3, 4])
@pytest.mark.parametrize("query", QUERIES)
def test_the_word_index_scores_as_the_whole_string_did_in_a_word(query: str, seed: int) -> None:
    """Scoring the library's distinct words (`RowWords`) gives the whole-string scorer's
    scores, except for stretches across two words ("ecfr" in "kathrine frich") or cut short
    at the string's start or end: it never matches a row the old scorer did not, never scores
    one higher, and every row it scores differently is one of those."""
    documents = varied_documents(400, seed)
    columns = DocumentColumns.of(documents)
    index = FuzzyIndex(columns.titles, columns.authors, columns.paths)
    new, old = index.scores(query), old_scores(documents, query)
    assert set(new) <= set(old)
    assert all(new[i] <= old[i] + 1e-9 for i in new)
    long_words = [word for word in index.words(query) if len(word) > EXACT_TOKEN_LENGTH]
    for i, score in old.items():
        if new.get(i) != pytest.approx(score):
            assert any(_lost_at_a_word_edge(word, index.choices[i]) for word in long_words)
    if query in ("serbia", "vucic", "Vučić", "sanctoins", "pipelnie", "dokovic", "naive cafe"):
        assert new and len(new) == len(old)  # typos and accents inside words: all still found


def test_letters_of_two_words_no_longer_match_but_typos_within_one_do() -> None:
    rows = ["analysts kathrine frich press 0011 txt", "serbia neutrality belgrade",
            "pipeline sanctions 0136 pipeline san txt", "the serbia russia"]  # fmt: skip
    index = FuzzyIndex(rows, [None] * len(rows), [""] * len(rows))
    assert index.scores("ecfr") == {}  # "e fr" across "kathrine frich" once scored 75
    assert index.scores("jane") == {}  # "ia ne" across "serbia neutrality"
    assert index.scores("dusan") == {}  # not "san" found in the query word's letters
    assert index.scores("serbai") == pytest.approx({1: 500 / 6, 3: 500 / 6})  # 5 of 6 letters
    assert index.scores("serbiann") == pytest.approx({1: 75.0, 3: 75.0})  # a shorter row word
    assert index.scores("frich pipelnie") == {}  # every word must match
    assert index.scores("kathrine 0011") == {0: 100.0}


@pytest.mark.parametrize("order", SORT_KEYS)
def test_the_column_sorts_order_as_the_document_sorts_did(order: SortKey) -> None:
    documents = varied_documents(600)
    assert sorted_indices(DocumentColumns.of(documents), order) == old_sorted(documents, order)


@pytest.mark.parametrize("order", SORT_KEYS)
@pytest.mark.parametrize("query", ["serbia", "dusan seselj", "se", "press serbia", "pipelnie"])
def test_the_filtered_rows_are_the_rows_shown_before(order: SortKey, query: str) -> None:
    """Best match first, ties in the sort order: the rows the scores give, sorted as before."""
    documents = varied_documents(500)
    model = LibraryModel()
    model.set_documents(documents)
    model.set_sort_by(order)
    model.set_filter_text(query)
    scores = model.index.scores(query)
    expected = [i for i in old_sorted(documents, order) if i in scores]
    expected.sort(key=lambda i: -scores[i])
    assert model.rows == expected
    assert model.rows[:10] == expected[:10] and len(model.rows) > 0


@pytest.mark.parametrize("seed", range(6))
def test_matches_come_best_first_with_ties_in_the_order(seed: int) -> None:
    """`OrderRanks.best_first` (rows picked out of the order, then sorted by score alone)
    gives what sorting on both keys gives: equal scores, a few distinct ones, and rows that
    are not in the order at all (they rank last)."""
    import numpy as np

    rng = random.Random(seed)
    size = 300
    order = rng.sample(range(size), size if seed % 3 else size - 40)
    ranks = OrderRanks(order, size)
    matched = np.array(sorted(rng.sample(range(size), 120)), dtype=np.intp)
    levels = [100.0] if seed < 2 else [75.0, 83.33, 91.5, 100.0]
    means = np.array([rng.choice(levels) for _ in matched], dtype=np.float64)
    place = {row: n for n, row in enumerate(order)}
    score = dict(zip(matched.tolist(), means.tolist(), strict=True))
    expected = sorted(score, key=lambda row: (-score[row], place.get(row, size), row))
    assert ranks.best_first(matched, means) == expected


def test_the_word_index_is_the_same_built_a_few_rows_at_a_time(monkeypatch) -> None:
    """Rows are split into words a slice at a time (the GIL is held briefly while the UI
    draws): empty rows, runs of spaces and slices ending mid-library give the same scores."""
    import numpy as np

    from reader.ui.widgets import library_words

    documents = varied_documents(60)
    rows = [*FuzzyIndex([d.title for d in documents], [d.author for d in documents],
                        [d.path for d in documents]).choices, "", "a  b", "", "serbia"]  # fmt: skip
    whole = library_words.RowWords(rows)
    monkeypatch.setattr(library_words, "BUILD_ROWS", 7)
    sliced = library_words.RowWords(rows)
    for word in ["serbai", "se", "a", "b", "vucic", "zz", "petrovic", "lukasz"]:
        assert np.array_equal(sliced.row_scores(word), whole.row_scores(word))
    assert whole.row_scores("a")[-3:].tolist() == [100.0, 0.0, 100.0]
    assert library_words.RowWords([]).row_scores("serbia").tolist() == []


# -- lazy rows ---------------------------------------------------------------------------------


def big_columns(count: int) -> DocumentColumns:
    """`count` rows as columns (what `Workspace.library_listing()` gives), no `Document`."""
    rng = random.Random(5)
    columns = DocumentColumns()
    for i in range(count):
        columns.ids.append(i + 1)
        columns.paths.append(f"{i:06d}.txt")
        columns.statuses.append("skipped" if i % 97 == 0 else "ok")
        columns.titles.append(" ".join(rng.choice(WORDS) for _ in range(4)))
        columns.authors.append(rng.choice(AUTHORS))
        columns.dates.append(rng.choice([None, "2024-01-02", "2025-06-01"]))
        columns.annotations.append(i % 5)
        columns.orphans.append(0)
    return columns


def test_a_100k_row_model_builds_no_document_until_one_is_asked_for() -> None:
    loaded: list[int] = []

    def load(doc_id: int) -> Document:
        loaded.append(doc_id)
        return make_document(doc_id, f"record {doc_id}")

    attribute_reads: list[int] = []

    def attributes() -> dict[int, dict[str, str]]:
        attribute_reads.append(1)
        return {5: {"outlet": "ECFR"}, 6: {"outlet": "ECFRx"}, 7: {"outlet": "ecfr"}}

    model = LibraryModel()
    model.set_rows(big_columns(100_000), load, attributes)
    for order in SORT_KEYS:
        model.set_sort_by(order)
    model.set_filter_text("serbia dusan")
    assert 0 < len(model.rows) < 100_000
    model.set_filter_text("")
    assert len(model.rows) == 100_000
    assert model.documents.built_count == 0 and loaded == []
    assert attribute_reads == []  # no filter or grouping asked for them

    document = model.documents[model.rows[0]]
    assert loaded == [document.id] and model.documents.built_count == 1
    assert model.documents[model.rows[0]] is document  # built once, kept

    model.set_filter_text("outlet:ECFR")  # attribute filters stay exact
    assert attribute_reads == [1]
    assert sorted(model.columns.ids[i] for i in model.rows) == [5, 7]
    assert model.documents.built_count == 1


def test_a_replaced_row_shows_the_new_document() -> None:
    documents = varied_documents(50)
    model = LibraryModel()
    model.set_documents(documents)
    changed = documents[3].__class__(**{**documents[3].as_json(), "annotations": 99,
                                       "corrected": ()})  # fmt: skip
    assert model.update_documents([changed])
    index = model.index_of(changed.id)
    assert index is not None
    assert model.columns.annotations[index] == 99 and model.documents[index] is changed
    assert not model.update_documents([changed])  # nothing new


def test_the_empty_library_the_app_starts_with_loads_no_numpy() -> None:
    """numpy (~70 ms) loads when the library first sorts real rows, after the first frame."""
    code = (
        "import sys\n"
        "from reader.ui.widgets.library_model import LibraryModel\n"
        "LibraryModel().set_documents([])\n"
        "print('numpy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_sorting_real_rows_in_every_order_loads_no_numpy() -> None:
    """The first frame at 100k sorts by title (or the remembered order) without numpy's ~90 ms
    import: sorting is Python's, with each column's own `__getitem__` as the key."""
    code = (
        "import sys\n"
        "from reader.ui.widgets.library_model import LibraryModel\n"
        "from tests.ui.test_library_model import varied_documents\n"
        "model = LibraryModel()\n"
        "model.set_documents(varied_documents(300))\n"
        "for order in ('date', 'annotations', 'title'):\n"
        "    model.set_sort_by(order)\n"
        "assert model.rows and 'skipped' in model.columns.statuses\n"
        "print('numpy' in sys.modules)\n"
        "model.index.prepare()  # in a thread after the first frame: numpy is loaded there\n"
        "print('numpy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]


def test_a_large_pool_is_scored_in_slices_with_the_scores_of_one_call(monkeypatch) -> None:
    """From `PARALLEL_WORDS` words a query word is scored in one slice per core, side by side:
    the scores are exactly those of one `cdist` over every word."""
    import numpy as np

    from reader.ui.widgets import library_words

    columns = big_columns(25_000)
    pool = [f" {title} " for title in columns.titles]
    one_call = process.cdist
    slices: list[int] = []

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        slices.append(len(args[1]))
        return one_call(*args, **kwargs)

    monkeypatch.setattr(library_words, "_cores", lambda: 2)
    monkeypatch.setattr(library_words.process, "cdist", counted)
    for word in ["serbai", "vucic", "lukasz", "zzzz", "petrovic"]:
        expected = one_call([word], pool, scorer=fuzz.partial_ratio, processor=None,
                            score_cutoff=FUZZY_CUTOFF, dtype=np.float64)[0]  # fmt: skip
        assert np.array_equal(library_words.batch_scores(word, pool), expected)
    assert set(slices) == {12_500}
