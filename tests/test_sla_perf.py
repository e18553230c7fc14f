# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""How the SLA check and escalation do their work (issue #12 point 8): the
behaviour is tested elsewhere; these tests pin the batching that keeps a large
backlog fast, through public ORM calls only."""

from collections import Counter
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tools import SQL
from odoo.tools.sql import column_exists

from ..hooks import EMPTY_AT_INSTALL, pre_init_hook
from .common import SlaCase, berlin


class TestSlaPerf(SlaCase):
    def _tickets(self, count, **vals):
        with freeze_time(berlin(2026, 11, 23, 9)):
            return self.env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Ticket {index}",
                        "description": "<p>Help</p>",
                        "team_id": self.team.id,
                        "partner_id": self.contact.id,
                        "priority": "1",
                        "user_id": self.agent.id,
                        **vals,
                    }
                    for index in range(count)
                ]
            )

    def test_clock_assigned_per_group_of_equal_values(self):
        """(c) Recomputing many clocks assigns each shared value (a status, no
        pause, no next check) once for the tickets that share it, not once per
        ticket: the ORM's cost of an assignment hardly depends on how many
        records get the value."""
        tickets = self._tickets(12)
        tickets.flush_recordset()
        assigned = Counter()
        set_field = fields.Field.__set__

        def counting_set(field, records, value):
            if field.model_name == "helpdesk.ticket":
                assigned[field.name] += 1
            return set_field(field, records, value)

        with (
            freeze_time(berlin(2026, 11, 30, 9)),
            patch.object(fields.Field, "__set__", counting_set),
        ):
            tickets._sla_recompute()
        self.assertEqual(set(tickets.mapped("sla_response_status")), {"breached"})
        # All 12 breached and running: one assignment for each shared value.
        for fname in (
            "sla_response_status",
            "sla_resolution_status",
            "sla_paused_hours",
            "sla_next_check_date",
        ):
            self.assertEqual(assigned[fname], 1, fname)

    def test_escalation_notes_name_no_recipients(self):
        """(d) The breach notes are logged in batch without linking partners
        (the digests notify them): nothing per note but the note itself."""
        tickets = self._tickets(3)
        with freeze_time(berlin(2026, 11, 30, 9)):
            self.env["helpdesk.ticket"]._cron_check_sla()
        notes = tickets.message_ids.filtered(lambda m: "SLA breached" in m.body)
        self.assertEqual(len(notes), 6)
        self.assertFalse(notes.partner_ids)
        digests = self.env["mail.message"].search(
            [
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", self.escalation.partner_id.ids),
            ]
        )
        self.assertEqual(len(digests), 1)
        self.assertEqual(digests.body.count("<li>"), 6)

    def test_late_hours_of_a_batch_from_one_schedule(self):
        """(d)/(e) The late hours of a batch of new breaches come from one
        interval fetch per calendar, not one per breach."""
        tickets = self._tickets(4)
        calendar_class = type(self.env["resource.calendar"])
        fetch = calendar_class._sla_schedule
        fetches = []

        def counting_fetch(calendar, start, end):
            fetches.append(calendar.id)
            return fetch(calendar, start, end)

        with (
            freeze_time(berlin(2026, 11, 25, 10)),
            patch.object(calendar_class, "_sla_schedule", counting_fetch),
        ):
            self.env["helpdesk.ticket"]._cron_check_sla()
        breaches = tickets.sla_breach_ids
        self.assertEqual(len(breaches), 8)
        # Response due Mon 13:00, resolution Tue 17:00 (16 h), checked Wed 10:00.
        self.assertEqual(sorted(set(breaches.mapped("late_hours"))), [1.0, 13.0])
        # The clocks' fetch and the late hours' one (not one per breach).
        self.assertLessEqual(fetches.count(self.calendar.id), 2)

    def test_install_starts_existing_clocks_at_creation(self):
        """(e) Installed on a helpdesk that already holds tickets, each ticket's
        SLA clock starts at its creation (the column's default would start them
        all at the installation, and no breach would predate it), and the SLA
        fields that are empty until policies exist are not computed one by
        one."""
        tickets = self._tickets(2)
        tickets.flush_recordset()
        cr = self.env.cr
        created = berlin(2026, 10, 5, 11)
        cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
            (created, tickets[0].id),
        )
        # As before the installation: no column yet (rolled back below).
        cr.execute("SAVEPOINT before_install")
        try:
            for column in ("sla_start_date", *EMPTY_AT_INSTALL):
                cr.execute(
                    SQL(
                        "ALTER TABLE helpdesk_ticket DROP COLUMN %s CASCADE",
                        SQL.identifier(column),
                    )
                )
            pre_init_hook(self.env)
            # The SLA fields empty until policies exist are not computed for
            # each ticket by the ORM: their columns are there, empty.
            for column in EMPTY_AT_INSTALL:
                self.assertTrue(column_exists(cr, "helpdesk_ticket", column), column)
            cr.execute(
                "SELECT id, sla_start_date = create_date FROM helpdesk_ticket "
                "WHERE id IN %s",
                (tuple(tickets.ids),),
            )
            self.assertEqual(dict(cr.fetchall()), dict.fromkeys(tickets.ids, True))
            cr.execute(
                "SELECT sla_start_date FROM helpdesk_ticket WHERE id = %s",
                (tickets[0].id,),
            )
            self.assertEqual(cr.fetchone()[0], created)
        finally:
            cr.execute("ROLLBACK TO SAVEPOINT before_install")

    def test_first_policy_applied_untracked(self):
        """(e) "Apply to open tickets" gives tickets without a policy (all of
        them after the installation) their first one without a tracking
        message each; a change of policy is tracked as before."""
        self.policy.active = False
        first = self._tickets(1)
        self.assertFalse(first.sla_policy_id)
        self.policy.active = True
        changed = self._tickets(1)
        self.assertEqual(changed.sla_policy_id, self.policy)
        # As in a later transaction: mail tracks no record in the transaction
        # that created it.
        self.env.flush_all()
        self.env.cr.precommit.run()
        premium = self.env["helpdesk.sla.policy"].create(
            {
                "name": "Premium",
                "sequence": 1,
                "calendar_id": self.calendar.id,
                "target_ids": [
                    Command.create(
                        {"priority": "1", "response_hours": 2, "resolution_hours": 8}
                    )
                ],
            }
        )
        self.env["helpdesk.ticket"].with_context(
            tracking_disable=False
        )._sla_rematch_open_tickets()
        self.env.flush_all()
        self.env.cr.precommit.run()  # where mail logs the tracking

        def policy_tracked(ticket):
            return self.env["mail.tracking.value"].search(
                [
                    ("mail_message_id.model", "=", "helpdesk.ticket"),
                    ("mail_message_id.res_id", "=", ticket.id),
                    ("field_id.name", "=", "sla_policy_id"),
                ]
            )

        self.assertEqual((first | changed).sla_policy_id, premium)
        self.assertFalse(policy_tracked(first))
        self.assertTrue(policy_tracked(changed))
