# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Review of the money code (round 8): what finance, agents and customers do
with credits and contracts that the earlier money tests leave out."""

from datetime import datetime

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import new_test_user

from .contract_common import FEB, JAN, MAR, ContractCase
from .test_sla_billing_once import BillingOnceCase
from .test_sla_credit_lifecycle import LifecycleCase
from .test_sla_credits import OCT, CreditCase


class TestPeriodFeeRounding(CreditCase):
    """A credit is a percentage of the period's fee, rounded once: the fee of
    a quarter billed by a quarterly line of 1000 is 1000, not 3 x 333.33."""

    def _quarterly(self):
        contract = self.make_contract(
            "fixed_fee",
            lines=[
                {
                    "product_id": self.env.ref(
                        "helpdesk_sla_contract.product_sla_support_services"
                    ).id,
                    "name": "Hosting #START# - #END#",
                    "quantity": 1,
                    "price_unit": 1000.0,
                }
            ],
            date_start=OCT,
            recurring_rule_type="quarterly",
        )
        service = self.env["helpdesk.sla.service"].create(
            {
                "name": "Quarterly hosting",
                "contract_id": contract.id,
                "uptime_target": 99.9,
                "measurement_period": "quarter",
                "contract_line_id": contract.contract_line_ids.id,
            }
        )
        rule = self.env["helpdesk.sla.penalty.rule"].create(
            {
                "name": "Quarter uptime",
                "contract_id": contract.id,
                "kind": "uptime",
                "tier_ids": [
                    Command.create({"below_percent": 99.9, "credit_percent": 25}),
                    Command.create({"below_percent": 95.0, "credit_percent": 100}),
                ],
            }
        )
        return contract, service, rule

    def _quarter_credit(self, contract):
        return self.env["helpdesk.sla.credit"]._sla_compute_credits(
            contract, OCT, "quarter"
        )

    def test_full_credit_of_a_quarter_is_the_quarters_fee(self):
        contract, service, rule = self._quarterly()
        self.assertEqual(service.monthly_fee, 333.33)
        self.down(datetime(2026, 10, 5), 30 * 1440, service=service)  # 67 %
        for basis in ("service", "contract"):
            with self.subTest(basis=basis):
                rule.fee_basis = basis
                credit = self._quarter_credit(contract)
                self.assertEqual(credit.fee, 1000.0)
                self.assertEqual(credit.amount, 1000.0)

    def test_a_quarter_of_the_quarters_fee(self):
        contract, service, _rule = self._quarterly()
        self.down(datetime(2026, 10, 5), 180, service=service)  # 99.86 %
        credit = self._quarter_credit(contract)
        self.assertEqual(credit.tier_percent, 25.0)
        self.assertEqual(credit.amount, 250.0)

    def test_a_fee_typed_in_on_the_service_is_kept(self):
        contract, service, _rule = self._quarterly()
        service.monthly_fee = 300.0
        self.down(datetime(2026, 10, 5), 30 * 1440, service=service)
        self.assertEqual(self._quarter_credit(contract).amount, 900.0)


class TestReadOnlyAccountant(LifecycleCase):
    """An auditor (accounting read-only) reads every journal item, those that
    bill SLA credits and prepaid blocks too, and the credits; changes
    nothing."""

    def test_reads_invoice_lines_and_credits(self):
        auditor = new_test_user(
            self.env,
            login="money_auditor",
            groups="base.group_user,account.group_account_readonly",
        )
        bank = self.make_contract(
            "block_hours", block_hours=10.0, block_price=800.0, overage_rate=120.0
        )
        block = bank._sla_buy_block()
        block.date = OCT
        block_invoice = self.invoice(bank, bank.recurring_next_date)
        self.env.invalidate_all()
        for move in (self.november, block_invoice):
            rows = (
                self.env["account.move.line"]
                .with_user(auditor)
                .search_read([("move_id", "=", move.id)])
            )
            self.assertEqual(len(rows), len(move.line_ids))
        credit_row = next(
            row
            for row in self.november.invoice_line_ids.with_user(auditor).read()
            if row["sla_credit_ids"]
        )
        self.assertEqual(credit_row["sla_credit_ids"], self.credit.ids)
        credit = self.credit.with_user(auditor)
        self.assertEqual(credit.amount, 100.0)
        self.assertEqual(credit.move_id, self.november)
        with self.assertRaises(UserError):  # AccessError is one too
            credit.write({"apply_as": "credit_note"})
        with self.assertRaises(AccessError):
            credit.action_cancel()
        with self.assertRaises(AccessError):
            block.with_user(auditor).write({"price": 1.0})
        self.assertEqual(self.credit.state, "applied")
        self.assertEqual(block.price, 800.0)


class TestReversingACreditNote(LifecycleCase):
    """A posted credit note that refunds SLA credits, or that reverses an
    invoice in full, is undone by resetting and cancelling it, never by
    reversing it: its credits would stay applied on a credit note undone, or
    be deducted twice."""

    def reverse(self, move, modify=False, user=None):
        # As finance does it.
        return super().reverse(move, modify, user=user or self.finance)

    def test_credit_note_of_a_credit(self):
        self.november.unlink()
        self.credit.with_user(self.finance).action_apply_credit_note()
        refund = self.credit.move_id
        refund.action_post()
        reversal = self.reverse(refund)
        with self.assertRaises(UserError):
            reversal.with_user(self.finance).action_post()
        with self.assertRaises(UserError):
            self.reverse(refund, modify=True)
        self.assertEqual(self.credit.state, "applied")
        self.assertEqual(self.credit.move_id, refund)
        # The way back: its credit goes to the next invoice.
        refund.with_user(self.finance).button_draft()
        refund.with_user(self.finance).button_cancel()
        self.assertReleasedAndReapplied(self.credit)

    def test_reversal_of_an_invoice_with_a_credit(self):
        self.november.action_post()
        refund = self.reverse(self.november)
        refund.action_post()
        self.assertEqual(self.credit.state, "approved")
        reversal = self.reverse(refund)
        with self.assertRaises(UserError):
            reversal.with_user(self.finance).action_post()
        self.assertEqual(refund.state, "posted")
        self.assertReleasedAndReapplied(self.credit)

    def test_credit_note_of_an_invoice_without_sla_lines_is_reversed(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.acme.id,
                "invoice_line_ids": [
                    Command.create({"name": "Consulting", "price_unit": 500.0})
                ],
            }
        )
        invoice.action_post()
        refund = self.reverse(invoice)
        refund.action_post()
        reversal = self.reverse(refund)
        reversal.with_user(self.finance).action_post()
        self.assertEqual(reversal.state, "posted")

    def test_other_credit_notes_are_reversed(self):
        self.november.action_post()
        refund = self.reverse(self.november)
        refund.invoice_line_ids.filtered(lambda line: not line.sla_line_kind).write(
            {"price_unit": 500.0}
        )
        refund.action_post()
        self.assertEqual(self.credit.state, "applied", "a partial credit note")
        reversal = self.reverse(refund)
        reversal.with_user(self.finance).action_post()
        self.assertEqual(reversal.state, "posted")


class TestDowntimeBehindADecidedCredit(LifecycleCase):
    """The downtime an approved or applied credit was computed from keeps, in
    that credit's period, what it counted: the credit, the invoice and the
    customer's performance report (uptime and credits) agree."""

    def setUp(self):
        super().setUp()
        self.incident = self.credit.incident_ids
        self.uptime = self.hosting._sla_uptime(
            datetime(2026, 10, 1), datetime(2026, 11, 1)
        )[0]

    def test_counted_downtime_is_kept(self):
        incident = self.incident.with_user(self.agent)
        for values in (
            {"customer_caused": True},
            {"force_majeure": True},
            {"date_end": datetime(2026, 10, 5, 10, 30)},
            {"date_start": datetime(2026, 10, 5, 11, 0)},
            {"date_end": False},
            {
                "service_id": self.env["helpdesk.sla.service"]
                .create({"name": "Mail", "contract_id": self.contract.id})
                .id
            },
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                incident.write(values)
        incident.write({"cause": "Power supply", "name": "Web hosting down (PSU)"})
        self.assertEqual(
            self.hosting._sla_uptime(datetime(2026, 10, 1), datetime(2026, 11, 1))[0],
            self.uptime,
        )

    def test_ongoing_downtime_ends_after_the_period(self):
        ongoing = self.down(datetime(2026, 10, 31, 23, 0), 0)
        ongoing.date_end = False
        self.credit.invoice_line_id.unlink()
        self.credit.with_user(self.finance).action_reset_to_draft()
        self.compute()
        self.assertIn(ongoing, self.credit.incident_ids)
        self.credit.with_user(self.finance).action_approve()
        with self.assertRaises(UserError):
            ongoing.with_user(self.agent).write(
                {"date_end": datetime(2026, 10, 31, 23, 30)}
            )
        ongoing.with_user(self.agent).write({"date_end": datetime(2026, 11, 2)})
        self.assertEqual(ongoing.date_end, datetime(2026, 11, 2))

    def test_draft_credits_follow_the_downtime(self):
        self.credit.invoice_line_id.unlink()
        self.credit.with_user(self.finance).action_reset_to_draft()
        self.incident.with_user(self.agent).write({"customer_caused": True})
        self.compute()
        self.assertFalse(self.credit.exists(), "no downtime counted: no credit")


class TestRecomputeAfterTheRulesChanged(CreditCase):
    """Recomputing a period after its contract's rules changed leaves the
    drafts of the rules that apply now, not those of the rules replaced:
    finance would approve both."""

    def setUp(self):
        super().setUp()
        self.down(datetime(2026, 10, 5, 10, 0), 120)  # 99.73 %
        self.scheme = self.env["helpdesk.sla.penalty.scheme"].create(
            {
                "name": "Gold",
                "rule_ids": [
                    Command.create(
                        {
                            "name": "Gold uptime",
                            "kind": "uptime",
                            "tier_ids": [
                                Command.create(
                                    {"below_percent": 99.9, "credit_percent": 20}
                                )
                            ],
                        }
                    )
                ],
            }
        )

    def test_rule_replaced_by_a_scheme(self):
        first = self.compute()
        self.assertEqual(first.rule_id, self.rule)
        self.rule.action_archive()
        self.contract.penalty_scheme_id = self.scheme
        second = self.compute()
        self.assertEqual(second.rule_id, self.scheme.rule_ids)
        self.assertFalse(first.exists())
        self.assertEqual(
            self.env["helpdesk.sla.credit"].search(
                [("contract_id", "=", self.contract.id)]
            ),
            second,
        )
        self.assertEqual(second.amount, 200.0)

    def test_decided_credits_of_a_replaced_rule_are_kept(self):
        first = self.compute()
        first.with_user(self.finance).action_approve()
        self.rule.action_archive()
        self.contract.penalty_scheme_id = self.scheme
        second = self.compute()
        self.assertEqual(first.state, "approved")
        self.assertEqual(first.amount, 100.0)
        self.assertEqual(second.rule_id, self.scheme.rule_ids)

    def test_archived_scheme_stops_giving_credits(self):
        self.rule.action_archive()
        self.contract.penalty_scheme_id = self.scheme
        first = self.compute()
        self.assertEqual(first.rule_id, self.scheme.rule_ids)
        self.scheme.action_archive()
        self.assertFalse(self.compute())
        self.assertFalse(first.exists(), "its draft goes with it")
        self.assertFalse(self.contract._sla_penalty_rules())

    def test_drafts_of_a_contract_left_without_rules(self):
        first = self.compute()
        self.rule.action_archive()
        wizard = (
            self.env["helpdesk.sla.credit.compute"]
            .with_user(self.finance)
            .create({"period_date": OCT})
        )
        wizard.action_compute()
        self.assertFalse(first.exists())


class TestSlaManagerKeepsToTheSlaTab(CreditCase):
    """An SLA manager without accounting rights edits the contract's SLA, not
    who is invoiced, in which currency, on which journal or when."""

    def test_customer_and_invoicing_terms(self):
        other = self.env["res.partner"].create({"name": "Other Co", "is_company": True})
        currency = self.env["res.currency"].search(
            [("id", "!=", self.contract.currency_id.id)], limit=1
        )
        as_manager = self.contract.with_user(self.manager)
        for values in (
            {"partner_id": other.id},
            {"invoice_partner_id": other.id},
            {"manual_currency_id": currency.id},
            {"recurring_next_date": "2027-01-01"},
            {"date_end": "2026-10-31"},
            {"recurring_interval": 2},
            {"journal_id": False},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                as_manager.write(values)
        self.assertEqual(self.contract.partner_id, self.acme)
        self.assertEqual(
            self.contract.recurring_next_date, OCT + relativedelta(months=1)
        )
        as_manager.write({"support_channels": "Phone, e-mail", "note": "Gold"})
        self.assertEqual(self.contract.support_channels, "Phone, e-mail")
        self.contract.with_user(self.finance).invoice_partner_id = self.acme_contact
        self.assertEqual(self.contract.invoice_partner_id, self.acme_contact)


class TestHoursBilledAtTheirAmount(ContractCase):
    """Hourly contracts bill the timesheet hours x the rate, rounded once:
    a 20-minute call at 100 an hour is 33.33, not 0.33 h x 100."""

    def _january(self, *minutes):
        contract = self.make_contract("hourly", hourly_rate=100.0)
        ticket = self.make_contract_ticket()
        for day, duration in enumerate(minutes, start=10):
            self.log(ticket, JAN.replace(day=day), duration / 60.0)
        return self.sla_lines(self.invoice(contract, FEB), "hours")

    def test_a_third_of_an_hour(self):
        line = self._january(20)
        self.assertEqual(line.move_id.amount_untaxed, 33.33)
        self.assertAlmostEqual(line.sla_hours, 1 / 3)
        self.assertIn("0.33 h", line.name)

    def test_two_thirds_of_an_hour(self):
        line = self._january(20, 20)
        self.assertEqual(line.move_id.amount_untaxed, 66.67)

    def test_hours_that_round_exactly_keep_hours_times_rate(self):
        line = self._january(90, 45)
        self.assertEqual((line.quantity, line.price_unit), (2.25, 100.0))
        self.assertEqual(line.move_id.amount_untaxed, 225.0)


class TestRuleEditedAfterApproval(CreditCase):
    """A credit decided under a rule keeps what it was computed on when the
    rule changes afterwards; a draft follows the rule."""

    def test_fee_basis_kept_once_approved(self):
        self.down(datetime(2026, 10, 5, 10, 0), 120)
        credit = self.compute()
        credit.with_user(self.finance).action_approve()
        self.rule.write(
            {
                "fee_basis": "contract",
                "tier_ids": [Command.clear()],
                "cap_percent": 1.0,
            }
        )
        self.compute()
        self.assertEqual(credit.fee_basis, "service")
        self.assertEqual(
            (credit.amount, credit.fee, credit.tier_percent), (100, 1000, 10)
        )
        credit.with_user(self.finance).action_reset_to_draft()
        self.assertEqual(credit.fee_basis, "contract")


class TestPortalFollowerOfAContract(LifecycleCase):
    """A customer following its contract reads it (OCA contract's portal
    rule), but not how many credits finance has in the works."""

    def test_credit_count_not_shown(self):
        portal = new_test_user(
            self.env, login="money_portal", groups="base.group_portal"
        )
        portal.partner_id.parent_id = self.acme
        self.contract.message_subscribe(partner_ids=portal.partner_id.ids)
        self.credit.invoice_line_id.unlink()
        self.credit.with_user(self.finance).action_reset_to_draft()
        contract = self.contract.with_user(portal)
        self.assertEqual(contract.read(["credit_count"])[0]["credit_count"], 0)
        with self.assertRaises(AccessError):
            contract.read(["credit_ids"])
        self.assertEqual(self.contract.with_user(self.finance).credit_count, 1)


class TestContractInvoicedToTheParentCompany(LifecycleCase):
    """OCA contract may invoice a customer's parent company: the credits of
    the contract go on those invoices, not on another customer's."""

    def setUp(self):
        super().setUp()
        self.november.unlink()
        self.holding = self.env["res.partner"].create(
            {"name": "ACME Holding", "is_company": True}
        )
        self.acme.parent_id = self.holding
        self.contract.invoice_partner_id = self.holding

    def test_credit_on_the_parent_companys_invoice(self):
        december = self.invoice(self.contract, self.contract.recurring_next_date)
        self.assertEqual(december.partner_id, self.holding)
        self.assertEqual(december.amount_untaxed, 900.0)
        self.assertEqual(self.credit.move_id, december)
        december.action_post()
        self.assertEqual(self.credit.state, "applied")

    def test_credit_note_to_the_parent_company(self):
        self.credit.with_user(self.finance).action_apply_credit_note()
        self.assertEqual(self.credit.move_id.partner_id, self.holding)
        self.assertEqual(self.credit.move_id.amount_untaxed, 100.0)

    def test_not_on_another_customers_invoice(self):
        other = self.env["res.partner"].create({"name": "Other", "is_company": True})
        with self.assertRaises(ValidationError):
            self.hand_invoice(self.credit, partner=other)
        self.assertEqual(self.credit.state, "approved")


class TestWhatALineBillsStaysItsContracts(BillingOnceCase):
    """The contract and kind of an invoice line that bills hours are the
    contract's invoicing's: moved to another contract or kind, its overage
    would be billed again."""

    def test_overage_line_keeps_its_contract_and_kind(self):
        finance = new_test_user(
            self.env,
            login="money_finance_lines",
            groups="base.group_user,account.group_account_manager",
        )
        contract = self._bank_contract()
        self._block(contract)
        ticket = self.make_contract_ticket()
        self.log(ticket, JAN.replace(day=10), 12)  # 10 h block, 2 h overage
        january = self.invoice(contract, FEB)
        overage = self.sla_lines(january, "overage").with_user(finance)
        other = self.make_contract("hourly", hourly_rate=1.0)
        for values in (
            {"sla_contract_id": other.id},
            {"sla_contract_id": False},
            {"sla_line_kind": "hours"},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                overage.write(values)
        overage.write({"name": "Overage, January", "sla_contract_id": contract.id})
        self.log(ticket, FEB.replace(day=10), 1)
        february = self.invoice(contract, MAR)
        self.assertEqual(self.sla_lines(february, "overage").sla_hours, 1.0)


class TestTicketWithUnbilledHours(ContractCase):
    """Hours reach the contract's invoice through their ticket: a ticket
    whose hours are not invoiced yet is archived, not deleted."""

    def test_ticket_with_unbilled_hours_is_kept(self):
        contract = self.make_contract("hourly", hourly_rate=100.0)
        ticket = self.make_contract_ticket()
        self.log(ticket, JAN.replace(day=10), 3)
        with self.assertRaises(UserError):
            ticket.unlink()
        january = self.invoice(contract, FEB)
        self.assertEqual(january.amount_untaxed, 300.0)
        # Invoiced: nothing is lost with the ticket any more.
        ticket.unlink()
        self.assertEqual(
            self.sla_lines(january, "hours").sla_timesheet_ids.unit_amount, 3
        )

    def test_ticket_of_a_fixed_fee_contract_is_deleted(self):
        # A fixed fee does not bill or draw down hours: nothing is lost.
        contract = self.make_contract("fixed_fee")
        ticket = self.make_contract_ticket()
        self.assertEqual(ticket.contract_id, contract)
        self.log(ticket, JAN.replace(day=10), 3)
        ticket.unlink()
        self.assertFalse(ticket.exists())
