"""Alert payloads and the outages they give, in any order of delivery."""

from datetime import datetime, timedelta

import pytest
from alert_payloads import (
    DOWN,
    MAX_ALERTS,
    MAX_KEY_LENGTH,
    UP,
    PayloadError,
    fit_key,
    labels_match,
    outages,
    parse_alertmanager,
    parse_generic,
    parse_instant,
    parse_uptime_kuma,
)
from hypothesis import given, settings
from hypothesis import strategies as st

T0 = datetime(2026, 10, 5, 10, 0)


def test_instants_of_each_tool():
    assert parse_instant("2026-10-05T10:00:00.123456789Z", "at") == T0
    assert parse_instant("2026-10-05T12:00:00+02:00", "at") == T0
    # Uptime Kuma: UTC without zone.
    assert parse_instant("2026-10-05 10:00:00.456", "at") == T0
    with pytest.raises(PayloadError, match="at"):
        parse_instant("yesterday", "at")


def test_alertmanager_resolved_alert_gives_its_down_and_up():
    payload = {
        "version": "4",
        "status": "resolved",
        "alerts": [
            {
                "status": "resolved",
                "labels": {"alertname": "HostDown", "sla_service": "web"},
                "annotations": {"summary": "web1 unreachable"},
                "startsAt": "2026-10-05T10:00:00Z",
                "endsAt": "2026-10-05T10:30:00Z",
                "fingerprint": "abc",
            }
        ],
    }
    down, up = parse_alertmanager(payload)
    assert (down.status, down.at, down.service, down.cause) == (
        DOWN,
        T0,
        "web",
        "web1 unreachable",
    )
    assert (up.status, up.at) == (UP, T0 + timedelta(minutes=30))
    assert down.stream == up.stream and down.key != up.key


def test_kuma_and_generic():
    (signal,) = parse_uptime_kuma(
        {
            "heartbeat": {"status": 0, "time": "2026-10-05 10:00:00", "msg": "timeout"},
            "monitor": {"id": 7, "name": "Web"},
        }
    )
    assert (signal.status, signal.stream, signal.at) == (DOWN, "kuma:7", T0)
    assert parse_uptime_kuma({"msg": "test"}) == []
    (signal,) = parse_generic(
        {"service": 3, "status": "up", "at": "2026-10-05T10:00:00Z", "id": "e1"}
    )
    assert (signal.service, signal.status) == ("3", UP)
    with pytest.raises(PayloadError, match="status"):
        parse_generic({"service": 3, "status": "maybe", "at": "x", "id": "e"})


def test_matchers():
    labels = {"alertname": "HostDown", "job": "web"}
    assert labels_match(labels, "HostDown", "job=web")
    assert not labels_match(labels, "HostDown", "job=db")
    assert not labels_match(labels, "DiskFull", "")


def test_up_before_down_is_matched_and_overlaps_merge():
    minute = timedelta(minutes=1)
    events = [
        ("a", UP, T0 + 10 * minute),
        ("a", DOWN, T0),
        ("b", DOWN, T0 + 5 * minute),
        ("b", UP, T0 + 20 * minute),
        ("c", DOWN, T0 + 60 * minute),
    ]
    assert outages(events) == [(T0, T0 + 20 * minute), (T0 + 60 * minute, None)]


# Streams, each a few down/up events at minutes 0..59.
EVENT = st.tuples(
    st.sampled_from(["s1", "s2", "s3"]),
    st.sampled_from([DOWN, UP]),
    st.integers(0, 59).map(lambda m: T0 + timedelta(minutes=m)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(EVENT, max_size=25), st.randoms(use_true_random=False))
def test_any_order_and_repeats_give_the_same_outages(events, rnd):
    replay = events + events[: len(events) // 2]
    rnd.shuffle(replay)
    assert outages(replay) == outages(events)


@settings(max_examples=300, deadline=None)
@given(st.lists(EVENT, max_size=25))
def test_outages_are_disjoint_and_cover_every_down_stream(events):
    result = outages(events)
    for (_s1, e1), (s2, _e2) in zip(result, result[1:], strict=False):
        assert e1 is not None and e1 < s2
    # Every minute a stream is down (after a down, before its up) is covered.
    for start, end in result:
        assert end is None or end > start
    for stream, status, at in events:
        if status == DOWN:
            assert any(
                s <= at and (e is None or at <= e) for s, e in result
            ) or any(  # a down answered by an up at the same instant
                st_ == stream and s_ == UP and a == at for st_, s_, a in events
            )


def test_one_delivery_carries_a_bounded_number_of_alerts():
    alert = {
        "status": "firing",
        "labels": {"alertname": "HostDown"},
        "startsAt": "2026-10-05T10:00:00Z",
    }
    assert len(parse_alertmanager({"alerts": [alert] * MAX_ALERTS})) == MAX_ALERTS
    with pytest.raises(PayloadError, match=f"at most {MAX_ALERTS}"):
        parse_alertmanager({"alerts": [alert] * (MAX_ALERTS + 1)})


@given(st.text(max_size=600), st.text(max_size=600))
def test_fitted_keys_are_short_and_distinct(first, second):
    assert len(fit_key(first)) <= MAX_KEY_LENGTH
    assert (fit_key(first) == fit_key(second)) == (first == second)
    if len(first) <= MAX_KEY_LENGTH:
        assert fit_key(first) == first


def test_long_down_and_up_keys_differ():
    long_id = "x" * 300
    down, up = fit_key(f"{long_id}:down"), fit_key(f"{long_id}:up")
    assert down != up
    assert down.startswith("x" * 100)
