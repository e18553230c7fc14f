# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.exceptions import UserError

from .contract_common import FEB, JAN, MAR, ContractCase


class TestContractPricing(ContractCase):
    """The invoice of every pricing model over two consecutive months."""

    def test_fixed_fee_bills_the_recurring_lines(self):
        contract = self.make_contract(
            "fixed_fee",
            lines=[
                {
                    "product_id": self.env.ref(
                        "helpdesk_sla_contract.product_sla_support_hour"
                    ).id,
                    "name": "Managed services #START# - #END#",
                    "quantity": 1,
                    "price_unit": 1000.0,
                }
            ],
        )
        ticket = self.make_contract_ticket()
        self.log(ticket, date(2026, 1, 10), 7)
        january = self.invoice(contract, FEB)
        february = self.invoice(contract, MAR)
        self.assertEqual(january.amount_untaxed, 1000.0)
        self.assertEqual(february.amount_untaxed, 1000.0)
        self.assertFalse(self.sla_lines(january | february))

    def test_hourly_bills_each_hour_once(self):
        contract = self.make_contract("hourly", hourly_rate=100.0)
        ticket = self.make_contract_ticket()
        self.assertEqual(ticket.contract_id, contract)
        jan_lines = self.log(ticket, date(2026, 1, 10), 3) | self.log(
            ticket, date(2026, 1, 20), 2
        )
        feb_line = self.log(ticket, date(2026, 2, 5), 4)
        self.assertEqual(contract.hours_consumed, 9)
        january = self.invoice(contract, FEB)
        self.assertEqual(january.amount_untaxed, 500.0)
        self.assertEqual(jan_lines.sla_invoice_line_id, self.sla_lines(january))
        self.assertFalse(feb_line.sla_is_billed)
        # Logged late for January, after its invoice: billed with February's.
        late = self.log(ticket, date(2026, 1, 31), 1)
        february = self.invoice(contract, MAR)
        self.assertEqual(february.amount_untaxed, 500.0)
        self.assertEqual(self.sla_lines(february).quantity, 5)
        self.assertEqual(
            (feb_line | late).sla_invoice_line_id, self.sla_lines(february)
        )
        # The job running again bills nothing twice.
        self.env["contract.contract"]._cron_recurring_create(MAR)
        self.env["contract.contract"]._cron_recurring_create(MAR)
        all_lines = self.env["account.move.line"].search(
            [("sla_contract_id", "=", contract.id)]
        )
        self.assertEqual(sum(all_lines.mapped("quantity")), 10)
        self.assertEqual(contract.hours_unbilled, 0)

    def test_billed_hours_are_locked_and_freed_by_cancelling(self):
        contract = self.make_contract("hourly", hourly_rate=100.0)
        ticket = self.make_contract_ticket()
        line = self.log(ticket, date(2026, 1, 10), 3)
        january = self.invoice(contract, FEB)
        with self.assertRaises(UserError):
            line.unit_amount = 5
        with self.assertRaises(UserError):
            line.unlink()
        january.button_cancel()
        self.assertFalse(line.sla_is_billed)
        self.assertEqual(contract.hours_unbilled, 3)
        february = self.invoice(contract, MAR)
        self.assertEqual(february.amount_untaxed, 300.0)

    def test_project_hourly_bills_hours_and_warns_at_budget(self):
        contract = self.make_contract(
            "project_hourly",
            hourly_rate=90.0,
            budget_hours=10.0,
            account_manager_id=self.manager.id,
        )
        ticket = self.make_contract_ticket()
        self.log(ticket, date(2026, 1, 12), 6)
        self.assertFalse(contract.budget_warned)
        self.log(ticket, date(2026, 2, 3), 5)
        self.assertTrue(contract.budget_warned)
        warnings = contract.message_ids.filtered(lambda m: "budget" in (m.body or ""))
        self.assertEqual(len(warnings), 1)
        self.log(ticket, date(2026, 2, 4), 1)
        warnings = contract.message_ids.filtered(lambda m: "budget" in (m.body or ""))
        self.assertEqual(len(warnings), 1, "the budget warning goes out once")
        self.assertEqual(self.invoice(contract, FEB).amount_untaxed, 540.0)
        self.assertEqual(self.invoice(contract, MAR).amount_untaxed, 540.0)

    def test_project_fixed_is_invoiced_once_then_closes(self):
        contract = self.make_contract(
            "project_fixed",
            lines=[
                {
                    "product_id": self.env.ref(
                        "helpdesk_sla_contract.product_sla_support_hour"
                    ).id,
                    "name": "Office move project",
                    "quantity": 1,
                    "price_unit": 5000.0,
                }
            ],
        )
        first = self.invoice(contract, FEB)
        self.assertEqual(first.amount_untaxed, 5000.0)
        self.assertEqual(contract.date_end, date(2026, 1, 31))
        self.assertFalse(contract.recurring_next_date)
        self.env["contract.contract"]._cron_recurring_create(MAR)
        self.assertEqual(len(contract._get_related_invoices()), 1)

    def test_remote_monitoring_bills_devices_of_covered_sites(self):
        everything = self.make_contract("remote_monitoring", device_price=10.0)
        self.assertEqual(self.invoice(everything, FEB).amount_untaxed, 80.0)
        self.site_hq.device_count = 7
        self.assertEqual(self.invoice(everything, MAR).amount_untaxed, 100.0)
        depot_only = self.make_contract(
            "remote_monitoring",
            device_price=10.0,
            site_ids=[(6, 0, self.site_depot.ids)],
        )
        self.assertEqual(self.invoice(depot_only, FEB).amount_untaxed, 30.0)

    def test_online_backup_bills_recorded_gigabytes(self):
        contract = self.make_contract("online_backup", gb_price=0.5)
        usage = self.env["helpdesk.sla.usage"]
        jan = usage.create({"contract_id": contract.id, "date": JAN, "quantity": 100})
        usage.create({"contract_id": contract.id, "date": FEB, "quantity": 150})
        january = self.invoice(contract, FEB)
        self.assertEqual(january.amount_untaxed, 50.0)
        self.assertTrue(jan.sla_is_billed)
        with self.assertRaises(UserError):
            jan.quantity = 1
        self.assertEqual(self.invoice(contract, MAR).amount_untaxed, 75.0)


