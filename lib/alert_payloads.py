"""Monitoring alert payloads turned into down/up signals, and signals into outages.

Pure Python, no ORM. Instants are naive UTC datetimes rounded down to the
second (Odoo stores datetimes to the second, so events and incidents agree).

A signal says that an alert *stream* went down or up at an instant. A stream is
one thing a monitor watches: an Alertmanager alert instance (fingerprint and
start), an Uptime Kuma monitor, a generic caller's service. Each signal has a
key: the same delivery twice gives the same key, so it is recorded once.

`outages()` is a function of the *set* of signals: any order of delivery, any
repetition, gives the same outages (overlapping streams merged).
"""

import hashlib
from collections import namedtuple
from datetime import datetime, timezone

Signal = namedtuple("Signal", "service stream status at key cause labels")

DOWN, UP = "down", "up"
# Alertmanager's "no end" (a firing alert's endsAt may also be a guess in
# the future: it is only read when the alert is resolved).
ZERO_TIME_YEAR = 1
# Alerts in one Alertmanager delivery: its groups are small; a bigger body
# is a misconfigured route (or an attack) that would hold the services'
# locks for long.
MAX_ALERTS = 500


# Stored keys and streams stay short enough to index.
MAX_KEY_LENGTH = 255


def fit_key(text):
    """`text`, or when longer than MAX_KEY_LENGTH a readable start followed
    by the SHA-256 of the whole: two long ids that share their start (a down
    and its up) stay distinct."""
    if len(text) <= MAX_KEY_LENGTH:
        return text
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{text[: MAX_KEY_LENGTH - len(digest) - 1]}#{digest}"


class PayloadError(ValueError):
    """The payload is not what the tool sends; the message names the problem."""


def parse_instant(value, field):
    """ISO-8601 (with `Z`, an offset, or none: UTC) -> naive UTC, to the second."""
    if not isinstance(value, str) or not value.strip():
        raise PayloadError(f"{field}: a date and time is required")
    text = value.strip().replace(" ", "T", 1)
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # Go writes nanoseconds: Python reads at most microseconds.
    if "." in text:
        head, _dot, tail = text.partition(".")
        digits = len(tail) - len(tail.lstrip("0123456789"))
        text = head + "." + tail[: min(digits, 6)].ljust(6, "0") + tail[digits:]
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise PayloadError(f"{field}: {value!r} is not an ISO-8601 date") from error
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _require(mapping, field, kind=dict):
    value = mapping.get(field) if isinstance(mapping, dict) else None
    if not isinstance(value, kind):
        raise PayloadError(f"{field}: missing or of the wrong type")
    return value


def parse_alertmanager(payload):
    """Webhook payload version 4 -> signals (service from label `sla_service`,
    or None: every service of the source). A resolved alert gives its down
    and its up, so a resolve that arrives first is complete on its own."""
    alerts = _require(payload, "alerts", list)
    if len(alerts) > MAX_ALERTS:
        raise PayloadError(
            f"alerts: {len(alerts)} alerts, at most {MAX_ALERTS} in one delivery "
            "(set max_alerts in the receiver)"
        )
    signals = []
    for index, alert in enumerate(alerts):
        where = f"alerts[{index}]"
        if not isinstance(alert, dict):
            raise PayloadError(f"{where}: an object is required")
        status = alert.get("status")
        if status not in ("firing", "resolved"):
            raise PayloadError(f"{where}.status: 'firing' or 'resolved' expected")
        labels = alert.get("labels") or {}
        if not isinstance(labels, dict):
            raise PayloadError(f"{where}.labels: an object is required")
        labels = {str(k): str(v) for k, v in labels.items()}
        fingerprint = alert.get("fingerprint") or _labels_key(labels)
        start = parse_instant(alert.get("startsAt"), f"{where}.startsAt")
        annotations = alert.get("annotations") or {}
        cause = (
            isinstance(annotations, dict)
            and (annotations.get("summary") or annotations.get("description"))
        ) or labels.get("alertname", "")
        stream = f"am:{fingerprint}:{start.isoformat()}"
        service = labels.get("sla_service")
        signals.append(
            Signal(service, stream, DOWN, start, stream + ":down", cause, labels)
        )
        if status == "resolved":
            end = parse_instant(alert.get("endsAt"), f"{where}.endsAt")
            if end.year == ZERO_TIME_YEAR or end < start:
                raise PayloadError(f"{where}.endsAt: a resolved alert needs its end")
            signals.append(
                Signal(service, stream, UP, end, stream + ":up", cause, labels)
            )
    return signals


def _labels_key(labels):
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


