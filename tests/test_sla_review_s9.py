# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Review of s9: outage tickets ending their downtime, the SLA fields only SLA
managers set, and the uptime of a decided credit's period."""

from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError

from .common import SlaCase
from .test_sla_credit_lifecycle import LifecycleCase
from .test_sla_outage_end import START, OutageCase

OCTOBER = (datetime(2026, 10, 1), datetime(2026, 11, 1))


class TestReviewOutageEnd(OutageCase):
    def _by_hand(self, ticket, service):
        return self.env["helpdesk.sla.incident"].create(
            {"service_id": service.id, "date_start": START, "ticket_id": ticket.id}
        )

    def test_unchanged_flag_keeps_hand_recorded_downtime(self):
        """A write that gives the (unchanged) outage flag of a ticket that
        never reported an outage (an import, an RPC script, a form sending the
        flag) leaves the downtime an SLA manager recorded by hand on it."""
        ticket = self.make_contract_ticket(start=START)
        manual = self._by_hand(ticket, self.hosting)
        with freeze_time(datetime(2026, 10, 5, 12, 0)):
            ticket.with_user(self.agent).write({"is_outage": False})
        self.assertFalse(manual.date_end, "recorded by hand: not the ticket's")

    def test_hand_recorded_downtime_of_another_service_kept(self):
        """An outage ticket of the hosting with downtime of the mail recorded
        by hand: re-saving the same outage service leaves the mail's."""
        ticket = self._outage_ticket()
        manual = self._by_hand(ticket, self.mail)
        with freeze_time(datetime(2026, 10, 5, 12, 0)):
            ticket.with_user(self.agent).write(
                {"is_outage": True, "outage_service_id": self.hosting.id}
            )
        self.assertFalse(manual.date_end, "recorded by hand: not the ticket's")
        self.assertFalse(
            ticket.incident_ids.filtered(
                lambda incident: incident.service_id == self.hosting
            ).date_end
        )

    def test_archived_outage_ticket_ends_its_downtime(self):
        """Archiving is how an agent (who may not delete tickets) gets rid of
        a ticket: it stops reporting the outage, like a deleted one."""
        ticket = self._outage_ticket()
        incident = ticket.incident_ids
        with freeze_time(datetime(2026, 10, 5, 13, 0)):
            ticket.with_user(self.agent).action_archive()
        self.assertEqual(incident.date_end, datetime(2026, 10, 5, 13, 0))
        with freeze_time(datetime(2026, 10, 5, 14, 0)):
            ticket.stage_id = self.stage_progress
        self.assertEqual(ticket.incident_ids, incident, "archived: reports nothing")
        # Restored while still open: it reports the outage again, from now.
        with freeze_time(datetime(2026, 10, 5, 15, 0)):
            ticket.with_user(self.agent).action_unarchive()
        again = ticket.incident_ids - incident
        self.assertEqual(again.date_start, datetime(2026, 10, 5, 15, 0))
        self.assertFalse(again.date_end)

    # What held -----------------------------------------------------------

    def test_closed_reopened_then_unflagged(self):
        ticket = self._outage_ticket()
        first = ticket.incident_ids
        with freeze_time(datetime(2026, 10, 5, 11, 0)):
            ticket.stage_id = self.stage_done
        self.assertEqual(first.date_end, datetime(2026, 10, 5, 11, 0))
        with freeze_time(datetime(2026, 10, 5, 12, 0)):
            ticket.stage_id = self.stage_progress
        second = ticket.incident_ids - first
        self.assertEqual(second.date_start, datetime(2026, 10, 5, 12, 0))
        self.assertFalse(second.date_end)
        with freeze_time(datetime(2026, 10, 5, 14, 0)):
            ticket.with_user(self.agent).is_outage = False
        self.assertEqual(first.date_end, datetime(2026, 10, 5, 11, 0))
        self.assertEqual(second.date_end, datetime(2026, 10, 5, 14, 0))

    def test_agent_cannot_delete_and_downtime_stays_open(self):
        ticket = self._outage_ticket()
        incident = ticket.incident_ids
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent).unlink()
        self.assertFalse(incident.date_end)

    def test_batch_unflag_and_monitor_downtime_left(self):
        one, two = self._outage_ticket(), self._outage_ticket(self.mail)
        monitor = self.env["helpdesk.sla.alert.source"].create(
            {"name": "Prometheus", "company_id": self.contract.company_id.id}
        )
        reported = self._by_hand(one, self.mail)
        reported.alert_source_id = monitor
        with freeze_time(datetime(2026, 10, 5, 15, 0)):
            (one | two).with_user(self.agent).write({"is_outage": False})
        self.assertEqual(
            set((one | two).incident_ids.mapped("date_end")),
            {datetime(2026, 10, 5, 15, 0), False},
        )
        self.assertFalse(reported.date_end)

    def test_outage_ticket_in_a_decided_period_is_not_held(self):
        # Unflagging as an agent ends the downtime as the system (sudo).
        ticket = self._outage_ticket()
        with freeze_time(datetime(2026, 11, 2, 9, 0)):
            ticket.with_user(self.agent).is_outage = False
        self.assertEqual(ticket.incident_ids.date_end, datetime(2026, 11, 2, 9, 0))


