"""Periods written "1–30 Nov 2026"."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from period_label import EN_DASH, period_label

MONTHS = {
    number: name
    for number, name in enumerate(
        "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), start=1
    )
}
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


def test_examples():
    assert period_label(date(2026, 11, 1), date(2026, 11, 30), MONTHS) == (
        f"1{EN_DASH}30 Nov 2026"
    )
    assert period_label(date(2026, 10, 1), date(2026, 12, 31), MONTHS) == (
        f"1 Oct {EN_DASH} 31 Dec 2026"
    )
    assert period_label(date(2026, 12, 15), date(2027, 1, 14), MONTHS) == (
        f"15 Dec 2026 {EN_DASH} 14 Jan 2027"
    )
    assert period_label(date(2026, 2, 3), date(2026, 2, 3), MONTHS) == "3 Feb 2026"


def test_refuses_a_period_ending_before_it_starts():
    with pytest.raises(ValueError):
        period_label(date(2026, 2, 3), date(2026, 2, 2), MONTHS)


@given(days, st.integers(min_value=0, max_value=800))
def test_names_both_ends(first, length):
    last = first + timedelta(days=length)
    label = period_label(first, last, MONTHS)
    # It ends with the last day written in full, and names the first day.
    assert label.endswith(f"{last.day} {MONTHS[last.month]} {last.year}")
    assert label.startswith(str(first.day))
    # The first day's month and year are written once unless shared.
    assert (MONTHS[first.month] in label) or first.month == last.month
    assert label.count(str(first.year)) >= 1
    if first.year != last.year:
        assert f"{first.day} {MONTHS[first.month]} {first.year}" in label
    # A single day is written once, a period with one dash.
    assert label.count(EN_DASH) == (0 if length == 0 else 1)


@given(days, st.integers(min_value=0, max_value=800))
def test_same_month_periods_are_short(first, length):
    last = first + timedelta(days=length)
    label = period_label(first, last, MONTHS)
    if (first.year, first.month) == (last.year, last.month) and first != last:
        assert (
            label == f"{first.day}{EN_DASH}{last.day} {MONTHS[last.month]} {last.year}"
        )
