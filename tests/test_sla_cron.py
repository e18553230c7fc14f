# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tools import SQL, mute_logger

from ..hooks import ESCALATION_START_PARAM, post_init_hook
from .common import SlaCase, berlin


class TestSlaCron(SlaCase):
    def setUp(self):
        super().setUp()
        with freeze_time(berlin(2026, 11, 23, 9)):
            self.ticket = self.make_ticket()
        self.Ticket = self.env["helpdesk.ticket"]

    def _activities(self):
        return self.ticket.activity_ids.filtered(lambda a: "SLA" in (a.summary or ""))

    def _notes(self, text):
        return self.ticket.message_ids.filtered(lambda m: text in (m.body or ""))

    def _digested_to(self, text):
        """Partners told of this ticket's `text` notes: by the digests (the
        notes themselves name no recipients)."""
        digests = self.env["mail.message"].search(
            [("message_type", "=", "user_notification")]
        )
        return digests.filtered(
            lambda m: text in (m.body or "") and self.ticket.name in m.body
        ).partner_ids

    def test_warning_once(self):
        # 75 % of the 4 h response target is used at 12:00.
        with freeze_time(berlin(2026, 11, 23, 11, 59)):
            self.Ticket._cron_check_sla()
        self.assertFalse(self._activities())
        with freeze_time(berlin(2026, 11, 23, 12, 1)):
            self.Ticket._cron_check_sla()
            self.Ticket._cron_check_sla()
        self.assertEqual(self.ticket.sla_response_status, "at_risk")
        self.assertTrue(self.ticket.sla_response_warned)
        activity = self._activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.agent)
        warning = self._notes("SLA warning")
        self.assertEqual(len(warning), 1)
        self.assertFalse(warning.partner_ids, "the digest tells them")
        told = self._digested_to("SLA warning")
        self.assertIn(self.escalation.partner_id, told)
        self.assertIn(self.leader.partner_id, told)
        self.assertFalse(self.ticket.sla_breach_ids)

    def test_breach_recorded_once(self):
        with freeze_time(berlin(2026, 11, 23, 14)):
            self.Ticket._cron_check_sla()
            self.Ticket._cron_check_sla()
        breach = self.ticket.sla_breach_ids
        self.assertEqual(len(breach), 1)
        self.assertEqual(breach.kind, "response")
        self.assertEqual(breach.deadline, berlin(2026, 11, 23, 13))
        self.assertEqual(breach.breach_date, berlin(2026, 11, 23, 14))
        self.assertEqual(breach.late_hours, 1)
        self.assertEqual(breach.policy_id, self.policy)
        self.assertEqual(breach.partner_id, self.customer)
        self.assertEqual(breach.team_id, self.team)
        self.assertEqual(breach.user_id, self.agent)
        self.assertEqual(breach.company_id, self.company)
        self.assertEqual(len(self._notes("SLA breached")), 1)
        notified = self._digested_to("SLA breached")
        self.assertIn(self.agent.partner_id, notified)
        self.assertIn(self.escalation.partner_id, notified)
        # The late reply then sets the late time to the response.
        with freeze_time(berlin(2026, 11, 23, 15, 30)):
            self.ticket.with_user(self.agent).message_post(
                body="Here", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertEqual(breach.late_hours, 2.5)
        # Resolution: 16 h from Monday 09:00 is Tuesday 17:00.
        with freeze_time(berlin(2026, 11, 25, 9, 30)):
            self.Ticket._cron_check_sla()
            self.Ticket._cron_check_sla()
        kinds = sorted(self.ticket.sla_breach_ids.mapped("kind"))
        self.assertEqual(kinds, ["resolution", "response"])
        resolution = self.ticket.sla_breach_ids.filtered(
            lambda b: b.kind == "resolution"
        )
        self.assertEqual(resolution.late_hours, 0.5)

    def test_breach_when_closed_late(self):
        with freeze_time(berlin(2026, 11, 23, 9, 30)):
            self.ticket.with_user(self.agent).action_sla_mark_responded()
        with freeze_time(berlin(2026, 11, 26, 10)):
            self.ticket.stage_id = self.stage_done
            self.Ticket._cron_check_sla()
        breach = self.ticket.sla_breach_ids
        self.assertEqual(breach.kind, "resolution")
        self.assertEqual(breach.late_hours, 9)

    def test_paused_ticket_not_breached(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            self.ticket.stage_id = self.stage_awaiting
        with freeze_time(berlin(2026, 11, 24, 16)):
            self.Ticket._cron_check_sla()
        self.assertFalse(self.ticket.sla_breach_ids)
        self.assertEqual(self.ticket.sla_response_status, "paused")

    @mute_logger("odoo.sql_db")
    def test_breach_unique_per_kind(self):
        with freeze_time(berlin(2026, 11, 23, 14)):
            self.Ticket._cron_check_sla()
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["helpdesk.sla.breach"].create(
                self.ticket._sla_breach_values("response", berlin(2026, 11, 23, 14))
            )

    def test_locked_tickets_are_skipped(self):
        # Another worker holds the ticket: this run leaves it alone.
        with self.registry.cursor() as other_cr:
            other = self.env(cr=other_cr)["helpdesk.ticket"]
            other_ticket = other.create({"name": "other worker", "description": "x"})
            other_cr.commit()
            try:
                other_cr.execute(
                    "SELECT id FROM helpdesk_ticket WHERE id = %s FOR UPDATE",
                    (other_ticket.id,),
                )
                locked = self.Ticket.browse(other_ticket.id)
                self.assertFalse(locked._sla_lock())
                self.assertEqual(self.ticket._sla_lock(), self.ticket)
                # The SLA check's search locks what it finds, skipping the rest.
                rows = self.Ticket._sla_search_lock_rows(
                    [("id", "in", [other_ticket.id, self.ticket.id])],
                    10,
                    "id",
                    ["priority"],
                )
                self.assertEqual(rows, [(self.ticket.id, self.ticket.priority)])
            finally:
                other_cr.rollback()
                other_ticket.unlink()
                other_cr.commit()

    def test_cron_reports_progress_in_batches(self):
        with freeze_time(berlin(2026, 11, 23, 9)):
            for _i in range(4):
                self.make_ticket()
        with freeze_time(berlin(2026, 11, 23, 14)):
            remaining = self.Ticket._cron_check_sla(batch_size=2)
            self.assertGreater(remaining, 0)
            for _i in range(10):
                if not self.Ticket._cron_check_sla(batch_size=2):
                    break
        tickets = self.Ticket.search([("sla_policy_id", "=", self.policy.id)])
        self.assertEqual(
            len(tickets.sla_breach_ids.filtered(lambda b: b.kind == "response")), 5
        )

    def test_cron_record_runs(self):
        cron = self.env.ref("helpdesk_sla_contract.ir_cron_check_sla")
        self.assertEqual((cron.interval_number, cron.interval_type), (5, "minutes"))
        with freeze_time(berlin(2026, 11, 23, 14)):
            cron.method_direct_trigger()
        self.assertEqual(len(self.ticket.sla_breach_ids), 1)

    def test_manager_button(self):
        with freeze_time(berlin(2026, 11, 23, 14)):
            with self.assertRaises(AccessError):
                self.Ticket.with_user(self.agent).action_sla_check_now()
            self.Ticket.with_user(self.manager).action_sla_check_now()
        self.assertEqual(len(self.ticket.sla_breach_ids), 1)

    def test_breach_recorded_flags(self):
        self.assertFalse(self.ticket.sla_response_breach_recorded)
        with freeze_time(berlin(2026, 11, 23, 14)):
            self.Ticket._cron_check_sla()
        self.assertTrue(self.ticket.sla_response_breach_recorded)
        self.assertFalse(self.ticket.sla_resolution_breach_recorded)
        self.assertFalse(self.Ticket.search_count(self.Ticket._sla_action_domain()))
        # A deleted breach is recorded again by the next check.
        self.ticket.sla_breach_ids.unlink()
        self.assertFalse(self.ticket.sla_response_breach_recorded)
        self.assertEqual(
            self.Ticket.search(self.Ticket._sla_action_domain()), self.ticket
        )
        with freeze_time(berlin(2026, 11, 25, 9, 30)):
            self.Ticket._cron_check_sla()
        self.assertEqual(
            sorted(self.ticket.sla_breach_ids.mapped("kind")),
            ["resolution", "response"],
        )
        self.assertTrue(self.ticket.sla_response_breach_recorded)
        self.assertTrue(self.ticket.sla_resolution_breach_recorded)
        self.assertFalse(self.Ticket.search_count(self.Ticket._sla_action_domain()))

    def test_action_query_uses_partial_index(self):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes "
            "WHERE indexname = 'helpdesk_ticket_sla_action_index'"
        )
        self.assertTrue(self.env.cr.fetchone())
        query = self.Ticket._search(self.Ticket._sla_action_domain())
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("helpdesk_ticket_sla_action_index", plan)

    def test_batched_escalation_one_breach_and_note_each(self):
        """Several tickets escalated by one call: each gets exactly one breach
        per kind and one note per breach or warning; each recipient gets one
        digest of the call's notes instead of a notification per note."""
        with freeze_time(berlin(2026, 11, 23, 9)):
            others = self.make_ticket() | self.make_ticket(priority="3")
        tickets = self.ticket | others
        Message = self.env["mail.message"]
        before = Message.search([], order="id desc", limit=1).id
        with freeze_time(berlin(2026, 11, 25, 9, 30)):
            remaining = self.Ticket._cron_check_sla()
            self.assertEqual(remaining, 0)
            self.Ticket._cron_check_sla()
        for ticket in tickets:
            kinds = sorted(ticket.sla_breach_ids.mapped("kind"))
            self.assertEqual(kinds, ["resolution", "response"], ticket.name)
            notes = ticket.message_ids.filtered(
                lambda m: "SLA breached" in (m.body or "")
            )
            self.assertEqual(len(notes), 2)
            self.assertEqual(set(notes.subtype_id.mapped("internal")), {True})
            for note in notes:
                self.assertFalse(note.partner_ids, "the digests tell them")
                self.assertEqual(note.message_type, "notification")
                self.assertFalse(note.notification_ids, "logged, not notified")
            self.assertTrue(ticket.sla_response_breach_recorded)
            self.assertTrue(ticket.sla_resolution_breach_recorded)
        # One digest per recipient, listing the six notes.
        digests = Message.search(
            [("id", ">", before), ("message_type", "=", "user_notification")]
        )
        for partner in self.agent.partner_id | self.escalation.partner_id:
            digest = digests.filtered(lambda m, p=partner: p in m.partner_ids)
            self.assertEqual(len(digest), 1, partner.name)
            self.assertEqual(digest.body.count("<li>"), 6)
            for ticket in tickets:
                self.assertIn(ticket.name, digest.body)
            self.assertIn("6 tickets", digest.subject)

    def test_batched_warnings_one_activity_and_note_each(self):
        with freeze_time(berlin(2026, 11, 23, 9)):
            other = self.make_ticket()
            unassigned = self.make_ticket(user_id=False)
        with freeze_time(berlin(2026, 11, 23, 12, 1)):
            self.Ticket._cron_check_sla()
            self.Ticket._cron_check_sla()
        for ticket in self.ticket | other:
            activity = ticket.activity_ids.filtered(
                lambda a: "SLA" in (a.summary or "")
            )
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.agent)
            self.assertEqual(activity.summary, "SLA response due soon")
            self.assertEqual(
                activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo")
            )
            self.assertTrue(activity.automated)
            self.assertEqual(activity.date_deadline.isoformat(), "2026-11-23")
        self.assertFalse(unassigned.activity_ids)
        for ticket in self.ticket | other | unassigned:
            self.assertTrue(ticket.sla_response_warned)
            self.assertFalse(ticket.sla_resolution_warned)
            warning = ticket.message_ids.filtered(
                lambda m: "SLA warning" in (m.body or "")
            )
            self.assertEqual(len(warning), 1)
            self.assertFalse(warning.partner_ids, "the digest tells them")

    def test_remaining_counted_without_full_batch(self):
        with freeze_time(berlin(2026, 11, 23, 9)):
            for _i in range(3):
                self.make_ticket()
        with freeze_time(berlin(2026, 11, 23, 14)):
            # Not cut by the limit: nothing remains after one call.
            self.assertEqual(self.Ticket._cron_check_sla(batch_size=10), 0)
            self.assertFalse(
                self.Ticket.search_count(
                    [("sla_next_check_date", "<=", berlin(2026, 11, 23, 14))]
                )
            )
            self.assertFalse(self.Ticket.search_count(self.Ticket._sla_action_domain()))
        with freeze_time(berlin(2026, 11, 25, 9, 30)):
            # Cut by the limit: the rest is counted, up to one more batch.
            self.assertGreater(self.Ticket._cron_check_sla(batch_size=2), 0)
        # What remains is counted up to one more batch, not the whole backlog.
        with (
            freeze_time(berlin(2026, 11, 26, 9, 30)),
            patch.object(
                type(self.Ticket),
                "search_count",
                autospec=True,
                side_effect=type(self.Ticket).search_count,
            ) as search_count,
        ):
            self.Ticket._cron_check_sla(batch_size=2)
        due_counts = [
            call
            for call in search_count.call_args_list
            if call.args[1] and call.args[1][0][0] == "sla_next_check_date"
        ]
        self.assertTrue(due_counts)
        self.assertTrue(all(call.kwargs.get("limit") == 2 for call in due_counts))

    def test_recompute_after_an_unflushed_event(self):
        """A clock an event computed and the ORM has not written yet is written
        before the SLA check reads the table (no dirty value overwritten)."""
        category = self.env["helpdesk.ticket.category"].create({"name": "Printers"})
        self.env.flush_all()
        with freeze_time(berlin(2026, 11, 23, 10)):
            # The clock is computed (consumed time changed), not written; the
            # policy and other inputs do not change.
            self.ticket.category_id = category
        with (
            freeze_time(berlin(2026, 11, 23, 14)),
            self.assertNoLogs("odoo.api", "ERROR"),
        ):
            self.ticket._sla_recompute()
        self.assertEqual(self.ticket.sla_response_status, "breached")
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT sla_response_status FROM helpdesk_ticket WHERE id = %s",
            [self.ticket.id],
        )
        self.assertEqual(self.env.cr.fetchone()[0], "breached")

    def test_clock_computed_by_the_orm(self):
        """The SLA check recomputes clocks through the ORM: a stored field that
        depends on the clock (an automation rule, a report) sees the change."""
        with freeze_time(berlin(2026, 11, 23, 14)):
            self.Ticket._cron_check_sla()
        self.assertEqual(self.ticket.sla_response_status, "breached")
        self.assertEqual(len(self.ticket.sla_breach_ids), 1)
        self.assertEqual(
            self.Ticket.search(
                [("id", "=", self.ticket.id), ("sla_response_status", "=", "breached")]
            ),
            self.ticket,
        )

    def test_clock_columns_indexes(self):
        """The cron rewrites the clocks: no index on the statuses, the dates'
        indexes hold their non-NULL values only."""
        self.env.cr.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = 'helpdesk_ticket'"
        )
        indexes = dict(self.env.cr.fetchall())
        self.assertNotIn("helpdesk_ticket__sla_response_status_index", indexes)
        self.assertNotIn("helpdesk_ticket__sla_resolution_status_index", indexes)
        for fname in ("sla_next_check_date", "sla_first_response_date"):
            self.assertIn(
                "IS NOT NULL", indexes[f"helpdesk_ticket__{fname}_index"], fname
            )

    def test_cron_writes_clocks_to_database(self):
        """The clocks the check recomputes reach the table."""
        with freeze_time(berlin(2026, 11, 23, 14)):
            self.Ticket._cron_check_sla()
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT sla_response_status, sla_resolution_status, "
            "sla_response_deadline, sla_resolution_deadline, sla_next_check_date, "
            "sla_consumed_hours, sla_remaining_hours, sla_paused_hours, write_date "
            "FROM helpdesk_ticket WHERE id = %s",
            [self.ticket.id],
        )
        row = list(self.env.cr.fetchone())
        row[7] = row[7] or 0.0  # NULL reads as 0.0 (the INSERT left NULL)
        self.assertEqual(
            tuple(row[:8]),
            (
                "breached",
                "running",
                berlin(2026, 11, 23, 13),
                berlin(2026, 11, 24, 17),
                # 75 % of the 16 h resolution target: Tuesday 13:00.
                berlin(2026, 11, 24, 13),
                5.0,
                11.0,
                0.0,
            ),
        )
        self.assertEqual(row[8], self.env.cr.now())  # as the ORM's flush writes it
        # The cache agrees with the table.
        self.ticket.invalidate_recordset()
        self.assertEqual(self.ticket.sla_next_check_date, berlin(2026, 11, 24, 13))
        self.assertEqual(self.ticket.sla_response_status, "breached")

    def test_breaches_older_than_the_installation_are_recorded_silently(self):
        """Installing on a helpdesk with overdue tickets records their breaches
        for the reports without a note, activity or digest for each."""
        Params = self.env["ir.config_parameter"]
        with freeze_time(berlin(2026, 11, 23, 10)):
            post_init_hook(self.env)
        self.assertEqual(
            Params.get_param(ESCALATION_START_PARAM),
            fields.Datetime.to_string(berlin(2026, 11, 23, 10)),
        )
        with freeze_time(berlin(2026, 11, 23, 9)):
            # Response due 09:15 (before the installation), resolution 11:00.
            old = self.make_ticket(priority="3", name="Old outage")
        Message = self.env["mail.message"]
        before = Message.search([], order="id desc", limit=1).id
        with freeze_time(berlin(2026, 11, 23, 14)):
            self.Ticket._cron_check_sla()
            self.Ticket._cron_check_sla()
        self.assertEqual(
            sorted(old.sla_breach_ids.mapped("kind")), ["resolution", "response"]
        )
        notes = old.message_ids.filtered(lambda m: "SLA breached" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("resolution", notes.body)
        # The ticket of the class (response due 13:00) is announced as before.
        self.assertEqual(len(self._notes("SLA breached")), 1)
        digest = Message.search(
            [
                ("id", ">", before),
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", self.escalation.partner_id.ids),
            ]
        )
        self.assertEqual(len(digest), 1)
        self.assertEqual(digest.body.count("<li>"), 2)