class TestPrepaidBanks(ContractCase):
    def _block_contract(self, **values):
        vals = {
            "block_hours": 10.0,
            "block_price": 800.0,
            "overage_rate": 120.0,
            "hourly_rate": 100.0,
            "account_manager_id": self.manager.id,
            "customer_contact_id": self.acme_contact.id,
        }
        vals.update(values)
        return self.make_contract("block_hours", **vals)

    def _alerts(self, contract):
        return contract.message_ids.filtered(lambda m: "prepaid bank" in (m.body or ""))

    def test_block_of_hours_drawdown_alerts_and_overage(self):
        contract = self._block_contract()
        block = contract._sla_buy_block()
        block.date = JAN
        ticket = self.make_contract_ticket()
        self.log(ticket, date(2026, 1, 10), 7)
        self.assertFalse(self._alerts(contract))
        self.log(ticket, date(2026, 1, 20), 2)
        self.assertEqual(len(self._alerts(contract)), 1, "80 % alert")
        alert = self._alerts(contract)
        self.assertIn(self.acme_contact, alert.partner_ids)
        self.assertIn(self.manager.partner_id, alert.partner_ids)
        self.assertEqual(contract.bank_remaining_hours, 1)
        self.assertEqual(ticket.contract_bank_remaining_hours, 1)
        january = self.invoice(contract, FEB)
        # The block itself, once; the 9 hours drawn are not billed again.
        self.assertEqual(january.amount_untaxed, 800.0)
        self.assertEqual(self.sla_lines(january, "bank").quantity, 9)
        self.assertTrue(block.sla_is_billed)
        self.log(ticket, date(2026, 2, 3), 3)
        self.assertEqual(len(self._alerts(contract)), 2, "95 % alert")
        self.assertEqual(contract.overage_hours, 2)
        february = self.invoice(contract, MAR)
        self.assertEqual(february.amount_untaxed, 240.0)
        self.assertEqual(self.sla_lines(february, "overage").quantity, 2)
        self.assertEqual(contract.overage_hours, 0)
        self.assertFalse(self.sla_lines(february, "block"))

    def test_unused_hours_roll_over_or_expire(self):
        for rollover, remaining, overage in ((True, 4.0, 0.0), (False, 0.0, 2.0)):
            contract = self._block_contract(rollover=rollover)
            first = contract._sla_buy_block()
            first.date = JAN
            ticket = self.make_contract_ticket()
            self.log(ticket, date(2026, 1, 10), 4)
            second = contract._sla_buy_block()
            second.date = FEB
            self.log(ticket, date(2026, 2, 10), 12)
            self.assertAlmostEqual(contract.bank_remaining_hours, remaining)
            self.assertAlmostEqual(contract.overage_hours, overage)
            self.assertAlmostEqual(first.rolled_over, 6.0 if rollover else 0.0)
            self.assertAlmostEqual(first.expired, 0.0 if rollover else 6.0)
            january = self.invoice(contract, FEB)
            february = self.invoice(contract, MAR)
            self.assertEqual(january.amount_untaxed, 800.0)
            self.assertEqual(february.amount_untaxed, 800.0 + 120.0 * overage)

    def test_prepaid_amount_is_drawn_at_the_hourly_rate(self):
        contract = self.make_contract(
            "block_money",
            block_amount=1000.0,
            hourly_rate=100.0,
            overage_rate=150.0,
        )
        block = contract._sla_buy_block()
        block.date = JAN
        self.assertEqual(block.price, 1000.0)
        ticket = self.make_contract_ticket()
        self.log(ticket, date(2026, 1, 10), 8)
        self.assertAlmostEqual(contract.bank_remaining, 200.0)
        self.assertAlmostEqual(contract.bank_remaining_hours, 2.0)
        self.assertEqual(self.invoice(contract, FEB).amount_untaxed, 1000.0)
        self.log(ticket, date(2026, 2, 10), 3)
        february = self.invoice(contract, MAR)
        self.assertEqual(self.sla_lines(february, "overage").quantity, 1)
        self.assertEqual(february.amount_untaxed, 150.0)
