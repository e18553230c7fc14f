# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests.common import new_test_user

from .common import SlaCase, berlin


class TestSlaAccess(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env,
            login="sla_portal",
            groups="base.group_portal",
            partner_id=cls.contact.id,
        )
        with freeze_time(berlin(2026, 11, 23, 9)):
            cls.ticket = cls.make_ticket(cls)
            cls.env["helpdesk.ticket"]._cron_check_sla()
        with freeze_time(berlin(2026, 11, 23, 14)):
            cls.env["helpdesk.ticket"]._cron_check_sla()

    def test_helpdesk_user_reads_sla_data(self):
        ticket = self.ticket.with_user(self.agent)
        self.assertEqual(ticket.sla_policy_id.name, "Standard")
        self.assertTrue(ticket.sla_response_deadline)
        self.assertEqual(ticket.sla_breach_ids.kind, "response")
        self.env["helpdesk.sla.breach"].with_user(self.agent).search([]).read(
            ["late_hours"]
        )
        self.policy.with_user(self.agent).target_ids.read(["response_hours"])

    def test_helpdesk_user_cannot_configure(self):
        with self.assertRaises(AccessError):
            self.env["helpdesk.sla.policy"].with_user(self.agent).create(
                {"name": "Mine", "calendar_id": self.calendar.id}
            )
        with self.assertRaises(AccessError):
            self.policy.with_user(self.agent).warning_percent = 50
        with self.assertRaises(AccessError):
            self.ticket.sla_breach_ids.with_user(self.agent).unlink()
        with self.assertRaises(AccessError):
            self.calendar.with_user(self.agent).name = "Hacked"

    def test_sla_manager_configures(self):
        policy = (
            self.env["helpdesk.sla.policy"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Manager's",
                    "calendar_id": self.calendar.id,
                    "target_ids": [
                        Command.create(
                            {
                                "priority": "1",
                                "response_hours": 1,
                                "resolution_hours": 2,
                            }
                        )
                    ],
                }
            )
        )
        policy.target_ids.response_hours = 1.5
        self.calendar.with_user(self.manager).name = "Renamed hours"
        self.env["resource.calendar.leaves"].with_user(self.manager).create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": berlin(2026, 12, 24, 0),
                "date_to": berlin(2026, 12, 24, 23, 59),
            }
        )

    def test_portal_sees_own_deadlines_only(self):
        ticket = self.ticket.with_user(self.portal)
        ticket.check_access("read")
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 23, 13))
        self.assertEqual(ticket.sla_response_status, "breached")
        with self.assertRaises(AccessError):
            self.env["helpdesk.sla.policy"].with_user(self.portal).search([]).read(
                ["name"]
            )
        with self.assertRaises(AccessError):
            self.env["helpdesk.sla.breach"].with_user(self.portal).search([])
        with self.assertRaises(AccessError):
            ticket.read(["sla_policy_id"])
        with self.assertRaises(AccessError):
            ticket.read(["sla_breach_ids"])
        other = self.env["helpdesk.ticket"].create(
            {
                "name": "Someone else's",
                "description": "x",
                "partner_id": self.env["res.partner"].create({"name": "Other"}).id,
            }
        )
        with self.assertRaises(AccessError):
            other.with_user(self.portal).read(["sla_response_deadline"])

    def test_multi_company(self):
        company_b = self.env["res.company"].create({"name": "Company B"})
        policy_b = self.env["helpdesk.sla.policy"].create(
            {
                "name": "B only",
                "sequence": 1,
                "company_id": company_b.id,
                "calendar_id": self.calendar.id,
                "target_ids": [
                    Command.create(
                        {"priority": "1", "response_hours": 1, "resolution_hours": 2}
                    )
                ],
            }
        )
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = self.make_ticket()
        self.assertEqual(ticket.sla_policy_id, self.policy)
        self.assertNotIn(
            policy_b, self.env["helpdesk.sla.policy"].with_user(self.manager).search([])
        )
        user_b = new_test_user(
            self.env,
            login="sla_user_b",
            groups="base.group_user,helpdesk_sla_contract.group_sla_manager",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        self.assertFalse(self.env["helpdesk.sla.breach"].with_user(user_b).search([]))
        self.assertIn(
            policy_b, self.env["helpdesk.sla.policy"].with_user(user_b).search([])
        )
