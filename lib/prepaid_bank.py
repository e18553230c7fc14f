"""Prepaid banks (blocks of hours or of money) drawn down by time entries.

Pure Python, no ORM. A bank is a sequence of blocks, each bought on a date.
Entries (timesheet hours, converted into the bank's unit: hours, or money at
the hourly rate) are drawn in date order from the blocks current on their
date, i.e. the blocks of the latest date on or before it; blocks bought the
same day are drawn one after the other, in the order of their keys (record
ids: the order they were bought). When a block of a later date starts, what
is left of the previous ones rolls over into it, or expires when rollover is
off. An entry dated before the first block, or beyond what the current
blocks hold, is overage.
"""

from collections import namedtuple
from decimal import ROUND_HALF_UP, Decimal

Block = namedtuple("Block", "key date units")
Entry = namedtuple("Entry", "key date units")
Allocation = namedtuple(
    "Allocation", "bank overage per_entry per_block rolled_over expired remaining"
)

EPSILON = 1e-9


def _key_order(key):
    # Record ids numerically; other keys (unsaved records) after them, as text.
    if isinstance(key, int):
        return (0, key, "")
    return (1, 0, str(key))


def order_key(item):
    """Sort key of a block or an entry: its date, then its key."""
    return (item.date, _key_order(item.key))


def ordered_blocks(blocks):
    """The blocks in the order they are drawn."""
    return sorted(blocks, key=order_key)


def current_keys(blocks):
    """Keys of the current blocks: those of the latest date, in drawing order."""
    ordered = ordered_blocks(blocks)
    if not ordered:
        return []
    last_date = ordered[-1].date
    return [block.key for block in ordered if block.date == last_date]


def allocate(blocks, entries, rollover=False):
    """Draw `entries` from `blocks`.

    Returns an Allocation with the units drawn from the bank and the overage in
    total, per entry key ((bank, overage)), per block key (units drawn), the
    units rolled over and expired per block key (when a block of a later date
    starts), and what remains in the current blocks.
    """
    ordered = ordered_blocks(blocks)
    per_entry = {}
    per_block = {block.key: 0.0 for block in ordered}
    rolled_over = {block.key: 0.0 for block in ordered}
    expired = {block.key: 0.0 for block in ordered}
    bank_total = overage_total = 0.0
    # [block, units left] of the current blocks, drawn in this order.
    pool = []
    next_block = 0

    def start_block(block):
        nonlocal pool
        if pool and pool[-1][0].date == block.date:
            # Bought the same day: drawn after the ones before it.
            pool.append([block, block.units])
            return
        carried = 0.0
        for previous, left in pool:
            # Any positive rest counts (however small), so that every unit
            # sold is drawn, rolled over, expired or remaining.
            if left <= 0.0:
                continue
            if rollover:
                rolled_over[previous.key] = left
                carried += left
            else:
                expired[previous.key] = left
        pool = [[block, carried + block.units]]

    def draw(units):
        drawn = 0.0
        for slot in pool:
            wanted = units - drawn
            if wanted == 0.0:
                break
            # A negative entry (a correction) gives units back to the first block.
            take = min(max(slot[1], 0.0), wanted)
            slot[1] -= take
            per_block[slot[0].key] += take
            drawn += take
        return drawn

    for entry in sorted(entries, key=order_key):
        while next_block < len(ordered) and ordered[next_block].date <= entry.date:
            start_block(ordered[next_block])
            next_block += 1
        drawn = draw(entry.units) if pool else 0.0
        overage = entry.units - drawn
        per_entry[entry.key] = (drawn, overage)
        bank_total += drawn
        overage_total += overage
    # Blocks bought after the last entry still make up the balance.
    while next_block < len(ordered):
        start_block(ordered[next_block])
        next_block += 1
    return Allocation(
        bank=bank_total,
        overage=overage_total,
        per_entry=per_entry,
        per_block=per_block,
        rolled_over=rolled_over,
        expired=expired,
        remaining=sum(max(left, 0.0) for _block, left in pool),
    )


def current_used(blocks, allocation):
    """Units drawn from the current blocks (with what rolled into them)."""
    return sum(allocation.per_block[key] for key in current_keys(blocks))


def used_percent(blocks, entries, rollover=False):
    """Share of the current blocks (with what rolled into them) used, in %."""
    if not blocks:
        return 0.0
    allocation = allocate(blocks, entries, rollover)
    drawn = current_used(blocks, allocation)
    size = drawn + allocation.remaining
    if size <= EPSILON:
        return 100.0
    return 100.0 * drawn / size


def thresholds_crossed(before_percent, after_percent, thresholds):
    """Alert thresholds (in %) crossed when usage went from before to after."""
    return [
        threshold
        for threshold in sorted(thresholds)
        if before_percent < threshold <= after_percent + EPSILON
    ]


def round_half_up(value, digits):
    """`value` rounded to `digits` decimals, halves away from zero (as Odoo
    rounds amounts), from its shortest decimal representation."""
    step = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


def hours_charge(hours, rate, quantity_digits=2, amount_digits=2):
    """(quantity, unit price) of an invoice line billing `hours` at `rate`.

    The amount is the unrounded hours times the rate, rounded once. The line
    shows the hours at the rate when its quantity (rounded to
    `quantity_digits`) gives that amount; otherwise one unit at the amount.
    """
    amount = round_half_up(hours * rate, amount_digits)
    quantity = round_half_up(hours, quantity_digits)
    if round_half_up(quantity * rate, amount_digits) == amount:
        return quantity, rate
    return 1.0, amount
