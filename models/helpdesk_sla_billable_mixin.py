# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class HelpdeskSlaBillableMixin(models.AbstractModel):
    """Something a contract invoices once: linked to the invoice line that
    billed it, billed again only if that invoice is cancelled or reversed."""

    _name = "helpdesk.sla.billable.mixin"
    _description = "Billed once by a contract invoice"

    invoice_line_id = fields.Many2one(
        "account.move.line", copy=False, ondelete="set null", readonly=True
    )
    # compute_sudo: whoever records it may not read journal items.
    sla_is_billed = fields.Boolean(
        string="Invoiced", compute="_compute_sla_is_billed", compute_sudo=True
    )

    @api.depends("invoice_line_id.parent_state", "invoice_line_id.move_id.sla_reversed")
    def _compute_sla_is_billed(self):
        for record in self:
            record.sla_is_billed = record.invoice_line_id._sla_bills()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("invoice_line_id") for vals in vals_list):
            self._sla_raise_billed_link()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and "invoice_line_id" in vals:
            self._sla_raise_billed_link()
        return super().write(vals)

    def _sla_raise_billed_link(self):
        raise UserError(
            self.env._(
                "The invoice line that billed a prepaid block or a usage is set by "
                "the contract's invoicing; it cannot be set or changed by hand."
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sla_billed(self):
        # Billed items stay until their invoice is cancelled or reversed.
        if self.filtered("sla_is_billed"):
            raise UserError(
                self.env._(
                    "Invoiced prepaid blocks and usage cannot be deleted; cancel "
                    "their invoice first."
                )
            )
