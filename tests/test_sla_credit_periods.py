# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import SUPERUSER_ID, Command, api
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger

from .test_sla_credits import DEC, NOV, OCT, CreditCase

JAN_NEXT = date(2027, 1, 1)


class PeriodCase(CreditCase):
    """CreditCase plus a backup service measured per quarter (600/month) and a
    second contract of the same customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backup = cls.env["helpdesk.sla.service"].create(
            {
                "name": "Backup",
                "contract_id": cls.contract.id,
                "uptime_target": 99.9,
                "measurement_period": "quarter",
                "monthly_fee": 600.0,
            }
        )
        cls.other_contract = cls.make_contract("fixed_fee", name="Other contract")
        cls.breach_rule = cls.env["helpdesk.sla.penalty.rule"].create(
            {
                "name": "Critical breaches",
                "contract_id": cls.contract.id,
                "kind": "breach",
                "priority": "3",
                "amount_type": "fixed",
                "amount": 50,
            }
        )

    def breach(self, deadline, breach_date=None, priority="3", kind="resolution"):
        ticket = self.make_contract_ticket(
            start=datetime(2026, 10, 1, 9, 0), priority=priority
        )
        ticket.contract_id = self.contract
        return self.env["helpdesk.sla.breach"].create(
            {
                "ticket_id": ticket.id,
                "kind": kind,
                "deadline": deadline,
                "breach_date": breach_date or deadline,
                "company_id": self.company.id,
            }
        )

    def credits_of(self, sla_credits, rule=None):
        return sla_credits.filtered(lambda c: c.rule_id == (rule or self.rule))


class TestCreditIdentity(PeriodCase):
    """Point 3: a month's credit and a quarter's credit never collide."""

    def test_month_and_quarter_credits_kept_apart(self):
        self.down(datetime(2026, 10, 5, 10, 0), 120)  # hosting: 99.73 % in Oct
        self.down(datetime(2026, 10, 6, 10, 0), 600, service=self.backup)
        october = self.credits_of(self.compute(OCT, "month"))
        self.assertEqual(october.amount, 100.0)
        quarter = self.credits_of(self.compute(OCT, "quarter"))
        self.assertEqual(quarter.period_kind, "quarter")
        self.assertEqual(quarter.period_end, JAN_NEXT)
        self.assertEqual(quarter.amount, 180.0, "10 % of 3 x 600")
        self.assertNotEqual(quarter, october)
        self.assertEqual(
            (october.period_kind, october.period_end, october.amount),
            ("month", NOV, 100.0),
            "the quarter leaves the month's draft alone",
        )
        self.assertTrue(quarter.name.endswith(" / 2026-Q4"), quarter.name)
        # Recomputing either period finds its own credit again.
        self.assertEqual(self.credits_of(self.compute(OCT, "month")), october)
        self.assertEqual(self.credits_of(self.compute(OCT, "quarter")), quarter)
        self.assertEqual(len(self.contract.credit_ids), 2)

    def test_quarter_credit_after_the_month_is_approved(self):
        self.down(datetime(2026, 10, 5, 10, 0), 120)
        self.down(datetime(2026, 10, 6, 10, 0), 600, service=self.backup)
        october = self.credits_of(self.compute(OCT, "month"))
        october.with_user(self.finance).action_approve()
        quarter = self.credits_of(self.compute(OCT, "quarter"))
        self.assertTrue(quarter, "not dropped because the month is approved")
        self.assertEqual(quarter.amount, 180.0)
        self.assertEqual(october.amount, 100.0)

    @mute_logger("odoo.sql_db")
    def test_one_credit_per_contract_rule_and_period(self):
        values = {
            "contract_id": self.contract.id,
            "rule_id": self.rule.id,
            "period_start": OCT,
            "amount": 10.0,
        }
        credit = self.env["helpdesk.sla.credit"]
        credit.create(dict(values, period_kind="month", period_end=NOV))
        credit.create(dict(values, period_kind="quarter", period_end=JAN_NEXT))
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            credit.create(dict(values, period_kind="month", period_end=NOV))


class TestBreachSnapshot(PeriodCase):
    """Point 5: a breach keeps what was true when it happened and counts in
    the period of its deadline."""

    def test_breach_keeps_its_contract_and_priority(self):
        breach = self.breach(datetime(2026, 10, 20, 12, 0))
        ticket = breach.ticket_id
        self.assertEqual(breach.contract_id, self.contract)
        self.assertEqual(breach.priority, "3")
        self.assertEqual(breach.site_id, ticket.site_id)
        credit = self.credits_of(self.compute(), self.breach_rule)
        self.assertEqual(credit.amount, 50.0)
        # Later, the ticket moves to another contract and is re-prioritised.
        ticket.write({"contract_id": self.other_contract.id, "priority": "1"})
        self.assertEqual(breach.contract_id, self.contract)
        self.assertEqual(breach.priority, "3")
        self.assertEqual(self.credits_of(self.compute(), self.breach_rule).amount, 50.0)
        data = self.env["helpdesk.sla.performance.report"]._sla_build_data(
            self.contract, OCT, NOV
        )
        self.assertEqual(data["breaches"], breach)
        other = self.env["helpdesk.sla.performance.report"]._sla_build_data(
            self.other_contract, OCT, NOV
        )
        self.assertFalse(other["breaches"])

    def test_breach_counts_in_the_period_of_its_deadline(self):
        # Due at the end of October, noticed by the check in November.
        breach = self.breach(datetime(2026, 10, 31, 23, 0), datetime(2026, 11, 1, 1))
        october = self.credits_of(self.compute(OCT), self.breach_rule)
        self.assertEqual(october.breach_ids, breach)
        self.assertFalse(self.credits_of(self.compute(NOV), self.breach_rule))
        self.assertEqual(
            self.env["helpdesk.sla.performance.report"]._sla_build_data(
                self.contract, OCT, NOV
            )["breaches"],
            breach,
        )
        self.assertFalse(
            self.env["helpdesk.sla.performance.report"]._sla_build_data(
                self.contract, NOV, DEC
            )["breaches"]
        )


class TestCustomerFacingNumbers(PeriodCase):
    """Point 6: the report's figures agree, and show decided credits only."""

    def test_summary_and_breach_table_agree(self):
        breach = self.breach(datetime(2026, 10, 31, 23, 0), datetime(2026, 11, 1, 1))
        # The ticket started in October; its breach is due on 31 October and
        # was recorded on 1 November.
        self.assertEqual(breach.ticket_id.sla_resolution_status, "breached")
        for start, end in ((OCT, NOV), (NOV, DEC)):
            data = self.env["helpdesk.sla.performance.report"]._sla_build_data(
                self.contract, start, end
            )
            breached = sum(
                row["resp_breached"] + row["res_breached"] for row in data["priorities"]
            )
            self.assertEqual(breached, len(data["breaches"]), start)
            last = data["trend"][-1]
            self.assertEqual(last["resolution_pct"], data["resolution_pct"])
        data = self.env["helpdesk.sla.performance.report"]._sla_build_data(
            self.contract, OCT, NOV
        )
        row = next(row for row in data["priorities"] if row["priority"] == "3")
        self.assertEqual(row["res_breached"], 1)
        self.assertEqual(data["resolution_pct"], 0.0)

    def test_only_approved_and_applied_credits_are_shown(self):
        self.down(datetime(2026, 10, 5, 10, 0), 120)
        self.down(datetime(2026, 10, 6, 10, 0), 600, service=self.backup)
        self.breach(datetime(2026, 10, 20, 12, 0))
        sla_credits = self.compute(OCT)
        uptime = self.credits_of(sla_credits)
        per_breach = self.credits_of(sla_credits, self.breach_rule)
        quarter = self.credits_of(self.compute(OCT, "quarter"))
        report = self.env["helpdesk.sla.performance.report"]._sla_get_or_create(
            self.contract, OCT, "month"
        )
        self.assertFalse(report._sla_data()["credits"], "drafts are not decided")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "helpdesk_sla_contract.action_report_sla_performance", report.ids
            )[0]
            .decode()
        )
        self.assertNotIn(uptime.reason, html)
        self.assertIn("No service credit for this period.", html)
        (uptime | per_breach | quarter).with_user(self.finance).action_approve()
        per_breach.with_user(self.finance).action_cancel()
        data = report._sla_data()
        self.assertEqual(data["credits"], uptime, "no cancelled, no quarter")
        self.assertEqual(data["credit_total"], 100.0)
        quarter_data = self.env["helpdesk.sla.performance.report"]._sla_build_data(
            self.contract, OCT, JAN_NEXT, "quarter"
        )
        self.assertEqual(quarter_data["credits"], uptime | quarter)

    def test_finance_totals_leave_cancelled_credits_out(self):
        action = self.env.ref("helpdesk_sla_contract.helpdesk_sla_credit_action")
        self.assertIn("search_default_not_cancelled", action.context)
        from_contract = self.contract.action_view_sla_credits()
        self.assertTrue(from_contract["context"]["search_default_not_cancelled"])
        arch = self.env["helpdesk.sla.credit"].get_view(
            self.env.ref("helpdesk_sla_contract.helpdesk_sla_credit_view_search").id,
            "search",
        )["arch"]
        self.assertIn('name="not_cancelled"', arch)


