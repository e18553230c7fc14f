# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every billable item is billed exactly once, whatever happens to its invoice."""

from datetime import date

from odoo import Command
from odoo.exceptions import UserError

from .contract_common import FEB, JAN, MAR, ContractCase

APR = date(2026, 4, 1)
MAY = date(2026, 5, 1)


class BillingOnceCase(ContractCase):
    def _bank_contract(self, pricing_model="block_hours", **values):
        vals = {
            "block_hours": 10.0,
            "block_price": 800.0,
            "block_amount": 1000.0,
            "overage_rate": 120.0,
            "hourly_rate": 100.0,
            "account_manager_id": self.manager.id,
            "customer_contact_id": self.acme_contact.id,
        }
        vals.update(values)
        return self.make_contract(pricing_model, **vals)

    def _block(self, contract, day=JAN):
        block = contract._sla_buy_block()
        block.date = day
        return block

    def _alerts(self, contract):
        return contract.message_ids.filtered(lambda m: "prepaid bank" in (m.body or ""))

    def _project_contract(self, lines, **values):
        product = self.env.ref("helpdesk_sla_contract.product_sla_support_hour")
        return self.make_contract(
            "project_fixed",
            lines=[
                dict({"product_id": product.id, "quantity": 1}, **line)
                for line in lines
            ],
            **values,
        )


class TestResetAfterRebilling(BillingOnceCase):
    """A cancelled invoice whose items were billed again cannot come back."""

    def _cancel_and_rebill(self, contract):
        january = self.invoice(contract, FEB)
        january.action_post()
        january.button_cancel()
        february = self.invoice(contract, MAR)
        return january, february

    def test_hours_billed_again_block_the_reset(self):
        contract = self.make_contract("hourly", hourly_rate=100.0)
        ticket = self.make_contract_ticket()
        line = self.log(ticket, date(2026, 1, 10), 3)
        january = self.invoice(contract, FEB)
        january.action_post()
        # Cancelled and reset before anything was billed again: allowed, and
        # its hours are billed by it again.
        january.button_cancel()
        january.button_draft()
        self.assertEqual(line.sla_invoice_line_id.move_id, january)
        self.assertTrue(line.sla_is_billed)
        january.button_cancel()
        february = self.invoice(contract, MAR)
        self.assertEqual(february.amount_untaxed, 300.0)
        with self.assertRaises(UserError):
            january.button_draft()
        self.assertEqual(january.state, "cancel")
        self.assertEqual(line.sla_invoice_line_id.move_id, february)

    def test_duplicate_bills_nothing_again(self):
        contract = self.make_contract("hourly", hourly_rate=100.0)
        ticket = self.make_contract_ticket()
        line = self.log(ticket, date(2026, 1, 10), 3)
        january = self.invoice(contract, FEB)
        copy = january.copy()
        self.assertFalse(copy.invoice_line_ids.filtered("sla_line_kind"))
        self.assertEqual(line.sla_invoice_line_id.move_id, january)

    def test_blocks_and_overage_billed_again_block_the_reset(self):
        contract = self._bank_contract()
        block = self._block(contract)
        ticket = self.make_contract_ticket()
        self.log(ticket, date(2026, 1, 10), 12)
        january, february = self._cancel_and_rebill(contract)
        self.assertEqual(block.invoice_line_id.move_id, february)
        self.assertEqual(self.sla_lines(february, "overage").quantity, 2)
        with self.assertRaises(UserError):
            january.button_draft()
        self.assertEqual(contract._sla_overage_billed(), 2)

    def test_usage_billed_again_blocks_the_reset(self):
        contract = self.make_contract("online_backup", gb_price=0.5)
        usage = self.env["helpdesk.sla.usage"].create(
            {"contract_id": contract.id, "date": JAN, "quantity": 100}
        )
        january, february = self._cancel_and_rebill(contract)
        self.assertEqual(usage.invoice_line_id.move_id, february)
        with self.assertRaises(UserError):
            january.button_draft()
        # Cancelling the second invoice does not bring the first one back.
        february.button_cancel()
        with self.assertRaises(UserError):
            january.button_draft()


class TestBilledBlocks(BillingOnceCase):
    def test_billed_block_is_kept_until_its_invoice_is_cancelled(self):
        contract = self._bank_contract()
        block = self._block(contract)
        ticket = self.make_contract_ticket()
        self.log(ticket, date(2026, 1, 10), 8)
        january = self.invoice(contract, FEB)
        self.assertTrue(block.sla_is_billed)
        with self.assertRaises(UserError):
            block.unlink()
        with self.assertRaises(UserError):
            contract.write({"hour_block_ids": [Command.delete(block.id)]})
        with self.assertRaises(UserError):
            block.state = "cancel"
        self.assertTrue(block.exists())
        self.assertEqual(block.state, "active")
        # The hours it covered are not billed again as overage.
        self.log(ticket, date(2026, 2, 10), 1)
        february = self.invoice(contract, MAR)
        self.assertFalse(self.sla_lines(february, "overage"))
        self.assertEqual(february.amount_untaxed, 0.0)
        # Cancelling its invoice frees it.
        january.button_cancel()
        block.state = "cancel"
        self.assertEqual(block.state, "cancel")


