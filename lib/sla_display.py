"""SLA at a glance: human durations and the countdown of a ticket's next target.

Pure Python: the Odoo side (portal, notes, PDFs) and the browser widget
(static/src/sla_countdown/) compute the same texts the same way. Texts go
through a `gettext` callable (Odoo's `env._`; plain formatting by default) so
they are translated where they are shown.

A *glance* is the dict the server sends for one ticket (JSON-able, instants in
UTC epoch seconds), as of `computed_at`:

- `kind`: the target that matters now, "response" until the first response,
  then "resolution"; `state` its status then (running, at_risk, paused, met,
  breached) and `done` whether that target is reached (responded, resolved);
- `deadline`, `warning_at` (when it turns at risk, or None);
- `deadline_block`: [start, end] of the working block holding the deadline:
  while now is inside it, the time left is plain clock time;
- `late`: business seconds late at `computed_at` (breached open targets) and
  `work_until`: the end of the working block holding `computed_at` (None when
  closed then), up to which lateness keeps growing;
- `other_kind`, `other_state`: the other target, for a second badge.
"""

import math

import babel.dates
import pytz

# No Odoo here: texts are translated by the gettext callable passed as `_`
# (Odoo's env._), which keeps them in the extracted .pot.
# pylint: disable=prefer-env-translation

RESPONSE = "response"
RESOLUTION = "resolution"
RUNNING = "running"
PAUSED = "paused"
AT_RISK = "at_risk"
MET = "met"
BREACHED = "breached"
OPEN_STATES = (RUNNING, AT_RISK)


def plain_gettext(text, *args, **kwargs):
    """Formatting without translation (`env._` has the same signature)."""
    if kwargs:
        return text % kwargs
    if args:
        return text % args
    return text


# ----------------------------------------------------------------------
# Durations
# ----------------------------------------------------------------------


def human_duration(hours, day_hours=None, business=True, _=plain_gettext):
    """'15 min', '8 h', '2 h 30 min', or whole days ('3 business days') when
    `hours` are a whole number of days of `day_hours` (a calendar's hours per
    day; 24 gives plain days). Rounded to the minute; the sign is dropped
    (callers say 'late'). Never reads like a clock time ('00:15')."""
    minutes = round(abs(hours or 0.0) * 60)
    if day_hours and day_hours > 0:
        day_minutes = round(day_hours * 60)
        if day_minutes and minutes >= day_minutes and minutes % day_minutes == 0:
            days = minutes // day_minutes
            if business and day_minutes < 24 * 60:
                if days == 1:
                    return _("1 business day")
                return _("%(count)s business days", count=days)
            if days == 1:
                return _("1 day")
            return _("%(count)s days", count=days)
    hours_part, minutes_part = divmod(minutes, 60)
    if not hours_part:
        return _("%(count)s min", count=minutes_part)
    if not minutes_part:
        return _("%(count)s h", count=hours_part)
    return _("%(hours)s h %(minutes)s min", hours=hours_part, minutes=minutes_part)


def parse_duration(text, day_hours=None, unit_words=()):
    """Hours from what a person types: '2 h 30 min', '15 min', '1:30', '2.5',
    '2,5 h', '3 business days' (days of `day_hours`, 24 by default). None
    when it cannot be read. `unit_words`: (words, unit) pairs of the reader's
    language ("jours ouvrés", "day"), so that what a translated screen shows
    reads back; unit is "day", "h" or "min"."""
    text = (text or "").strip().lower()
    for words, unit in sorted(unit_words, key=lambda pair: -len(pair[0])):
        words = words.strip().lower()
        if words:
            text = text.replace(words, f" {unit} ")
    text = text.replace(",", ".")
    if not text:
        return 0.0
    if ":" in text:
        hours, _sep, minutes = text.partition(":")
        try:
            return int(hours or 0) + int(minutes or 0) / 60.0
        except ValueError:
            return None
    units = {"h": 1.0, "min": 1 / 60.0, "day": float(day_hours or 24)}
    total, number, seen = 0.0, "", False
    text = text.replace("business", " ").replace("days", "day")
    for token in text.replace("h", " h ").replace("min", " min ").split():
        if token in units:
            if not number:
                return None
            total += float(number) * units[token]
            number, seen = "", True
            continue
        try:
            float(token)
        except ValueError:
            return None
        if number:
            return None
        number = token
    if number:
        total += float(number)
        seen = True
    return total if seen else None


# ----------------------------------------------------------------------
# Countdown
# ----------------------------------------------------------------------