class TestReviewManagerFlags(SlaCase):
    def test_agent_cannot_unpin_the_managers_policy(self):
        """Clearing the hand-set flag is a policy change too: an agent
        writing it False would unpin the policy an SLA manager chose, and the
        next priority change would replace it (agents may not)."""
        special = self.env["helpdesk.sla.policy"].create(
            {
                "name": "Special",
                "sequence": 99,
                "calendar_id": self.calendar.id,
                "target_ids": [
                    Command.create(
                        {"priority": "1", "response_hours": 1, "resolution_hours": 2}
                    ),
                    Command.create(
                        {"priority": "2", "response_hours": 1, "resolution_hours": 2}
                    ),
                ],
            }
        )
        ticket = self.make_ticket()
        ticket.with_user(self.manager).sla_policy_id = special
        self.assertTrue(ticket.sla_policy_manual)
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent).write({"sla_policy_manual": False})
        ticket.with_user(self.agent).priority = "2"
        self.assertEqual(ticket.sla_policy_id, special, "the manager's choice")

    # What held -----------------------------------------------------------

    def test_flags_refused_in_batches_and_copies(self):
        ticket = self.make_ticket()
        agent = ticket.with_user(self.agent)
        with self.assertRaises(AccessError):
            agent.create(
                [
                    {"name": "A", "description": "x"},
                    {"name": "B", "description": "x", "sla_resolution_warned": 1},
                ]
            )
        with self.assertRaises(AccessError):
            agent.copy({"sla_response_warned": True})
        with self.assertRaises(AccessError):
            agent.write({"sla_resolution_warned": "yes", "priority": "2"})
        copied = agent.copy()
        self.assertFalse(copied.sla_policy_manual)
        agent.write(
            {
                "sla_response_warned": False,
                "sla_resolution_warned": None,
                "sla_policy_manual": 0,
            }
        )
        # The SLA check (superuser) and the manager's button set them.
        ticket.sudo().sla_response_warned = True
        ticket.with_user(self.manager).action_sla_check_now()


