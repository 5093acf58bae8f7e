"""Tag field suggestions: typos forgiven, prefix and use decide the order, new tags offered."""

from __future__ import annotations

from reader.codebook.suggestions import (
    current_token,
    replace_current_token,
    split_tags,
    suggest_tags,
)

KNOWN = [
    ("actor/serbia", 7, "#98c379"),
    ("sanctions", 5, "#e5c07b"),
    ("arms", 3, "#61afef"),
    ("actor/russia", 2, "#e06c75"),
    ("energy", 1, "#56b6c2"),
]


def names(token: str, exclude: list[str] | None = None) -> list[tuple[str, bool]]:
    return [(s.name, s.is_new) for s in suggest_tags(token, KNOWN, exclude or [])]


def test_typo_finds_the_tag_and_still_offers_the_typed_one_as_new() -> None:
    assert names("sanctoins") == [("sanctions", False), ("sanctoins", True)]


def test_prefix_matches_rank_first_then_by_use() -> None:
    assert names("act")[:2] == [("actor/serbia", False), ("actor/russia", False)]
    assert names("act")[-1] == ("act", True)


def test_exact_tag_is_first_and_not_offered_as_new() -> None:
    assert names("ARMS") == [("arms", False)]


def test_empty_token_lists_most_used_and_skips_tags_already_chosen() -> None:
    assert [n for n, _ in names("", exclude=["Actor/Serbia"])] == [
        "sanctions", "arms", "actor/russia", "energy",
    ]  # fmt: skip


def test_unrelated_text_only_offers_a_new_tag() -> None:
    assert names("zzzz") == [("zzzz", True)]


def test_comma_separated_editing_helpers() -> None:
    assert split_tags(" arms, Arms ,,  actor / russia ,x") == ["arms", "actor / russia", "x"]
    assert current_token("arms, sanc") == "sanc"
    assert replace_current_token("arms, sanc", "sanctions") == "arms, sanctions, "
    assert replace_current_token("sanc", "sanctions") == "sanctions, "
