# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The downtime an outage ticket opened ends when the ticket stops reporting
it: unflagged, another service chosen, or deleted. Left open, it would count
against the uptime (and the credits) for ever."""

from datetime import datetime

from freezegun import freeze_time

from .test_sla_credits import OCT, OCT_MINUTES, CreditCase

START = datetime(2026, 10, 5, 10, 0)


class OutageCase(CreditCase):
    """The credit case's contract with a second service, Mail."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mail = cls.env["helpdesk.sla.service"].create(
            {"name": "Mail", "contract_id": cls.contract.id, "uptime_target": 99.9}
        )

    def _outage_ticket(self, service=None):
        with freeze_time(START):
            return self.make_contract_ticket(
                start=START,
                is_outage=True,
                outage_service_id=(service or self.hosting).id,
            )


class TestOutageDowntimeEnds(OutageCase):
    def test_unflagged_ends_the_downtime_now(self):
        ticket = self._outage_ticket()
        incident = ticket.incident_ids
        self.assertFalse(incident.date_end)
        with freeze_time(datetime(2026, 10, 5, 12, 0)):
            ticket.is_outage = False
        self.assertEqual(incident.date_end, datetime(2026, 10, 5, 12, 0))
        self.assertEqual(ticket.incident_ids, incident, "the record is kept")
        # Two hours down in October, not the rest of the month.
        credit = self.compute(OCT)
        self.assertAlmostEqual(credit.uptime, 100 * (1 - 120 / OCT_MINUTES), places=3)

    def test_other_service_chosen(self):
        ticket = self._outage_ticket()
        hosting_down = ticket.incident_ids
        with freeze_time(datetime(2026, 10, 5, 11, 0)):
            ticket.outage_service_id = self.mail
        self.assertEqual(hosting_down.date_end, datetime(2026, 10, 5, 11, 0))
        mail_down = ticket.incident_ids - hosting_down
        self.assertEqual(mail_down.service_id, self.mail)
        self.assertFalse(mail_down.date_end)

    def test_deleted_ticket_ends_the_downtime(self):
        ticket = self._outage_ticket()
        incident = ticket.incident_ids
        with freeze_time(datetime(2026, 10, 5, 13, 0)):
            ticket.unlink()
        self.assertTrue(incident.exists())
        self.assertEqual(incident.date_end, datetime(2026, 10, 5, 13, 0))
        self.assertFalse(incident.ticket_id)

    def test_other_downtime_of_the_ticket_is_left(self):
        # Downtime recorded by hand and linked to a ticket that reports no
        # outage, and ended downtime, are not the ticket's to end.
        ticket = self.make_contract_ticket(start=START)
        manual = self.env["helpdesk.sla.incident"].create(
            {"service_id": self.hosting.id, "date_start": START, "ticket_id": ticket.id}
        )
        ended = self.down(START, 30, ticket_id=ticket.id)
        ticket.stage_id = self.stage_progress
        ticket.write({"priority": "2"})
        self.assertFalse(manual.date_end)
        self.assertEqual(ended.date_end, datetime(2026, 10, 5, 10, 30))
