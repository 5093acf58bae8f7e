"""Documents arriving during a sync refresh the library a few times a second, not per batch."""

from __future__ import annotations

from collections.abc import Callable

from reader.ui.arrivals import COST_SHARE, MIN_INTERVAL_SECONDS, ArrivalRefresh


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_asks_within_the_interval_make_one_deferred_refresh() -> None:
    clock, scheduled, refreshed = Clock(), [], []
    arrivals = ArrivalRefresh(
        lambda: refreshed.append(clock.now),
        lambda delay, call: scheduled.append((delay, call)),
        clock,
    )
    arrivals.ask()
    assert refreshed == [100.0] and not scheduled  # the first batch shows at once
    clock.now += 0.1
    arrivals.ask()
    arrivals.ask()
    assert refreshed == [100.0] and len(scheduled) == 1
    delay, call = scheduled[0]
    assert abs(delay - (MIN_INTERVAL_SECONDS - 0.1)) < 1e-9
    clock.now += delay
    call()
    assert len(refreshed) == 2 and not arrivals.pending


def test_a_costly_refresh_waits_longer_before_the_next() -> None:
    clock, scheduled = Clock(), []

    def refresh() -> None:
        clock.now += 1.0  # a second to re-read the documents

    def schedule(delay: float, call: Callable[[], None]) -> None:
        scheduled.append(delay)

    arrivals = ArrivalRefresh(refresh, schedule, clock)
    arrivals.ask()
    arrivals.ask()
    assert scheduled == [COST_SHARE * 1.0]
