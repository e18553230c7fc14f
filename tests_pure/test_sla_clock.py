"""The SLA clock (pauses, statuses) against a schedule with the pauses cut out."""

from business_time import WorkSchedule, subtract_intervals
from hypothesis import given, settings
from hypothesis import strategies as st
from sla_clock import (
    AT_RISK,
    BREACHED,
    active_seconds,
    clock_status,
    deadline_with_pauses,
    next_check,
    paused_seconds,
    warning_instant,
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


def test_check_at_the_deadline_second_is_followed_by_the_breach():
    schedule = WorkSchedule([(0, 10 * MIN)])
    deadline = deadline_with_pauses(schedule, 0, 5 * MIN, [])
    warning = warning_instant(schedule, 0, 5 * MIN, 75, [])
    consumed = active_seconds(schedule, 0, deadline, [])
    # At the deadline's own second the clock is at risk, not yet breached...
    assert clock_status(deadline, deadline, None, consumed, 5 * MIN, 75, False) == (
        AT_RISK
    )
    # ... and is checked again the next second, when it is.
    assert next_check(deadline, deadline, warning) == deadline + 1
    assert clock_status(deadline + 1, deadline, None, consumed, 5 * MIN, 75, False) == (
        BREACHED
    )
    assert next_check(deadline + 1, deadline, warning) is None


@settings(max_examples=300, deadline=None)
@given(
    spans,
    st.integers(0, 3 * DAY),
    st.integers(1, 20 * 60 * MIN),
    st.integers(1, 99),
    st.integers(0, 4 * DAY),
)
def test_open_clock_always_has_a_next_check(work, start, target, percent, offset):
    """Checked at any second, an open clock is breached or has a next check, a
    whole second later; following the checks reaches the breach."""
    schedule = WorkSchedule(_intervals(work), horizon_start=0, horizon_end=8 * DAY)
    deadline = deadline_with_pauses(schedule, start, target, [])
    if deadline is None:
        return  # not enough working time within the horizon
    warning = warning_instant(schedule, start, target, percent, [])
    now = start + offset
    for _check in range(3):
        consumed = active_seconds(schedule, start, now, [])
        status = clock_status(now, deadline, None, consumed, target, percent, False)
        moment = next_check(now, deadline, warning)
        if status == BREACHED:
            assert moment is None
            return
        assert moment is not None and moment == int(moment) and moment > now
        assert moment <= deadline + 1
        now = moment
    raise AssertionError("no breach after three checks")
