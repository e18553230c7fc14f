"""Business-time arithmetic over working intervals in UTC epoch seconds.

Kept free of Odoo so SLA deadline maths can be tested and reused in isolation;
the models turn a resource.calendar into (start, end) intervals once and then
answer many queries in O(log n) each.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

# Odoo's 24h attendances end at 23:59:59.999999, so sub-second gaps are noise.
TOUCH_GAP = 1.0
# Float slack when comparing a target against the total work time.
_EPS = 1e-6

Interval = tuple[float, float]


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort and merge; sub-second gaps count as touching so days chain up."""
    items = sorted((s, e) for s, e in intervals if e > s)
    merged: list[Interval] = []
    for start, end in items:
        if merged and start - merged[-1][1] < TOUCH_GAP:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def subtract_intervals(
    intervals: Iterable[Interval], holes: Iterable[Interval]
) -> list[Interval]:
    """Remove holes (e.g. paused periods) from work time."""
    result: list[Interval] = []
    cut = merge_intervals(holes)
    n_cut = len(cut)
    k = 0
    for start, end in merge_intervals(intervals):
        # Holes ending before this interval can't affect later ones either.
        while k < n_cut and cut[k][1] <= start:
            k += 1
        cur = start
        j = k
        while j < n_cut and cut[j][0] < end:
            h_start, h_end = cut[j]
            if h_start > cur:
                result.append((cur, h_start))
            cur = max(cur, h_end)
            if cur >= end:
                break
            j += 1
        if cur < end:
            result.append((cur, end))
    return result


class WorkSchedule:
    """Merged work intervals with prefix sums for O(log n) queries."""

    __slots__ = (
        "_cum",
        "_cum_end",
        "_ends",
        "_starts",
        "horizon_end",
        "horizon_start",
        "intervals",
    )

    def __init__(
        self,
        intervals: Iterable[Interval],
        horizon_start: float | None = None,
        horizon_end: float | None = None,
    ):
        merged = merge_intervals(intervals)
        if horizon_start is None:
            horizon_start = merged[0][0] if merged else None
        if horizon_end is None:
            horizon_end = merged[-1][1] if merged else None
        # Clip to the horizon so nothing beyond what the caller computed counts.
        if horizon_start is not None or horizon_end is not None:
            lo = float("-inf") if horizon_start is None else horizon_start
            hi = float("inf") if horizon_end is None else horizon_end
            merged = [(max(s, lo), min(e, hi)) for s, e in merged if e > lo and s < hi]
        self.intervals = merged
        self.horizon_start = horizon_start
        self.horizon_end = horizon_end
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]
        cum = [0]
        total = 0
        for s, e in merged:
            total += e - s
            cum.append(total)
        self._cum = cum
        # _cum_end[i] == work done by the end of interval i; bisect target here.
        self._cum_end = cum[1:]

    def __repr__(self):
        return (
            f"WorkSchedule({len(self.intervals)} intervals, "
            f"{self.horizon_start}..{self.horizon_end})"
        )

    def total(self) -> float:
        return float(self._cum[-1])

    def is_working(self, instant: float) -> bool:
        i = bisect_right(self._starts, instant) - 1
        return i >= 0 and instant < self._ends[i]

    def next_work_start(self, instant: float) -> float | None:
        i = bisect_right(self._starts, instant) - 1
        if i >= 0 and instant < self._ends[i]:
            return float(instant)
        i += 1
        return float(self._starts[i]) if i < len(self._starts) else None

    def _done_before(self, instant: float) -> float:
        """Work seconds elapsed from the schedule start up to instant."""
        i = bisect_right(self._starts, instant) - 1
        if i < 0:
            return 0
        return self._cum[i] + min(instant, self._ends[i]) - self._starts[i]

    def between(self, start: float, end: float) -> float:
        if end <= start:
            return 0.0
        return float(self._done_before(end) - self._done_before(start))

    def add(self, start: float, seconds: float) -> float | None:
        """Instant when `seconds` of work after `start` are done, or None.

        Landing exactly on an interval end returns that end (like Odoo's
        plan_hours) rather than the next start, so deadlines don't jump over
        nights.
        """
        if seconds < 0:
            raise ValueError("seconds must be >= 0")
        starts = self._starts
        ends = self._ends
        cum = self._cum
        i = bisect_right(starts, start) - 1
        if i >= 0 and start < ends[i]:
            if start + seconds <= ends[i]:
                # Fast and exact path: no float detour through the prefix sums.
                return float(start + seconds)
            offset = cum[i] + (start - starts[i])
        else:
            i += 1
            if i >= len(starts):
                return None
            if seconds == 0:
                return float(starts[i])
            offset = cum[i]
        target = offset + seconds
        if target > cum[-1] + _EPS:
            return None
        j = bisect_left(self._cum_end, target, i)
        if j >= len(starts):
            j = len(starts) - 1
        return float(min(ends[j], starts[j] + (target - cum[j])))


def add_many(
    schedule: WorkSchedule, starts_and_seconds: Iterable[tuple[float, float]]
) -> list[float | None]:
    """Batch `add` for many tickets sharing one calendar (built once)."""
    add = schedule.add
    return [add(start, seconds) for start, seconds in starts_and_seconds]


def add_business_time(
    intervals: Iterable[Interval], start: float, seconds: float
) -> float | None:
    """One-off `WorkSchedule.add`; build a WorkSchedule when querying often."""
    return WorkSchedule(intervals).add(start, seconds)


def business_time_between(
    intervals: Iterable[Interval], start: float, end: float
) -> float:
    """One-off `WorkSchedule.between`; build a WorkSchedule when querying often."""
    return WorkSchedule(intervals).between(start, end)