def parse_uptime_kuma(payload):
    """Uptime Kuma webhook notification -> one signal (0 down, 1 up), or none
    for Kuma's "test notification" (no heartbeat) and for pending/maintenance
    heartbeats (2, 3)."""
    if not isinstance(payload, dict):
        raise PayloadError("the body must be a JSON object")
    heartbeat = payload.get("heartbeat")
    if heartbeat is None:
        return []
    if not isinstance(heartbeat, dict):
        raise PayloadError("heartbeat: an object is required")
    monitor = payload.get("monitor") or {}
    if not isinstance(monitor, dict):
        raise PayloadError("monitor: an object is required")
    status = heartbeat.get("status")
    if status not in (0, 1, 2, 3):
        raise PayloadError("heartbeat.status: 0 (down) or 1 (up) expected")
    if status in (2, 3):
        return []
    monitor_id = str(monitor.get("id") or heartbeat.get("monitorID") or "")
    if not monitor_id:
        raise PayloadError("monitor.id: missing")
    at = parse_instant(heartbeat.get("time"), "heartbeat.time")
    state = DOWN if status == 0 else UP
    stream = f"kuma:{monitor_id}"
    labels = {"monitor_id": monitor_id, "monitor_name": str(monitor.get("name") or "")}
    cause = str(heartbeat.get("msg") or payload.get("msg") or "")
    key = f"{stream}:{state}:{at.isoformat()}"
    return [Signal(None, stream, state, at, key, cause, labels)]


def parse_generic(payload):
    """{"service": id or code, "status": "down"|"up", "at": ISO-8601,
    "id": event id, "cause": text} -> one signal."""
    if not isinstance(payload, dict):
        raise PayloadError("the body must be a JSON object")
    service = payload.get("service")
    if (
        isinstance(service, bool)
        or not isinstance(service, (int, str))
        or not (str(service).strip())
    ):
        raise PayloadError("service: an id or a code is required")
    status = payload.get("status")
    if status not in (DOWN, UP):
        raise PayloadError("status: 'down' or 'up' expected")
    event_id = payload.get("id")
    if (
        isinstance(event_id, bool)
        or not isinstance(event_id, (int, str))
        or not (str(event_id).strip())
    ):
        raise PayloadError("id: an event id is required")
    at = parse_instant(payload.get("at"), "at")
    cause = payload.get("cause") or ""
    if not isinstance(cause, str):
        raise PayloadError("cause: a text is required")
    return [
        Signal(
            str(service).strip(),
            "generic",
            status,
            at,
            f"{event_id}:{status}",
            cause,
            {},
        )
    ]


PARSERS = {
    "alertmanager": parse_alertmanager,
    "uptime_kuma": parse_uptime_kuma,
    "generic": parse_generic,
}


def labels_match(labels, alertname, wanted):
    """Alertmanager matchers: the alert name (when set) and every wanted
    label (`key=value, key=value`) must be equal."""
    if alertname and labels.get("alertname") != alertname:
        return False
    return all(
        labels.get(key) == value for key, value in parse_matchers(wanted).items()
    )


def parse_matchers(text):
    """`job=web, env=prod` -> {"job": "web", "env": "prod"}."""
    matchers = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise PayloadError(f"{part.strip()!r}: a matcher is written key=value")
        matchers[key.strip()] = value.strip().strip("\"'")
    return matchers


def stream_intervals(events):
    """(stream, status, at) events -> (start, end or None) per stream: a down
    opens the stream's interval, an up closes it; a repeated down while down,
    and an up with no down before it, change nothing (a late down pairs with
    it when it arrives). At one instant, down comes before up."""
    by_stream = {}
    for stream, status, at in set(events):
        by_stream.setdefault(stream, []).append((at, status != DOWN, status))
    intervals = []
    for items in by_stream.values():
        opened = None
        for at, _up, status in sorted(items):
            if status == DOWN and opened is None:
                opened = at
            elif status == UP and opened is not None:
                if at > opened:
                    intervals.append((opened, at))
                opened = None
        if opened is not None:
            intervals.append((opened, None))
    return intervals


def outages(events):
    """The service's outages: the union of its streams' intervals, overlapping
    or touching ones merged, sorted; an end of None is ongoing."""
    merged = []
    for start, end in sorted(
        stream_intervals(events), key=lambda item: (item[0], item[1] is not None)
    ):
        if merged and (merged[-1][1] is None or start <= merged[-1][1]):
            last_start, last_end = merged[-1]
            if last_end is not None and (end is None or end > last_end):
                merged[-1] = (last_start, end)
        else:
            merged.append((start, end))
    return merged
