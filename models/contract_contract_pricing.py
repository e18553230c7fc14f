# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer contracts: pricing (eight models, finance only), consumption of
hours and prepaid banks (their alerts: contract_contract_alerts.py)."""

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..lib import prepaid_bank

PRICING_MODELS = [
    ("fixed_fee", "Fixed fee (retainer)"),
    ("hourly", "Hourly"),
    ("block_hours", "Block of hours"),
    ("block_money", "Prepaid amount"),
    ("project_hourly", "Project, hourly"),
    ("project_fixed", "Project, one-time fee"),
    ("remote_monitoring", "Remote monitoring (per device)"),
    ("online_backup", "Online backup (per GB)"),
]
# Pricing models billing the timesheet hours logged on the contract's tickets.
TIMESHEET_MODELS = ("hourly", "block_hours", "block_money", "project_hourly")
BANK_MODELS = ("block_hours", "block_money")
# Models whose invoice comes from usage rather than recurring lines: they get a
# recurring note line so that OCA contract has a schedule to invoice on.
USAGE_MODELS = (
    "hourly",
    "block_hours",
    "block_money",
    "project_hourly",
    "remote_monitoring",
    "online_backup",
)
# Fields only finance (accounting managers) and contract managers may change.
PRICING_FIELDS = {
    "pricing_model",
    "hourly_rate",
    "overage_rate",
    "block_hours",
    "block_price",
    "block_amount",
    "rollover",
    "alert_threshold_low",
    "alert_threshold_high",
    "budget_hours",
    "device_price",
    "gb_price",
    "hour_block_ids",
}
# OCA contract's customer and invoicing terms: changed by the same people
# (SLA managers edit the SLA tab only).
INVOICING_FIELDS = set(
    """
    partner_id invoice_partner_id company_id contract_type currency_id
    manual_currency_id pricelist_id journal_id payment_term_id fiscal_position_id
    contract_template_id contract_line_ids contract_line_fixed_ids line_recurrence
    generation_type date_start date_end recurring_rule_type recurring_interval
    recurring_invoicing_type recurring_invoicing_offset recurring_next_date
    """.split()
)


class ContractContract(models.Model):
    _inherit = "contract.contract"

    # --- Pricing ---------------------------------------------------------
    pricing_model = fields.Selection(
        PRICING_MODELS, required=True, default="fixed_fee", tracking=True
    )
    hourly_rate = fields.Monetary(
        help="Price of one support hour (hourly and project contracts; the rate "
        "that draws a prepaid amount down).",
    )
    overage_rate = fields.Monetary(
        help="Price of an hour beyond the prepaid bank (the hourly rate if 0).",
    )
    block_hours = fields.Float(
        string="Hours per block", help="Size of one prepaid block of hours."
    )
    block_price = fields.Monetary(help="Price of one block of hours.")
    block_amount = fields.Monetary(
        string="Prepaid amount", help="Amount of one prepaid block of money."
    )
    rollover = fields.Boolean(
        string="Roll unused hours over",
        help="What is left of a block carries over into the next block bought; "
        "otherwise it expires then.",
    )
    alert_threshold_low = fields.Float(string="First alert at (%)", default=80.0)
    alert_threshold_high = fields.Float(string="Second alert at (%)", default=95.0)
    budget_hours = fields.Float(
        string="Budget (hours)", help="Project budget; a warning goes out when reached."
    )
    budget_warned = fields.Boolean(copy=False)
    device_price = fields.Monetary(string="Price per device")
    gb_price = fields.Monetary(string="Price per GB")
    hour_block_ids = fields.One2many(
        "helpdesk.sla.hour.block", "contract_id", string="Prepaid blocks"
    )
    usage_ids = fields.One2many(
        "helpdesk.sla.usage", "contract_id", string="Recorded usage"
    )
    # --- Consumption (computed) ------------------------------------------
    bank_total = fields.Float(
        compute="_compute_consumption",
        help="Size of the current block, with what rolled into it "
        "(hours, or money for a prepaid amount).",
    )
    bank_used = fields.Float(compute="_compute_consumption")
    bank_remaining = fields.Float(compute="_compute_consumption")
    bank_used_percent = fields.Float(compute="_compute_consumption")
    bank_remaining_hours = fields.Float(compute="_compute_consumption")
    hours_consumed = fields.Float(
        compute="_compute_consumption", help="All timesheet hours on the contract."
    )
    hours_this_period = fields.Float(compute="_compute_consumption")
    hours_unbilled = fields.Float(compute="_compute_consumption")
    overage_hours = fields.Float(
        compute="_compute_consumption",
        help="Hours beyond the prepaid bank not invoiced yet.",
    )
    budget_used_percent = fields.Float(compute="_compute_consumption")
    timesheet_ids = fields.One2many(
        "account.analytic.line", "sla_contract_id", string="Timesheets"
    )
    timesheet_count = fields.Integer(compute="_compute_timesheet_count")
    sla_can_edit_pricing = fields.Boolean(compute="_compute_sla_can_edit_pricing")

    @api.constrains(
        "pricing_model",
        "block_hours",
        "block_price",
        "block_amount",
        "hourly_rate",
        "overage_rate",
        "device_price",
        "gb_price",
        "budget_hours",
        "alert_threshold_low",
        "alert_threshold_high",
    )
    def _check_pricing(self):
        for contract in self:
            for fname in (
                "hourly_rate",
                "overage_rate",
                "block_price",
                "device_price",
                "gb_price",
                "budget_hours",
            ):
                if contract[fname] < 0:
                    raise ValidationError(
                        contract.env._(
                            "%(field)s cannot be negative on contract %(contract)s.",
                            field=contract._fields[fname].get_description(contract.env)[
                                "string"
                            ],
                            contract=contract.display_name,
                        )
                    )
            if contract.pricing_model == "block_hours" and contract.block_hours <= 0:
                raise ValidationError(
                    contract.env._(
                        "A block of hours must hold more than 0 hours "
                        "(contract %(contract)s).",
                        contract=contract.display_name,
                    )
                )
            if contract.pricing_model == "block_money" and contract.block_amount <= 0:
                raise ValidationError(
                    contract.env._(
                        "A prepaid amount must be more than 0 (contract %(contract)s).",
                        contract=contract.display_name,
                    )
                )
            if contract.pricing_model == "block_money" and contract.hourly_rate <= 0:
                raise ValidationError(
                    contract.env._(
                        "A prepaid amount is drawn down at the hourly rate: set an "
                        "hourly rate above 0 (contract %(contract)s).",
                        contract=contract.display_name,
                    )
                )
            low, high = contract.alert_threshold_low, contract.alert_threshold_high
            if not (0 < low <= 100 and 0 < high <= 100):
                raise ValidationError(
                    contract.env._(
                        "Consumption alerts are percentages between 1 and 100."
                    )
                )

    def _sla_bank_data(self, until=None, lines=None):
        """Blocks and timesheet entries of a prepaid contract, in bank units
        (`lines`: the contract's timesheets when the caller has them)."""
        self.ensure_one()
        money = self.pricing_model == "block_money"
        blocks = [
            prepaid_bank.Block(block.id, block.date, block.units)
            for block in self.sudo().hour_block_ids
            if block.state != "cancel"
        ]
        if lines is None:
            lines = self._sla_timesheets(until=until)
        entries = [
            prepaid_bank.Entry(
                line.id,
                line.date,
                line.unit_amount * (self.hourly_rate if money else 1.0),
            )
            for line in lines
        ]
        return blocks, entries

    def _sla_timesheets(self, until=None, unbilled=False):
        self.ensure_one()
        domain = [("sla_contract_id", "=", self.id), ("project_id", "!=", False)]
        if until:
            domain.append(("date", "<=", until))
        if unbilled:
            domain += self.env["account.analytic.line"]._sla_unbilled_domain()
        return self.env["account.analytic.line"].sudo().search(domain)

    def _sla_period_bounds(self):
        """Current invoicing period (first day, last day) of the contract."""
        self.ensure_one()
        # From the day after the last invoiced period to today; read from the
        # lines' stored dates (OCA's period fields recompute through a cycle).
        invoiced = [d for d in self.contract_line_ids.mapped("last_date_invoiced") if d]
        first = max(invoiced) + relativedelta(days=1) if invoiced else self.date_start
        return first, fields.Date.context_today(self)

    @api.depends(
        "pricing_model",
        "hour_block_ids.units",
        "hour_block_ids.state",
        "timesheet_ids.unit_amount",
        "timesheet_ids.date",
        "timesheet_ids.sla_invoice_line_id",
        "hourly_rate",
        "rollover",
        "budget_hours",
    )
    def _compute_consumption(self):
        for contract in self:
            lines = contract._sla_timesheets() if contract.id else []
            first, last = contract._sla_period_bounds()
            hours = sum(line.unit_amount for line in lines)
            contract.hours_consumed = hours
            contract.hours_this_period = sum(
                line.unit_amount
                for line in lines
                if first and last and first <= line.date <= last
            )
            contract.hours_unbilled = sum(
                line.unit_amount for line in lines if not line.sla_is_billed
            )
            contract.budget_used_percent = (
                100.0 * hours / contract.budget_hours if contract.budget_hours else 0.0
            )
            values = dict.fromkeys(
                (
                    "bank_total",
                    "bank_used",
                    "bank_remaining",
                    "bank_used_percent",
                    "bank_remaining_hours",
                    "overage_hours",
                ),
                0.0,
            )
            if contract.pricing_model in BANK_MODELS and contract.id:
                blocks, entries = contract._sla_bank_data(lines=lines)
                allocation = prepaid_bank.allocate(blocks, entries, contract.rollover)
                percent = prepaid_bank.used_percent(blocks, entries, contract.rollover)
                used = prepaid_bank.current_used(blocks, allocation)
                per_hour = (
                    contract.hourly_rate
                    if contract.pricing_model == "block_money"
                    else 1
                )
                values.update(
                    bank_total=used + allocation.remaining,
                    bank_used=used,
                    bank_remaining=allocation.remaining,
                    bank_used_percent=percent,
                    bank_remaining_hours=allocation.remaining / per_hour
                    if per_hour
                    else 0.0,
                    overage_hours=max(
                        allocation.overage / per_hour - contract._sla_overage_billed(),
                        0.0,
                    )
                    if per_hour
                    else 0.0,
                )
            contract.update(values)

    def _sla_overage_billed(self):
        """Overage hours already on (not cancelled, not reversed) invoices."""
        self.ensure_one()
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("sla_contract_id", "=", self.id),
                    ("sla_line_kind", "=", "overage"),
                    ("parent_state", "!=", "cancel"),
                    ("move_id.sla_reversed", "=", False),
                ]
            )
        )
        # Unrounded hours: the quantity may be rounded or one unit.
        return sum(lines.mapped("sla_hours"))

    def _compute_timesheet_count(self):
        for contract in self:
            contract.timesheet_count = (
                len(contract._sla_timesheets()) if contract.id else 0
            )

    @api.depends_context("uid")
    def _compute_sla_can_edit_pricing(self):
        self.sla_can_edit_pricing = self._sla_may_edit_pricing()

    def _sla_may_edit_pricing(self):
        user = self.env.user
        return (
            self.env.su
            or user.has_group("account.group_account_manager")
            or user.has_group("helpdesk_sla_contract.group_sla_contract_manager")
        )

    def _sla_check_pricing_access(self, vals):
        if (
            not (PRICING_FIELDS | INVOICING_FIELDS).intersection(vals)
            or self._sla_may_edit_pricing()
        ):
            return
        raise AccessError(
            self.env._(
                "Only accounting managers and contract managers can change a "
                "contract's pricing."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("pricing_model", "fixed_fee") != "fixed_fee":
                self._sla_check_pricing_access(vals)
            if (
                vals.get("pricing_model") in USAGE_MODELS
                and vals.get("contract_type", "sale") == "sale"
                and not vals.get("contract_line_ids")
            ):
                vals["contract_line_ids"] = [
                    Command.create(self._sla_schedule_line_values(vals))
                ]
        contracts = super().create(vals_list)
        contracts._sla_ensure_schedule_line()
        return contracts

    def write(self, vals):
        self._sla_check_pricing_access(vals)
        res = super().write(vals)
        if "pricing_model" in vals:
            self._sla_ensure_schedule_line()
        return res

    def _sla_ensure_schedule_line(self):
        """Usage-priced contracts need a recurring line for OCA contract to
        invoice them: add a zero-priced line carrying the period."""
        for contract in self:
            if (
                contract.contract_type != "sale"
                or contract.pricing_model not in USAGE_MODELS
                or contract.contract_line_ids.filtered(
                    lambda line: not line.display_type or line.is_recurring_note
                )
            ):
                continue
            line_vals = self._sla_schedule_line_values(
                {
                    fname: contract[fname]
                    for fname in (
                        "date_start",
                        "recurring_rule_type",
                        "recurring_interval",
                        "recurring_invoicing_type",
                    )
                }
            )
            line_vals["recurring_next_date"] = contract.recurring_next_date
            contract.sudo().write({"contract_line_ids": [Command.create(line_vals)]})

    @api.model
    def _sla_schedule_line_values(self, contract_vals):
        # A zero-priced product line: OCA contract-level recurrence does not
        # keep a next date on recurring notes.
        product = self.env.ref("helpdesk_sla_contract.product_sla_support_services")
        values = {
            "product_id": product.id,
            "name": self.env._("Support services from #START# to #END#"),
            "quantity": 1.0,
            "price_unit": 0.0,
            "uom_id": product.uom_id.id,
        }
        # The line's recurrence follows the contract's, but its own defaults
        # (start today, pre-paid) would win at creation: copy them.
        for fname in (
            "date_start",
            "recurring_rule_type",
            "recurring_interval",
            "recurring_invoicing_type",
        ):
            if contract_vals.get(fname):
                values[fname] = contract_vals[fname]
        return values

    def action_buy_block(self):
        """Buy one prepaid block (invoiced once, on the next invoice)."""
        self._sla_buy_block()
        return True

    def _sla_buy_block(self):
        """The new blocks, one per contract."""
        blocks = self.env["helpdesk.sla.hour.block"]
        for contract in self:
            if contract.pricing_model not in BANK_MODELS:
                raise ValidationError(
                    contract.env._(
                        "Contract %(contract)s is not priced by prepaid blocks.",
                        contract=contract.display_name,
                    )
                )
            blocks |= blocks.create({"contract_id": contract.id})
        return blocks

    def action_view_sla_timesheets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Timesheets"),
            "res_model": "account.analytic.line",
            "view_mode": "list,form",
            "domain": [("sla_contract_id", "=", self.id)],
        }