class TestReviewUptimeGuard(LifecycleCase):
    def setUp(self):
        super().setUp()
        self.Incident = self.env["helpdesk.sla.incident"].with_user(self.agent)
        self.Window = self.env["helpdesk.sla.maintenance"].with_user(self.manager)

    def _uptime(self, service=None):
        return (service or self.hosting)._sla_uptime(*OCTOBER)[0]

    def test_window_moved_before_the_period_changes_its_notice(self):
        """A window from September 30 into October 1, announced in time
        (48 h). Moving its start earlier, still in September, leaves its
        October part alone but makes the notice too short: the October
        downtime it excused would count again, so the guard refuses it."""
        sudo_windows = self.env["helpdesk.sla.maintenance"]
        window = sudo_windows.create(
            {
                "name": "Night upgrade",
                "service_ids": [Command.set(self.hosting.ids)],
                "date_start": datetime(2026, 9, 30, 20, 0),
                "date_end": datetime(2026, 10, 1, 4, 0),
                "announced_date": datetime(2026, 9, 28, 12, 0),
            }
        )
        self.down(datetime(2026, 10, 1, 1, 0), 60)
        uptime = self._uptime()
        with self.assertRaises(UserError):
            window.with_user(self.manager).write(
                {"date_start": datetime(2026, 9, 29, 0, 0)}
            )
        self.env.invalidate_all()
        self.assertEqual(self._uptime(), uptime)

    def test_monthly_credit_does_not_hold_a_quarterly_service(self):
        """The October credit measures the contract's monthly services only
        (_sla_evaluate_uptime): October downtime of a quarterly-measured
        service is recorded, as no decided credit counts it."""
        backup = self.env["helpdesk.sla.service"].create(
            {
                "name": "Backup",
                "contract_id": self.contract.id,
                "uptime_target": 99.0,
                "measurement_period": "quarter",
            }
        )
        self.Incident.create(
            {
                "service_id": backup.id,
                "date_start": datetime(2026, 10, 20, 9, 0),
                "date_end": datetime(2026, 10, 20, 10, 0),
            }
        )

    # What held -----------------------------------------------------------

    def test_ongoing_outage_ended_after_the_period(self):
        ongoing = self.env["helpdesk.sla.incident"].create(
            {"service_id": self.hosting.id, "date_start": datetime(2026, 10, 31, 23)}
        )
        ongoing = ongoing.with_user(self.manager)
        ongoing.date_end = datetime(2026, 11, 2, 8, 0)
        with self.assertRaises(UserError):
            ongoing.date_end = datetime(2026, 10, 31, 23, 30)
        # Open again: its October hour is the same.
        ongoing.date_end = False
        with self.assertRaises(UserError):
            ongoing.date_start = datetime(2026, 10, 31, 22, 0)

    def test_boundaries_batches_and_copies(self):
        # Ending exactly at the period start, starting exactly at its end.
        self.Incident.create(
            [
                {
                    "service_id": self.hosting.id,
                    "date_start": datetime(2026, 9, 30, 22, 0),
                    "date_end": datetime(2026, 10, 1, 0, 0),
                },
                {
                    "service_id": self.hosting.id,
                    "date_start": datetime(2026, 11, 1, 0, 0),
                },
            ]
        )
        with self.assertRaises(UserError):
            self.Incident.create(
                [
                    {
                        "service_id": self.hosting.id,
                        "date_start": datetime(2026, 11, 3),
                        "date_end": datetime(2026, 11, 4),
                    },
                    {
                        "service_id": self.hosting.id,
                        "date_start": datetime(2026, 9, 30, 23, 59),
                        "date_end": datetime(2026, 10, 1, 0, 1),
                    },
                ]
            )
        incident = self.credit.incident_ids
        with self.assertRaises(UserError):
            incident.with_user(self.manager).copy()
        with self.assertRaises(UserError):
            incident.with_user(self.manager).service_id = self.env[
                "helpdesk.sla.service"
            ].create({"name": "Other", "contract_id": self.contract.id})
        nov = self.env["helpdesk.sla.incident"].create(
            [
                {
                    "service_id": self.hosting.id,
                    "date_start": datetime(2026, 11, 3 + day),
                    "date_end": datetime(2026, 11, 3 + day, 1),
                }
                for day in range(3)
            ]
        )
        nov.with_user(self.manager).write({"date_end": datetime(2026, 11, 10)})
        with self.assertRaises(UserError):
            nov.with_user(self.manager).write({"date_start": datetime(2026, 10, 31)})

    def test_windows_with_several_services(self):
        other = self.env["helpdesk.sla.service"].create(
            {
                "name": "Other contract's",
                "contract_id": self.make_contract(
                    "fixed_fee", date_start=datetime(2026, 10, 1).date()
                ).id,
            }
        )
        window = (
            self.env["helpdesk.sla.maintenance"]
            .create(
                {
                    "name": "Both",
                    "service_ids": [Command.set((self.hosting | other).ids)],
                    "date_start": datetime(2026, 10, 7, 1),
                    "date_end": datetime(2026, 10, 7, 3),
                    "announced_date": datetime(2026, 9, 1),
                }
            )
            .with_user(self.manager)
        )
        window.service_ids = [Command.unlink(other.id)]
        window.service_ids = [Command.link(other.id)]
        for command in (
            [Command.unlink(self.hosting.id)],
            [Command.set(other.ids)],
            [Command.clear()],
        ):
            with self.subTest(command=command), self.assertRaises(UserError):
                window.service_ids = command
        # Draft and cancelled credits do not hold.
        self.credit.invoice_line_id.unlink()
        self.credit.with_user(self.finance).action_reset_to_draft()
        window.service_ids = [Command.clear()]
        window.unlink()
