# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSlaPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Portal Customer", "is_company": True}
        )
        cls.portal = new_test_user(
            cls.env, login="sla_portal_http", groups="base.group_portal"
        )
        cls.portal.partner_id.parent_id = cls.customer
        cls.env["helpdesk.sla.policy"].search([]).active = False
        cls.policy = cls.env["helpdesk.sla.policy"].create(
            {
                "name": "Portal policy",
                "calendar_id": cls.env.ref(
                    "helpdesk_sla_contract.resource_calendar_24_7"
                ).id,
                "target_ids": [
                    (
                        0,
                        0,
                        {"priority": "1", "response_hours": 2, "resolution_hours": 8},
                    )
                ],
            }
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Portal ticket",
                "description": "<p>x</p>",
                "partner_id": cls.portal.partner_id.id,
            }
        )
        cls.other = cls.env["helpdesk.ticket"].create(
            {
                "name": "Other customer's ticket",
                "description": "<p>x</p>",
                "partner_id": cls.env["res.partner"].create({"name": "Other"}).id,
            }
        )

    def test_portal_ticket_page_shows_deadlines(self):
        self.assertTrue(self.ticket.sla_response_deadline)
        self.authenticate("sla_portal_http", "sla_portal_http")
        response = self.url_open(f"/my/ticket/{self.ticket.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Response due", response.text)
        self.assertIn("Resolution due", response.text)
        self.assertNotIn("Portal policy", response.text)

    def test_portal_cannot_open_other_ticket(self):
        self.authenticate("sla_portal_http", "sla_portal_http")
        response = self.url_open(f"/my/ticket/{self.other.id}")
        self.assertNotIn("Other customer", response.text)
