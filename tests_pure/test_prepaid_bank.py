"""Prepaid banks of hours or money drawn down by time entries."""

from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from prepaid_bank import (
    Block,
    Entry,
    allocate,
    current_keys,
    hours_charge,
    ordered_blocks,
    round_half_up,
    thresholds_crossed,
    used_percent,
)


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


def test_blocks_of_the_same_day_are_drawn_one_after_the_other():
    day = date(2026, 1, 1)
    blocks = [Block(10, day, 10.0), Block(9, day, 10.0)]
    entries = [Entry("e", date(2026, 1, 10), 15.0)]
    for rollover in (False, True):
        result = allocate(blocks, entries, rollover)
        # Ids in numbers: 9 was bought before 10 and is drawn first.
        assert result.per_block == {9: 10.0, 10: 5.0}
        assert result.overage == 0.0
        assert result.remaining == 5.0
        assert sum(result.expired.values()) == 0.0
    assert used_percent(blocks, entries) == pytest.approx(75.0)


def test_same_day_blocks_then_a_later_block():
    blocks = [
        Block(1, date(2026, 1, 1), 10.0),
        Block(2, date(2026, 1, 1), 10.0),
        Block(3, date(2026, 2, 1), 10.0),
    ]
    entries = [Entry(1, date(2026, 1, 5), 12.0), Entry(2, date(2026, 2, 5), 1.0)]
    expiring = allocate(blocks, entries, rollover=False)
    assert expiring.expired == {1: 0.0, 2: 8.0, 3: 0.0}
    assert expiring.remaining == 9.0
    rolling = allocate(blocks, entries, rollover=True)
    assert rolling.rolled_over == {1: 0.0, 2: 8.0, 3: 0.0}
    assert rolling.remaining == 17.0


def test_block_order_is_numeric_with_unsaved_keys_last():
    day = date(2026, 1, 1)
    blocks = [Block("new", day, 1), Block(10, day, 1), Block(9, day, 1)]
    assert [block.key for block in ordered_blocks(blocks)] == [9, 10, "new"]
    later = Block(2, date(2026, 2, 1), 1)
    assert current_keys(blocks) == [9, 10, "new"]
    assert current_keys([*blocks, later]) == [2]
    assert current_keys([]) == []


def test_hours_charge_rounds_the_amount_once():
    # 260 / 90 h over at 120: 346.67, not 2.89 h x 120 = 346.80.
    assert hours_charge(260 / 90, 120.0) == (1.0, 346.67)
    assert hours_charge(2.0, 120.0) == (2.0, 120.0)
    assert hours_charge(2.5, 99.99) == (2.5, 99.99)
    assert round_half_up(0.125, 2) == 0.13
    assert round_half_up(-0.125, 2) == -0.13


@given(
    st.floats(min_value=0, max_value=10_000, allow_nan=False),
    st.floats(min_value=0, max_value=1_000, allow_nan=False).map(
        lambda rate: round_half_up(rate, 2)
    ),
)
def test_hours_charge_bills_the_unrounded_hours(hours, rate):
    quantity, price = hours_charge(hours, rate)
    assert round_half_up(quantity * price, 2) == round_half_up(hours * rate, 2)
    assert quantity == 1.0 or (price == rate and quantity == round_half_up(hours, 2))


@given(
    st.lists(st.tuples(st.integers(min_value=1, max_value=3), units), max_size=5),
    st.lists(st.tuples(days, units), max_size=10),
    st.booleans(),
)
def test_same_day_blocks_never_expire_each_other(block_specs, entry_specs, rollover):
    """Blocks bought on one day are one bank: nothing of them expires while
    no later block starts."""
    blocks = [Block(i, date(2026, 1, d), u) for i, (d, u) in enumerate(block_specs)]
    entries = [Entry(i, date(2026, 1, d), u) for i, (d, u) in enumerate(entry_specs)]
    result = allocate(blocks, entries, rollover)
    last_date = max((block.date for block in blocks), default=None)
    for block in blocks:
        if block.date == last_date:
            assert result.expired[block.key] == 0.0
            assert result.rolled_over[block.key] == 0.0
