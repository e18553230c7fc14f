"""The SLA clock (pauses, statuses) against a schedule with the pauses cut out."""

from business_time import WorkSchedule, subtract_intervals
from hypothesis import given, settings
from hypothesis import strategies as st
from sla_clock import (
    active_seconds,
    clock_status,
    deadline_with_pauses,
    paused_seconds,
)

MIN = 60
DAY = 24 * 60 * MIN


def _intervals(minutes):
    return [(a * MIN, b * MIN) for a, b in minutes]


spans = st.lists(
    st.tuples(st.integers(0, 3 * 24 * 60), st.integers(1, 600)), max_size=12
).map(lambda items: [(s, s + d) for s, d in items])


@settings(max_examples=200, deadline=None)
@given(spans, spans, st.integers(0, 3 * 24 * 60), st.integers(1, 2000))
def test_deadline_equals_schedule_without_pauses(work, pauses, start, minutes):
    schedule = WorkSchedule(_intervals(work), horizon_start=0, horizon_end=5 * DAY)
    holes = _intervals(pauses)
    expected = WorkSchedule(
        subtract_intervals(schedule.intervals, holes),
        horizon_start=0,
        horizon_end=5 * DAY,
    ).add(start * MIN, minutes * MIN)
    got = deadline_with_pauses(schedule, start * MIN, minutes * MIN, holes)
    if expected is None:
        assert got is None
    else:
        assert got == expected


@settings(max_examples=200, deadline=None)
@given(spans, spans, st.integers(0, 3 * 24 * 60), st.integers(0, 3 * 24 * 60))
def test_active_plus_paused_is_business_time(work, pauses, start, end):
    schedule = WorkSchedule(_intervals(work), horizon_start=0, horizon_end=5 * DAY)
    holes = _intervals(pauses)
    s, e = start * MIN, end * MIN
    active = active_seconds(schedule, s, e, holes)
    cut = WorkSchedule(subtract_intervals(schedule.intervals, holes))
    if e <= s:
        assert active == 0
    else:
        assert active == cut.between(s, e)
        assert active + paused_seconds(schedule, s, e, holes) == schedule.between(s, e)


def test_pause_after_deadline_changes_nothing():
    schedule = WorkSchedule([(0, 10 * MIN)])
    assert deadline_with_pauses(schedule, 0, 5 * MIN, [(6 * MIN, 8 * MIN)]) == 5 * MIN
    assert deadline_with_pauses(schedule, 0, 5 * MIN, [(2 * MIN, 3 * MIN)]) == 6 * MIN


def test_statuses():
    assert clock_status(10, None, None, 0, 100, 75, False) is False
    assert clock_status(10, 100, 50, 40, 100, 75, False) == "met"
    assert clock_status(10, 100, 150, 40, 100, 75, False) == "breached"
    assert clock_status(101, 100, None, 90, 100, 75, False) == "breached"
    assert clock_status(50, 100, None, 50, 100, 75, True) == "paused"
    assert clock_status(80, 100, None, 75, 100, 75, False) == "at_risk"
    assert clock_status(80, 100, None, 74, 100, 75, False) == "running"
