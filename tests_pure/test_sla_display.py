"""Human durations and the SLA countdown (lib/sla_display.py)."""

from datetime import date, datetime

import babel
import babel.dates
import pytz
from hypothesis import given, settings
from hypothesis import strategies as st
from sla_display import (
    AT_RISK,
    BREACHED,
    MET,
    PAUSED,
    RESOLUTION,
    RESPONSE,
    RUNNING,
    block_around,
    countdown,
    countdown_text,
    day_word,
    human_duration,
    live_state,
    moment_parts,
    next_target,
    parse_duration,
)

HOUR = 3600.0


def test_human_duration_examples():
    assert human_duration(0.25) == "15 min"
    assert human_duration(8) == "8 h"
    assert human_duration(2.5) == "2 h 30 min"
    assert human_duration(-2.5) == "2 h 30 min"
    assert human_duration(0) == "0 min"
    assert human_duration(24, day_hours=8) == "3 business days"
    assert human_duration(8, day_hours=8) == "1 business day"
    assert human_duration(48, day_hours=24) == "2 days"
    assert human_duration(12, day_hours=8) == "12 h"


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 100000), st.sampled_from([None, 8, 7.5, 24]))
def test_human_duration_reads_back(minutes, day_hours):
    text = human_duration(minutes / 60.0, day_hours=day_hours)
    # Never a clock time, and what is shown is what is meant.
    assert ":" not in text
    assert round(parse_duration(text, day_hours) * 60) == minutes


def test_parse_duration():
    assert parse_duration("2 h 30 min") == 2.5
    assert parse_duration("15 min") == 0.25
    assert parse_duration("1:30") == 1.5
    assert parse_duration("2,5") == 2.5
    assert parse_duration("3h") == 3
    assert parse_duration("") == 0.0
    assert parse_duration("soon") is None
    assert parse_duration("2 3 h") is None
    assert parse_duration("3 business days", 8) == 24
    assert parse_duration("1 day") == 24


def test_parse_duration_in_the_readers_language():
    # What a French or Polish screen shows reads back (its unit words).
    french = [("jours ouvrés", "day"), ("jour ouvré", "day"), ("jours", "day")]
    assert parse_duration("3 jours ouvrés", 8, french) == 24
    assert parse_duration("1 jour ouvré", 8, french) == 8
    assert parse_duration("2 h 30 min", 8, french) == 2.5
    polish = [("dni rob.", "day"), ("godz.", "h")]
    assert parse_duration("3 dni rob.", 8, polish) == 24
    assert parse_duration("2 godz. 15 min", 8, polish) == 2.25
    assert parse_duration("3 jours ouvrés", 8) is None


def test_next_target():
    assert next_target((RUNNING, False), (RUNNING, False)) == RESPONSE
    assert next_target((BREACHED, False), (RUNNING, False)) == RESPONSE
    assert next_target((BREACHED, True), (AT_RISK, False)) == RESOLUTION
    assert next_target((MET, True), (MET, True)) == RESOLUTION
    assert next_target((False, False), (False, False)) is None


def _glance(**values):
    glance = {
        "kind": RESPONSE,
        "state": RUNNING,
        "done": False,
        "deadline": 10 * HOUR,
        "warning_at": 9 * HOUR,
        "deadline_block": [8 * HOUR, 12 * HOUR],
        "computed_at": 8 * HOUR,
        "late": None,
        "work_until": 12 * HOUR,
    }
    glance.update(values)
    return glance


@settings(max_examples=300, deadline=None)
@given(st.floats(0, 30 * HOUR), st.sampled_from([RUNNING, AT_RISK]))
def test_never_at_risk_after_the_deadline(now, state):
    glance = _glance(state=state)
    live = live_state(glance, now)
    if now > glance["deadline"]:
        assert live == BREACHED
    elif now >= glance["warning_at"]:
        assert live == AT_RISK
    mode = countdown(glance, now)[1]
    assert (mode == "late") == (now > glance["deadline"])


def test_countdown_modes_and_texts():
    glance = _glance()
    assert countdown(glance, 9.8 * HOUR) == (AT_RISK, "in", 0.2 * HOUR)
    state, mode, value = countdown(glance, 9.8 * HOUR)
    assert countdown_text(RESPONSE, mode, value) == "Response due in 12 min"
    # Before the deadline's block opens: the deadline itself.
    assert countdown(glance, 7 * HOUR)[1:] == ("at", 10 * HOUR)
    assert (
        countdown_text(RESOLUTION, "at", 10 * HOUR, "09:15 tomorrow")
        == "Resolution due 09:15 tomorrow"
    )
    # Late: grows in business time only (the block ends at 12:00).
    late = countdown(
        _glance(state=BREACHED, late=HOUR, computed_at=11 * HOUR), 20 * HOUR
    )
    assert late == (BREACHED, "late", 2 * HOUR)
    assert countdown_text(RESOLUTION, "late", 2 * HOUR + 600) == (
        "Resolution 2 h 10 min late"
    )
    # Turned late in the browser, within the deadline's block.
    assert countdown(glance, 11 * HOUR) == (BREACHED, "late", HOUR)
    assert countdown_text(RESPONSE, "late", None) == "Response breached"
    assert countdown_text(RESPONSE, "late", 59) == "Response breached"
    assert countdown(_glance(state=PAUSED), 11 * HOUR)[1] == "paused"
    assert countdown_text(RESPONSE, "paused", None) == "Paused"
    done = countdown(_glance(state=MET, done=True), 11 * HOUR)
    assert countdown_text(RESOLUTION, *done[1:]) == "Met"
    done = countdown(_glance(state=BREACHED, done=True), 11 * HOUR)
    assert countdown_text(RESOLUTION, *done[1:]) == "Resolution breached"


def test_block_around_and_day_word():
    intervals = [(0, 10), (20, 30)]
    assert block_around(intervals, 10) == [0, 10]
    assert block_around(intervals, 15) is None
    assert block_around(intervals, 25) == [20, 30]
    today = date(2026, 12, 1)
    assert day_word(date(2026, 12, 1), today) == "today"
    assert day_word(date(2026, 12, 2), today) == "tomorrow"
    assert day_word(date(2026, 12, 5), today) == "week"
    assert day_word(date(2026, 12, 9), today) == "date"


ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney"]
LOCALES = ["en_US", "de_DE", "pl_PL", "fr_FR", "da_DK", "es_ES"]


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(datetime(2000, 1, 1), datetime(2040, 1, 1)),
    st.sampled_from(ZONES),
    st.sampled_from(LOCALES),
)
def test_moment_parts_are_the_locales_long_date_and_short_time(moment, zone, code):
    """As babel writes the moment in the zone (its own conversion), to the
    minute: the seconds never show."""
    locale = babel.Locale.parse(code)
    aware = pytz.utc.localize(moment)
    expected = tuple(
        babel.dates.format_datetime(
            aware, pattern.pattern, tzinfo=pytz.timezone(zone), locale=locale
        )
        for pattern in (locale.date_formats["long"], locale.time_formats["short"])
    )
    assert moment_parts(moment, zone, locale) == expected
    assert moment_parts(moment.replace(second=0, microsecond=0), zone, locale) == (
        expected
    )
