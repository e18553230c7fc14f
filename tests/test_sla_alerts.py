# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue #14: monitoring webhooks open and close downtime (real HTTP posts of
each tool's documented payload shape, written out by hand)."""

import json
from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from ..models.helpdesk_sla_alert_source import MAX_BODY_BYTES, hash_token
from .test_sla_credits import OCT_MINUTES, CreditCase


def alertmanager(status, starts, ends="0001-01-01T00:00:00Z", **labels):
    """Alertmanager webhook payload, version 4."""
    labels = dict({"alertname": "HostDown", "job": "web", "severity": "page"}, **labels)
    return {
        "version": "4",
        "groupKey": '{}:{alertname="HostDown"}',
        "truncatedAlerts": 0,
        "status": status,
        "receiver": "odoo-sla",
        "groupLabels": {"alertname": "HostDown"},
        "commonLabels": labels,
        "commonAnnotations": {"summary": "web1 is unreachable"},
        "externalURL": "http://alertmanager.example:9093",
        "alerts": [
            {
                "status": status,
                "labels": labels,
                "annotations": {"summary": "web1 is unreachable"},
                "startsAt": starts,
                "endsAt": ends,
                "generatorURL": "http://prometheus.example:9090/graph?g0.expr=up",
                "fingerprint": "c5d3a8e1f0b2a7d9",
            }
        ],
    }


def uptime_kuma(status, time, monitor_id=7):
    """Uptime Kuma webhook notification (JSON preset)."""
    return {
        "heartbeat": {
            "monitorID": monitor_id,
            "status": status,
            "time": time,
            "msg": "timeout of 48000ms exceeded" if status == 0 else "200 - OK",
            "important": True,
            "duration": 60,
        },
        "monitor": {
            "id": monitor_id,
            "name": "Web hosting",
            "url": "https://www.acme.example",
            "type": "http",
        },
        "msg": "[Web hosting] [Down] timeout of 48000ms exceeded",
    }


