"""One reading of `outlet:ECFR` for the library's filter box, the search and the exports."""

from __future__ import annotations

from reader.text.attribute_filters import (
    AttributeFilter,
    passes,
    split_filters,
    value_kind,
    value_test,
)


def test_filters_are_taken_out_and_text_stays_text() -> None:
    rest, filters = split_filters(
        'sanctions outlet:ECFR -wave:2..3 year:..2024 site:* outlet:"Foreign Policy" '
        "http://x.org/a 10:30 std::map doc:serbia",
        reserved=("doc", "tag", "kind"),
    )
    assert rest == "sanctions http://x.org/a 10:30 std::map doc:serbia"
    assert filters == [
        AttributeFilter("outlet", "ECFR"),
        AttributeFilter("wave", low="2", high="3", negated=True),
        AttributeFilter("year", high="2024"),
        AttributeFilter("site"),
        AttributeFilter("outlet", "Foreign Policy"),
    ]


def test_values_compare_as_numbers_dates_or_text() -> None:
    assert value_kind(["2", "10", "3.5"]) == "number"
    assert value_kind(["2025", "2024-11", "2023-02-28"]) == "date"
    assert value_kind(["2025", "soon"]) == "text"
    numbers = value_test(AttributeFilter("wave", low="2", high="9"), "number")
    assert numbers("3") and not numbers("10")  # 10 > 9 as a number, though "10" < "9" as text
    assert value_test(AttributeFilter("wave", "3"), "number")("3.0")
    periods = value_test(AttributeFilter("month", "2025"), "date")
    assert periods("2025-01") and not periods("2024-12")
    through = value_test(AttributeFilter("year", high="2024"), "date")
    assert through("2024") and through("2024-12-31") and not through("2025")
    text = value_test(AttributeFilter("outlet", "foreign  policy"), "text")
    assert text("Foreign Policy")


def test_a_bound_of_the_wrong_type_matches_nothing_and_says_so() -> None:
    problems: list[str] = []
    assert not value_test(AttributeFilter("wave", low="a", high="b"), "number", problems)("3")
    assert problems == ["'a' is not a number, and wave holds numbers"]


def test_filters_on_one_name_are_alternatives_and_negations_exclude() -> None:
    _, filters = split_filters("outlet:ECFR outlet:BIRN -year:2022")
    kinds = {"year": "date"}
    assert passes({"outlet": "BIRN", "year": "2025"}, filters, kinds)
    assert not passes({"outlet": "N1", "year": "2025"}, filters, kinds)
    assert not passes({"outlet": "ECFR", "year": "2022"}, filters, kinds)
    assert passes({"outlet": "ecfr"}, filters, kinds)  # no year: not excluded