def _committed_env(cr):
    return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})


class TestConcurrentRuns(TransactionCase):
    """Point 4: two runs on the same period at once (two real transactions,
    interleaved: the first commits between the second's snapshot and its
    writes) end cleanly with one record per identity."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = _committed_env(cr)
            partner = env["res.partner"].create(
                {"name": "Concurrent Ltd", "is_company": True}
            )
            contract = env["contract.contract"].create(
                {
                    "name": "Concurrent hosting",
                    "partner_id": partner.id,
                    "contract_type": "sale",
                    "pricing_model": "fixed_fee",
                    "line_recurrence": False,
                    "recurring_rule_type": "monthly",
                    "recurring_invoicing_type": "post-paid",
                    "date_start": OCT,
                }
            )
            service = env["helpdesk.sla.service"].create(
                {
                    "name": "Hosting",
                    "contract_id": contract.id,
                    "uptime_target": 99.9,
                    "monthly_fee": 1000.0,
                }
            )
            env["helpdesk.sla.penalty.rule"].create(
                {
                    "name": "Uptime credits",
                    "contract_id": contract.id,
                    "tier_ids": [
                        Command.create({"below_percent": 99.9, "credit_percent": 10}),
                        Command.create({"below_percent": 99.0, "credit_percent": 25}),
                    ],
                }
            )
            env["helpdesk.sla.incident"].create(
                {
                    "service_id": service.id,
                    "date_start": datetime(2026, 10, 5, 10, 0),
                    "date_end": datetime(2026, 10, 5, 12, 0),
                }
            )
            self.contract_id, self.service_id = contract.id, service.id
            self.partner_id = partner.id
        self.addCleanup(self._drop_fixtures)

    def _drop_fixtures(self):
        with self.registry.cursor() as cr:
            env = _committed_env(cr)
            contract = env["contract.contract"].browse(self.contract_id)
            env["helpdesk.sla.credit"].search(
                [("contract_id", "=", contract.id)]
            ).write({"state": "draft"})
            env["helpdesk.sla.credit"].search(
                [("contract_id", "=", contract.id)]
            ).unlink()
            env["helpdesk.sla.incident"].search(
                [("service_id", "=", self.service_id)]
            ).unlink()
            contract.penalty_rule_ids.unlink()
            contract.service_ids.unlink()
            contract.unlink()
            env["res.partner"].browse(self.partner_id).unlink()

    def _compute(self, env):
        return env["helpdesk.sla.credit"]._sla_compute_credits(
            env["contract.contract"].browse(self.contract_id), OCT, "month"
        )

    def _credits(self):
        with self.registry.cursor() as cr:
            return [
                (credit.period_kind, credit.amount)
                for credit in _committed_env(cr)["helpdesk.sla.credit"].search(
                    [("contract_id", "=", self.contract_id)]
                )
            ]

    def test_second_run_skips_the_credit_the_first_created(self):
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _committed_env(cr_a), _committed_env(cr_b)
            # The second run's snapshot is taken before the first commits.
            env_b["helpdesk.sla.credit"].search_count([])
            self.assertEqual(len(self._compute(env_a)), 1)
            cr_a.commit()
            self._compute(env_b)
            cr_b.commit()
        self.assertEqual(self._credits(), [("month", 100.0)])

    def test_second_run_skips_the_draft_the_first_updated(self):
        with self.registry.cursor() as cr:
            self._compute(_committed_env(cr))
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _committed_env(cr_a), _committed_env(cr_b)
            env_b["helpdesk.sla.credit"].search_count([])
            env_a["helpdesk.sla.incident"].create(
                {
                    "service_id": self.service_id,
                    "date_start": datetime(2026, 10, 6, 10, 0),
                    "date_end": datetime(2026, 10, 6, 20, 0),
                }
            )
            self._compute(env_a)
            cr_a.commit()
            self._compute(env_b)
            cr_b.commit()
        # The incidents go with the fixtures, after the credits computed from
        # them (_drop_fixtures).
        self.assertEqual(self._credits(), [("month", 250.0)])


class TestConcurrentSlaChecks(TransactionCase):
    """Point 4, the SLA check: two checks at once record one breach."""

    START = datetime(2020, 1, 6, 9, 0)  # a Monday long ago: only this is due

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = _committed_env(cr)
            ticket = env["helpdesk.ticket"].create(
                {
                    "name": "Concurrent check",
                    "description": "<p>x</p>",
                    "priority": "3",
                    "sla_start_date": self.START,
                    "sla_policy_manual": True,
                    "sla_policy_id": env.ref(
                        "helpdesk_sla_contract.sla_policy_standard_demo"
                    ).id,
                }
            )
            self.ticket_id = ticket.id
        self.addCleanup(self._drop_ticket)

    def _drop_ticket(self):
        with self.registry.cursor() as cr:
            env = _committed_env(cr)
            ticket = env["helpdesk.ticket"].browse(self.ticket_id)
            ticket.sla_breach_ids.unlink()
            ticket.unlink()

    @freeze_time(datetime(2020, 1, 8, 12, 0))
    def test_two_checks_record_one_breach_each(self):
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _committed_env(cr_a), _committed_env(cr_b)
            env_b["helpdesk.sla.breach"].search_count([])
            env_a["helpdesk.ticket"]._cron_check_sla()
            cr_a.commit()
            env_b["helpdesk.ticket"]._cron_check_sla()
            cr_b.commit()
        with self.registry.cursor() as cr:
            breaches = _committed_env(cr)["helpdesk.sla.breach"].search(
                [("ticket_id", "=", self.ticket_id)]
            )
            self.assertEqual(
                sorted(breaches.mapped("kind")), ["resolution", "response"]
            )
