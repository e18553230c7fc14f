# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError


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

    @api.ondelete(at_uninstall=False)
    def _unlink_release_sla_credits(self):
        self._sla_credits()._sla_release()
