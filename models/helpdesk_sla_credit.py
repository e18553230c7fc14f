# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from dateutil.relativedelta import relativedelta
from psycopg2.errors import SerializationFailure, UniqueViolation

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_is_zero, mute_logger

_logger = logging.getLogger(__name__)

CREDIT_STATES = [
    ("draft", "Draft"),
    ("approved", "Approved"),
    ("applied", "Applied"),
    ("cancel", "Cancelled"),
]
# What only the computation may change on a credit (and never once approved).
COMPUTED_FIELDS = {
    "amount",
    "uncapped_amount",
    "fee",
    "reason",
    "basis",
    "uptime",
    "tier_percent",
    "incident_ids",
    "breach_ids",
}
# The credit's identity: fixed once it leaves draft.
IDENTITY_FIELDS = {
    "contract_id",
    "rule_id",
    "period_kind",
    "period_start",
    "period_end",
}


def period_bounds(day, period_kind):
    """(first day, first day of the next period) of the month or quarter of day."""
    if period_kind == "quarter":
        start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        return start, start + relativedelta(months=3)
    start = day.replace(day=1)
    return start, start + relativedelta(months=1)


class HelpdeskSlaCredit(models.Model):
    """A service credit owed to a customer for one contract, rule and period:
    a month and the quarter holding it are two periods (period_kind)."""

    _name = "helpdesk.sla.credit"
    _description = "SLA service credit"
    _inherit = ["mail.thread"]
    _order = "period_start desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    contract_id = fields.Many2one(
        "contract.contract", required=True, ondelete="restrict", index=True
    )
    partner_id = fields.Many2one(
        related="contract_id.commercial_partner_id", store=True, string="Customer"
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    rule_id = fields.Many2one(
        "helpdesk.sla.penalty.rule", required=True, ondelete="restrict", index=True
    )
    period_kind = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter")], required=True, default="month"
    )
    period_start = fields.Date(required=True, index=True)
    period_end = fields.Date(
        required=True, help="First day after the period (the period is before it)."
    )
    amount = fields.Monetary(tracking=True)
    uncapped_amount = fields.Monetary()
    fee = fields.Monetary(string="Period fee")
    uptime = fields.Float(string="Uptime (%)", digits=(16, 3))
    tier_percent = fields.Float(string="Credit tier (%)")
    reason = fields.Char(help="Printed on the invoice.")
    basis = fields.Html(sanitize=True, help="What the credit was computed from.")
    incident_ids = fields.Many2many("helpdesk.sla.incident", string="Incidents")
    breach_ids = fields.Many2many("helpdesk.sla.breach", string="Breaches")
    state = fields.Selection(
        CREDIT_STATES, default="draft", required=True, tracking=True, index=True
    )
    apply_as = fields.Selection(
        [
            ("invoice_line", "Line on the next invoice"),
            ("credit_note", "Credit note"),
        ],
        default="invoice_line",
        required=True,
        help="A line on the next recurring invoice, unless it would make that "
        "invoice negative: then a credit note against the period's invoice.",
    )
    # restrict: a line is deleted only after its ondelete hook released its
    # credits (account.move.line); anything else must not strand a credit.
    invoice_line_id = fields.Many2one(
        "account.move.line", copy=False, ondelete="restrict", readonly=True
    )
    move_id = fields.Many2one(
        related="invoice_line_id.move_id", string="Invoice", store=True
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        (
            "unique_contract_rule_period",
            "UNIQUE(contract_id, rule_id, period_kind, period_start)",
            "A contract gets one credit per rule and period.",
        ),
        ("amount_positive", "CHECK(amount >= 0)", "A credit cannot be negative."),
    ]

    @api.depends("contract_id", "rule_id", "period_kind", "period_start")
    def _compute_name(self):
        for credit in self:
            credit.name = " / ".join(
                part
                for part in (
                    credit.contract_id.display_name,
                    credit.rule_id.name,
                    credit._sla_period_code(),
                )
                if part
            )

    def _sla_period_code(self):
        """2026-10 for a month, 2026-Q4 for a quarter."""
        self.ensure_one()
        start = self.period_start
        if not start:
            return ""
        if self.period_kind == "quarter":
            return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
        return start.strftime("%Y-%m")

    # ------------------------------------------------------------------
    # Protection
    # ------------------------------------------------------------------

    def _sla_check_finance(self):
        if self.env.su or self.env.user.has_group("account.group_account_manager"):
            return
        raise AccessError(
            self.env._("Only accounting managers approve or apply SLA credits.")
        )

    @api.model_create_multi
    def create(self, vals_list):
        # The system (sudo) creates credits as the computation finds them.
        if not self.env.su and any(
            vals.get("invoice_line_id") or vals.get("state", "draft") != "draft"
            for vals in vals_list
        ):
            raise UserError(
                self.env._(
                    "A credit is created as a draft, on no invoice: it is then "
                    "approved, and applied by the invoicing."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        # Applying, releasing and the workflow's own writes are the system's
        # (sudo); every other write goes through these checks.
        if not self.env.su:
            self._sla_check_write(vals)
        return super().write(vals)

    def _sla_check_write(self, vals):
        locked = self.filtered(lambda c: c.state in ("applied", "cancel"))
        if locked and set(vals) - {"message_main_attachment_id"}:
            raise UserError(
                self.env._(
                    "An applied or cancelled credit cannot be changed "
                    "(%(credits)s). Cancel its invoice first.",
                    credits=", ".join(locked.mapped("name")),
                )
            )
        if (COMPUTED_FIELDS | IDENTITY_FIELDS).intersection(vals) and self.filtered(
            lambda c: c.state != "draft"
        ):
            raise UserError(
                self.env._("Only draft credits can be recomputed or edited.")
            )
        if "invoice_line_id" in vals or vals.get("state") == "applied":
            raise UserError(
                self.env._(
                    "A credit is applied by putting it on a draft invoice "
                    "line, and released by removing that line or cancelling "
                    "the invoice."
                )
            )
        if "state" in vals or "apply_as" in vals:
            self._sla_check_finance()

    @api.constrains("state", "invoice_line_id")
    def _check_applied_on_a_line(self):
        for credit in self:
            if (credit.state == "applied") != bool(credit.invoice_line_id):
                raise ValidationError(
                    self.env._(
                        "A credit is applied exactly when it is on an invoice "
                        "line (%(credit)s).",
                        credit=credit.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda c: c.state not in ("draft", "cancel")):
            raise UserError(
                self.env._("Only draft or cancelled credits can be deleted.")
            )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def action_approve(self):
        self._sla_check_finance()
        for credit in self:
            if credit.state != "draft":
                raise UserError(
                    self.env._(
                        "Only draft credits can be approved (%(credit)s).",
                        credit=credit.name,
                    )
                )
        for credit in self:
            credit.write(
                {
                    "state": "approved",
                    "approved_by_id": self.env.user.id,
                    "approved_date": fields.Datetime.now(),
                    "approved_fee_basis": credit.rule_id.fee_basis,
                }
            )
        return True

    def action_cancel(self):
        self._sla_check_finance()
        if self.filtered(lambda c: c.state == "applied"):
            raise UserError(
                self.env._("An applied credit is cancelled by cancelling its invoice.")
            )
        self.sudo().write({"state": "cancel"})
        return True

    def action_reset_to_draft(self):
        self._sla_check_finance()
        if self.filtered(lambda c: c.state == "applied"):
            raise UserError(self.env._("An applied credit cannot go back to draft."))
        self.sudo().write({"state": "draft"})
        return True

    def action_apply_credit_note(self):
        """Finance's choice: a credit note now, rather than a line on the next
        invoice."""
        self._sla_check_finance()
        if self.filtered(lambda c: c.state != "approved"):
            raise UserError(self.env._("Only approved credits can be applied."))
        moves = self._sla_create_credit_notes()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", moves.ids)],
            "name": self.env._("Credit notes"),
        }

    # ------------------------------------------------------------------
    # Invoicing
    # ------------------------------------------------------------------

    def _sla_line_values(self, sign=-1):
        self.ensure_one()
        return {
            "product_id": self.env.ref(
                "helpdesk_sla_contract.product_sla_service_credit"
            ).id,
            "name": self.env._("SLA service credit: %(reason)s", reason=self.reason),
            "quantity": 1.0,
            "price_unit": sign * self.amount,
            "sla_contract_id": self.contract_id.id,
            "sla_line_kind": "credit",
            "sla_credit_ids": [Command.set(self.ids)],
        }

    def _sla_period_invoice(self):
        """The contract's customer invoice that billed the credit's period."""
        self.ensure_one()
        invoices = self.contract_id._get_related_invoices().filtered(
            lambda move: move.move_type == "out_invoice" and move.state != "cancel"
        )
        covering = invoices.filtered(
            lambda move: move.invoice_date and move.invoice_date >= self.period_start
        ).sorted(lambda move: (move.invoice_date, move.id))
        return covering[:1] or invoices.sorted("id")[-1:]

    def _sla_create_credit_notes(self):
        moves = self.env["account.move"]
        for credit in self:
            contract = credit.contract_id
            journal = contract._sla_sale_journal()
            invoice = credit._sla_period_invoice()
            vals = {
                "move_type": "out_refund",
                "partner_id": (contract.invoice_partner_id or contract.partner_id).id,
                "company_id": contract.company_id.id,
                "currency_id": contract.currency_id.id,
                "journal_id": journal.id,
                "invoice_origin": contract.name,
                "ref": credit.reason,
                "invoice_line_ids": [Command.create(credit._sla_line_values(sign=1))],
            }
            if invoice:
                vals["reversed_entry_id"] = invoice.id
            moves |= self.env["account.move"].sudo().create(vals)
        return moves

    def _sla_check_apply_rights(self, line):
        """Accounting managers apply any approved credit; invoicing users those
        finance left for the next invoice, on a customer invoice (what the
        contract's recurring invoicing does for them)."""
        if self.env.su or self.env.user.has_group("account.group_account_manager"):
            return
        if (
            self.env.user.has_group("account.group_account_invoice")
            and line.move_id.move_type == "out_invoice"
            and all(credit.apply_as == "invoice_line" for credit in self)
        ):
            return
        raise AccessError(
            self.env._(
                "Only accounting managers apply SLA credits other than as a line "
                "on the next invoice."
            )
        )

    def _sla_apply_to_line(self, line):
        """Put approved credits on a draft invoice line (called as the user who
        links them: the rights are theirs, the write is the system's)."""
        self._sla_check_apply_rights(line)
        credits_su = self.sudo()
        for credit in credits_su:
            if credit.state != "approved":
                raise UserError(
                    self.env._(
                        "Only approved credits can be applied (%(credit)s).",
                        credit=credit.name,
                    )
                )
            if credit.invoice_line_id:
                raise UserError(
                    self.env._(
                        "%(credit)s is already on %(move)s.",
                        credit=credit.name,
                        move=credit.invoice_line_id.move_id.display_name,
                    )
                )
        if line.parent_state != "draft":
            raise UserError(self.env._("Credits are applied on draft invoices only."))
        line._sla_check_credits_fit(line.sudo().sla_credit_ids | credits_su)
        credits_su.write({"state": "applied", "invoice_line_id": line.id})

    def _sla_release(self):
        """Their line was deleted or their invoice cancelled: back to approved,
        for the next invoice."""
        self.sudo().write({"state": "approved", "invoice_line_id": False})

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------

    @api.model
    def _sla_compute_credits(self, contracts, period_start, period_kind="month"):
        """Compute (or update the draft) credits of contracts for the period
        starting on `period_start`.

        Safe against another run of the same period (cron, wizard, another
        worker): the contracts that run holds are skipped (row lock), and so
        is a contract whose credits that run wrote and committed after this
        transaction began (this snapshot cannot see them; writing them again
        would break the unique identity or conflict with its update): its
        credits stand, one savepoint per contract undoes this run's."""
        period_start, period_end = period_bounds(period_start, period_kind)
        sla_credits = self.browse()
        contracts = contracts._sla_lock_for_credits()
        existing = {
            (credit.contract_id.id, credit.rule_id.id): credit
            for credit in self.sudo().search(
                [
                    ("contract_id", "in", contracts.ids),
                    ("period_kind", "=", period_kind),
                    ("period_start", "=", period_start),
                ]
            )
        }
        period = (period_start, period_end, period_kind)
        for contract in contracts:
            try:
                # The savepoint flushes when it closes: muted too.
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    sla_credits |= self._sla_compute_contract_credits(
                        contract, period, existing
                    )
            except (UniqueViolation, SerializationFailure):
                _logger.info(
                    "SLA credits of %s from %s (%s) written meanwhile by another "
                    "run: kept as it wrote them",
                    contract.display_name,
                    period_start,
                    period_kind,
                )
        return sla_credits

    @api.model
    def _sla_compute_contract_credits(self, contract, period, existing):
        """The credits of one contract for period (start, end, kind), created
        or updated while draft; `existing`: the period's credits by (contract
        id, rule id)."""
        period_start, period_end, period_kind = period
        sla_credits = self.browse()
        # Reasons and lines go on the customer's invoice: in their language.
        lang = contract.partner_id.lang or self.env.lang
        rules = contract._sla_penalty_rules()
        # Drafts of rules that no longer apply (removed, archived, another
        # scheme) would be approved beside the current rules' credits.
        for (contract_id, rule_id), credit in existing.items():
            if (
                contract_id == contract.id
                and rule_id not in rules.ids
                and credit.state == "draft"
            ):
                credit.sudo().unlink()
        for rule in rules.with_context(lang=lang):
            values = rule._sla_evaluate(contract, period_start, period_end, period_kind)
            credit = existing.get((contract.id, rule.id))
            if credit and credit.state != "draft":
                continue
            if not values or float_is_zero(
                values["amount"], precision_rounding=contract.currency_id.rounding
            ):
                if credit:
                    credit.sudo().unlink()
                continue
            values = dict(
                values,
                incident_ids=[Command.set(values.get("incident_ids", []))],
                breach_ids=[Command.set(values.get("breach_ids", []))],
            )
            if credit:
                credit.sudo().write(values)
            else:
                credit = self.sudo().create(
                    dict(
                        values,
                        contract_id=contract.id,
                        rule_id=rule.id,
                        period_kind=period_kind,
                        period_start=period_start,
                        period_end=period_end,
                    )
                )
            sla_credits |= credit
        return sla_credits

    @api.model
    def _cron_compute_credits(self, today=None):
        """Monthly: the credits of the month just ended, and of the quarter
        when a quarter just ended."""
        today = today or fields.Date.context_today(self)
        contracts = self.env["contract.contract"].search(
            [
                ("contract_type", "=", "sale"),
                "|",
                "|",
                ("penalty_rule_ids", "!=", False),
                ("penalty_scheme_id", "!=", False),
                # Left with drafts of rules that no longer apply.
                ("credit_ids.state", "=", "draft"),
            ]
        )
        last_month = today.replace(day=1) - relativedelta(months=1)
        sla_credits = self._sla_compute_credits(contracts, last_month, "month")
        if last_month.month % 3 == 0:
            quarter = last_month.replace(month=last_month.month - 2)
            sla_credits |= self._sla_compute_credits(contracts, quarter, "quarter")
        _logger.info("SLA credits: %s computed or updated", len(sla_credits))
        return sla_credits