class AlertCase(CreditCase, HttpCase):
    """A Prometheus source on the hosting service, and helpers to post to the
    webhooks and read the downtime they recorded."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hosting.code = "web-hosting"
        cls.source = cls.env["helpdesk.sla.alert.source"].create(
            {
                "name": "Prometheus",
                "kind": "alertmanager",
                "service_ids": [Command.set(cls.hosting.ids)],
                "match_alertname": "HostDown",
                "match_labels": "job=web",
                "ticket_team_id": cls.team.id,
            }
        )
        cls.token = cls.source.action_sla_new_token()["params"]["token"]

    def post(self, kind, payload, token=None, raw=None, url_token=None):
        url = f"/sla/alerts/{kind}"
        if url_token:
            url += f"?token={url_token}"
        headers = {"Content-Type": "application/json"}
        if token is not False:
            headers["Authorization"] = f"Bearer {token or self.token}"
        body = raw if raw is not None else json.dumps(payload)
        response = self.url_open(url, data=body, headers=headers)
        self.env.invalidate_all()
        return response.status_code, response.json()

    def source_of(self, kind, **values):
        source = self.env["helpdesk.sla.alert.source"].create(
            dict(
                {
                    "name": kind,
                    "kind": kind,
                    "service_ids": [Command.set(self.hosting.ids)],
                },
                **values,
            )
        )
        return source, source.action_sla_new_token()["params"]["token"]

    def incidents(self):
        return self.env["helpdesk.sla.incident"].search(
            [("service_id", "=", self.hosting.id)], order="date_start"
        )

    def spans(self):
        return [(i.date_start, i.date_end) for i in self.incidents()]


@tagged("post_install", "-at_install")
class TestAlertWebhooks(AlertCase):
    def test_alertmanager_opens_closes_with_ticket_uptime_and_credit(self):
        status, answer = self.post(
            "alertmanager", alertmanager("firing", "2026-10-05T10:00:00.123Z")
        )
        self.assertEqual((status, answer["recorded"]), (200, 1))
        incident = self.incidents()
        self.assertEqual(self.spans(), [(datetime(2026, 10, 5, 10, 0), False)])
        self.assertEqual(
            (incident.kind, incident.alert_source_id, incident.cause),
            ("unplanned", self.source, "web1 is unreachable"),
        )
        ticket = incident.ticket_id
        self.assertEqual(
            (ticket.priority, ticket.team_id, ticket.contract_id, ticket.is_outage),
            ("3", self.team, self.contract, True),
        )
        self.assertEqual(ticket.outage_service_id, self.hosting)
        # Closing the ticket does not end what the monitor still reports.
        closed = self.env["helpdesk.ticket.stage"].search([("closed", "=", True)])
        ticket.stage_id = closed[0]
        self.assertFalse(incident.date_end)
        resolved = alertmanager(
            "resolved", "2026-10-05T10:00:00.123Z", "2026-10-05T11:30:00Z"
        )
        self.assertEqual(self.post("alertmanager", resolved)[1]["recorded"], 1)
        self.assertEqual(
            self.spans(),
            [(datetime(2026, 10, 5, 10, 0), datetime(2026, 10, 5, 11, 30))],
        )
        self.assertIn("back up", ticket.message_ids[0].body)
        # Repeated deliveries change nothing.
        self.assertEqual(self.post("alertmanager", resolved)[1]["repeated"], 2)
        self.post("alertmanager", alertmanager("firing", "2026-10-05T10:00:00Z"))
        self.assertEqual(len(self.incidents()), 1)
        self.assertEqual(
            len(
                self.env["helpdesk.ticket"].search(
                    [("outage_service_id", "=", self.hosting.id)]
                )
            ),
            1,
        )
        # 90 minutes down in October: 99.80 % -> 10 % of 1000.
        credit = self.compute()
        self.assertAlmostEqual(credit.uptime, 100 * (1 - 90 / OCT_MINUTES), places=3)
        self.assertEqual(credit.amount, 100.0)
        self.assertTrue(self.source.last_delivery_date)
        self.assertFalse(self.source.last_error)

    def test_alertmanager_resolve_first_and_matchers(self):
        resolved = alertmanager(
            "resolved", "2026-10-05T10:00:00Z", "2026-10-05T10:20:00Z"
        )
        self.assertEqual(self.post("alertmanager", resolved)[0], 200)
        self.post("alertmanager", alertmanager("firing", "2026-10-05T10:00:00Z"))
        self.assertEqual(
            self.spans(),
            [(datetime(2026, 10, 5, 10, 0), datetime(2026, 10, 5, 10, 20))],
        )
        # Other jobs' alerts are not this source's.
        other = alertmanager("firing", "2026-10-06T10:00:00Z", job="db")
        self.assertEqual(self.post("alertmanager", other)[1]["recorded"], 0)
        self.assertEqual(len(self.incidents()), 1)

    def test_uptime_kuma_up_before_down_is_matched(self):
        _source, token = self.source_of("uptime_kuma", match_monitor_id="7")
        self.post("uptime_kuma", uptime_kuma(1, "2026-10-05 10:20:00.456"), token)
        self.assertFalse(self.incidents())
        self.post("uptime_kuma", uptime_kuma(0, "2026-10-05 10:00:00.123"), token)
        self.assertEqual(
            self.spans(),
            [(datetime(2026, 10, 5, 10, 0), datetime(2026, 10, 5, 10, 20))],
        )
        # Another monitor, and Kuma's test notification: nothing.
        self.post("uptime_kuma", uptime_kuma(0, "2026-10-06 10:00:00", 8), token)
        status, _answer = self.post("uptime_kuma", {"msg": "Test"}, token)
        self.assertEqual((status, len(self.incidents())), (200, 1))

    def test_overlapping_sources_extend_one_outage(self):
        _source, token = self.source_of("generic")
        down = {"service": "web-hosting", "status": "down", "id": "e1"}
        self.post("generic", dict(down, at="2026-10-05T10:00:00Z"), token)
        self.post("alertmanager", alertmanager("firing", "2026-10-05T10:10:00Z"))
        up = {"service": self.hosting.id, "status": "up", "id": "e2"}
        self.post("generic", dict(up, at="2026-10-05T10:30:00Z"), token)
        # Alertmanager still fires: the outage goes on.
        self.assertEqual(self.spans(), [(datetime(2026, 10, 5, 10, 0), False)])
        self.post(
            "alertmanager",
            alertmanager("resolved", "2026-10-05T10:10:00Z", "2026-10-05T10:45:00Z"),
        )
        self.assertEqual(
            self.spans(),
            [(datetime(2026, 10, 5, 10, 0), datetime(2026, 10, 5, 10, 45))],
        )
        self.assertEqual(len(self.incidents()), 1)

    def test_alert_in_announced_maintenance_is_planned(self):
        self.env["helpdesk.sla.maintenance"].create(
            {
                "name": "Kernel upgrade",
                "service_ids": [Command.set(self.hosting.ids)],
                "date_start": datetime(2026, 10, 10, 22, 0),
                "date_end": datetime(2026, 10, 10, 23, 30),
                "announced_date": datetime(2026, 10, 7, 9, 0),
            }
        )
        self.post(
            "alertmanager",
            alertmanager("resolved", "2026-10-10T22:05:00Z", "2026-10-10T23:00:00Z"),
        )
        self.assertEqual(self.incidents().kind, "planned")
        self.assertFalse(self.compute())

    # ------------------------------------------------------------------
    # Point 4: bad input and abuse
    # ------------------------------------------------------------------

    def assert_nothing_written(self):
        self.assertFalse(self.incidents())
        self.assertFalse(self.source.event_ids)

    def test_wrong_revoked_or_missing_token_is_401(self):
        firing = alertmanager("firing", "2026-10-05T10:00:00Z")
        for token in ("slaa_0123456789ab_nope", self.token[:-2] + "xx", False):
            status, answer = self.post("alertmanager", firing, token)
            self.assertEqual((status, answer["error"]), (401, "unauthorized"))
        # A valid token of another kind of source.
        self.assertEqual(self.post("generic", {}, self.token)[0], 401)
        self.source.action_sla_revoke_token()
        self.assertEqual(self.post("alertmanager", firing)[0], 401)
        self.assert_nothing_written()
        self.assertFalse(self.source.last_error)

    def test_token_in_the_url(self):
        firing = alertmanager("firing", "2026-10-05T10:00:00Z")
        status, _answer = self.post("alertmanager", firing, False, url_token=self.token)
        self.assertEqual(status, 200)
        self.assertEqual(len(self.incidents()), 1)

    def test_unknown_service_reveals_nothing_without_token(self):
        _source, token = self.source_of("generic")
        call = {"service": 999999, "status": "down", "at": "2026-10-05T10:00:00Z"}
        known = dict(call, service=self.hosting.id, id="k")
        unknown = dict(call, id="u")
        answers = [
            self.post("generic", body, "slaa_wrong") for body in (known, unknown)
        ]
        self.assertEqual(answers[0], answers[1])
        status, answer = self.post("generic", unknown, token)
        self.assertEqual(status, 400)
        self.assertIn("unknown service", answer["message"])

    def test_bad_bodies_are_400_logged_and_write_nothing(self):
        future = alertmanager("firing", "2099-01-01T00:00:00Z")
        cases = [
            ("{not json", "malformed JSON"),
            (json.dumps(future), "in the future"),
            (json.dumps({"alerts": "none"}), "alerts"),
            (json.dumps({"alerts": [{"status": "firing"}]}), "startsAt"),
            ("x" * (MAX_BODY_BYTES + 1), "over the limit"),
        ]
        for raw, problem in cases:
            status, answer = self.post("alertmanager", None, raw=raw)
            self.assertEqual(status, 400, problem)
            self.assertIn(problem, answer["message"])
            self.source.invalidate_recordset()
            self.assertIn(problem, self.source.last_error)
            self.assertTrue(self.source.last_error_date)
        generic, token = self.source_of("generic")
        body = {"service": "web-hosting", "status": "down", "id": "x"}
        status, answer = self.post("generic", dict(body, at="2099-01-01"), token)
        self.assertEqual((status, answer["error"]), (400, "bad_request"))
        self.assertIn("future", generic.last_error)
        self.assert_nothing_written()

    # ------------------------------------------------------------------
    # Point 1: tokens
    # ------------------------------------------------------------------

    def test_tokens_hashed_and_for_sla_managers_only(self):
        self.assertEqual(self.source.token_hash, hash_token(self.token))
        self.assertNotIn(self.token, json.dumps(self.source.read()[0], default=str))
        agent = new_test_user(
            self.env, login="alerts_agent", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        with self.assertRaises(AccessError):
            self.source.with_user(agent).read(["name"])
        with self.assertRaises(AccessError):
            self.source.with_user(agent).action_sla_new_token()
        self.assertNotIn(
            "alert_source_ids",
            self.hosting.with_user(agent).fields_get(),
        )
        old = self.token
        new = self.source.action_sla_new_token()["params"]["token"]
        self.assertNotEqual(old, new)
        firing = alertmanager("firing", "2026-10-05T10:00:00Z")
        self.assertEqual(self.post("alertmanager", firing, old)[0], 401)
        self.assertEqual(self.post("alertmanager", firing, new)[0], 200)
