# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError


class HelpdeskSlaUsage(models.Model):
    """A usage figure recorded for a period (e.g. GB of online backup)."""

    _name = "helpdesk.sla.usage"
    _description = "Recorded service usage"
    _inherit = ["helpdesk.sla.billable.mixin"]
    _order = "date desc, id desc"

    contract_id = fields.Many2one(
        "contract.contract", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    quantity = fields.Float(string="Quantity (GB)", required=True)
    note = fields.Char()

    _sql_constraints = [
        (
            "quantity_positive",
            "CHECK(quantity >= 0)",
            "A recorded usage cannot be negative.",
        ),
    ]

    def write(self, vals):
        if self.filtered("sla_is_billed") and {"quantity", "date", "contract_id"} & set(
            vals
        ):
            raise UserError(
                self.env._("Invoiced usage cannot be changed; cancel its invoice.")
            )
        return super().write(vals)
