# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SLA at a glance: the countdown of the next target, human durations, local
times without seconds, the new-ticket preview and the portal."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import SlaCase, berlin


class TestSlaGlance(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.tz = "Europe/Berlin"

    def _countdown(self, ticket, moment, **kwargs):
        with freeze_time(moment):
            ticket.invalidate_recordset(["sla_glance"])
            return ticket._sla_countdown(tz="Europe/Berlin", **kwargs)

    def test_response_due_in_then_late_then_resolution(self):
        # Critical: 15 min response, 2 h resolution, Mon 10:00 Berlin.
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = self.make_ticket(priority="3")
        glance = ticket.sla_glance
        self.assertEqual(glance["next"], "response")
        self.assertEqual(
            self._countdown(ticket, berlin(2026, 11, 23, 10, 3)),
            ("running", "Response due in 12 min"),
        )
        # Past the warning (75 %): at risk, read from the stored running state.
        self.assertEqual(
            self._countdown(ticket, berlin(2026, 11, 23, 10, 13)),
            ("at_risk", "Response due in 2 min"),
        )
        self.assertEqual(
            self._countdown(ticket, berlin(2026, 11, 23, 12, 25)),
            ("breached", "Response 2 h 10 min late"),
        )
        with freeze_time(berlin(2026, 11, 23, 12, 30)):
            ticket.action_sla_mark_responded()
            ticket.invalidate_recordset(["sla_glance"])
            self.assertEqual(ticket.sla_glance["next"], "resolution")
        self.assertEqual(
            self._countdown(ticket, berlin(2026, 11, 23, 12, 30)),
            ("breached", "Resolution 30 min late"),
        )
        # Late time counts business time only: 12:00-17:00 by the evening.
        self.assertEqual(
            self._countdown(ticket, berlin(2026, 11, 23, 20)),
            ("breached", "Resolution 5 h late"),
        )
        self.assertEqual(
            ticket._sla_clock_badge("response"), ("breached", "Response: breached")
        )

    def test_never_at_risk_after_the_deadline(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = self.make_ticket(priority="3")
        with freeze_time(berlin(2026, 11, 23, 10, 12)):
            ticket._sla_recompute()
        self.assertEqual(ticket.sla_response_status, "at_risk")
        # No SLA check ran since: the countdown still knows it is late.
        self.assertEqual(
            self._countdown(ticket, berlin(2026, 11, 23, 10, 20)),
            ("breached", "Response 5 min late"),
        )
        with freeze_time(berlin(2026, 11, 23, 10, 20)):
            self.assertEqual(
                ticket._sla_clock_badge("response"),
                ("breached", "Response: breached"),
            )

    def test_due_tomorrow_across_closed_hours(self):
        # High: 1 h response, created 16:50 Monday: due 09:50 Tuesday.
        with freeze_time(berlin(2026, 11, 23, 16, 50)):
            ticket = self.make_ticket(priority="2")
        self.assertEqual(
            self._countdown(ticket, berlin(2026, 11, 23, 16, 55)),
            ("running", "Response due 09:50 tomorrow"),
        )
        # In the morning, the same block: a countdown again.
        self.assertEqual(
            self._countdown(ticket, berlin(2026, 11, 24, 9, 20)),
            ("running", "Response due in 30 min"),
        )

    def test_paused_and_met(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = self.make_ticket(priority="2")
        with freeze_time(berlin(2026, 11, 23, 10, 5)):
            ticket.action_sla_mark_responded()
            ticket.stage_id = self.stage_awaiting
        self.assertEqual(
            self._countdown(ticket, berlin(2026, 11, 23, 10, 10)),
            ("paused", "Paused"),
        )
        with freeze_time(berlin(2026, 11, 23, 11)):
            ticket.stage_id = self.stage_done
        self.assertEqual(
            self._countdown(ticket, berlin(2026, 11, 23, 12)), ("met", "Met")
        )

    def test_human_durations(self):
        targets = {t.priority: t for t in self.policy.target_ids}
        self.assertEqual(targets["3"]._sla_human_hours("response_hours"), "15 min")
        self.assertEqual(targets["3"]._sla_human_hours("resolution_hours"), "2 h")
        self.assertEqual(
            targets["1"]._sla_human_hours("resolution_hours"), "2 business days"
        )
        self.assertEqual(
            targets["0"]._sla_human_hours("resolution_hours"), "5 business days"
        )

    def test_local_times_without_seconds(self):
        self.contact.tz = "America/New_York"
        with freeze_time(berlin(2026, 11, 23, 10, 0)):
            ticket = self.make_ticket(priority="3")
        # 10:15 Berlin is 04:15 in New York, named, without seconds.
        text = ticket._sla_format_moment(ticket.sla_response_deadline)
        self.assertRegex(text, r"^November 23, 2026, 4:15\s?AM \(America/New_York\)$")
        with freeze_time(berlin(2026, 11, 23, 10, 20)):
            self.env["helpdesk.ticket"]._cron_check_sla()
        note = ticket.message_ids.filtered(lambda m: "SLA breached" in (m.body or ""))
        self.assertIn("(America/New_York)", note.body)
        self.assertNotIn("(UTC)", note.body)
        self.assertNotIn(":00 ", note.body)

    def test_new_ticket_previews_deadlines(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            form = Form(self.env["helpdesk.ticket"])
            form.name = "Preview"
            form.description = "<p>x</p>"
            form.team_id = self.team
            form.partner_id = self.contact
            form.priority = "3"
            self.assertEqual(form.sla_response_deadline, berlin(2026, 11, 23, 10, 15))
            self.assertEqual(form.sla_glance["next"], "response")
            form.priority = "0"
            # Low: 8 h response, before any save.
            self.assertEqual(form.sla_response_deadline, berlin(2026, 11, 24, 10))
            self.assertEqual(form.sla_resolution_deadline, berlin(2026, 11, 30, 10))
            ticket = form.save()
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 24, 10))

    def test_new_ticket_preview_follows_the_category(self):
        urgent = self.env["helpdesk.ticket.category"].create({"name": "Urgent"})
        self.env["helpdesk.sla.policy"].create(
            {
                "name": "Urgent work",
                "sequence": 1,
                "calendar_id": self.calendar.id,
                "category_ids": [Command.set(urgent.ids)],
                "target_ids": [
                    Command.create(
                        {"priority": "0", "response_hours": 1, "resolution_hours": 4}
                    )
                ],
            }
        )
        with freeze_time(berlin(2026, 11, 23, 10)):
            form = Form(self.env["helpdesk.ticket"])
            form.name = "Preview"
            form.description = "<p>x</p>"
            form.partner_id = self.contact
            form.priority = "0"
            self.assertEqual(form.sla_response_deadline, berlin(2026, 11, 24, 10))
            form.category_id = urgent
            self.assertEqual(form.sla_policy_id.name, "Urgent work")
            self.assertEqual(form.sla_response_deadline, berlin(2026, 11, 23, 11))
            self.assertEqual(form.sla_glance["next"], "response")

    def test_views_use_the_widgets(self):
        for view_type in ("form", "list", "kanban"):
            arch = self.env["helpdesk.ticket"].get_view(view_type=view_type)["arch"]
            self.assertIn('widget="sla_countdown"', arch, view_type)
            if view_type == "form":
                # Stars that let a new ticket's onchange preview the SLA.
                self.assertIn('widget="sla_priority"', arch)
        policy_arch = self.env["helpdesk.sla.policy"].get_view(view_type="form")
        self.assertIn('widget="sla_duration"', policy_arch["arch"])
        self.assertNotIn("float_time", policy_arch["arch"])


@tagged("post_install", "-at_install")
class TestSlaGlancePortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Glance Customer", "is_company": True, "tz": "Europe/Berlin"}
        )
        cls.portal = new_test_user(
            cls.env, login="sla_glance_portal", groups="base.group_portal"
        )
        cls.portal.partner_id.write({"parent_id": cls.customer.id})
        cls.env["helpdesk.sla.policy"].search([]).active = False
        cls.policy = cls.env["helpdesk.sla.policy"].create(
            {
                "name": "Glance policy",
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
        cls.contract = cls.env["contract.contract"].create(
            {
                "name": "Glance agreement",
                "partner_id": cls.customer.id,
                "contract_type": "sale",
                "sla_policy_id": cls.policy.id,
                "date_start": date(2026, 1, 1),
            }
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Glance ticket",
                "description": "<p>x</p>",
                "partner_id": cls.portal.partner_id.id,
                "priority": "1",
            }
        )

    def test_my_tickets_sla_column(self):
        self.authenticate("sla_glance_portal", "sla_glance_portal")
        response = self.url_open("/my/tickets")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="th_sla"', response.text)
        self.assertIn("o_sla_state_running", response.text)
        self.assertRegex(
            response.text, r"Response due in 1 h 59 min|Response due in 2 h"
        )

    def test_ticket_page_local_times_and_badges(self):
        self.authenticate("sla_glance_portal", "sla_glance_portal")
        response = self.url_open(f"/my/ticket/{self.ticket.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Response: running", response.text)
        self.assertIn("o_sla_state_running", response.text)
        self.assertIn("Europe/Berlin", response.text)

    def test_contract_breadcrumbs_once(self):
        self.authenticate("sla_glance_portal", "sla_glance_portal")
        response = self.url_open(f"/my/sla/contract/{self.contract.id}")
        self.assertEqual(response.status_code, 200)
        crumbs = response.text.split('class="breadcrumb')[1:]
        names = [c for c in crumbs if "Glance agreement" in c.split("</li>")[0]]
        self.assertEqual(len(names), 1, "the contract is named once in the crumbs")
        self.assertIn("Service agreements", response.text)
        # Nor do helpdesk_mgmt's crumbs name one of its open tickets.
        submenu = response.text.split("o_portal_submenu")[1].split("</ol>")[0]
        self.assertNotIn("Tickets", submenu)
        self.assertNotIn("Glance ticket", submenu)
        self.assertIn("/my/sla", submenu)
        # The agreements list names no contract in its crumbs either.
        listing = self.url_open("/my/sla").text
        submenu = listing.split("o_portal_submenu")[1].split("</ol>")[0]
        self.assertNotIn("Glance agreement", submenu)
        # Targets read as durations, not clock times.
        self.assertIn("2 h", response.text)
        self.assertNotIn("02:00", response.text)
