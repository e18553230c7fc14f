"""The SLA clock of one ticket, in pure Python over a WorkSchedule.

Pauses (waiting on the customer, or the time a ticket spent closed before it
was reopened) are removed from the business time the clock counts, so a
deadline is the instant at which the *active* business time reaches the target.
All instants are UTC epoch seconds.
"""

import math

from .business_time import merge_intervals

RUNNING = "running"
PAUSED = "paused"
AT_RISK = "at_risk"
MET = "met"
BREACHED = "breached"


def deadline_with_pauses(schedule, start, seconds, pauses):
    """Instant at which `seconds` of active business time after `start` elapsed.

    A pause only pushes the deadline by the business time it covers before the
    deadline is reached: a pause that starts after the deadline changes nothing.
    Returns None when the schedule's horizon is too short.
    """
    if not pauses:
        return schedule.add(start, seconds)
    remaining = seconds
    cursor = start
    for pause_start, pause_end in merge_intervals(pauses):
        if pause_end <= cursor:
            continue
        available = schedule.between(cursor, pause_start)
        if remaining <= available:
            return schedule.add(cursor, remaining)
        remaining -= available
        cursor = max(cursor, pause_end)
    return schedule.add(cursor, remaining)


def paused_seconds(schedule, start, end, pauses):
    """Business seconds within the pauses, between start and end."""
    if not pauses:
        return 0.0
    total = 0.0
    for pause_start, pause_end in merge_intervals(pauses):
        lo, hi = max(pause_start, start), min(pause_end, end)
        if hi > lo:
            total += schedule.between(lo, hi)
    return total


def active_seconds(schedule, start, end, pauses):
    """Business seconds the clock ran between start and end (pauses removed)."""
    if end <= start:
        return 0.0
    return schedule.between(start, end) - paused_seconds(schedule, start, end, pauses)


def clock_status(now, deadline, done_at, consumed, target, warning_percent, paused):
    """Status of one clock (response or resolution).

    `done_at` is when the clock's goal was reached (first response, resolution),
    `consumed` the active business seconds so far.
    """
    if deadline is None:
        return False
    if done_at is not None:
        return MET if done_at <= deadline else BREACHED
    if now > deadline:
        return BREACHED
    if paused:
        return PAUSED
    if target and consumed >= target * warning_percent / 100.0:
        return AT_RISK
    return RUNNING


def warning_instant(schedule, start, target, warning_percent, pauses):
    """When the clock reaches its warning threshold (None past the horizon)."""
    return deadline_with_pauses(
        schedule, start, target * warning_percent / 100.0, pauses
    )


def next_check(now, deadline, warning_at=None):
    """When the status of an open clock (neither done nor paused) next changes
    by itself: its warning instant, then its breach; None once breached.

    Instants are stored and compared to the whole second, so the answer is a
    whole second after `now`. A clock is breached once `now` is past its
    deadline (a response at the deadline meets it): a check at the deadline's
    own second leaves it at risk and the breach is checked at the next second.
    """
    if now > deadline:
        return None
    if warning_at is not None and warning_at > now:
        return math.ceil(warning_at)
    return math.floor(deadline) + 1
