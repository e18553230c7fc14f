# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SLA countdown in a real browser (static/tests/tours/sla_glance_tour.js).
Odoo skips the tours when Chromium is missing."""

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSlaGlanceTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["helpdesk.sla.policy"].search([]).active = False
        # 24/7: the countdown reads the same whatever the time of the run.
        policy = cls.env["helpdesk.sla.policy"].create(
            {
                "name": "Glance tours",
                "calendar_id": cls.env.ref(
                    "helpdesk_sla_contract.resource_calendar_24_7"
                ).id,
                "target_ids": [
                    Command.create(
                        {"priority": p, "response_hours": r, "resolution_hours": s}
                    )
                    for p, r, s in (("3", 0.25, 2), ("1", 4, 16), ("0", 8, 40))
                ],
            }
        )
        cls.env.company.sla_default_policy_id = policy
        customer = cls.env["res.partner"].create(
            {"name": "Glance Tours Ltd", "is_company": True}
        )
        cls.portal = new_test_user(
            cls.env, login="sla_glance_tour_portal", groups="base.group_portal"
        )
        cls.portal.partner_id.parent_id = customer
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Glance tour ticket",
                "description": "<p>x</p>",
                "partner_id": cls.portal.partner_id.id,
                "priority": "1",
                "user_id": cls.env.ref("base.user_admin").id,
            }
        )
        # Only this ticket in the agent's views, whatever the demo data.
        cls.action = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_action")

    def test_backend_countdown_and_preview(self):
        self.assertEqual(self.ticket.sla_policy_id.name, "Glance tours")
        self.start_tour(
            f"/web#action={self.action.id}&view_type=kanban",
            "sla_glance_backend_tour",
            login="admin",
        )

    def test_portal_ticket_list(self):
        self.start_tour(
            "/my/tickets", "sla_glance_portal_tour", login=self.portal.login
        )
