# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue #11: calendars in use keep working time (7), a customer's own tickets
find its contract (9), the clock never sticks (10), history cannot be deleted
from under the figures (11)."""

import importlib.util
import os
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError

from .common import SlaCase, berlin, office_hours
from .contract_common import FEB, JAN, ContractCase
from .test_sla_credits import DEC, NOV, OCT, CreditCase


class TestCalendarInUse(ContractCase):
    """Point 7: a calendar SLA time runs on keeps working time."""

    def test_removing_all_working_time_of_a_policy_calendar_is_refused(self):
        # self.calendar is the hours of the policy "Standard".
        with self.assertRaises(UserError) as caught:
            self.calendar.attendance_ids.unlink()
        self.assertIn("Standard", str(caught.exception))
        with self.assertRaises(UserError):
            self.calendar.write({"attendance_ids": [Command.clear()]})
        with self.assertRaises(UserError):
            self.calendar.attendance_ids.write({"day_period": "lunch"})
        self.assertEqual(len(self.calendar.attendance_ids), 5)
        # Replacing the attendances in one write keeps working time: accepted.
        self.calendar.write(
            {
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": "Monday morning",
                            "dayofweek": "0",
                            "hour_from": 8,
                            "hour_to": 12,
                            "day_period": "morning",
                        }
                    )
                ]
            }
        )
        # Tickets under it still get their deadlines (Monday 8-12 only).
        with freeze_time(berlin(2026, 11, 23, 9)):
            ticket = self.make_ticket()
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 30, 9))

    def test_calendar_of_a_site_or_contract_keeps_working_time(self):
        hours = office_hours(self.env, "Depot hours")
        self.site_depot.sla_calendar_id = hours
        with self.assertRaises(UserError) as caught:
            hours.attendance_ids.unlink()
        self.assertIn("ACME Depot", str(caught.exception))
        self.site_depot.sla_calendar_id = False
        contract = self.make_contract(name="Depot support", sla_calendar_id=hours.id)
        with self.assertRaises(UserError) as caught:
            hours.attendance_ids.unlink()
        self.assertIn("Depot support", str(caught.exception))
        contract.sla_calendar_id = False
        # Used nowhere: its attendances may go.
        hours.attendance_ids.unlink()
        self.assertFalse(hours.attendance_ids)

    def test_archiving_a_calendar_in_use_is_refused(self):
        with self.assertRaises(UserError) as caught:
            self.calendar.action_archive()
        self.assertIn("Standard", str(caught.exception))
        self.assertTrue(self.calendar.active)
        unused = office_hours(self.env, "Unused hours")
        unused.action_archive()
        self.assertFalse(unused.active)


class TestCustomerOwnTickets(ContractCase):
    """Point 9: a ticket without site takes the customer's valid contracts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gold = cls.policy.copy({"name": "Gold", "sequence": 50})

    def test_ticket_without_site_finds_a_contract_listing_sites(self):
        contract = self.make_contract(
            sla_policy_id=self.gold.id, site_ids=[Command.set(self.site_hq.ids)]
        )
        for partner in (self.acme_contact, self.acme):
            ticket = self.make_contract_ticket(partner=partner)
            self.assertFalse(ticket.site_id)
            self.assertEqual(ticket.contract_id, contract)
            self.assertFalse(ticket.sla_no_contract)
            self.assertEqual(ticket.sla_policy_id, self.gold)
        # A site the contract does not list is still not covered.
        self.assertFalse(self.make_contract_ticket(partner=self.site_depot).contract_id)

    def test_sla_first_then_latest_start(self):
        start = datetime(2026, 2, 5, 9, 0)
        hq = self.make_contract(
            sla_policy_id=self.gold.id, site_ids=[Command.set(self.site_hq.ids)]
        )
        self.make_contract(
            "remote_monitoring",
            device_price=5,
            date_start=FEB,
            site_ids=[Command.set(self.site_depot.ids)],
        )
        self.assertEqual(self.make_contract_ticket(start=start).contract_id, hq)
        depot = self.make_contract(
            sla_policy_id=self.gold.id,
            date_start=FEB,
            site_ids=[Command.set(self.site_depot.ids)],
        )
        self.assertEqual(self.make_contract_ticket(start=start).contract_id, depot)
        # A contract for every site covers the customer as a whole: it comes
        # before the ones limited to some sites, as before.
        everywhere = self.make_contract(sla_policy_id=self.gold.id, date_start=JAN)
        self.assertEqual(self.make_contract_ticket(start=start).contract_id, everywhere)