def next_target(response, resolution):
    """The kind of target that matters: the response until it is done (met,
    or answered late), then the resolution. Each argument is (state, done);
    None when the ticket has no SLA."""
    response_state, response_done = response
    resolution_state, _resolution_done = resolution
    if response_state and not response_done:
        return RESPONSE
    if resolution_state:
        return RESOLUTION
    return RESPONSE if response_state else None


def block_around(intervals, instant):
    """[start, end] of the working interval holding `instant` (its end
    included: a deadline on an interval end belongs to that interval)."""
    for start, end in intervals:
        if start <= instant <= end:
            return [start, end]
        if start > instant:
            break
    return None


def live_state(glance, now):
    """The state of the glance's target at `now`: an open target turns at
    risk at its warning instant and breached once past its deadline."""
    state = glance["state"]
    if glance.get("done") or state not in OPEN_STATES + (BREACHED,):
        return state
    if now > glance["deadline"]:
        return BREACHED
    warning_at = glance.get("warning_at")
    if state == RUNNING and warning_at is not None and now >= warning_at:
        return AT_RISK
    return state


def late_seconds(glance, now):
    """Business seconds the open target is late at `now`, or None when that
    is unknown (the deadline passed across closed hours since the server
    computed it)."""
    computed_at = glance["computed_at"]
    if glance.get("late") is not None:
        work_until = glance.get("work_until")
        grown = max(0.0, min(now, work_until) - computed_at) if work_until else 0.0
        return glance["late"] + grown
    block = glance.get("deadline_block")
    if block and block[0] <= now:
        return max(0.0, min(now, block[1]) - glance["deadline"])
    return None


def countdown(glance, now):
    """(state, mode, value) of the glance at `now`. Modes: 'in' (value: the
    seconds left, clock time inside the deadline's working block), 'at' (the
    deadline, beyond closed hours), 'late' (business seconds late, or None
    when unknown), 'paused', 'done' (met or breached for good)."""
    state = live_state(glance, now)
    if state == PAUSED:
        return state, "paused", None
    if glance.get("done") or state == MET:
        return state, "done", state
    if state == BREACHED:
        return state, "late", late_seconds(glance, now)
    block = glance.get("deadline_block")
    if block and block[0] <= now <= glance["deadline"]:
        return state, "in", glance["deadline"] - now
    return state, "at", glance["deadline"]


def moment_parts(moment, zone, locale):
    """(date, time) texts of a naive UTC `moment` read in the time zone named
    `zone`: the babel `locale`'s long date and short time (no seconds), as
    Odoo's format_date(date_format="long") and format_time(time_format=
    "short") write them in that language."""
    local = pytz.utc.localize(moment).astimezone(pytz.timezone(zone))
    return (
        babel.dates.format_date(local.date(), format="long", locale=locale),
        babel.dates.format_time(local.time(), format="short", locale=locale),
    )


def day_word(moment_date, today):
    """'today', 'tomorrow', 'week' (within 6 days) or 'date' for the date of
    a deadline seen from today (both local dates of the viewer)."""
    days = (moment_date - today).days
    if days <= 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days < 7:
        return "week"
    return "date"


def countdown_text(kind, mode, value, moment_text=None, _=plain_gettext):
    """The words of a countdown: 'Response due in 12 min', 'Resolution
    2 h 10 min late', 'Response due 09:15 tomorrow', 'Paused', 'Met'.
    `moment_text` is the deadline as the viewer reads it (mode 'at')."""
    response = kind == RESPONSE
    if mode == "paused":
        return _("Paused")
    if mode == "done":
        return _("Met") if value != BREACHED else _breached_text(response, _)
    if mode == "in":
        # Whole minutes left, rounded up: 'due in 0 min' never shows early.
        duration = human_duration(math.ceil(value / 60.0) / 60.0, _=_)
        if response:
            return _("Response due in %(duration)s", duration=duration)
        return _("Resolution due in %(duration)s", duration=duration)
    if mode == "at":
        if response:
            return _("Response due %(moment)s", moment=moment_text)
        return _("Resolution due %(moment)s", moment=moment_text)
    if value is None or value < 60:
        # Not a whole minute of business time yet (e.g. due at closing time).
        return _breached_text(response, _)
    duration = human_duration(math.floor(value / 60.0) / 60.0, _=_)
    if response:
        return _("Response %(duration)s late", duration=duration)
    return _("Resolution %(duration)s late", duration=duration)


def _breached_text(response, _):
    return _("Response breached") if response else _("Resolution breached")
