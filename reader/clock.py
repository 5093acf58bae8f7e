"""Timestamps as the store writes them: UTC, ISO 8601, second precision."""

import datetime as dt


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
