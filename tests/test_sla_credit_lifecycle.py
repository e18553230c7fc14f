# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A credit's life on invoices: never stranded, never twice, applied only when
approved and by whom may (issue #11, points 1 and 2)."""

from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import new_test_user

from .test_sla_credits import DEC, NOV, CreditCase


class LifecycleCase(CreditCase):
    """October invoiced and posted, an approved 100 credit for October on the
    draft November invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = new_test_user(
            cls.env,
            login="credit_billing",
            groups="base.group_user,account.group_account_invoice",
        )

    def setUp(self):
        super().setUp()
        self.october = self.invoice(self.contract, NOV)
        self.october.action_post()
        self.down(datetime(2026, 10, 5, 10, 0), 120)  # 99.73 % -> 10 % -> 100
        self.credit = self.compute()
        self.credit.with_user(self.finance).action_approve()
        self.november = self.invoice(self.contract, DEC)
        self.credit_line = self.sla_lines(self.november, "credit")

    def assertReleasedAndReapplied(self, credit):
        """Back to approved, and on the contract's next invoice."""
        self.assertEqual(credit.state, "approved")
        self.assertFalse(credit.invoice_line_id)
        self.assertFalse(credit.move_id)
        following = self.invoice(self.contract, self.contract.recurring_next_date)
        self.assertEqual(self.sla_lines(following, "credit").sla_credit_ids, credit)
        self.assertEqual(credit.state, "applied")
        self.assertEqual(credit.move_id, following)

    def hand_invoice(self, credit, user=None, partner=None, move_type="out_invoice"):
        """An invoice made by hand (form, import, RPC) with the credit's line."""
        line = credit._sla_line_values(sign=-1 if move_type == "out_invoice" else 1)
        return (
            self.env["account.move"]
            .with_user(user or self.env.user)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": (partner or self.acme).id,
                    "invoice_line_ids": [Command.create(line)],
                }
            )
        )


class TestCreditNeverStranded(LifecycleCase):
    def test_deleting_the_draft_invoice_releases_its_credit(self):
        self.assertEqual(self.credit.state, "applied")
        self.november.unlink()
        self.assertReleasedAndReapplied(self.credit)

    def test_deleting_the_credit_line_releases_its_credit(self):
        self.november.write({"invoice_line_ids": [Command.delete(self.credit_line.id)]})
        self.assertEqual(self.november.amount_untaxed, 1000.0)
        self.assertReleasedAndReapplied(self.credit)

    def test_replacing_the_credit_line_releases_its_credit(self):
        self.november.write(
            {
                "invoice_line_ids": [
                    Command.delete(self.credit_line.id),
                    Command.create({"name": "Goodwill", "price_unit": -30.0}),
                ]
            }
        )
        self.assertReleasedAndReapplied(self.credit)

    def test_reset_edit_and_post_again(self):
        self.november.action_post()
        self.november.button_draft()
        self.assertEqual(self.credit.state, "applied", "reset alone keeps it")
        self.credit_line.unlink()
        self.november.action_post()
        self.assertEqual(self.november.amount_untaxed, 1000.0)
        self.assertReleasedAndReapplied(self.credit)

    def test_cancelled_invoice_cannot_come_back_with_the_credit(self):
        self.november.action_post()
        self.november.button_cancel()
        self.assertEqual(self.credit.state, "approved")
        with self.assertRaises(UserError):
            self.november.button_draft()
        self.assertReleasedAndReapplied(self.credit)

    def test_duplicate_does_not_carry_the_credit(self):
        duplicate = self.november.copy()
        self.assertFalse(self.sla_lines(duplicate, "credit"))
        self.assertEqual(duplicate.amount_untaxed, 1000.0)
        duplicate.action_post()
        self.assertEqual(self.credit.move_id, self.november)
        # The original cancelled, its copy kept: the credit goes on the next one.
        self.november.button_cancel()
        self.assertReleasedAndReapplied(self.credit)

    def test_credit_line_without_its_credit_is_not_posted(self):
        orphan_values = self.credit._sla_line_values()
        del orphan_values["sla_credit_ids"]
        orphan = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.acme.id,
                "invoice_line_ids": [
                    Command.create({"name": "Hosting", "price_unit": 500.0}),
                    Command.create(orphan_values),
                ],
            }
        )
        with self.assertRaises(UserError):
            orphan.action_post()
        self.assertEqual(orphan.state, "draft")

    def test_credit_line_amount_cannot_change(self):
        for values in ({"price_unit": -50.0}, {"quantity": 2.0}, {"discount": 10.0}):
            with self.subTest(values=values), self.assertRaises(UserError):
                self.november.write(
                    {"invoice_line_ids": [Command.update(self.credit_line.id, values)]}
                )
        self.assertEqual(self.credit_line.price_unit, -100.0)
        self.assertEqual(self.credit_line.quantity, 1.0)
        self.credit_line.name = "SLA credit for October"  # wording is free
        self.assertEqual(self.credit.state, "applied")

    def test_invoice_keeps_the_credits_customer(self):
        with self.assertRaises(UserError):
            self.november.partner_id = self.customer
        self.assertEqual(self.november.partner_id, self.acme)


