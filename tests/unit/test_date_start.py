"""date_at_start skips its regexes for a line that cannot start a date, with the same answers;
and a month written with the long s (ſept), which the patterns accept, no longer crashes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reader.corpus.dates import DATE_PATTERNS, _as_found, date_at_start
from reader.corpus.ingest import parse_document

# date_at_start skips its regexes for a line that cannot start a date: same answers as without.
_DATE_START = "0123456789٣jJfFmMaAsSoOnNdDſKkıİ .,-/ThJanuary Sept 3rd 2021-01-12 "


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_DATE_START), max_size=30) | st.text(max_size=20))
@example("ſept 3, 2021 Title")
@example("\u0663 March 2022: title")
@example("2025-01-12 Title")
@example("March 04, 2022")
@example("Title March 04, 2022")
def test_date_at_start_answers_as_the_patterns_do(text: str) -> None:
    expected = None
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match and (found := _as_found(match)):
            expected = found
            break
    assert date_at_start(text) == expected


def test_a_long_s_month_is_read_not_skipped() -> None:
    parsed = parse_document(Path("a.txt"), "Title\n\nſept 3, 2021\n\nBody text.\n".encode())
    assert parsed.skip_reason is None
    assert parsed.date == "2021-09-03"
