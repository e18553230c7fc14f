"""Uptime, allowed downtime and credit tiers, against a minute-by-minute count."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from uptime import (
    Incident,
    Maintenance,
    Tier,
    allowed_downtime_month_minutes,
    allowed_downtime_year_hours,
    capped,
    credit_tier,
    uptime_percent,
)

MIN = 60  # one minute in seconds
DAY = 1440 * MIN


def test_allowed_downtime_of_three_nines():
    assert allowed_downtime_month_minutes(99.9) == pytest.approx(43.83, abs=0.01)
    assert allowed_downtime_year_hours(99.9) == pytest.approx(8.77, abs=0.01)
    assert allowed_downtime_month_minutes(100) == 0


def test_overlapping_incidents_count_once():
    month = 30 * DAY
    incidents = [
        Incident(10 * MIN, 40 * MIN, False, False),
        Incident(30 * MIN, 60 * MIN, False, False),
    ]
    uptime, down, period = uptime_percent(0, month, incidents)
    assert down == 50 * MIN
    assert uptime == pytest.approx(100 * (1 - 50 / (30 * 1440)))


def test_clipped_to_the_period_and_open_incident_runs_to_its_end():
    incidents = [
        Incident(-30 * MIN, 30 * MIN, False, False),
        Incident(DAY - 10 * MIN, None, False, False),
    ]
    _uptime, down, _period = uptime_percent(0, DAY, incidents)
    assert down == 40 * MIN


def test_customer_caused_and_force_majeure():
    incidents = [
        Incident(0, 60 * MIN, True, False),
        Incident(120 * MIN, 180 * MIN, False, True),
    ]
    assert uptime_percent(0, DAY, incidents)[1] == 60 * MIN
    assert uptime_percent(0, DAY, incidents, exclude_force_majeure=True)[1] == 0


def test_maintenance_counts_only_when_announced_in_time():
    incident = [Incident(100 * MIN, 200 * MIN, False, False)]
    window = (100 * MIN, 160 * MIN)
    announced = [Maintenance(*window, announced=100 * MIN - 2 * DAY)]
    late = [Maintenance(*window, announced=100 * MIN - 3600)]
    unannounced = [Maintenance(*window, announced=None)]
    notice = DAY
    assert uptime_percent(0, DAY, incident, announced, notice)[1] == 40 * MIN
    assert uptime_percent(0, DAY, incident, late, notice)[1] == 100 * MIN
    assert uptime_percent(0, DAY, incident, unannounced, notice)[1] == 100 * MIN


def test_measured_over_service_hours():
    hours = [(9 * 60 * MIN, 17 * 60 * MIN)]  # 8 h of service
    incidents = [Incident(8 * 60 * MIN, 10 * 60 * MIN, False, False)]
    uptime, down, period = uptime_percent(0, DAY, incidents, service_hours=hours)
    assert period == 8 * 60 * MIN
    assert down == 60 * MIN
    assert uptime == pytest.approx(87.5)


def test_tiers_with_concrete_downtime():
    tiers = [Tier(99.9, 10), Tier(99.0, 25), Tier(95.0, 100)]
    month = 30 * DAY
    # 30 min down in 30 days: 99.93 % -> no credit.
    assert (
        credit_tier(uptime_percent(0, month, [Incident(0, 30 * MIN, 0, 0)])[0], tiers)
        is None
    )
    # 2 h down: 99.72 % -> 10 %.
    two_hours = uptime_percent(0, month, [Incident(0, 120 * MIN, 0, 0)])[0]
    assert credit_tier(two_hours, tiers).credit_percent == 10
    # 10 h down: 98.61 % -> 25 %; 2 days down: 93.3 % -> 100 %.
    assert (
        credit_tier(
            uptime_percent(0, month, [Incident(0, 600 * MIN, 0, 0)])[0], tiers
        ).credit_percent
        == 25
    )
    assert (
        credit_tier(
            uptime_percent(0, month, [Incident(0, 2 * DAY, 0, 0)])[0], tiers
        ).credit_percent
        == 100
    )


def test_cap():
    assert capped(500, 1000, 30) == 300
    assert capped(200, 1000, 30) == 200
    assert capped(500, 1000, 0) == 500


window = st.integers(min_value=0, max_value=300)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(window, window, st.booleans(), st.booleans()), max_size=6),
    st.lists(st.tuples(window, window, st.one_of(st.none(), window)), max_size=3),
    st.lists(st.tuples(window, window), max_size=3),
    st.booleans(),
    st.booleans(),
)
def test_against_minute_walk(specs, windows, hours, use_hours, exclude_fm):
    """Minute by minute: a minute is down if an incident covers it, it is not
    customer-caused (nor force majeure when excluded), inside the service hours
    and outside any maintenance announced 30 minutes ahead."""
    period_start, period_end, notice = 20, 260, 30
    incidents = [Incident(min(a, b), max(a, b), cc, fm) for a, b, cc, fm in specs]
    maintenance = [Maintenance(min(a, b), max(a, b), ann) for a, b, ann in windows]
    service = [(min(a, b), max(a, b)) for a, b in hours] if use_hours else None
    uptime, down, period = uptime_percent(
        period_start,
        period_end,
        incidents,
        maintenance,
        notice,
        service,
        exclude_fm,
    )

    def inside(minute, intervals):
        return any(a <= minute < b for a, b in intervals)

    in_service = [
        m
        for m in range(period_start, period_end)
        if service is None or inside(m, service)
    ]
    excused = [
        (w.start, w.end)
        for w in maintenance
        if w.announced is not None and w.start - w.announced >= notice
    ]
    counted = [
        m
        for m in in_service
        if inside(
            m,
            [
                (i.start, i.end)
                for i in incidents
                if not i.customer_caused and not (exclude_fm and i.force_majeure)
            ],
        )
        and not inside(m, excused)
    ]
    assert period == len(in_service)
    assert down == len(counted)
    if period:
        assert uptime == pytest.approx(100.0 * (period - len(counted)) / period)