class TestOnlyApprovedCreditsApplied(LifecycleCase):
    def setUp(self):
        super().setUp()
        self.down(datetime(2026, 11, 5, 10, 0), 120)
        self.next_credit = self.compute(NOV)  # November's, draft

    def assertUntouched(self, credit, state, moves_before):
        self.assertEqual(credit.state, state)
        self.assertFalse(credit.invoice_line_id)
        self.assertEqual(self.env["account.move"].search_count([]), moves_before)

    def test_draft_or_cancelled_credit_is_not_applied(self):
        moves_before = self.env["account.move"].search_count([])
        with self.assertRaises(UserError):
            self.hand_invoice(self.next_credit, self.billing)
        self.assertUntouched(self.next_credit, "draft", moves_before)
        self.next_credit.with_user(self.finance).action_cancel()
        with self.assertRaises(UserError):
            self.hand_invoice(self.next_credit, self.finance)
        self.assertUntouched(self.next_credit, "cancel", moves_before)

    def test_credit_of_another_customer_is_not_applied(self):
        self.next_credit.with_user(self.finance).action_approve()
        moves_before = self.env["account.move"].search_count([])
        with self.assertRaises(UserError):
            self.hand_invoice(self.next_credit, self.finance, partner=self.customer)
        self.assertUntouched(self.next_credit, "approved", moves_before)

    def test_credit_already_on_a_live_invoice_is_not_applied_again(self):
        with self.assertRaises(UserError):
            self.hand_invoice(self.credit, self.finance)
        self.assertEqual(self.credit.invoice_line_id, self.credit_line)

    def test_who_may_apply(self):
        self.next_credit.with_user(self.finance).action_approve()
        # Invoicing users apply what finance left for the next invoice...
        invoice = self.hand_invoice(self.next_credit, self.billing)
        self.assertEqual(self.next_credit.state, "applied")
        self.assertEqual(self.next_credit.move_id, invoice)
        invoice.unlink()
        # ... but neither as a credit note nor a credit finance keeps for one.
        with self.assertRaises(AccessError):
            self.hand_invoice(self.next_credit, self.billing, move_type="out_refund")
        self.next_credit.with_user(self.finance).apply_as = "credit_note"
        with self.assertRaises(AccessError):
            self.hand_invoice(self.next_credit, self.billing)
        self.assertEqual(self.next_credit.state, "approved")
        refund = self.hand_invoice(
            self.next_credit, self.finance, move_type="out_refund"
        )
        self.assertEqual(self.next_credit.move_id, refund)

    def test_contract_invoicing_by_a_contract_manager(self):
        # Not an accounting manager: an invoicing user who runs contracts.
        contract_manager = new_test_user(
            self.env,
            login="credit_contract_manager",
            groups="base.group_user,helpdesk_sla_contract.group_sla_contract_manager",
        )
        self.november.unlink()
        invoice = self.contract.with_user(contract_manager)._recurring_create_invoice(
            self.contract.recurring_next_date
        )
        self.assertEqual(self.credit.state, "applied")
        self.assertEqual(self.credit.move_id, invoice)
        self.assertEqual(invoice.amount_untaxed, 900.0)

    def test_linking_on_an_existing_line(self):
        hosting_line = self.november.invoice_line_ids - self.credit_line
        with self.assertRaises(UserError):
            hosting_line.write({"sla_credit_ids": [Command.link(self.next_credit.id)]})
        self.assertEqual(self.next_credit.state, "draft")
        self.assertFalse(self.next_credit.invoice_line_id)
        # Taking a credit off its line (keeping the deduction) is refused too.
        with self.assertRaises(UserError):
            self.credit_line.write({"sla_credit_ids": [Command.clear()]})
        self.assertEqual(self.credit.invoice_line_id, self.credit_line)

    def test_link_commands_of_an_import(self):
        self.next_credit.with_user(self.finance).action_approve()
        line = self.next_credit._sla_line_values()
        line["sla_credit_ids"] = [Command.link(self.next_credit.id)]
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.acme.id,
                "invoice_line_ids": [Command.create(line)],
            }
        )
        self.assertEqual(self.next_credit.move_id, invoice)
        self.assertEqual(self.next_credit.state, "applied")

    def test_credit_is_not_linked_from_the_credit(self):
        self.next_credit.with_user(self.finance).action_approve()
        hosting_line = self.november.invoice_line_ids - self.credit_line
        with self.assertRaises(UserError):
            self.next_credit.with_user(self.finance).write(
                {"invoice_line_id": hosting_line.id, "state": "applied"}
            )
        self.assertEqual(self.next_credit.state, "approved")