class TestProjectFixed(BillingOnceCase):
    def test_second_fee_line_is_invoiced_before_the_project_ends(self):
        contract = self._project_contract(
            [
                {"name": "Office move, phase 1", "price_unit": 5000.0},
                {
                    "name": "Office move, phase 2",
                    "price_unit": 3000.0,
                    "date_start": MAR,
                },
            ],
            line_recurrence=True,
        )
        first = self.invoice(contract, FEB)
        self.assertEqual(first.amount_untaxed, 5000.0)
        self.assertEqual(contract.recurring_next_date, APR)
        self.env["contract.contract"]._cron_recurring_create(APR)
        second = contract._get_related_invoices() - first
        self.assertEqual(second.amount_untaxed, 3000.0)
        # Every fee invoiced: the project ends.
        self.assertFalse(contract.recurring_next_date)
        self.env["contract.contract"]._cron_recurring_create(MAY)
        self.assertEqual(len(contract._get_related_invoices()), 2)

    def test_a_run_before_the_due_date_keeps_the_project_billable(self):
        due = self._project_contract([{"name": "Move", "price_unit": 5000.0}])
        later = self._project_contract(
            [{"name": "Later move", "price_unit": 2000.0}], date_start=FEB
        )
        self.assertFalse((due | later)._recurring_create_invoice(date(2026, 1, 15)))
        self.assertEqual(due.recurring_next_date, FEB)
        # One run given both: only the one it invoiced ends.
        moves = (due | later)._recurring_create_invoice(FEB)
        self.assertEqual(moves.mapped("amount_untaxed"), [5000.0])
        self.assertFalse(due.recurring_next_date)
        self.assertEqual(later.recurring_next_date, MAR)
        self.assertEqual(self.invoice(later, MAR).amount_untaxed, 2000.0)
        self.assertFalse(later.recurring_next_date)


class TestBankArithmetic(BillingOnceCase):
    def test_prepaid_amount_overage_from_unrounded_hours(self):
        # 14 h at 90 = 1260 from a bank of 1000: 260 / 90 = 2.888... h over.
        contract = self._bank_contract(
            "block_money", block_amount=1000.0, hourly_rate=90.0, overage_rate=120.0
        )
        self._block(contract)
        ticket = self.make_contract_ticket()
        self.log(ticket, date(2026, 1, 10), 14)
        january = self.invoice(contract, FEB)
        self.assertAlmostEqual(
            self.sla_lines(january, "overage").price_subtotal, 346.67, places=2
        )
        self.assertAlmostEqual(january.amount_untaxed, 1346.67, places=2)
        self.assertAlmostEqual(contract.overage_hours, 0.0)
        # One more hour: exactly one more hour of overage, nothing of the
        # rounding carried over.
        self.log(ticket, date(2026, 2, 10), 1)
        february = self.invoice(contract, MAR)
        self.assertAlmostEqual(february.amount_untaxed, 120.0, places=2)

    def test_blocks_bought_the_same_day_are_drawn_one_after_the_other(self):
        contract = self._bank_contract(rollover=False)
        first = self._block(contract)
        second = self._block(contract)
        ticket = self.make_contract_ticket()
        self.log(ticket, date(2026, 1, 10), 15)
        self.assertAlmostEqual(contract.overage_hours, 0.0)
        self.assertAlmostEqual(contract.bank_remaining_hours, 5.0)
        self.assertAlmostEqual(first.used, 10.0)
        self.assertAlmostEqual(second.used, 5.0)
        self.assertAlmostEqual(first.expired + second.expired, 0.0)
        january = self.invoice(contract, FEB)
        self.assertFalse(self.sla_lines(january, "overage"))
        self.assertEqual(january.amount_untaxed, 1600.0)

    def test_one_timesheet_crossing_both_thresholds_sends_both_alerts(self):
        contract = self._bank_contract()
        block = self._block(contract)
        ticket = self.make_contract_ticket()
        self.log(ticket, date(2026, 1, 10), 9.6)
        alerts = self._alerts(contract)
        self.assertEqual(len(alerts), 2)
        self.assertTrue(any("80" in alert.body for alert in alerts))
        self.assertTrue(any("95" in alert.body for alert in alerts))
        self.assertEqual(block.alert_level, 95.0)
