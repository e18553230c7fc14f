# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import new_test_user

from .contract_common import ContractCase

OCT = date(2026, 10, 1)
NOV = date(2026, 11, 1)
DEC = date(2026, 12, 1)
OCT_MINUTES = 31 * 1440


class CreditCase(ContractCase):
    """A 1000/month web hosting contract promising 99.9 % uptime, with cloud
    style tiers: below 99.9 % -> 10 %, below 99 % -> 25 %, below 95 % -> 100 %."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance = new_test_user(
            cls.env,
            login="credit_finance",
            groups="base.group_user,account.group_account_manager",
        )
        cls.contract = cls.make_contract(
            "fixed_fee",
            lines=[
                {
                    "product_id": cls.env.ref(
                        "helpdesk_sla_contract.product_sla_support_services"
                    ).id,
                    "name": "Web hosting #START# - #END#",
                    "quantity": 1,
                    "price_unit": 1000.0,
                }
            ],
            date_start=OCT,
            maintenance_notice_hours=48,
        )
        cls.hosting = cls.env["helpdesk.sla.service"].create(
            {
                "name": "Web hosting",
                "contract_id": cls.contract.id,
                "uptime_target": 99.9,
                "contract_line_id": cls.contract.contract_line_ids[0].id,
            }
        )
        cls.rule = cls.env["helpdesk.sla.penalty.rule"].create(
            {
                "name": "Uptime credits",
                "contract_id": cls.contract.id,
                "kind": "uptime",
                "tier_ids": [
                    Command.create({"below_percent": 99.9, "credit_percent": 10}),
                    Command.create({"below_percent": 99.0, "credit_percent": 25}),
                    Command.create({"below_percent": 95.0, "credit_percent": 100}),
                ],
            }
        )

    def down(self, start, minutes, service=None, **values):
        end = datetime.fromtimestamp(start.timestamp() + minutes * 60)
        return self.env["helpdesk.sla.incident"].create(
            dict(
                {
                    "service_id": (service or self.hosting).id,
                    "date_start": start,
                    "date_end": end,
                },
                **values,
            )
        )

    def compute(self, day=OCT, kind="month"):
        return self.env["helpdesk.sla.credit"]._sla_compute_credits(
            self.contract, day, kind
        )


class TestUptimeAndCredits(CreditCase):
    def test_allowed_downtime_shown_on_the_service(self):
        self.assertAlmostEqual(self.hosting.allowed_downtime_month, 43.83, places=2)
        self.assertAlmostEqual(self.hosting.allowed_downtime_year, 8.77, places=2)
        self.hosting.measurement_period = "quarter"
        self.assertAlmostEqual(self.hosting.allowed_downtime_period, 131.49, places=2)
        self.assertEqual(self.hosting.monthly_fee, 1000.0)

    def test_tiers_with_concrete_downtime(self):
        # 40 min down in October: 99.91 %, inside the 43.8 allowed minutes.
        self.down(datetime(2026, 10, 5, 10, 0), 40)
        self.assertFalse(self.compute())
        # Two hours in all: 99.73 % -> 10 % of 1000.
        self.down(datetime(2026, 10, 6, 10, 0), 80)
        credit = self.compute()
        self.assertEqual(credit.amount, 100.0)
        self.assertAlmostEqual(credit.uptime, 100 * (1 - 120 / OCT_MINUTES), places=3)
        self.assertEqual(credit.tier_percent, 10)
        self.assertEqual(
            credit.reason,
            "Web hosting: uptime 99.73 % in October 2026, below 99.9 % → 10 %",
        )
        # Ten hours more: 98.39 % -> 25 %.
        self.down(datetime(2026, 10, 7, 10, 0), 600)
        self.assertEqual(self.compute().amount, 250.0)

    def test_overlapping_incidents_count_once(self):
        self.down(datetime(2026, 10, 5, 10, 0), 60)
        self.down(datetime(2026, 10, 5, 10, 30), 60)  # 30 min overlap
        credit = self.compute()
        self.assertAlmostEqual(credit.uptime, 100 * (1 - 90 / OCT_MINUTES), places=3)

    def test_incident_clipped_to_the_period(self):
        self.down(datetime(2026, 9, 30, 23, 0), 180)  # 2 h of it in October
        credit = self.compute()
        self.assertAlmostEqual(credit.uptime, 100 * (1 - 120 / OCT_MINUTES), places=3)

    def test_maintenance_inside_announced_windows(self):
        start = datetime(2026, 10, 10, 22, 0)
        self.down(start, 120, kind="planned")
        window = self.env["helpdesk.sla.maintenance"].create(
            {
                "name": "Kernel upgrade",
                "service_ids": [Command.set(self.hosting.ids)],
                "date_start": start,
                "date_end": datetime(2026, 10, 10, 23, 30),
                "announced_date": datetime(2026, 10, 7, 9, 0),
            }
        )
        self.assertTrue(window.announced_in_time)
        # 90 of the 120 minutes fall in the window: 30 count (99.93 %).
        self.assertFalse(self.compute())
        # Announced only a day ahead (notice: 48 h): everything counts.
        window.announced_date = datetime(2026, 10, 9, 22, 0)
        self.assertFalse(window.announced_in_time)
        self.assertEqual(self.compute().amount, 100.0)
        window.announced_date = False
        self.assertEqual(self.compute().amount, 100.0)

    def test_customer_caused_and_force_majeure(self):
        self.down(datetime(2026, 10, 5, 10, 0), 600, customer_caused=True)
        self.assertFalse(self.compute())
        self.down(datetime(2026, 10, 6, 10, 0), 600, force_majeure=True)
        self.assertFalse(self.compute())
        self.rule.exclude_force_majeure = False
        self.assertEqual(self.compute().amount, 250.0)

    def test_cap_per_period(self):
        self.rule.cap_percent = 15
        self.down(datetime(2026, 10, 5, 10, 0), 3 * 1440)  # 90.3 % -> 100 %
        credit = self.compute()
        self.assertEqual(credit.uncapped_amount, 1000.0)
        self.assertEqual(credit.amount, 150.0)
        self.assertIn("capped", credit.reason)

    def test_measured_over_support_hours(self):
        self.hosting.measured_on = "support_hours"
        self.contract.sla_calendar_id = self.calendar  # Mon-Fri 09-17 Berlin
        # A Saturday outage is outside the service hours.
        self.down(datetime(2026, 10, 10, 8, 0), 600)
        self.assertFalse(self.compute())
        # 2 h on a Tuesday: 22 working days x 8 h = 10 560 min -> 98.86 % -> 25 %.
        self.down(datetime(2026, 10, 6, 8, 0), 120)
        credit = self.compute()
        self.assertAlmostEqual(credit.uptime, 100 * (1 - 120 / 10560), places=3)
        self.assertEqual(credit.amount, 250.0)

    def test_per_breach_penalties(self):
        rule = self.env["helpdesk.sla.penalty.rule"].create(
            {
                "name": "Critical resolution breaches",
                "contract_id": self.contract.id,
                "kind": "breach",
                "breach_kind": "resolution",
                "priority": "3",
                "amount_type": "fixed",
                "amount": 50,
                "cap_percent": 12,
            }
        )
        breach = self.env["helpdesk.sla.breach"]

        def breached(priority, kind, when):
            ticket = self.make_contract_ticket(
                start=datetime(2026, 10, 1, 9, 0), priority=priority
            )
            ticket.contract_id = self.contract
            return breach.create(
                {
                    "ticket_id": ticket.id,
                    "kind": kind,
                    "deadline": when,
                    "breach_date": when,
                    "company_id": self.company.id,
                }
            )

        breached("3", "resolution", datetime(2026, 10, 2, 12, 0))
        breached("3", "resolution", datetime(2026, 10, 20, 12, 0))
        breached("3", "response", datetime(2026, 10, 21, 12, 0))  # other kind
        breached("2", "resolution", datetime(2026, 10, 22, 12, 0))  # other priority
        breached("3", "resolution", datetime(2026, 11, 2, 12, 0))  # other period
        sla_credits = self.compute()
        credit = sla_credits.filtered(lambda c: c.rule_id == rule)
        self.assertEqual(credit.amount, 100.0)
        self.assertEqual(len(credit.breach_ids), 2)
        breached("3", "resolution", datetime(2026, 10, 23, 12, 0))
        breached("3", "resolution", datetime(2026, 10, 24, 12, 0))
        credit = self.compute().filtered(lambda c: c.rule_id == rule)
        self.assertEqual(credit.amount, 120.0, "capped at 12 % of 1000")

    def test_recomputation_updates_drafts_only_and_never_duplicates(self):
        self.down(datetime(2026, 10, 5, 10, 0), 120)
        credit = self.compute()
        self.assertEqual(self.compute(), credit)
        self.env["helpdesk.sla.credit.compute"].with_user(self.finance).create(
            {"period_date": date(2026, 10, 17)}
        ).action_compute()
        self.assertEqual(len(self.contract.credit_ids), 1)
        self.down(datetime(2026, 10, 6, 10, 0), 600)
        self.assertEqual(self.compute().amount, 250.0)
        self.assertEqual(credit.amount, 250.0)
        credit.with_user(self.finance).action_approve()
        self.down(datetime(2026, 10, 7, 10, 0), 3000)
        self.compute()
        self.assertEqual(credit.amount, 250.0, "approved credits are not recomputed")
        self.assertEqual(len(self.contract.credit_ids), 1)

    def test_only_finance_approves(self):
        self.down(datetime(2026, 10, 5, 10, 0), 120)
        credit = self.compute()
        with self.assertRaises(AccessError):
            credit.with_user(self.manager).action_approve()
        with self.assertRaises(AccessError):
            credit.with_user(self.agent).read(["amount"])
        with self.assertRaises(AccessError):
            credit.with_user(self.agent).action_approve()
        self.assertEqual(credit.state, "draft")
        credit.with_user(self.finance).action_approve()
        self.assertEqual(credit.state, "approved")
        self.assertEqual(credit.approved_by_id, self.finance)

    def test_bad_rules(self):
        with self.assertRaises(ValidationError):
            self.env["helpdesk.sla.penalty.rule"].create(
                {"name": "Orphan", "kind": "uptime"}
            )
        with self.assertRaises(ValidationError):
            self.env["helpdesk.sla.penalty.rule"].create(
                {
                    "name": "Negative",
                    "contract_id": self.contract.id,
                    "kind": "breach",
                    "amount": -5,
                }
            )


class TestCreditsOnInvoices(CreditCase):
    def _approved_credit(self, minutes):
        self.down(datetime(2026, 10, 5, 10, 0), minutes)
        credit = self.compute()
        credit.with_user(self.finance).action_approve()
        return credit

    def test_credit_line_on_the_next_invoice(self):
        october = self.invoice(self.contract, NOV)
        october.action_post()
        lines_before = october.invoice_line_ids.mapped(
            lambda line: (line.name, line.price_unit)
        )
        credit = self._approved_credit(120)  # 10 % -> 100
        november = self.invoice(self.contract, DEC)
        self.assertEqual(november.amount_untaxed, 900.0)
        self.assertEqual(credit.state, "applied")
        self.assertEqual(credit.move_id, november)
        credit_line = self.sla_lines(november, "credit")
        self.assertEqual(credit_line.price_unit, -100.0)
        self.assertEqual(credit_line.sla_credit_ids, credit)
        # The posted October invoice is untouched.
        self.assertEqual(
            october.invoice_line_ids.mapped(lambda line: (line.name, line.price_unit)),
            lines_before,
        )
        self.assertEqual(october.state, "posted")
        # Applied: locked.
        with self.assertRaises(UserError):
            credit.with_user(self.finance).write({"amount": 1})
        # Cancelling its invoice frees it for the next one.
        november.button_cancel()
        self.assertEqual(credit.state, "approved")
        self.assertFalse(credit.invoice_line_id)

    def test_invoice_report_lists_the_credits(self):
        self.invoice(self.contract, NOV).action_post()
        credit = self._approved_credit(120)
        november = self.invoice(self.contract, DEC)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.report_invoice", november.ids)[0]
            .decode()
        )
        self.assertIn("SLA credits", html)
        self.assertIn(credit.reason, html)
        self.assertIn(
            "Web hosting: uptime 99.73 % in October 2026, below 99.9 % → 10 %",
            credit.reason,
        )
        plain = self.invoice(self.contract, date(2027, 1, 1))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.report_invoice", plain.ids)[0]
            .decode()
        )
        self.assertNotIn("SLA credits", html)

    def test_credit_note_when_the_invoice_would_be_negative(self):
        october = self.invoice(self.contract, NOV)
        october.action_post()
        self.contract.contract_line_ids.price_unit = 100.0
        credit = self._approved_credit(3 * 1440)  # 100 % of 1000... of 100 now
        credit.sudo().amount = 800.0  # the system may
        november = self.invoice(self.contract, DEC)
        self.assertEqual(november.amount_untaxed, 100.0, "no credit line on it")
        self.assertEqual(credit.state, "applied")
        refund = credit.move_id
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.amount_untaxed, 800.0)
        self.assertEqual(refund.reversed_entry_id, october)

    def test_finance_may_choose_a_credit_note(self):
        self.invoice(self.contract, NOV).action_post()
        credit = self._approved_credit(120)
        with self.assertRaises(AccessError):
            credit.with_user(self.manager).action_apply_credit_note()
        credit.with_user(self.finance).action_apply_credit_note()
        self.assertEqual(credit.move_id.move_type, "out_refund")
        self.assertEqual(credit.move_id.amount_untaxed, 100.0)
        self.assertEqual(self.invoice(self.contract, DEC).amount_untaxed, 1000.0)

    def test_monthly_cron(self):
        self.down(datetime(2026, 10, 5, 10, 0), 120)
        sla_credits = self.env["helpdesk.sla.credit"]._cron_compute_credits(today=NOV)
        # (Demo contracts may get theirs too.)
        sla_credits = sla_credits.filtered(lambda c: c.contract_id == self.contract)
        self.assertEqual(len(sla_credits), 1)
        self.assertEqual(sla_credits.period_start, OCT)
        self.assertEqual(sla_credits.state, "draft")


class TestOutageTickets(CreditCase):
    def test_outage_ticket_opens_and_closes_an_incident(self):
        ticket = self.make_contract_ticket(
            start=datetime(2026, 10, 5, 10, 0),
            is_outage=True,
            outage_service_id=self.hosting.id,
        )
        ticket.contract_id = self.contract
        incident = ticket.incident_ids
        self.assertEqual(len(incident), 1)
        self.assertEqual(incident.service_id, self.hosting)
        self.assertEqual(incident.date_start, datetime(2026, 10, 5, 10, 0))
        self.assertFalse(incident.date_end)
        ticket.stage_id = self.stage_done
        self.assertEqual(incident.date_end, ticket.sla_resolved_date)
        # Reopened: the service is down again, from now.
        ticket.stage_id = self.stage_progress
        self.assertEqual(len(ticket.incident_ids), 2)
        again = ticket.incident_ids - incident
        self.assertGreaterEqual(again.date_start, incident.date_end)
        self.assertFalse(again.date_end)

    def test_flagging_later_and_service_required(self):
        ticket = self.make_contract_ticket(start=datetime(2026, 10, 5, 10, 0))
        self.assertFalse(ticket.incident_ids)
        with self.assertRaises(ValidationError):
            ticket.is_outage = True
        ticket.write({"is_outage": True, "outage_service_id": self.hosting.id})
        self.assertEqual(len(ticket.incident_ids), 1)
