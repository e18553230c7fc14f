"""Prepaid banks of hours or money drawn down by time entries."""

from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from prepaid_bank import Block, Entry, allocate, thresholds_crossed, used_percent


def test_draws_in_date_order_then_overage():
    blocks = [Block("b1", date(2026, 1, 1), 10.0)]
    entries = [
        Entry("e2", date(2026, 1, 20), 6.0),
        Entry("e1", date(2026, 1, 5), 6.0),
    ]
    result = allocate(blocks, entries)
    assert result.per_entry["e1"] == (6.0, 0.0)
    assert result.per_entry["e2"] == (4.0, 2.0)
    assert result.bank == 10.0
    assert result.overage == 2.0
    assert result.remaining == 0.0


def test_entry_before_first_block_is_overage():
    result = allocate(
        [Block("b", date(2026, 2, 1), 5)], [Entry("e", date(2026, 1, 31), 1)]
    )
    assert result.per_entry["e"] == (0.0, 1.0)
    assert result.remaining == 5.0


def test_no_blocks_everything_is_overage():
    result = allocate([], [Entry("e", date(2026, 1, 1), 3)])
    assert result.overage == 3 and result.remaining == 0.0


def test_unused_hours_expire_without_rollover():
    blocks = [Block("b1", date(2026, 1, 1), 10), Block("b2", date(2026, 2, 1), 10)]
    entries = [Entry("jan", date(2026, 1, 10), 4), Entry("feb", date(2026, 2, 10), 12)]
    result = allocate(blocks, entries, rollover=False)
    assert result.expired["b1"] == 6
    assert result.rolled_over["b1"] == 0
    assert result.per_entry["feb"] == (10, 2)


def test_unused_hours_roll_over():
    blocks = [Block("b1", date(2026, 1, 1), 10), Block("b2", date(2026, 2, 1), 10)]
    entries = [Entry("jan", date(2026, 1, 10), 4), Entry("feb", date(2026, 2, 10), 12)]
    result = allocate(blocks, entries, rollover=True)
    assert result.rolled_over["b1"] == 6
    assert result.expired["b1"] == 0
    assert result.per_entry["feb"] == (12, 0)
    assert result.remaining == 4
    # 12 of the 16 units available in the current block: 75 %.
    assert used_percent(blocks, entries, rollover=True) == pytest.approx(75.0)


def test_block_bought_after_last_entry_counts_in_balance():
    blocks = [Block("b1", date(2026, 1, 1), 10), Block("b2", date(2026, 3, 1), 5)]
    result = allocate(blocks, [Entry("e", date(2026, 1, 2), 8)], rollover=True)
    assert result.remaining == 7


def test_thresholds_crossed_once():
    assert thresholds_crossed(70, 96, [95, 80]) == [80, 95]
    assert thresholds_crossed(80, 90, [80, 95]) == []
    assert thresholds_crossed(0, 80, [80, 95]) == [80]


units = st.floats(min_value=0, max_value=50, allow_nan=False)
days = st.integers(min_value=1, max_value=28)


@given(
    st.lists(st.tuples(days, units), max_size=4),
    st.lists(st.tuples(days, units), max_size=15),
    st.booleans(),
)
# A rest smaller than the rounding slack, then a new block: it expires.
@example([(1, 1e-09), (1, 0.0)], [], False)
def test_conservation(block_specs, entry_specs, rollover):
    """Every unit of work is drawn from the bank or billed as overage, and the
    bank never gives more than it was sold."""
    blocks = [Block(i, date(2026, 1, d), u) for i, (d, u) in enumerate(block_specs)]
    entries = [Entry(i, date(2026, 1, d), u) for i, (d, u) in enumerate(entry_specs)]
    result = allocate(blocks, entries, rollover)
    total = sum(entry.units for entry in entries)
    assert result.bank + result.overage == pytest.approx(total)
    sold = sum(block.units for block in blocks)
    expired = sum(result.expired.values())
    assert result.bank + result.remaining + expired == pytest.approx(sold)
    for drawn, overage in result.per_entry.values():
        assert drawn >= 0 and overage >= -1e-9
