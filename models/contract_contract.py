# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import float_compare, float_round

from ..lib import prepaid_bank, sla_stats
from .helpdesk_sla_credit import period_bounds
from .helpdesk_sla_target import SLA_PRIORITIES
from .sla_history import count_references, refuse_unlink_if_referenced

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
REVIEW_INTERVALS = [
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("yearly", "Yearly"),
]
REVIEW_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


class ContractContract(models.Model):
    _inherit = "contract.contract"

    # --- SLA -------------------------------------------------------------
    sla_policy_id = fields.Many2one(
        "helpdesk.sla.policy",
        string="SLA policy",
        tracking=True,
        help="Applies to the tickets this contract covers (a site's own policy "
        "takes precedence).",
    )
    sla_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Support hours",
        tracking=True,
        help="Business hours of this contract's SLA; override the policy's.",
    )
    sla_target_ids = fields.One2many(
        related="sla_policy_id.target_ids", string="SLA targets"
    )
    support_channels = fields.Char(
        help="How the customer reaches support (e.g. phone, e-mail, portal).",
    )
    support_hours_note = fields.Text(
        string="Support hours note",
        help="When support is available, as told to the customer.",
    )
    scope_included = fields.Html(string="Services in scope")
    scope_excluded = fields.Html(string="Services out of scope")
    site_ids = fields.Many2many(
        "res.partner",
        "contract_contract_service_site_rel",
        "contract_id",
        "partner_id",
        string="Covered sites",
        domain="[('is_service_site', '=', True), "
        "('commercial_partner_id', '=', commercial_partner_id)]",
        help="Sites of the customer this contract covers; none means all of them.",
    )
    account_manager_id = fields.Many2one(
        "res.users", string="Account manager", tracking=True
    )
    customer_contact_id = fields.Many2one(
        "res.partner",
        string="Customer contact",
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
    )
    escalation_contact_ids = fields.One2many(
        "helpdesk.sla.escalation.contact",
        "contract_id",
        string="Escalation contacts",
        copy=True,
    )
    review_interval = fields.Selection(REVIEW_INTERVALS, default="yearly")
    next_review_date = fields.Date(
        compute="_compute_next_review_date", store=True, readonly=False
    )
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
    # --- Links -----------------------------------------------------------
    ticket_ids = fields.One2many("helpdesk.ticket", "contract_id", string="Tickets")
    ticket_count = fields.Integer(compute="_compute_ticket_counts")
    ticket_open_count = fields.Integer(compute="_compute_ticket_counts")
    ticket_breached_count = fields.Integer(compute="_compute_ticket_counts")
    timesheet_ids = fields.One2many(
        "account.analytic.line", "sla_contract_id", string="Timesheets"
    )
    timesheet_count = fields.Integer(compute="_compute_timesheet_count")
    sla_overlap_warning = fields.Char(compute="_compute_sla_overlap_warning")
    sla_can_edit_pricing = fields.Boolean(compute="_compute_sla_can_edit_pricing")
    # --- Uptime guarantees and penalties -----------------------------------
    service_ids = fields.One2many(
        "helpdesk.sla.service", "contract_id", string="Monitored services"
    )
    service_count = fields.Integer(compute="_compute_credit_counts")
    incident_count = fields.Integer(compute="_compute_credit_counts")
    maintenance_notice_hours = fields.Float(
        string="Maintenance notice (hours)",
        default=48.0,
        help="Maintenance announced at least this long before it starts does not "
        "count as downtime.",
    )
    penalty_scheme_id = fields.Many2one(
        "helpdesk.sla.penalty.scheme", string="Penalty scheme"
    )
    penalty_rule_ids = fields.One2many(
        "helpdesk.sla.penalty.rule", "contract_id", string="Penalty rules"
    )
    credit_ids = fields.One2many("helpdesk.sla.credit", "contract_id", string="Credits")
    credit_count = fields.Integer(compute="_compute_credit_counts")
    # --- Reporting ---------------------------------------------------------
    report_interval = fields.Selection(
        [("month", "Monthly"), ("quarter", "Quarterly")],
        string="Performance reports",
        default="month",
        help="How often the customer contact receives the SLA performance report "
        "(empty: never).",
    )
    next_report_date = fields.Date(
        compute="_compute_next_report_date",
        store=True,
        readonly=False,
        help="On this day the report of the period just ended is sent.",
    )
    performance_report_ids = fields.One2many(
        "helpdesk.sla.performance.report", "contract_id", string="SLA reports"
    )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

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

    @api.constrains("site_ids", "partner_id")
    def _check_sites(self):
        for contract in self:
            foreign = contract.site_ids.filtered(
                lambda site, c=contract: (
                    not site.is_service_site
                    or site.commercial_partner_id != c.commercial_partner_id
                )
            )
            if foreign:
                raise ValidationError(
                    contract.env._(
                        "%(sites)s is not a service site of %(customer)s, the "
                        "customer of contract %(contract)s.",
                        sites=", ".join(foreign.mapped("display_name")),
                        customer=contract.commercial_partner_id.display_name,
                        contract=contract.display_name,
                    )
                )

    @api.constrains("date_start", "date_end", "line_recurrence")
    def _check_contract_dates(self):
        # With recurrence per line, the header start is not the contract's:
        # OCA checks each line's own dates then.
        for contract in self.filtered(lambda c: not c.line_recurrence):
            if (
                contract.date_start
                and contract.date_end
                and contract.date_end < contract.date_start
            ):
                raise ValidationError(
                    contract.env._(
                        "Contract %(contract)s ends (%(end)s) before it starts "
                        "(%(start)s).",
                        contract=contract.display_name,
                        end=contract.date_end,
                        start=contract.date_start,
                    )
                )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("review_interval", "date_start")
    def _compute_next_review_date(self):
        today = fields.Date.context_today(self)
        for contract in self:
            months = REVIEW_MONTHS.get(contract.review_interval)
            if not months or not contract.date_start:
                contract.next_review_date = False
                continue
            review = contract.date_start + relativedelta(months=months)
            while review < today:
                review += relativedelta(months=months)
            contract.next_review_date = review

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
                current = max(blocks, key=lambda b: (b.date, b.key)) if blocks else None
                used = allocation.per_block[current.key] if current else 0.0
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
        """Overage hours already on (not cancelled) invoices."""
        self.ensure_one()
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("sla_contract_id", "=", self.id),
                    ("sla_line_kind", "=", "overage"),
                    ("parent_state", "!=", "cancel"),
                ]
            )
        )
        return sum(lines.mapped("quantity"))

    def _compute_ticket_counts(self):
        tickets = self.env["helpdesk.ticket"]
        for contract in self:
            domain = [("contract_id", "=", contract.id)]
            contract.ticket_count = tickets.search_count(domain)
            contract.ticket_open_count = tickets.search_count(
                domain + [("stage_id.closed", "=", False)]
            )
            contract.ticket_breached_count = (
                tickets.sudo().search_count(
                    domain
                    + [
                        "|",
                        ("sla_response_status", "=", "breached"),
                        ("sla_resolution_status", "=", "breached"),
                    ]
                )
                if contract.id
                else 0
            )

    def _compute_timesheet_count(self):
        for contract in self:
            contract.timesheet_count = (
                len(contract._sla_timesheets()) if contract.id else 0
            )

    @api.depends(
        "pricing_model", "site_ids", "partner_id", "date_start", "date_end", "active"
    )
    def _compute_sla_overlap_warning(self):
        for contract in self:
            others = contract._sla_overlapping_contracts()
            contract.sla_overlap_warning = (
                contract.env._(
                    "Another valid contract of the same pricing model covers the "
                    "same sites on the same dates: %(contracts)s. Tickets take the "
                    "most specific one.",
                    contracts=", ".join(others.mapped("display_name")),
                )
                if others
                else False
            )

    def _sla_overlapping_contracts(self):
        self.ensure_one()
        if (
            self.contract_type != "sale"
            or not self.commercial_partner_id
            or not self.active
        ):
            return self.browse()
        domain = [
            ("id", "!=", self._origin.id or 0),
            ("contract_type", "=", "sale"),
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ("pricing_model", "=", self.pricing_model),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", self.date_start or fields.Date.today()),
        ]
        if self.date_end:
            domain.append(("date_start", "<=", self.date_end))
        others = self.sudo().search(domain)
        sites = set(self.site_ids.ids)
        return others.filtered(
            lambda other: (
                not sites or not other.site_ids or sites & set(other.site_ids.ids)
            )
        )

    # ------------------------------------------------------------------
    # Validity and coverage
    # ------------------------------------------------------------------

    def _sla_validity(self):
        """(first day, last day or False) the contract is valid."""
        self.ensure_one()
        start = self.date_start
        if self.line_recurrence:
            starts = [
                line.date_start
                for line in self.contract_line_ids
                if not line.display_type and line.date_start
            ]
            start = min(starts) if starts else start
        return start, self.date_end

    def _sla_is_valid_on(self, day):
        self.ensure_one()
        start, end = self._sla_validity()
        return (
            self.active
            and self.contract_type == "sale"
            and (not start or start <= day)
            and (not end or day <= end)
        )

    def _sla_covers(self, site):
        """Specificity of this contract for a ticket's site: 3 lists it, 2
        covers every site, 1 lists sites but the ticket has none (the customer's
        own tickets: any valid contract of the customer covers them, one for
        every site first), 0 does not cover it."""
        self.ensure_one()
        if not self.site_ids:
            return 2
        if not site:
            return 1
        return 3 if site in self.site_ids else 0

    # ------------------------------------------------------------------
    # Access: pricing is finance's
    # ------------------------------------------------------------------

    def get_formview_id(self, access_uid=None):
        # Support staff without invoicing rights get the SLA form, not OCA's
        # accounting one (journals, invoices, modifications).
        user = self.env["res.users"].browse(access_uid) if access_uid else self.env.user
        if self.contract_type == "sale" and not user.has_group(
            "account.group_account_invoice"
        ):
            return self.env.ref(
                "helpdesk_sla_contract.contract_contract_view_form_helpdesk"
            ).id
        return super().get_formview_id(access_uid=access_uid)

    def _compute_invoice_count(self):
        # Helpdesk users open contracts from their tickets without access to
        # invoices: no count rather than an access error on the form.
        if not self.env["account.move.line"].has_access("read"):
            self.invoice_count = 0
            return
        return super()._compute_invoice_count()

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
        if not PRICING_FIELDS.intersection(vals) or self._sla_may_edit_pricing():
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
        # Tickets created earlier in this transaction keep the contracts of
        # their creation (their SLA is computed at the flush).
        self.env["helpdesk.ticket"]._sla_compute_pending()
        contracts = super().create(vals_list)
        contracts._sla_ensure_schedule_line()
        return contracts

    def write(self, vals):
        self._sla_check_pricing_access(vals)
        self.env["helpdesk.ticket"]._sla_compute_pending()
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

    # ------------------------------------------------------------------
    # Uptime guarantees and credits
    # ------------------------------------------------------------------

    def _compute_credit_counts(self):
        # sudo: counts only; helpdesk users see services but not credits.
        incidents = self.env["helpdesk.sla.incident"].sudo()
        for contract in self:
            contract.service_count = len(contract.sudo().service_ids)
            contract.incident_count = (
                incidents.search_count([("contract_id", "=", contract.id)])
                if contract.id
                else 0
            )
            contract.credit_count = len(contract.sudo().credit_ids)

    @api.constrains("maintenance_notice_hours")
    def _check_maintenance_notice(self):
        for contract in self:
            if contract.maintenance_notice_hours < 0:
                raise ValidationError(
                    contract.env._("A maintenance notice period cannot be negative.")
                )

    def _sla_penalty_rules(self):
        self.ensure_one()
        rules = self.penalty_rule_ids | self.penalty_scheme_id.rule_ids
        return rules.filtered("active").sorted(lambda rule: (rule.sequence, rule.id))

    def _sla_monthly_fee(self):
        """Recurring fee of the contract per month (its lines' monthly amounts)."""
        self.ensure_one()
        return sum(
            line.monthly_recurring
            for line in self.contract_line_ids
            if not line.display_type and not line.is_canceled
        )

    def _sla_lock_for_credits(self):
        """Lock the contracts against a credit run in another worker; those
        already locked are left to it."""
        if not self:
            return self
        self.env.cr.execute(
            "SELECT id FROM contract_contract WHERE id IN %s "
            "FOR NO KEY UPDATE SKIP LOCKED",
            [tuple(self.ids)],
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        return self.filtered(lambda contract: contract.id in locked)

    def _sla_sale_journal(self):
        self.ensure_one()
        if self.journal_id.type == "sale":
            return self.journal_id
        return self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.company_id.id)], limit=1
        )

    def action_view_sla_services(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Monitored services"),
            "res_model": "helpdesk.sla.service",
            "view_mode": "list,form",
            "domain": [("contract_id", "=", self.id)],
            "context": {"default_contract_id": self.id},
        }

    def action_view_sla_incidents(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Downtime"),
            "res_model": "helpdesk.sla.incident",
            "view_mode": "list,form",
            "domain": [("contract_id", "=", self.id)],
        }

    def action_view_sla_credits(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("SLA credits"),
            "res_model": "helpdesk.sla.credit",
            "view_mode": "list,form",
            "domain": [("contract_id", "=", self.id)],
        }

    def _sla_credit_invoice_lines(self, invoice_vals):
        """Lines of the approved credits to deduct from this invoice; the
        credits that would make it negative go to credit notes instead."""
        self.ensure_one()
        sla_credits = self.credit_ids.filtered(
            lambda c: c.state == "approved" and c.apply_as == "invoice_line"
        ).sorted(lambda c: (c.period_start, c.id))
        if not sla_credits:
            return [], sla_credits
        total = 0.0
        for command in invoice_vals["invoice_line_ids"]:
            vals = command[2]
            if vals.get("display_type", "product") == "product":
                total += (
                    vals.get("quantity", 1.0)
                    * vals.get("price_unit", 0.0)
                    * (1 - (vals.get("discount") or 0.0) / 100.0)
                )
        lines, overflow = [], sla_credits.browse()
        for credit in sla_credits:
            if credit.amount <= total + 1e-6:
                lines.append(credit._sla_line_values())
                total -= credit.amount
            else:
                overflow |= credit
        return lines, overflow

    # ------------------------------------------------------------------
    # Agreement and performance reports
    # ------------------------------------------------------------------

    @api.depends("report_interval")
    def _compute_next_report_date(self):
        today = fields.Date.context_today(self)
        for contract in self:
            if not contract.report_interval:
                contract.next_report_date = False
                continue
            _start, end = period_bounds(today, contract.report_interval)
            contract.next_report_date = end

    def _sla_performance_data(self, period_start, period_end, period_kind="month"):
        """Figures of the SLA performance report of a period [start, end)."""
        self.ensure_one()
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("contract_id", "=", self.id),
                    ("sla_start_date", ">=", period_start),
                    ("sla_start_date", "<", period_end),
                ]
            )
        )
        priorities = []
        totals = {"count": 0, "resp_met": 0, "resp_breached": 0}
        totals.update(res_met=0, res_breached=0)
        # Labels in the report's language (the customer's).
        labels = dict(
            self.env["helpdesk.sla.target"]
            ._fields["priority"]
            ._description_selection(self.env)
        )
        for priority, _label in reversed(SLA_PRIORITIES):
            label = labels.get(priority, _label)
            group = tickets.filtered(lambda t, p=priority: t.priority == p)
            row = {
                "priority": priority,
                "label": label,
                "count": len(group),
                "resp_met": sum(1 for t in group if t.sla_response_status == "met"),
                "resp_breached": sum(
                    1 for t in group if t.sla_response_status == "breached"
                ),
                "res_met": sum(1 for t in group if t.sla_resolution_status == "met"),
                "res_breached": sum(
                    1 for t in group if t.sla_resolution_status == "breached"
                ),
            }
            for key in totals:
                totals[key] += row[key]
            row["response_pct"] = sla_stats.compliance_percent(
                row["resp_met"], row["resp_breached"]
            )
            row["resolution_pct"] = sla_stats.compliance_percent(
                row["res_met"], row["res_breached"]
            )
            priorities.insert(0, row)
        start_dt = fields.Datetime.to_datetime(period_start)
        end_dt = fields.Datetime.to_datetime(period_end)
        breaches = (
            self.env["helpdesk.sla.breach"]
            .sudo()
            .search(
                [
                    ("ticket_id.contract_id", "=", self.id),
                    ("breach_date", ">=", start_dt),
                    ("breach_date", "<", end_dt),
                ],
                order="breach_date",
            )
        )
        services = []
        for service in self.sudo().service_ids.filtered("active"):
            uptime, down, _incidents = service._sla_uptime(start_dt, end_dt)
            services.append(
                {
                    "service": service,
                    "name": service.name,
                    "target": service.uptime_target,
                    "uptime": uptime,
                    "downtime_minutes": down,
                    "met": uptime >= service.uptime_target,
                }
            )
        credits_ = (
            self.env["helpdesk.sla.credit"]
            .sudo()
            .search(
                [
                    ("contract_id", "=", self.id),
                    ("period_start", ">=", period_start),
                    ("period_start", "<", period_end),
                    ("state", "!=", "cancel"),
                ]
            )
        )
        return {
            "contract": self,
            "period_start": period_start,
            "period_end": period_end,
            "period_last_day": period_end - relativedelta(days=1),
            "tickets": tickets,
            "priorities": priorities,
            "ticket_count": totals["count"],
            "response_pct": sla_stats.compliance_percent(
                totals["resp_met"], totals["resp_breached"]
            ),
            "resolution_pct": sla_stats.compliance_percent(
                totals["res_met"], totals["res_breached"]
            ),
            "breaches": breaches,
            "services": services,
            "credits": credits_,
            "credit_total": sum(credits_.mapped("amount")),
            "trend": self._sla_trend(period_start, period_kind),
        }

    def _sla_trend(self, period_start, period_kind="month", periods=6):
        """Compliance and worst uptime over the last periods (oldest first),
        with bar heights for the report's chart."""
        self.ensure_one()
        months = 3 if period_kind == "quarter" else 1
        rows = []
        for back in range(periods - 1, -1, -1):
            start = period_start - relativedelta(months=months * back)
            end = start + relativedelta(months=months)
            tickets = (
                self.env["helpdesk.ticket"]
                .sudo()
                .search(
                    [
                        ("contract_id", "=", self.id),
                        ("sla_start_date", ">=", start),
                        ("sla_start_date", "<", end),
                    ]
                )
            )
            statuses = tickets.mapped("sla_resolution_status")
            uptimes = [
                service._sla_uptime(
                    fields.Datetime.to_datetime(start), fields.Datetime.to_datetime(end)
                )[0]
                for service in self.sudo().service_ids.filtered("active")
            ]
            rows.append(
                {
                    "label": self.env["helpdesk.sla.penalty.rule"]._sla_period_label(
                        self, start, end, period_kind
                    ),
                    "resolution_pct": sla_stats.compliance_percent(
                        statuses.count("met"), statuses.count("breached")
                    ),
                    "uptime": min(uptimes) if uptimes else None,
                }
            )
        heights = sla_stats.bar_heights(
            [row["resolution_pct"] for row in rows], top=100.0
        )
        for row, height in zip(rows, heights, strict=True):
            row["height"] = height
        return rows

    def action_print_sla_agreement(self):
        return self.env.ref(
            "helpdesk_sla_contract.action_report_sla_agreement"
        ).report_action(self)

    def action_sla_send_agreement(self):
        """Open the e-mail composer with the agreement attached."""
        self.ensure_one()
        template = self.env.ref("helpdesk_sla_contract.mail_template_sla_agreement")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "force_email": True,
            },
        }

    def action_sla_send_performance_report(self):
        """Send the report of the last complete period now."""
        reports = self.env["helpdesk.sla.performance.report"]
        today = fields.Date.context_today(self)
        for contract in self:
            kind = contract.report_interval or "month"
            start, _end = period_bounds(today, kind)
            previous = start - relativedelta(months=3 if kind == "quarter" else 1)
            reports |= reports._sla_get_or_create(contract, previous, kind)
        reports._sla_send()
        return True

    # ------------------------------------------------------------------
    # Archiving
    # ------------------------------------------------------------------

    def action_archive(self):
        open_tickets = self.env["helpdesk.ticket"].search(
            [("contract_id", "in", self.ids), ("stage_id.closed", "=", False)]
        )
        if open_tickets and not self.env.context.get("sla_archive_confirmed"):
            wizard = self.env["helpdesk.sla.contract.archive"].create(
                {"contract_ids": [Command.set(self.ids)]}
            )
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Archive contracts with open tickets"),
                "res_model": wizard._name,
                "res_id": wizard.id,
                "view_mode": "form",
                "target": "new",
            }
        return super().action_archive()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sla_history(self):
        """Tickets, downtime, credits and invoices keep their contract."""
        # Invoice lines name the contract (ours) or one of its lines (OCA's).
        invoiced = count_references(self, "account.move.line", "sla_contract_id")
        lines = self.with_context(active_test=False).contract_line_ids
        for line_id, count in count_references(
            lines, "account.move.line", "contract_line_id"
        ).items():
            contract_id = lines.browse(line_id).contract_id.id
            invoiced[contract_id] = invoiced.get(contract_id, 0) + count
        refuse_unlink_if_referenced(
            self,
            [
                (
                    self.env._("tickets"),
                    count_references(self, "helpdesk.ticket", "contract_id"),
                ),
                (
                    self.env._("downtime records"),
                    count_references(self, "helpdesk.sla.incident", "contract_id"),
                ),
                (
                    self.env._("SLA credits"),
                    count_references(self, "helpdesk.sla.credit", "contract_id"),
                ),
                (self.env._("invoice lines"), invoiced),
            ],
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_sla_apply_to_open_tickets(self):
        """Apply the contract's (new) policy and hours to its open tickets,
        keeping the time they consumed. Open tickets of the customer that had
        no valid contract are attached to it when it covers them."""
        tickets = self.env["helpdesk.ticket"].sudo()
        uncovered = tickets.search(
            [
                ("stage_id.closed", "=", False),
                ("contract_id", "=", False),
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
            ]
        )
        for ticket in uncovered:
            contract = ticket._sla_pick_contract(self)
            if contract:
                ticket.contract_id = contract
        tickets._sla_rematch_open_tickets([("contract_id", "in", self.ids)])
        return True

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

    def action_view_sla_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {"default_contract_id": self.id}
        return action

    def action_view_sla_timesheets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Timesheets"),
            "res_model": "account.analytic.line",
            "view_mode": "list,form",
            "domain": [("sla_contract_id", "=", self.id)],
        }

    # ------------------------------------------------------------------
    # Consumption alerts
    # ------------------------------------------------------------------

    def _sla_check_consumption_alerts(self):
        for contract in self:
            if contract.pricing_model in BANK_MODELS:
                contract._sla_check_bank_alerts()
            elif contract.pricing_model == "project_hourly":
                contract._sla_check_budget()

    def _sla_alert_partners(self):
        self.ensure_one()
        return (self.account_manager_id.partner_id | self.customer_contact_id).filtered(
            "email"
        )

    def _sla_send_alert(self, body):
        self.ensure_one()
        self.sudo().message_post(
            body=body,
            partner_ids=self._sla_alert_partners().ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        if self.account_manager_id:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.account_manager_id.id,
                summary=body,
            )

    def _sla_check_bank_alerts(self):
        self.ensure_one()
        blocks = self.hour_block_ids.filtered(lambda b: b.state != "cancel")
        if not blocks:
            return
        current = blocks.sorted(lambda b: (b.date, b.id))[-1]
        bank_blocks, entries = self._sla_bank_data()
        percent = prepaid_bank.used_percent(bank_blocks, entries, self.rollover)
        crossed = prepaid_bank.thresholds_crossed(
            current.alert_level,
            percent,
            [self.alert_threshold_low, self.alert_threshold_high],
        )
        if not crossed:
            return
        current.sudo().alert_level = crossed[-1]
        self._sla_send_alert(
            Markup("<p>%s</p>")
            % self.env._(
                "The prepaid bank of contract %(contract)s is %(percent)s %% used "
                "(alert at %(threshold)s %%); %(left)s hours left.",
                contract=self.display_name,
                percent=float_round(percent, 1),
                threshold=float_round(crossed[-1], 1),
                left=float_round(self.bank_remaining_hours, 2),
            )
        )

    def _sla_check_budget(self):
        self.ensure_one()
        if (
            not self.budget_hours
            or self.budget_warned
            or float_compare(self.hours_consumed, self.budget_hours, 2) < 0
        ):
            return
        self.sudo().budget_warned = True
        self._sla_send_alert(
            Markup("<p>%s</p>")
            % self.env._(
                "The project budget of contract %(contract)s is reached: "
                "%(hours)s of %(budget)s hours used.",
                contract=self.display_name,
                hours=float_round(self.hours_consumed, 2),
                budget=float_round(self.budget_hours, 2),
            )
        )

    # ------------------------------------------------------------------
    # Invoicing
    # ------------------------------------------------------------------

    def _prepare_recurring_invoices_values(self, date_ref=False):
        invoices_values = []
        for contract in self:
            period = contract._sla_next_invoice_period(date_ref)
            values = super(
                ContractContract, contract
            )._prepare_recurring_invoices_values(date_ref)
            if values and period and contract.contract_type == "sale":
                values[0]["invoice_line_ids"] += [
                    Command.create(line_vals)
                    for line_vals in contract._sla_pricing_invoice_lines(*period)
                ]
            if values and contract.contract_type == "sale":
                credit_lines, overflow = contract._sla_credit_invoice_lines(values[0])
                values[0]["invoice_line_ids"] += [
                    Command.create(line_vals) for line_vals in credit_lines
                ]
                if overflow:
                    # Odoo refuses negative invoices: a credit note instead.
                    overflow._sla_create_credit_notes()
            invoices_values += values
        return invoices_values

    def _sla_next_invoice_period(self, date_ref):
        """(first day, last day) of the period the next invoice covers, read
        before OCA contract moves the lines' invoiced dates."""
        self.ensure_one()
        date_ref = date_ref or self.recurring_next_date
        if not date_ref:
            return None
        lines = self._get_lines_to_invoice(date_ref).filtered(
            lambda line: not line.display_type or line.is_recurring_note
        )
        if not lines:
            return None
        line = lines[0]
        first, last, _date = line._get_period_to_invoice(
            line.last_date_invoiced, line.recurring_next_date
        )
        return first, last

    def _recurring_create_invoice(self, date_ref=False):
        moves = super()._recurring_create_invoice(date_ref)
        # A one-time project fee is invoiced once: the contract ends there.
        for contract in self.filtered(lambda c: c.pricing_model == "project_fixed"):
            for line in contract.contract_line_ids.filtered(
                lambda line: (
                    line.last_date_invoiced
                    and (not line.date_end or line.date_end > line.last_date_invoiced)
                )
            ):
                line.write(
                    {"date_end": line.last_date_invoiced, "recurring_next_date": False}
                )
            contract.recurring_next_date = False
        return moves

    def _sla_line(self, kind, product_xmlid, name, quantity, price, **links):
        vals = {
            "product_id": self.env.ref(product_xmlid).id,
            "name": name,
            "quantity": quantity,
            "price_unit": price,
            "sla_contract_id": self.id,
            "sla_line_kind": kind,
        }
        for fname, records in links.items():
            vals[fname] = [Command.set(records.ids)]
        return vals

    def _sla_pricing_invoice_lines(self, first, last):
        """Invoice line values of this contract's pricing model for a period."""
        self.ensure_one()
        model = self.pricing_model
        lines = []
        if model in ("hourly", "project_hourly"):
            timesheets = self._sla_timesheets(until=last, unbilled=True)
            if timesheets:
                hours = sum(timesheets.mapped("unit_amount"))
                lines.append(
                    self._sla_line(
                        "hours",
                        "helpdesk_sla_contract.product_sla_support_hour",
                        self.env._(
                            "Support hours up to %(last)s",
                            last=last,
                        ),
                        hours,
                        self.hourly_rate,
                        sla_timesheet_ids=timesheets,
                    )
                )
        elif model in BANK_MODELS:
            lines += self._sla_bank_invoice_lines(last)
        elif model == "remote_monitoring":
            sites = self.site_ids or self.commercial_partner_id.sla_site_ids
            devices = sum(sites.mapped("device_count"))
            if devices:
                lines.append(
                    self._sla_line(
                        "devices",
                        "helpdesk_sla_contract.product_sla_monitored_device",
                        self.env._(
                            "Remote monitoring, %(first)s to %(last)s: %(count)s "
                            "devices",
                            first=first,
                            last=last,
                            count=devices,
                        ),
                        devices,
                        self.device_price,
                    )
                )
        elif model == "online_backup":
            usages = self.usage_ids.filtered(
                lambda usage: usage.date <= last and not usage.sla_is_billed
            )
            if usages:
                lines.append(
                    self._sla_line(
                        "backup",
                        "helpdesk_sla_contract.product_sla_backup_gb",
                        self.env._("Online backup up to %(last)s", last=last),
                        sum(usages.mapped("quantity")),
                        self.gb_price,
                        sla_usage_ids=usages,
                    )
                )
        return lines

    def _sla_bank_invoice_lines(self, last):
        self.ensure_one()
        money = self.pricing_model == "block_money"
        lines = []
        for block in self.hour_block_ids.filtered(
            lambda b: b.state != "cancel" and not b.sla_is_billed and b.date <= last
        ):
            lines.append(
                self._sla_line(
                    "block",
                    "helpdesk_sla_contract.product_sla_prepaid_block",
                    block.display_name,
                    1.0,
                    block.price,
                    sla_hour_block_ids=block,
                )
            )
        # One read: the whole history draws the bank, the unbilled part is billed.
        history = self._sla_timesheets(until=last)
        timesheets = history.filtered(lambda line: not line.sla_is_billed)
        if not timesheets:
            return lines
        blocks, entries = self._sla_bank_data(lines=history)
        allocation = prepaid_bank.allocate(blocks, entries, self.rollover)
        per_hour = self.hourly_rate if money else 1.0
        overage_hours = max(
            allocation.overage / per_hour - self._sla_overage_billed(), 0.0
        )
        overage_hours = float_round(overage_hours, precision_digits=2)
        hours = sum(timesheets.mapped("unit_amount"))
        drawn_hours = max(hours - overage_hours, 0.0)
        remaining = allocation.remaining
        bank_line = self._sla_line(
            "bank",
            "helpdesk_sla_contract.product_sla_support_hour",
            self.env._(
                "Support hours drawn from the prepaid bank up to %(last)s "
                "(%(left)s %(unit)s left)",
                last=last,
                left=float_round(remaining, 2),
                unit=self.currency_id.name if money else self.env._("hours"),
            ),
            drawn_hours,
            0.0,
        )
        lines.append(bank_line)
        if overage_hours > 0:
            lines.append(
                self._sla_line(
                    "overage",
                    "helpdesk_sla_contract.product_sla_overage_hour",
                    self.env._(
                        "Support hours beyond the prepaid bank up to %(last)s",
                        last=last,
                    ),
                    overage_hours,
                    self.overage_rate or self.hourly_rate,
                    sla_timesheet_ids=timesheets,
                )
            )
        else:
            bank_line["sla_timesheet_ids"] = [Command.set(timesheets.ids)]
        return lines