class TestClockNeverSticks(SlaCase):
    """Point 10: no open clock without a next check; a response target
    completes once."""

    def setUp(self):
        super().setUp()
        self.Ticket = self.env["helpdesk.ticket"]
        # Monday 09:00: respond by 13:00, resolve by Tuesday 17:00.
        with freeze_time(berlin(2026, 11, 23, 9)):
            self.ticket = self.make_ticket()

    def test_check_at_the_response_deadline_second(self):
        with freeze_time(berlin(2026, 11, 23, 13)):
            self.Ticket._cron_check_sla()
        self.assertEqual(self.ticket.sla_response_status, "at_risk")
        self.assertEqual(
            self.ticket.sla_next_check_date,
            berlin(2026, 11, 23, 13) + timedelta(seconds=1),
        )
        with freeze_time(berlin(2026, 11, 23, 13, 5)):
            self.Ticket._cron_check_sla()
        self.assertEqual(self.ticket.sla_response_status, "breached")
        self.assertEqual(self.ticket.sla_breach_ids.mapped("kind"), ["response"])

    def test_check_at_the_resolution_deadline_second(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            self.ticket.action_sla_mark_responded()
        with freeze_time(berlin(2026, 11, 24, 17)):
            self.Ticket._cron_check_sla()
        self.assertEqual(self.ticket.sla_resolution_status, "at_risk")
        self.assertTrue(self.ticket.sla_next_check_date, "the clock is not stuck")
        with freeze_time(berlin(2026, 11, 24, 17, 5)):
            self.Ticket._cron_check_sla()
        self.assertEqual(self.ticket.sla_resolution_status, "breached")
        self.assertEqual(self.ticket.sla_breach_ids.mapped("kind"), ["resolution"])

    def test_response_by_resolution_stays_met_after_reopening(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            self.ticket.stage_id = self.stage_done
        self.assertEqual(self.ticket.sla_response_status, "met")
        self.assertEqual(self.ticket.sla_first_response_date, berlin(2026, 11, 23, 10))
        with freeze_time(berlin(2026, 11, 24, 10)):
            self.ticket.stage_id = self.stage_progress
        self.assertFalse(self.ticket.sla_resolved_date)
        self.assertEqual(self.ticket.sla_response_status, "met")
        with freeze_time(berlin(2026, 11, 24, 10, 5)):
            self.Ticket._cron_check_sla()
        self.assertFalse(self.ticket.sla_breach_ids)


class TestHistoryKept(CreditCase):
    """Point 11: what tickets, breaches, incidents, credits or invoices refer
    to is archived, not deleted."""

    def _uptime_credit(self):
        incident = self.down(datetime(2026, 10, 6, 10, 0), 120)
        credit = self.compute()
        self.assertEqual(credit.incident_ids, incident)
        return credit, incident

    def test_policy_used_by_tickets(self):
        with freeze_time(berlin(2026, 11, 23, 9)):
            ticket = self.make_ticket()
        with self.assertRaises(UserError) as caught:
            self.policy.unlink()
        self.assertIn("Standard (tickets: 1)", str(caught.exception))
        self.assertIn("Archive", str(caught.exception))
        self.assertEqual(ticket.sla_policy_id, self.policy)
        self.policy.action_archive()
        self.assertFalse(self.policy.active)
        unused = self.env["helpdesk.sla.policy"].create(
            {"name": "Unused", "calendar_id": self.calendar.id}
        )
        unused.unlink()
        self.assertFalse(unused.exists())

    def test_calendar_used_by_policies_or_tickets(self):
        with self.assertRaises(UserError) as caught:
            self.calendar.unlink()
        self.assertIn("Standard", str(caught.exception))
        hours = office_hours(self.env, "Old hours")
        self.policy.calendar_id = hours
        with freeze_time(berlin(2026, 11, 23, 9)):
            ticket = self.make_ticket()
        self.policy.calendar_id = self.calendar
        # Only the ticket's deadlines remember it: archived, not deleted.
        self.assertEqual(ticket.sla_calendar_id, hours)
        with self.assertRaises(UserError) as caught:
            hours.unlink()
        self.assertIn("Archive", str(caught.exception))
        hours.action_archive()
        self.assertEqual(ticket.sla_calendar_id, hours)

    def test_service_with_downtime(self):
        incident = self.down(datetime(2026, 10, 5, 10, 0), 40)
        with self.assertRaises(UserError) as caught:
            self.hosting.unlink()
        self.assertIn("Web hosting (downtime records: 1)", str(caught.exception))
        self.assertTrue(incident.exists())
        self.hosting.action_archive()
        spare = self.env["helpdesk.sla.service"].create(
            {"name": "Mail", "contract_id": self.contract.id}
        )
        spare.unlink()
        self.assertFalse(spare.exists())

    def test_penalty_rules_and_schemes_with_credits(self):
        credit, _incident = self._uptime_credit()
        with self.assertRaises(UserError) as caught:
            self.rule.unlink()
        self.assertIn("Uptime credits (SLA credits: 1)", str(caught.exception))
        scheme = self.env["helpdesk.sla.penalty.scheme"].create(
            {"name": "Shared", "rule_ids": [Command.create({"name": "Shared rule"})]}
        )
        self.env["helpdesk.sla.credit"].create(
            {
                "contract_id": self.contract.id,
                "rule_id": scheme.rule_ids.id,
                "period_start": OCT,
                "period_end": NOV,
                "amount": 10.0,
            }
        )
        with self.assertRaises(UserError):
            scheme.unlink()
        self.assertTrue(credit.rule_id.exists())

    def test_contract_with_history(self):
        self._uptime_credit()
        with self.assertRaises(UserError) as caught:
            self.contract.unlink()
        self.assertIn("SLA credits: 1", str(caught.exception))
        self.assertIn("downtime records: 1", str(caught.exception))
        with_ticket = self.make_contract(name="Ticketed")
        self.assertEqual(self.make_contract_ticket().contract_id, with_ticket)
        with self.assertRaises(UserError) as caught:
            with_ticket.unlink()
        self.assertIn("Ticketed", str(caught.exception))
        self.assertIn("tickets: 1", str(caught.exception))
        invoiced = self.make_contract(
            name="Invoiced",
            lines=[
                {
                    "product_id": self.env.ref(
                        "helpdesk_sla_contract.product_sla_support_services"
                    ).id,
                    "name": "Support",
                    "quantity": 1,
                    "price_unit": 100.0,
                }
            ],
            date_start=NOV,
        )
        self.assertTrue(self.invoice(invoiced, DEC))
        with self.assertRaises(UserError) as caught:
            invoiced.unlink()
        self.assertIn("invoice lines", str(caught.exception))
        unused = self.make_contract(name="Unused", date_start=DEC)
        unused.unlink()
        self.assertFalse(unused.exists())

    def test_downtime_and_breaches_behind_a_credit(self):
        credit, incident = self._uptime_credit()
        with self.assertRaises(UserError):
            incident.unlink()
        with freeze_time(berlin(2026, 11, 23, 9)):
            ticket = self.make_ticket()
        with freeze_time(berlin(2026, 11, 23, 14)):
            self.env["helpdesk.ticket"]._cron_check_sla()
        breach = ticket.sla_breach_ids
        self.assertEqual(len(breach), 1)
        breach_credit = self.env["helpdesk.sla.credit"].create(
            {
                "contract_id": self.contract.id,
                "rule_id": self.rule.id,
                "period_start": NOV,
                "period_end": DEC,
                "amount": 50.0,
                "breach_ids": [Command.set(breach.ids)],
            }
        )
        with self.assertRaises(UserError):
            breach.unlink()
        with self.assertRaises(UserError):
            ticket.unlink()
        self.assertTrue(breach.exists() and incident.exists())
        # Without a credit: deleted by SLA managers, not by agents.
        (credit | breach_credit).unlink()
        with self.assertRaises(AccessError):
            breach.with_user(self.agent).unlink()
        with self.assertRaises(AccessError):
            incident.with_user(self.agent).unlink()
        breach.with_user(self.manager).unlink()
        incident.with_user(self.manager).unlink()
        self.assertFalse(breach.exists() or incident.exists())


def load_migration():
    """The upgrade script of this version, loaded by path (its name has a
    dash, as Odoo wants it)."""
    path = os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        "migrations",
        "18.0.1.1.0",
        "post-migrate_sla_history.py",
    )
    spec = importlib.util.spec_from_file_location("sla_history_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestUpgrade(ContractCase):
    """Stored data of the previous version brought in line (points 9, 10)."""

    def test_migration_repairs_stored_data(self):
        contract = self.make_contract(site_ids=[Command.set(self.site_hq.ids)])
        customer_ticket = self.make_contract_ticket()
        # As the previous version left them: no contract for a ticket
        # without site, no first response for a resolution, a clock checked
        # at its deadline's second without next check.
        customer_ticket.contract_id = False
        with freeze_time(berlin(2026, 11, 23, 9)):
            resolved = self.make_ticket()
            stuck = self.make_ticket()
        with freeze_time(berlin(2026, 11, 23, 10)):
            resolved.stage_id = self.stage_done
        resolved.sla_first_response_date = False
        with freeze_time(berlin(2026, 11, 23, 13)):
            self.env["helpdesk.ticket"]._cron_check_sla()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET sla_next_check_date = NULL WHERE id = %s",
            [stuck.id],
        )
        stuck.invalidate_recordset()
        with freeze_time(berlin(2026, 11, 23, 13, 5)):
            load_migration().migrate(self.env.cr, "18.0.1.0.0")
        self.assertEqual(customer_ticket.contract_id, contract)
        self.assertEqual(resolved.sla_first_response_date, berlin(2026, 11, 23, 10))
        self.assertEqual(stuck.sla_response_status, "breached")
