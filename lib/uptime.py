"""Uptime of a monitored service over a period, and SLA credit tiers.

Pure Python, no ORM. Instants are epoch seconds (or any numbers on one axis).

uptime = (period time - counted downtime) / period time, where the period time
is the service's hours within the period (the whole period when measured 24/7),
and the counted downtime is the union of the incidents (overlaps merged),
clipped to the period and to the service hours, without customer-caused time
and without maintenance announced early enough.
"""

from collections import namedtuple

from .business_time import merge_intervals, subtract_intervals

Incident = namedtuple("Incident", "start end customer_caused force_majeure")
Maintenance = namedtuple("Maintenance", "start end announced")
Tier = namedtuple("Tier", "below_percent credit_percent")

AVERAGE_MONTH_DAYS = 365.25 / 12  # 30.4375 days
YEAR_DAYS = 365.25


def allowed_downtime_minutes(target_percent, period_minutes):
    """Downtime a target allows over a period of `period_minutes`."""
    return max(0.0, 100.0 - target_percent) / 100.0 * period_minutes


def allowed_downtime_month_minutes(target_percent):
    """E.g. 99.9 % -> 43.83 minutes in an average (30.44-day) month."""
    return allowed_downtime_minutes(target_percent, AVERAGE_MONTH_DAYS * 1440)


def allowed_downtime_year_hours(target_percent):
    """E.g. 99.9 % -> 8.77 hours a year."""
    return allowed_downtime_minutes(target_percent, YEAR_DAYS * 1440) / 60.0


def _clip(intervals, start, end):
    return [
        (max(a, start), min(b, end))
        for a, b in intervals
        if min(b, end) > max(a, start)
    ]


def _intersect(intervals, windows):
    """Intersection of two interval lists (each merged first)."""
    result = []
    windows = merge_intervals(windows)
    for a, b in merge_intervals(intervals):
        for c, d in windows:
            if d <= a:
                continue
            if c >= b:
                break
            result.append((max(a, c), min(b, d)))
    return result


def _length(intervals):
    return sum(b - a for a, b in merge_intervals(intervals))


def excused_maintenance(windows, notice):
    """Maintenance windows that excuse downtime: announced at least `notice`
    before they start (an unannounced window excuses nothing)."""
    return [
        (window.start, window.end)
        for window in windows
        if window.announced is not None and window.start - window.announced >= notice
    ]


def counted_downtime(
    period_start,
    period_end,
    incidents,
    maintenance=(),
    notice=0,
    service_hours=None,
    exclude_force_majeure=False,
    exclude_customer_caused=True,
):
    """Merged downtime intervals that count against the target."""
    down = [
        (incident.start, period_end if incident.end is None else incident.end)
        for incident in incidents
        if not (exclude_customer_caused and incident.customer_caused)
        and not (exclude_force_majeure and incident.force_majeure)
    ]
    down = _clip(merge_intervals(down), period_start, period_end)
    if service_hours is not None:
        down = _intersect(down, _clip(service_hours, period_start, period_end))
    excused = excused_maintenance(maintenance, notice)
    if excused:
        down = subtract_intervals(down, merge_intervals(excused))
    return merge_intervals(down)


def uptime_percent(
    period_start,
    period_end,
    incidents,
    maintenance=(),
    notice=0,
    service_hours=None,
    exclude_force_majeure=False,
    exclude_customer_caused=True,
):
    """(uptime %, counted downtime, period time) of one service over a period."""
    if service_hours is None:
        period = period_end - period_start
    else:
        period = _length(_clip(service_hours, period_start, period_end))
    down = _length(
        counted_downtime(
            period_start,
            period_end,
            incidents,
            maintenance,
            notice,
            service_hours,
            exclude_force_majeure,
            exclude_customer_caused,
        )
    )
    if period <= 0:
        return 100.0, down, period
    return 100.0 * (period - down) / period, down, period


def credit_tier(uptime, tiers):
    """The tier an uptime falls in: the lowest threshold it is below (the
    biggest credit), or None when it meets every threshold."""
    matching = [tier for tier in tiers if uptime < tier.below_percent]
    if not matching:
        return None
    return min(matching, key=lambda tier: (tier.below_percent, -tier.credit_percent))


def capped(amount, fee, cap_percent):
    """Credit amount limited to `cap_percent` of the fee (no cap when 0)."""
    if not cap_percent:
        return amount
    return min(amount, fee * cap_percent / 100.0)
