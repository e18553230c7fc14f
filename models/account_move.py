# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare


class AccountMove(models.Model):
    _inherit = "account.move"

    sla_reversed = fields.Boolean(
        string="Reversed in full",
        compute="_compute_sla_reversed",
        store=True,
        copy=False,
        help="Posted credit notes reverse this customer invoice in full: the "
        "hours, blocks, usage and credits it billed are free again, as if it "
        "were cancelled.",
    )

    @api.depends(
        "move_type",
        "state",
        "amount_total",
        "reversal_move_ids.state",
        "reversal_move_ids.amount_total",
        "reversal_move_ids.line_ids.sla_credit_ids",
    )
    def _compute_sla_reversed(self):
        for move in self:
            # Credit notes of SLA credits are no reversal of what was billed.
            refunds = move.reversal_move_ids.filtered(
                lambda m: m.state == "posted" and not m.line_ids.sla_credit_ids
            )
            move.sla_reversed = bool(
                move.move_type == "out_invoice"
                and move.state == "posted"
                and refunds
                and float_compare(
                    sum(refunds.mapped("amount_total")),
                    move.amount_total,
                    precision_rounding=move.currency_id.rounding,
                )
                >= 0
            )

    def _sla_credits(self):
        return (
            self.env["helpdesk.sla.credit"]
            .sudo()
            .search([("invoice_line_id.move_id", "in", self.ids)])
        )

    def write(self, vals):
        """Every change of state (the buttons, a reversal, RPC) releases and
        checks the SLA items as cancelling and resetting do."""
        if "state" not in vals:
            return super().write(vals)
        state = vals["state"]
        moving = self.filtered(lambda m: m.state != state)
        if state in ("draft", "cancel"):
            moving._sla_check_reversal_kept()
        if state == "draft":
            moving._sla_check_back_to_draft()
        if state == "posted":
            moving._sla_check_refund_not_reversed()
        released = moving._sla_credits() if state == "cancel" else None
        res = super().write(vals)
        if state == "posted":
            # A reversal posted in full: its invoice's credits go back.
            released = moving.reversed_entry_id.filtered("sla_reversed")._sla_credits()
        if released:
            released._sla_release()
        return res

    def _sla_check_back_to_draft(self):
        """A cancelled or reversed invoice whose SLA credits went back, or
        whose hours, blocks or usage were billed again since, would grant or
        bill them twice."""
        for line in self.filtered(lambda m: m.state == "cancel").invoice_line_ids:
            if line.sla_line_kind != "credit" or line.sudo().sla_credit_ids:
                continue
            raise UserError(
                self.env._(
                    "%(move)s carries an SLA credit that was released when it was "
                    "cancelled; remove that line or create a new invoice.",
                    move=line.move_id.display_name,
                )
            )
        self.filtered(
            lambda m: m.state == "cancel" or m.sla_reversed
        )._sla_check_items_not_rebilled()

    def _sla_check_reversal_kept(self):
        """A credit note that reversed an invoice in full stays posted once the
        invoice's credits went back or its items were billed again."""
        for refund in self.filtered(lambda m: m.state == "posted"):
            invoice = refund.reversed_entry_id
            if not invoice.sla_reversed:
                continue
            lines = invoice.invoice_line_ids
            if any(lines.mapped("sla_rebilled")) or any(
                line.sla_line_kind == "credit" and not line.sudo().sla_credit_ids
                for line in lines
            ):
                raise UserError(
                    self.env._(
                        "%(refund)s reverses %(invoice)s, whose SLA credits went "
                        "back to approved or whose hours, blocks or usage were "
                        "invoiced again: it stays posted.",
                        refund=refund.display_name,
                        invoice=invoice.display_name,
                    )
                )

    def _sla_check_refund_not_reversed(self):
        """Reversing a credit note undoes it like cancelling it, which the
        write of its state would not see: a credit note of SLA credits would
        keep them applied, and one reversing an invoice in full has freed its
        credits, hours, blocks and usage for the next invoice (the reversal
        would bill or deduct them again)."""
        for move in self.filtered(lambda m: m.move_type == "out_invoice"):
            refund = move.reversed_entry_id
            if refund.move_type != "out_refund" or refund.state != "posted":
                continue
            invoice = refund.reversed_entry_id
            freed = invoice.sla_reversed and invoice.invoice_line_ids.filtered(
                "sla_line_kind"
            )
            if refund._sla_credits() or freed:
                raise UserError(
                    self.env._(
                        "%(refund)s refunds SLA credits or reverses an invoice in "
                        "full: reversing it would count them twice or not at all. "
                        "Reset it to draft and cancel it instead.",
                        refund=refund.display_name,
                    )
                )

    def _sla_check_items_not_rebilled(self):
        """Hours, blocks or usage freed by cancelling or reversing these
        invoices and billed again since: they cannot come back."""
        rebilled = self.filtered(
            lambda move: any(move.invoice_line_ids.mapped("sla_rebilled"))
        )
        if rebilled:
            raise UserError(
                self.env._(
                    "%(invoices)s cannot be reset to draft: hours, prepaid blocks or "
                    "usage it billed were freed when it was cancelled or reversed "
                    "and have been invoiced again since. Create a new invoice for "
                    "anything still to bill.",
                    invoices=", ".join(rebilled.mapped("display_name")),
                )
            )

    # Deleting an invoice deletes its lines first: their ondelete hook
    # (account.move.line) releases the credits.

    def copy_data(self, default=None):
        vals_list = super().copy_data(default)
        if (default or {}).get("reversed_entry_id"):
            return vals_list  # a reversal mirrors its invoice, credits included
        # A duplicate never bills the SLA items (hours, blocks, usage) nor
        # deducts the credits again: they stay with the original, or go to the
        # next invoice when it is cancelled.
        for vals in vals_list:
            if "line_ids" not in vals:
                continue
            vals["line_ids"] = [
                command
                for command in vals["line_ids"]
                if not (
                    command[0] == Command.CREATE and command[2].get("sla_line_kind")
                )
            ]
        return vals_list

    @api.constrains(
        "partner_id", "commercial_partner_id", "company_id", "currency_id", "move_type"
    )
    def _check_sla_credits_stay_with_their_customer(self):
        self.line_ids._check_sla_credit_line()

    @api.constrains("state")
    def _check_sla_credit_lines_carry_their_credits(self):
        """A credit line without its credits (copied, merged, imported) would
        deduct a credit twice or one never granted."""
        for move in self.filtered(
            lambda m: (
                m.state == "posted"
                and m.move_type == "out_invoice"
                and not m.reversed_entry_id
            )
        ):
            orphans = move.invoice_line_ids.filtered(
                lambda line: (
                    line.sla_line_kind == "credit" and not line.sudo().sla_credit_ids
                )
            )
            if orphans:
                raise ValidationError(
                    self.env._(
                        "%(move)s has an SLA credit line that carries no credit "
                        "(%(lines)s): remove it; approved credits are added by the "
                        "contract's invoicing.",
                        move=move.display_name,
                        lines=", ".join(orphans.mapped("name")),
                    )
                )
