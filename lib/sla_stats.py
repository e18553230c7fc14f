"""SLA performance figures, in pure Python.

Compliance counts only decided clocks: a target met or breached; a ticket still
running (or without SLA) is in neither.
"""


def compliance_percent(met, breached):
    """Share of decided targets that were met, in % (None when none decided)."""
    decided = met + breached
    if not decided:
        return None
    return 100.0 * met / decided


def bar_heights(values, height=100.0, floor=None, top=None):
    """Bar heights for a small trend chart: values scaled to `height`, None kept
    as 0. The scale runs from `floor` (0 by default; e.g. 95 for uptime %) to
    `top` (the largest value by default; 100 for percentages)."""
    known = [value for value in values if value is not None]
    if not known:
        return [0.0 for _value in values]
    low = floor if floor is not None else 0.0
    top = top if top is not None else max(max(known), low + 1e-9)
    span = top - low
    return [
        0.0
        if value is None
        else max(0.0, min(height, height * (value - low) / span if span else height))
        for value in values
    ]
