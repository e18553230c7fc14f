# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Review of the money code (round 8): what finance, agents and customers do
with credits and contracts that the earlier money tests leave out."""

from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import new_test_user

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
