# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


class PortalCustomersCase(HttpCase):
    """Customers with a portal user, an hourly contract under a 24/7 policy, a
    monitored service, a ticket and October's performance report each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["helpdesk.sla.policy"].search([]).active = False
        cls.policy = cls.env["helpdesk.sla.policy"].create(
            {
                "name": "Gold 24/7",
                "calendar_id": cls.env.ref(
                    "helpdesk_sla_contract.resource_calendar_24_7"
                ).id,
                "target_ids": [
                    Command.create(
                        {"priority": "1", "response_hours": 2, "resolution_hours": 8}
                    )
                ],
            }
        )

    @classmethod
    def make_customer(cls, name, login, contract_values=(), ticket_values=()):
        """(company, portal user, contract, service, ticket, report)."""
        company = cls.env["res.partner"].create({"name": name, "is_company": True})
        user = new_test_user(cls.env, login=login, groups="base.group_portal")
        user.partner_id.parent_id = company
        contract = cls.env["contract.contract"].create(
            {
                "name": f"{name} managed services",
                "partner_id": company.id,
                "contract_type": "sale",
                "pricing_model": "hourly",
                "hourly_rate": 90,
                "sla_policy_id": cls.policy.id,
                "date_start": date(2026, 1, 1),
                **dict(contract_values),
            }
        )
        service = cls.env["helpdesk.sla.service"].create(
            {"name": f"{name} mail", "contract_id": contract.id}
        )
        ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": f"{name} printer",
                "description": "<p>x</p>",
                "partner_id": user.partner_id.id,
                **dict(ticket_values),
            }
        )
        report = cls.env["helpdesk.sla.performance.report"]._sla_get_or_create(
            contract, date(2026, 10, 1), "month"
        )
        return company, user, contract, service, ticket, report


@tagged("post_install", "-at_install")
class TestSlaPortalContracts(PortalCustomersCase):
    """A portal user sees their own company's SLA, never another's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        channels = {"support_channels": "Phone +1 555 0100"}
        _alpha, cls.user_a, cls.contract_a, _service, cls.ticket_a, cls.report_a = (
            cls.make_customer("Alpha", "sla_portal_alpha", channels)
        )
        _beta, cls.user_b, cls.contract_b, _service, cls.ticket_b, cls.report_b = (
            cls.make_customer("Beta", "sla_portal_beta", channels)
        )

    def test_own_sla_summary(self):
        self.assertEqual(self.ticket_a.contract_id, self.contract_a)
        self.authenticate("sla_portal_alpha", "sla_portal_alpha")
        listing = self.url_open("/my/sla")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("Alpha managed services", listing.text)
        self.assertNotIn("Beta managed services", listing.text)
        page = self.url_open(f"/my/sla/contract/{self.contract_a.id}")
        self.assertEqual(page.status_code, 200)
        for text in (
            "Gold 24/7",
            "Phone +1 555 0100",
            "Alpha mail",
            "100.000 %",
            "Alpha printer",
            "Response due",
            self.report_a.name,
        ):
            self.assertIn(text, page.text)
        self.assertNotIn("Beta", page.text)

    def test_own_pdfs(self):
        self.authenticate("sla_portal_alpha", "sla_portal_alpha")
        agreement = self.url_open(f"/my/sla/contract/{self.contract_a.id}/agreement")
        self.assertEqual(agreement.status_code, 200)
        self.assertEqual(agreement.headers["Content-Type"], "application/pdf")
        report = self.url_open(f"/my/sla/reports/{self.report_a.id}")
        self.assertEqual(report.status_code, 200)
        # In test mode Odoo renders reports as HTML (wkhtmltopdf would call
        # back this very test server): the content is the report's.
        self.assertIn(b"Alpha managed services", report.content)
        self.assertIn(b"Service Level Agreement", agreement.content)

    def test_no_other_customers_sla_by_url_guessing(self):
        self.authenticate("sla_portal_alpha", "sla_portal_alpha")
        for url in (
            f"/my/sla/contract/{self.contract_b.id}",
            f"/my/sla/contract/{self.contract_b.id}/agreement",
            f"/my/sla/reports/{self.report_b.id}",
            "/my/sla/reports/999999",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertNotIn("Beta", response.text, url)
        # helpdesk_mgmt redirects a foreign ticket to the portal home.
        response = self.url_open(f"/my/ticket/{self.ticket_b.id}")
        self.assertNotIn("Beta printer", response.text)
        self.assertFalse(
            self.env["contract.contract"]
            .with_user(self.user_a)
            .search([("id", "=", self.contract_b.id)])
        )
        self.assertFalse(
            self.env["helpdesk.sla.performance.report"]
            .with_user(self.user_a)
            .search([("id", "=", self.report_b.id)])
        )
