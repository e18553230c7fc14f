"""Prepaid banks (blocks of hours or of money) drawn down by time entries.

Pure Python, no ORM. A bank is a sequence of blocks, each bought on a date.
Entries (timesheet hours, converted into the bank's unit: hours, or money at
the hourly rate) are drawn in date order from the block current on their date,
i.e. the latest block bought on or before it. When a new block starts, what is
left of the previous one rolls over into it, or expires when rollover is off.
An entry dated before the first block, or beyond what the current block holds,
is overage.
"""

from collections import namedtuple

Block = namedtuple("Block", "key date units")
Entry = namedtuple("Entry", "key date units")
Allocation = namedtuple(
    "Allocation", "bank overage per_entry per_block rolled_over expired remaining"
)

EPSILON = 1e-9


def allocate(blocks, entries, rollover=False):
    """Draw `entries` from `blocks`.

    Returns an Allocation with the units drawn from the bank and the overage in
    total, per entry key ((bank, overage)), per block key (units drawn), the
    units rolled over and expired per block key (when the next block starts),
    and what remains in the current block.
    """
    ordered_blocks = sorted(blocks, key=lambda block: (block.date, str(block.key)))
    ordered_entries = sorted(entries, key=lambda entry: (entry.date, str(entry.key)))
    per_entry = {}
    per_block = {block.key: 0.0 for block in ordered_blocks}
    rolled_over = {block.key: 0.0 for block in ordered_blocks}
    expired = {block.key: 0.0 for block in ordered_blocks}
    bank_total = overage_total = 0.0
    current = None
    left = 0.0
    next_block = 0

    def start_block(block):
        nonlocal current, left
        # Any positive rest counts (however small), so that every unit sold is
        # drawn, rolled over, expired or remaining.
        if current is not None and left > 0.0:
            if rollover:
                rolled_over[current.key] = left
            else:
                expired[current.key] = left
                left = 0.0
        current = block
        left = (left if rollover else 0.0) + block.units

    for entry in ordered_entries:
        while (
            next_block < len(ordered_blocks)
            and ordered_blocks[next_block].date <= entry.date
        ):
            start_block(ordered_blocks[next_block])
            next_block += 1
        drawn = min(max(left, 0.0), entry.units) if current is not None else 0.0
        overage = entry.units - drawn
        left -= drawn
        if current is not None:
            per_block[current.key] += drawn
        per_entry[entry.key] = (drawn, overage)
        bank_total += drawn
        overage_total += overage
    # Blocks bought after the last entry still make up the balance.
    while next_block < len(ordered_blocks):
        start_block(ordered_blocks[next_block])
        next_block += 1
    return Allocation(
        bank=bank_total,
        overage=overage_total,
        per_entry=per_entry,
        per_block=per_block,
        rolled_over=rolled_over,
        expired=expired,
        remaining=max(left, 0.0) if current is not None else 0.0,
    )


def used_percent(blocks, entries, rollover=False):
    """Share of the current block (with what rolled into it) used, in %."""
    allocation = allocate(blocks, entries, rollover)
    if not blocks:
        return 0.0
    current_key = max(blocks, key=lambda block: (block.date, str(block.key))).key
    # Units available in the current block: its own plus what rolled into it.
    drawn = allocation.per_block[current_key]
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
