# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Monitoring webhooks after the adversarial review: merged outages keep
their tickets, ambiguous or odd deliveries are refused with a 400 (never a
500), tokens stay out of the logs."""

import json
import logging
from datetime import datetime
from unittest.mock import patch

import pytz

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..controllers import alerts as alert_controller
from . import test_sla_alerts as tsa
from .test_sla_alerts import alertmanager
from .test_sla_credits import OCT, CreditCase


@tagged("post_install", "-at_install")
class TestAlertReview(tsa.AlertCase):
    def generic(self, token, **values):
        body = dict(
            {
                "service": "web-hosting",
                "id": "g1",
                "status": "down",
                "at": "2026-10-05T10:00:00Z",
            },
            **values,
        )
        return self.post("generic", body, token)

    # 1. Merged outages keep their tickets; no phantom downtime.
    def test_merge_keeps_tickets_and_opens_no_manual_downtime(self):
        first = alertmanager("resolved", "2026-10-05T10:00:00Z", "2026-10-05T10:20:00Z")
        second = alertmanager(
            "resolved", "2026-10-05T10:30:00Z", "2026-10-05T10:50:00Z"
        )
        bridge = alertmanager(
            "resolved", "2026-10-05T10:15:00Z", "2026-10-05T10:35:00Z"
        )
        for payload in (first, second, bridge):
            self.assertEqual(self.post("alertmanager", payload)[0], 200)
        merged = [(datetime(2026, 10, 5, 10, 0), datetime(2026, 10, 5, 10, 50))]
        self.assertEqual(self.spans(), merged)
        tickets = self.env["helpdesk.ticket"].search(
            [("outage_service_id", "=", self.hosting.id)]
        )
        self.assertEqual(len(tickets), 2)
        # Every ticket still reporting an outage has its incident; the other
        # one says why it no longer does.
        outage_tickets = tickets.filtered("is_outage")
        self.assertEqual(outage_tickets, self.incidents().ticket_id)
        merged_away = tickets - outage_tickets
        self.assertEqual(len(merged_away), 1)
        self.assertTrue(
            any(
                outage_tickets.display_name in (message.body or "")
                for message in merged_away.message_ids
            ),
            merged_away.message_ids.mapped("body"),
        )
        # Agents take both tickets in hand: no downtime appears.
        tickets.write({"stage_id": self.stage_progress.id})
        self.env.invalidate_all()
        self.assertEqual(self.spans(), merged)

    def test_monitor_ticket_never_opens_manual_downtime(self):
        self.post("alertmanager", alertmanager("firing", "2026-10-05T10:00:00Z"))
        ticket = self.incidents().ticket_id
        self.assertEqual(ticket.outage_alert_source_id, self.source)
        # Its incident goes (e.g. merged elsewhere); the ticket stays flagged.
        self.incidents().unlink()
        ticket.write({"stage_id": self.stage_progress.id})
        self.assertFalse(self.incidents())

    # 2. A code two customers' services share is ambiguous.
    def test_ambiguous_code_across_customers(self):
        globex = self.env["res.partner"].create({"name": "Globex", "is_company": True})
        other = self.make_contract("fixed_fee", partner_id=globex.id, date_start=OCT)
        web2 = self.env["helpdesk.sla.service"].create(
            {
                "name": "Globex web",
                "contract_id": other.id,
                "code": "web-hosting",
                "uptime_target": 99.9,
            }
        )
        _source, token = self.source_of(
            "generic", service_ids=[Command.set((self.hosting | web2).ids)]
        )
        status, answer = self.generic(token)
        self.assertEqual(status, 400)
        self.assertIn("ambiguous service 'web-hosting'", answer["message"])
        self.assertFalse(
            self.env["helpdesk.sla.incident"].search(
                [("service_id", "in", (self.hosting | web2).ids)]
            )
        )

    # 3. Long event ids: a down and its up stay two events.
    def test_long_generic_id_up_is_not_a_repeat(self):
        _source, token = self.source_of("generic")
        self.generic(token, id="x" * 300)
        status, answer = self.generic(
            token, id="x" * 300, status="up", at="2026-10-05T10:30:00Z"
        )
        self.assertEqual((status, answer["recorded"]), (200, 1))
        self.assertEqual(
            self.spans(),
            [(datetime(2026, 10, 5, 10, 0), datetime(2026, 10, 5, 10, 30))],
        )

    # 4. A token sent as a file is no token.
    def test_unauthenticated_multipart_token_is_401_not_500(self):
        response = self.url_open(
            "/sla/alerts/alertmanager",
            files={"token": ("t.txt", b"slaa_0123456789ab_x")},
        )
        self.assertEqual(response.status_code, 401)

    # 5. Odd bodies: a 400 JSON error, never a 500.
    def test_no_500_on_odd_bodies(self):
        _source, token = self.source_of("generic")
        good = {"id": "z", "status": "down", "at": "2026-10-05T10:00:00Z"}
        results = {}
        for name, raw in (
            ("superscript", json.dumps(dict(good, service="\u00b2"))),
            ("hugeint", json.dumps(dict(good, service="9" * 5000))),
            ("nested", "[" * 100000 + "]" * 100000),
        ):
            response = self.url_open(
                "/sla/alerts/generic",
                data=raw,
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/json",
                },
            )
            results[name] = (response.status_code, response.json().get("error"))
        self.assertEqual(set(results.values()), {(400, "bad_request")}, results)

    def test_refused_while_applying_is_a_400(self):
        _source, token = self.source_of("generic")

        def refuse(*_args, **_kwargs):
            raise UserError(self.env._("no ticket today"))

        service_class = type(self.env["helpdesk.sla.service"])
        with patch.object(service_class, "_sla_alert_reconcile", refuse):
            status, answer = self.generic(token)
        self.assertEqual((status, answer["error"]), (400, "bad_request"))
        self.assertIn("no ticket today", answer["message"])

    # 6. The token in a URL does not reach the request log.
    def test_request_log_masks_the_token(self):
        record = logging.LogRecord(
            "werkzeug",
            logging.INFO,
            __file__,
            1,
            '%s - - [%s] "%s" %s %s',
            (
                "127.0.0.1",
                "now",
                "POST /sla/alerts/generic?a=1&token=slaa_0123456789ab_secret HTTP/1.1",
                "200",
                "-",
            ),
            None,
        )
        self.assertTrue(alert_controller.TokenLogFilter().filter(record))
        line = record.getMessage()
        self.assertNotIn("secret", line)
        self.assertIn("?a=1&token=***", line)
        werkzeug_filters = logging.getLogger("werkzeug").filters
        self.assertEqual(
            [
                f
                for f in werkzeug_filters
                if isinstance(f, alert_controller.TokenLogFilter)
            ],
            [alert_controller.TOKEN_LOG_FILTER],
        )

    # 7. One delivery carries at most so many alerts.
    def test_too_many_alerts_is_a_400(self):
        payload = alertmanager("firing", "2026-10-05T10:00:00Z")
        payload["alerts"] = payload["alerts"] * 501
        status, answer = self.post("alertmanager", payload)
        self.assertEqual(status, 400)
        self.assertIn("500", answer["message"])
        self.assertFalse(self.incidents())

    # 9. Only the three kinds are routed.
    def test_unknown_kind_is_not_found(self):
        response = self.url_open(
            "/sla/alerts/evil%0Akind", data="{}", headers={"Authorization": "x"}
        )
        self.assertEqual(response.status_code, 404)

    # 10. Company consistency; instants before the contract are refused.
    def test_source_links_records_of_its_company_only(self):
        other = self.env["res.company"].create({"name": "Other company"})
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "Other team", "company_id": other.id}
        )
        with self.assertRaises(UserError):
            self.env["helpdesk.sla.alert.source"].create(
                {"name": "x", "kind": "generic", "ticket_team_id": team.id}
            )

    def test_instant_before_the_contract_is_a_400(self):
        _source, token = self.source_of("generic")
        status, answer = self.generic(token, at="2020-01-01T00:00:00Z")
        self.assertEqual(status, 400)
        self.assertIn("2020-01-01", answer["message"])
        self.assertFalse(self.incidents())

    # 11a. A source whose outages are recorded is archived, not deleted.
    def test_source_with_incidents_cannot_be_deleted(self):
        self.post("alertmanager", alertmanager("firing", "2026-10-05T10:00:00Z"))
        self.assertTrue(self.incidents())
        with self.assertRaisesRegex(UserError, "rchive"):
            self.source.unlink()
        fresh, _token = self.source_of("generic")
        fresh.unlink()


@tagged("post_install", "-at_install")
class TestDashboardMonth(CreditCase):
    # 11b. The month is the user's: its start in UTC.
    def test_month_starts_at_local_midnight(self):
        user = self.env.user
        user.tz = "Asia/Tokyo"
        data = self.env["helpdesk.sla.dashboard"].get_dashboard_data()
        tiles = {tile["key"]: tile for tile in data["tiles"]}
        domain = tiles["breached"]["action"]["domain"]
        start = next(
            term[2] for term in domain if tuple(term[:2]) == ("deadline", ">=")
        )
        end = next(term[2] for term in domain if tuple(term[:2]) == ("deadline", "<"))
        tz = pytz.timezone("Asia/Tokyo")
        first = fields.Date.context_today(user).replace(day=1)
        local = tz.localize(datetime(first.year, first.month, 1))
        expected = local.astimezone(pytz.utc).replace(tzinfo=None)
        self.assertEqual(start, expected)
        self.assertEqual(start.hour, 15)  # 00:00 in Tokyo
        self.assertEqual(end.hour, 15)
