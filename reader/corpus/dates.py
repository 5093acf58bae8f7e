"""Find publication dates written the ways web pages write them, as ISO `YYYY-MM-DD`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"

DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # 2025-01-12, 2025/01/12, 2025.01.12
    re.compile(r"(?<!\d)" + _YEAR + r"[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)"),
    # March 04, 2022 / Jan.08 - 2025 / Sept 3rd 2021
    re.compile(r"\b" + _MONTH + r"\.?\s*" + _DAY + r"\s*[,.\-–]?\s*" + _YEAR + r"\b", re.I),
    # 4 March 2022 / 4th of March, 2022
    re.compile(r"(?<!\d)" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"\.?,?\s+" + _YEAR + r"\b", re.I),
)

_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?\s?m\.?)?", re.I)
_ZONE = re.compile(r"\b(?:[A-Z]{2,5}|UTC[+-]?\d{0,2}|GMT[+-]?\d{0,2})\b")
_WEEKDAY = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|urday|sday)?\b\.?", re.I
)
_DATE_LABEL = re.compile(
    r"\b(?:date|dated|published|posted|updated|last\s+updated|modified|on|at)\b\s*:?", re.I
)


@dataclass(frozen=True)
class FoundDate:
    """An ISO date and the span of text it was read from."""

    iso: str
    start: int
    end: int


MAX_DATELINE_CHARS = 80
_YEAR_HINT = re.compile(r"(?:19|20)\d\d")


def _as_found(match: re.Match[str]) -> FoundDate | None:
    parts = match.groupdict()
    month = int(parts["month"]) if parts.get("month") else _MONTHS[parts["mon"][:3].casefold()]
    try:
        day = dt.date(int(parts["year"]), month, int(parts["day"]))
    except ValueError:
        return None
    return FoundDate(day.isoformat(), match.start(), match.end())


def find_date(text: str) -> FoundDate | None:
    """The first valid calendar date written in `text`, or None."""
    if not _YEAR_HINT.search(text):
        return None  # every pattern needs a year: skip the costly month-name scans
    found: list[FoundDate] = []
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            if date := _as_found(match):
                found.append(date)
                break
    return min(found, key=lambda f: f.start) if found else None


# What a date can start with: a digit (\\d: any script's) or a month's first letter, ignoring
# case as the patterns do (`ſ`, the long s, matches `s`): other lines skip three regexes.
_MONTH_INITIALS = frozenset("jfmasondJFMASONDſ")


def date_at_start(text: str) -> FoundDate | None:
    """A valid date that `text` starts with, or None (a leading "2025-01-12 Title")."""
    first = text[:1]
    if not first or not (first in _MONTH_INITIALS or first.isdecimal()):
        return None
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match and (date := _as_found(match)):
            return date
    return None


def is_date_line(line: str) -> FoundDate | None:
    """The date when `line` is only a dateline (date, time, zone, weekday, label), else None."""
    if len(line) > MAX_DATELINE_CHARS:
        return None
    found = find_date(line)
    if found is None:
        return None
    rest = line[: found.start] + " " + line[found.end :]
    for noise in (_TIME, _ZONE, _WEEKDAY, _DATE_LABEL):
        rest = noise.sub(" ", rest)
    leftover = re.sub(r"[\W_]+", "", rest)
    return found if len(leftover) <= 2 else None
