"""The SLA clock of one ticket, in pure Python over a WorkSchedule.

Pauses (waiting on the customer, or the time a ticket spent closed before it
was reopened) are removed from the business time the clock counts, so a
deadline is the instant at which the *active* business time reaches the target.
All instants are UTC epoch seconds.
"""

import math
from typing import NamedTuple

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


class ClockInput(NamedTuple):
    """What one ticket's clock is computed from (instants in epoch seconds)."""

    key: object  # the caller's name for the ticket
    target: tuple  # (response, resolution) in business seconds
    warning: int  # warning threshold, percent of a target
    now: float  # the instant the clock is computed as of
    start: float
    pauses: list  # (start, end) intervals
    paused_now: bool  # whether a pause is open
    responded: float | None
    resolved: float | None


class Clock(NamedTuple):
    """One ticket's clock as of ClockInput.now."""

    response_deadline: float
    resolution_deadline: float
    paused_hours: float
    consumed_hours: float
    remaining_hours: float
    response_status: str | None
    resolution_status: str | None
    next_check: float | None  # when a status next changes by itself


def ticket_clock(schedule, item):
    """The Clock of one ticket (ClockInput) on `schedule`; None when the
    schedule's horizon is too short to hold its deadlines."""
    now, start, pauses = item.now, item.start, item.pauses
    response_s, resolution_s = item.target
    response_deadline = deadline_with_pauses(schedule, start, response_s, pauses)
    resolution_deadline = deadline_with_pauses(schedule, start, resolution_s, pauses)
    if response_deadline is None or resolution_deadline is None:
        return None
    resolved = item.resolved
    # Resolving a ticket answers it: the response is done by then at the latest.
    responded = item.responded if item.responded is not None else resolved
    if resolved is not None and responded is not None:
        responded = min(responded, resolved)
    end = resolved if resolved is not None else now
    consumed = active_seconds(schedule, start, end, pauses)
    paused = paused_seconds(schedule, start, end, pauses)
    paused_now = item.paused_now and any(p_end >= now for _p_start, p_end in pauses)
    statuses = [
        clock_status(now, deadline, done, consumed, target, item.warning, paused_now)
        or None
        for deadline, done, target in (
            (response_deadline, responded, response_s),
            (resolution_deadline, resolved, resolution_s),
        )
    ]
    # The next instant at which a status changes without any event: every
    # open clock not yet breached has one (a warning threshold comes before
    # its deadline: not computed once the deadline is reached).
    upcoming = []
    if not paused_now:
        for done, deadline, target in (
            (responded, response_deadline, response_s),
            (resolved, resolution_deadline, resolution_s),
        ):
            if done is not None or deadline < now:
                continue
            warning_at = (
                warning_instant(schedule, start, target, item.warning, pauses)
                if deadline > now
                else None
            )
            upcoming.append(next_check(now, deadline, warning_at))
    upcoming = [moment for moment in upcoming if moment is not None]
    return Clock(
        response_deadline,
        resolution_deadline,
        round(paused / 3600.0, 4),
        round(consumed / 3600.0, 4),
        round((resolution_s - consumed) / 3600.0, 4),
        statuses[0],
        statuses[1],
        min(upcoming) if upcoming else None,
    )
