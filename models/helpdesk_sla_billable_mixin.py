# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskSlaBillableMixin(models.AbstractModel):
    """Something a contract invoices once: linked to the invoice line that
    billed it, billed again only if that invoice is cancelled."""

    _name = "helpdesk.sla.billable.mixin"
    _description = "Billed once by a contract invoice"

    invoice_line_id = fields.Many2one(
        "account.move.line", copy=False, ondelete="set null", readonly=True
    )
    sla_is_billed = fields.Boolean(string="Invoiced", compute="_compute_sla_is_billed")

    @api.depends("invoice_line_id.parent_state")
    def _compute_sla_is_billed(self):
        for record in self:
            record.sla_is_billed = bool(
                record.invoice_line_id
                and record.invoice_line_id.parent_state != "cancel"
            )
