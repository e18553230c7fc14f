# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime, timedelta

from .contract_common import ContractCase
from .test_sla_screens import month_bounds

START = datetime(2026, 10, 5, 8, 0)  # Monday 10:00 Berlin


class ReportingCase(ContractCase):
    """Three critical tickets of October 2026 on a contract (respond 15 min,
    resolve 2 h): A met both, B responded in time but resolution breached, C
    breached both."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls.make_contract(
            "hourly",
            hourly_rate=100,
            sla_policy_id=cls.policy.id,
            customer_contact_id=cls.acme_contact.id,
            date_start=date(2026, 1, 1),
        )

    def make_reporting_tickets(self):
        tickets = self.env["helpdesk.ticket"]
        for name in ("A", "B", "C"):
            tickets |= self.make_contract_ticket(start=START, priority="3", name=name)
        a, b, c = tickets
        a.write({"sla_first_response_date": START + timedelta(minutes=5)})
        a.stage_id = self.stage_done
        a.write({"sla_resolved_date": START + timedelta(hours=1)})
        b.write({"sla_first_response_date": START + timedelta(minutes=10)})
        tickets._sla_recompute()
        return tickets


class TestSlaAnalytics(ReportingCase):
    def test_compliance_by_team_priority_customer_contract_month(self):
        a, b, c = self.make_reporting_tickets()
        self.assertEqual(
            (a.sla_response_status, a.sla_resolution_status), ("met", "met")
        )
        self.assertEqual(
            (b.sla_response_status, b.sla_resolution_status), ("met", "breached")
        )
        self.assertEqual(c.sla_response_status, "breached")
        self.env.flush_all()
        report = self.env["helpdesk.sla.ticket.report"]
        for groupby in (
            "team_id",
            "priority",
            "partner_id",
            "contract_id",
            "date:month",
        ):
            rows = report.read_group(
                [("ticket_id", "in", (a | b | c).ids)],
                [
                    "response_compliance:avg",
                    "resolution_compliance:avg",
                    "ticket_count",
                ],
                [groupby],
            )
            self.assertEqual(len(rows), 1, groupby)
            self.assertEqual(rows[0]["ticket_count"], 3)
            self.assertAlmostEqual(rows[0]["response_compliance"], 200 / 3, places=2)
            self.assertAlmostEqual(rows[0]["resolution_compliance"], 100 / 3, places=2)

    def test_dashboard_gathers_breaches_risk_and_credits(self):
        dashboard = self.env["helpdesk.sla.dashboard"]

        def breached_tile():
            tiles = dashboard.get_dashboard_data()["tiles"]
            return next(tile for tile in tiles if tile["key"] == "breached")

        breaches_before = breached_tile()["value"]
        service = self.env["helpdesk.sla.service"].create(
            {
                "name": "Mail relay",
                "contract_id": self.contract.id,
                "uptime_target": 99.5,
            }
        )
        now = datetime.now().replace(microsecond=0)
        # The month starts at midnight in the user's time zone.
        month_start, _end = month_bounds(self.env)
        self.env["helpdesk.sla.incident"].create(
            {"service_id": service.id, "date_start": month_start}
        )
        ticket = self.make_contract_ticket(start=now, priority="3")
        breach = self.env["helpdesk.sla.breach"].create(
            {
                "ticket_id": ticket.id,
                "kind": "response",
                "deadline": now,
                "breach_date": now,
                "company_id": self.company.id,
            }
        )
        tile = breached_tile()
        self.assertEqual(tile["value"], breaches_before + 1)
        self.assertIn(
            breach, self.env["helpdesk.sla.breach"].search(tile["action"]["domain"])
        )
        services = dashboard.get_dashboard_data()["services"]
        row = next(row for row in services if row["name"] == "Mail relay")
        # Down since the month began, still down: 0 % so far.
        self.assertEqual(row["uptime"], 0.0)
        self.assertFalse(row["met"])
