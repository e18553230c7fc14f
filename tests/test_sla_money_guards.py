# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every SLA credit and every billable hour survives every invoice lifecycle,
whatever the path: RPC writes of the "billed by" links, hand-made lines,
reversals, direct state writes (issue #11, review of the money code)."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import new_test_user

from .contract_common import FEB, JAN, MAR
from .test_sla_billing_once import BillingOnceCase
from .test_sla_credit_lifecycle import LifecycleCase


class GuardCase(BillingOnceCase):
    """An hourly contract with 3 hours of January on its January invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Every right but the superuser's.
        cls.boss = new_test_user(
            cls.env,
            login="money_boss",
            groups="base.group_user,account.group_account_manager,"
            "hr_timesheet.group_timesheet_manager,"
            "helpdesk_sla_contract.group_sla_contract_manager",
        )

    def setUp(self):
        super().setUp()
        self.contract = self.make_contract("hourly", hourly_rate=100.0)
        self.ticket = self.make_contract_ticket()
        self.billed = self.log(self.ticket, date(2026, 1, 10), 3)
        self.january = self.invoice(self.contract, FEB)
        self.hours_line = self.sla_lines(self.january, "hours")
        self.unbilled = self.log(self.ticket, date(2026, 1, 20), 2)

    def hand_line(self, user=None, **values):
        """A draft invoice made by hand with one line of these values."""
        line = dict(
            {
                "name": "Hours",
                "quantity": 1.0,
                "price_unit": 10.0,
                "sla_contract_id": self.contract.id,
                "sla_line_kind": "hours",
            },
            **values,
        )
        return (
            self.env["account.move"]
            .with_user(user or self.env.user)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.acme.id,
                    "invoice_line_ids": [Command.create(line)],
                }
            )
        )


class TestBilledLinksBySystemOnly(GuardCase):
    """Point 1: what billed what is written by the contract's invoicing only."""

    def test_timesheet_link_not_written_by_hand(self):
        for line, value in (
            (self.unbilled, self.hours_line.id),
            (self.billed, False),
        ):
            with self.subTest(value=value), self.assertRaises(UserError):
                line.with_user(self.boss).write({"sla_invoice_line_id": value})
        self.assertEqual(self.billed.sla_invoice_line_id, self.hours_line)
        self.assertFalse(self.unbilled.sla_invoice_line_id)
        with self.assertRaises(UserError):
            self.env["account.analytic.line"].with_user(self.boss).create(
                {
                    "name": "Billed already",
                    "ticket_id": self.ticket.id,
                    "project_id": self.project.id,
                    "employee_id": self.employee.id,
                    "unit_amount": 1,
                    "sla_invoice_line_id": self.hours_line.id,
                }
            )

    def test_usage_and_block_links_not_written_by_hand(self):
        backup = self.make_contract("online_backup", gb_price=0.5)
        usage = self.env["helpdesk.sla.usage"].create(
            {"contract_id": backup.id, "date": JAN, "quantity": 100}
        )
        backup_line = self.sla_lines(self.invoice(backup, FEB), "backup")
        with self.assertRaises(UserError):
            usage.with_user(self.boss).write({"invoice_line_id": False})
        with self.assertRaises(UserError):
            self.env["helpdesk.sla.usage"].with_user(self.boss).create(
                {
                    "contract_id": backup.id,
                    "date": JAN,
                    "quantity": 5,
                    "invoice_line_id": backup_line.id,
                }
            )
        self.assertEqual(usage.invoice_line_id, backup_line)
        bank = self._bank_contract()
        block = self._block(bank)
        self.invoice(bank, FEB)
        with self.assertRaises(UserError):
            block.with_user(self.boss).write({"invoice_line_id": False})
        self.assertTrue(block.sla_is_billed)

    def test_invoice_line_sla_fields_not_written_by_hand(self):
        for values in (
            {"sla_rebilled": True},
            {"sla_hours": 99.0},
            {"sla_timesheet_ids": [Command.link(self.unbilled.id)]},
            {"sla_timesheet_ids": [Command.clear()]},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                self.hours_line.with_user(self.boss).write(values)
        self.assertFalse(self.hours_line.sla_rebilled)
        self.assertEqual(self.hours_line.sla_hours, 3.0)
        self.assertEqual(self.hours_line.sla_timesheet_ids, self.billed)
        for values in (
            {"sla_timesheet_ids": [Command.set(self.unbilled.ids)]},
            {"sla_hours": 2.0},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                self.hand_line(self.boss, **values)
        self.assertFalse(self.unbilled.sla_invoice_line_id)

    def test_contract_invoicing_still_links_as_its_user(self):
        invoice = self.contract.with_user(self.boss)._recurring_create_invoice(MAR)
        self.assertEqual(invoice.env.uid, self.boss.id)
        self.assertFalse(invoice.env.su)
        line = self.sla_lines(invoice, "hours")
        self.assertEqual(line.sla_timesheet_ids, self.unbilled)
        self.assertEqual(invoice.amount_untaxed, 200.0)

    def test_timesheet_contract_is_its_tickets(self):
        other = self.make_contract(
            "hourly", hourly_rate=1.0, partner_id=self.customer.id
        )
        with self.assertRaises(UserError):
            self.unbilled.with_user(self.boss).write({"sla_contract_id": other.id})
        self.assertEqual(self.unbilled.sla_contract_id, self.contract)
        with self.assertRaises(UserError):
            self.env["account.analytic.line"].with_user(self.boss).create(
                {
                    "name": "Elsewhere",
                    "ticket_id": self.ticket.id,
                    "project_id": self.project.id,
                    "employee_id": self.employee.id,
                    "unit_amount": 1,
                    "sla_contract_id": other.id,
                }
            )
        # Its own contract (what a form sends back) is fine.
        self.unbilled.with_user(self.boss).write(
            {"sla_contract_id": self.contract.id, "unit_amount": 2.5}
        )
        self.assertEqual(self.unbilled.unit_amount, 2.5)


class TestTakeOverChecks(GuardCase):
    """Point 2: a line takes over only unbilled items of its own contract."""

    def test_billed_hours_are_not_taken_over(self):
        with self.assertRaises(UserError):
            self.hand_line(sla_timesheet_ids=[Command.set(self.billed.ids)])
        self.assertEqual(self.billed.sla_invoice_line_id, self.hours_line)
        self.assertFalse(self.hours_line.sla_rebilled)

    def test_hours_of_another_contract_are_not_taken_over(self):
        other = self.make_contract(
            "hourly", hourly_rate=1.0, partner_id=self.customer.id
        )
        with self.assertRaises(UserError):
            self.hand_line(
                sla_contract_id=other.id,
                sla_timesheet_ids=[Command.set(self.unbilled.ids)],
            )
        with self.assertRaises(UserError):
            self.hand_line(
                sla_contract_id=False,
                sla_timesheet_ids=[Command.set(self.unbilled.ids)],
            )
        self.assertFalse(self.unbilled.sla_invoice_line_id)

    def test_commands(self):
        for commands in (
            [Command.create({"name": "New", "unit_amount": 1})],
            [Command.update(self.unbilled.id, {"unit_amount": 9})],
            [Command.delete(self.unbilled.id)],
        ):
            with self.subTest(commands=commands), self.assertRaises(UserError):
                self.hand_line(sla_timesheet_ids=commands)
        self.assertTrue(self.unbilled.exists())
        self.assertEqual(self.unbilled.unit_amount, 2.0)
        move = self.hand_line(sla_timesheet_ids=[Command.link(self.unbilled.id)])
        self.assertEqual(self.unbilled.sla_invoice_line_id.move_id, move)

    def test_items_of_a_cancelled_invoice_are_taken_over(self):
        self.january.button_cancel()
        move = self.hand_line(sla_timesheet_ids=[Command.set(self.billed.ids)])
        self.assertEqual(self.billed.sla_invoice_line_id.move_id, move)
        self.assertTrue(self.hours_line.sla_rebilled)


class TestReversal(GuardCase):
    """Point 3: a full reversal frees what the invoice billed, like a cancel."""

    def test_reversed_hours_are_billed_again_once(self):
        self.january.action_post()
        refund = self.reverse(self.january)
        self.assertEqual(self.billed.sla_invoice_line_id, self.hours_line)
        self.assertTrue(self.billed.sla_is_billed, "a draft reversal frees nothing")
        refund.action_post()
        self.assertFalse(self.billed.sla_is_billed)
        # Nothing billed again yet: the reversal may go back, the hours with it.
        refund.button_draft()
        self.assertTrue(self.billed.sla_is_billed)
        refund.action_post()
        february = self.invoice(self.contract, MAR)
        self.assertEqual(self.sla_lines(february, "hours").sla_hours, 5.0)
        self.assertTrue(self.hours_line.sla_rebilled)
        # Billed again: neither the reversal nor the invoice comes back.
        for move in (refund, self.january):
            with self.subTest(move=move.name), self.assertRaises(UserError):
                move.button_draft()
        with self.assertRaises(UserError):
            refund.button_cancel()
        self.assertEqual(refund.state, "posted")

    def test_reverse_and_create_invoice(self):
        self.january.action_post()
        self.reverse(self.january, modify=True)
        replacement = self.contract._get_related_invoices().filtered(
            lambda m: m.state == "draft" and m.move_type == "out_invoice"
        )
        self.assertFalse(self.sla_lines(replacement))
        self.assertFalse(self.billed.sla_is_billed)
        february = self.invoice(self.contract, MAR)
        self.assertEqual(february.amount_untaxed, 500.0)

    def test_partial_credit_note_frees_nothing(self):
        self.january.action_post()
        refund = self.reverse(self.january)
        refund.invoice_line_ids.price_unit = 50.0
        refund.action_post()
        self.assertTrue(self.billed.sla_is_billed)


class TestReversalOfACredit(LifecycleCase):
    def test_reversed_credit_goes_back_to_approved(self):
        self.november.action_post()
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=self.november.ids)
            .create({"journal_id": self.november.journal_id.id})
        )
        wizard.refund_moves()
        refund = self.november.reversal_move_ids
        self.assertEqual(self.credit.state, "applied")
        refund.action_post()
        self.assertEqual(self.credit.state, "approved")
        self.assertFalse(self.credit.invoice_line_id)
        # Its credit may be deducted again: the reversal stays.
        with self.assertRaises(UserError):
            refund.button_draft()
        self.assertReleasedAndReapplied(self.credit)


class TestCreditGuards(LifecycleCase):
    """Point 4: no context key switches the credit's checks off."""

    def test_context_key_does_not_unlock_an_applied_credit(self):
        with self.assertRaises(UserError):
            self.credit.with_user(self.finance).with_context(
                sla_credit_system=True
            ).write({"amount": 1.0})
        with self.assertRaises(UserError):
            self.credit.with_user(self.finance).with_context(
                sla_credit_system=True
            ).write({"invoice_line_id": False, "state": "approved"})
        self.assertEqual(self.credit.amount, 100.0)
        self.assertEqual(self.credit.invoice_line_id, self.credit_line)

    def test_credit_not_created_applied_or_approved(self):
        values = {
            "contract_id": self.contract.id,
            "rule_id": self.rule.id,
            "period_start": date(2026, 6, 1),
            "period_end": date(2026, 7, 1),
            "amount": 5.0,
        }
        for extra in (
            {"state": "approved"},
            {"state": "applied", "invoice_line_id": self.credit_line.id},
        ):
            with self.subTest(extra=extra), self.assertRaises(UserError):
                self.env["helpdesk.sla.credit"].with_user(self.finance).create(
                    dict(values, **extra)
                )
        draft = self.env["helpdesk.sla.credit"].with_user(self.finance).create(values)
        self.assertEqual(draft.state, "draft")

    def test_identity_locked_once_approved(self):
        self.credit.invoice_line_id.move_id.unlink()
        self.assertEqual(self.credit.state, "approved")
        for values in (
            {"contract_id": self.make_contract("fixed_fee").id},
            {"period_start": date(2026, 9, 1)},
            {"period_kind": "quarter"},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                self.credit.with_user(self.finance).write(values)
        self.assertEqual(self.credit.period_start, date(2026, 10, 1))


class TestStateWrites(LifecycleCase):
    """Point 5: a direct write of the state does what the buttons do."""

    def test_cancel_by_write_releases_the_credit(self):
        self.november.with_user(self.finance).write({"state": "cancel"})
        self.assertEqual(self.credit.state, "approved")
        with self.assertRaises(UserError):
            self.november.with_user(self.finance).write({"state": "draft"})
        self.assertEqual(self.november.state, "cancel")
        self.assertReleasedAndReapplied(self.credit)


class TestRebilledStateWrite(GuardCase):
    def test_rebilled_invoice_not_reset_by_write(self):
        self.january.action_post()
        self.january.button_cancel()
        self.invoice(self.contract, MAR)
        with self.assertRaises(UserError):
            self.january.with_user(self.boss).write({"state": "draft"})
        self.assertEqual(self.january.state, "cancel")


class TestBilledUsageKept(GuardCase):
    def test_billed_usage_cannot_be_deleted(self):
        """Point 6."""
        backup = self.make_contract("online_backup", gb_price=0.5)
        usage = self.env["helpdesk.sla.usage"].create(
            {"contract_id": backup.id, "date": JAN, "quantity": 100}
        )
        january = self.invoice(backup, FEB)
        with self.assertRaises(UserError):
            usage.unlink()
        with self.assertRaises(UserError):
            backup.write({"usage_ids": [Command.delete(usage.id)]})
        self.assertTrue(usage.exists())
        january.button_cancel()
        usage.unlink()


class TestBilledTimesheetOfAnEmployee(GuardCase):
    def test_clear_error_without_access_to_journal_items(self):
        """Point 7."""
        user = new_test_user(
            self.env,
            login="money_engineer",
            groups="base.group_user,hr_timesheet.group_hr_timesheet_user,"
            "helpdesk_mgmt.group_helpdesk_user",
        )
        employee = self.env["hr.employee"].create(
            {"name": "Engineer", "user_id": user.id}
        )
        self.billed.employee_id = employee
        self.january.action_post()
        self.assertFalse(
            self.env["account.move.line"].with_user(user).has_access("read")
        )
        self.env.invalidate_all()  # nothing read as the superuser before
        with self.assertRaises(UserError) as caught:
            self.billed.with_user(user).write({"unit_amount": 5.0})
        self.assertNotIsInstance(caught.exception, AccessError)
        self.assertIn(self.january.name, str(caught.exception))
        self.assertEqual(self.billed.unit_amount, 3.0)
