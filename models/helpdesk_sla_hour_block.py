# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_repr

from ..lib import prepaid_bank

# What an invoiced block keeps until its invoice is cancelled: cancelling or
# moving it would bill the hours it covered again as overage.
BILLED_FIELDS = {"units", "price", "date", "state", "contract_id"}


class HelpdeskSlaHourBlock(models.Model):
    """A prepaid block bought on a contract: hours (block of hours) or money
    (prepaid amount). Invoiced once; timesheets draw it down."""

    _name = "helpdesk.sla.hour.block"
    _description = "Prepaid support block"
    _inherit = ["helpdesk.sla.billable.mixin"]
    _order = "date desc, id desc"

    contract_id = fields.Many2one(
        "contract.contract", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        help="From this day on, timesheets draw from this block.",
    )
    units = fields.Float(
        string="Size",
        required=True,
        help="Hours of a block of hours, or the amount of a prepaid amount.",
    )
    price = fields.Monetary(required=True)
    state = fields.Selection(
        [("active", "Active"), ("cancel", "Cancelled")],
        default="active",
        required=True,
    )
    alert_level = fields.Float(
        copy=False, help="Highest consumption alert (%) already sent for this block."
    )
    used = fields.Float(compute="_compute_bank_figures")
    rolled_over = fields.Float(
        compute="_compute_bank_figures",
        help="Left unused when the next block started, carried into it.",
    )
    expired = fields.Float(
        compute="_compute_bank_figures",
        help="Left unused when the next block started, lost (no rollover).",
    )

    _sql_constraints = [
        (
            "units_positive",
            "CHECK(units > 0)",
            "A prepaid block must hold more than 0.",
        ),
        ("price_positive", "CHECK(price >= 0)", "A block's price cannot be negative."),
    ]

    def _compute_bank_figures(self):
        for contract in self.contract_id:
            blocks, entries = contract._sla_bank_data()
            allocation = prepaid_bank.allocate(blocks, entries, contract.rollover)
            for block in self.filtered(lambda b, c=contract: b.contract_id == c):
                block.used = allocation.per_block.get(block.id, 0.0)
                block.rolled_over = allocation.rolled_over.get(block.id, 0.0)
                block.expired = allocation.expired.get(block.id, 0.0)
        for block in self.filtered(lambda b: not b.contract_id):
            block.used = block.rolled_over = block.expired = 0.0

    @api.depends("units", "date", "contract_id.pricing_model")
    def _compute_display_name(self):
        for block in self:
            if block.contract_id.pricing_model == "block_money":
                size = f"{block.units:.2f} {block.currency_id.name or ''}".strip()
            else:
                hours = float_repr(block.units, 2).rstrip("0").rstrip(".")
                size = block.env._("%(hours)s h", hours=hours)
            block.display_name = block.env._(
                "Prepaid support block of %(size)s from %(date)s",
                size=size,
                date=block.date,
            )

    @api.model_create_multi
    def create(self, vals_list):
        contracts = self.env["contract.contract"]
        for vals in vals_list:
            contract = contracts.browse(vals.get("contract_id"))
            if contract.pricing_model == "block_money":
                vals.setdefault("units", contract.block_amount)
                vals.setdefault("price", contract.block_amount)
            else:
                vals.setdefault("units", contract.block_hours)
                vals.setdefault("price", contract.block_price)
        blocks = super().create(vals_list)
        blocks.contract_id._sla_check_pricing_access({"hour_block_ids": True})
        return blocks

    def write(self, vals):
        if self.filtered("sla_is_billed") and BILLED_FIELDS & set(vals):
            raise UserError(
                self.env._("An invoiced block cannot be changed; cancel its invoice.")
            )
        self.contract_id._sla_check_pricing_access({"hour_block_ids": True})
        return super().write(vals)

    # Deleting an invoiced block is refused by the mixin: its hours would be
    # billed again as overage.

    @api.constrains("contract_id")
    def _check_contract_model(self):
        for block in self:
            if block.contract_id.pricing_model not in ("block_hours", "block_money"):
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s is not priced by prepaid blocks.",
                        contract=block.contract_id.display_name,
                    )
                )
