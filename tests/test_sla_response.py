# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from .common import SlaCase, berlin


class TestSlaResponse(SlaCase):
    def setUp(self):
        super().setUp()
        with freeze_time(berlin(2026, 11, 23, 9)):
            self.ticket = self.make_ticket()

    def test_internal_note_is_not_a_response(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            self.ticket.with_user(self.agent).message_post(
                body="Looking into it",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        self.assertFalse(self.ticket.sla_first_response_date)

    def test_customer_message_is_not_a_response(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            self.ticket.message_post(
                body="Any news?",
                message_type="email",
                subtype_xmlid="mail.mt_comment",
                author_id=self.contact.id,
            )
        self.assertFalse(self.ticket.sla_first_response_date)

    def test_public_reply_is_the_first_response(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            self.ticket.with_user(self.agent).message_post(
                body="We are on it",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self.assertEqual(
                self.ticket.sla_first_response_date, berlin(2026, 11, 23, 10)
            )
            self.assertEqual(self.ticket.sla_response_status, "met")
        with freeze_time(berlin(2026, 11, 23, 12)):
            self.ticket.with_user(self.agent).message_post(
                body="Second reply",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(self.ticket.sla_first_response_date, berlin(2026, 11, 23, 10))

    def test_late_reply_is_breached(self):
        with freeze_time(berlin(2026, 11, 23, 14)):
            self.ticket.with_user(self.agent).message_post(
                body="Sorry for the delay",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self.assertEqual(self.ticket.sla_response_status, "breached")

    def test_mark_as_responded(self):
        with freeze_time(berlin(2026, 11, 23, 11)):
            self.ticket.with_user(self.agent).action_sla_mark_responded()
        self.assertEqual(self.ticket.sla_first_response_date, berlin(2026, 11, 23, 11))
        self.assertEqual(self.ticket.sla_response_status, "met")

    def test_resolution_counts_as_response(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            self.ticket.stage_id = self.stage_done
        self.assertEqual(self.ticket.sla_response_status, "met")
        self.assertEqual(self.ticket.sla_resolution_status, "met")


class TestOutOfHoursReply(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.out_of_hours_reply = True

    def _auto_replies(self, ticket):
        return ticket.message_ids.filtered(
            lambda m: "outside our support hours" in (m.body or "")
        )

    def test_reply_outside_hours(self):
        # Saturday evening: work starts on Monday 09:00 Berlin.
        with freeze_time(berlin(2026, 11, 28, 20)):
            ticket = self.make_ticket()
        replies = self._auto_replies(ticket)
        self.assertEqual(len(replies), 1)
        self.assertIn("November 30, 2026", replies.body)
        self.assertIn("9:00", replies.body)
        self.assertIn(self.contact, replies.partner_ids)
        # An automatic reply is not the agents' first response.
        self.assertFalse(ticket.sla_first_response_date)

    def test_reply_in_customer_time_zone(self):
        self.contact.tz = "America/New_York"
        with freeze_time(berlin(2026, 11, 28, 20)):
            ticket = self.make_ticket()
        # Monday 09:00 Berlin is 03:00 in New York.
        self.assertIn("3:00", self._auto_replies(ticket).body)

    def test_no_reply_in_hours(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = self.make_ticket()
        self.assertFalse(self._auto_replies(ticket))

    def test_no_reply_when_disabled(self):
        self.policy.out_of_hours_reply = False
        with freeze_time(berlin(2026, 11, 28, 20)):
            ticket = self.make_ticket()
        self.assertFalse(self._auto_replies(ticket))
