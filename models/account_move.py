# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, models
from odoo.exceptions import UserError, ValidationError


class AccountMove(models.Model):
    _inherit = "account.move"

    def _sla_credits(self):
        return (
            self.env["helpdesk.sla.credit"]
            .sudo()
            .search([("invoice_line_id.move_id", "in", self.ids)])
        )

    def button_cancel(self):
        sla_credits = self._sla_credits()
        res = super().button_cancel()
        # A cancelled invoice no longer grants its credits: apply them again.
        sla_credits._sla_release()
        return res

    def button_draft(self):
        # Back from cancelled: its credit lines may have been applied elsewhere.
        credit_lines = self.filtered(lambda m: m.state == "cancel").line_ids.filtered(
            lambda line: line.sla_line_kind == "credit"
        )
        for line in credit_lines:
            if line.sla_credit_ids:
                continue
            raise UserError(
                self.env._(
                    "%(move)s carries an SLA credit that was released when it was "
                    "cancelled; remove that line or create a new invoice.",
                    move=line.move_id.display_name,
                )
            )
        return super().button_draft()

    def _check_draftable(self):
        # Odoo's hook for every way back to draft (reset, cancel of a posted move).
        self._sla_check_items_not_rebilled()
        return super()._check_draftable()

    def _sla_check_items_not_rebilled(self):
        """A cancelled invoice whose hours, blocks or usage were billed again
        since would bill them twice: it stays cancelled."""
        rebilled = self.filtered(
            lambda move: (
                move.state == "cancel"
                and any(move.invoice_line_ids.mapped("sla_rebilled"))
            )
        )
        if rebilled:
            raise UserError(
                self.env._(
                    "%(invoices)s cannot be reset to draft: hours, prepaid blocks or "
                    "usage it billed were freed when it was cancelled and have been "
                    "invoiced again since. Create a new invoice for anything still "
                    "to bill.",
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
