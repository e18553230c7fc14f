# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_round, format_date, formatLang, get_lang

from ..lib import uptime as uptime_lib
from ..lib.sla_display import human_duration
from .helpdesk_sla_target import sla_priority_selection
from .sla_history import count_references, refuse_unlink_if_referenced


class HelpdeskSlaPenaltyRule(models.Model):
    """How a missed promise is compensated: uptime tiers or per-breach amounts,
    on a contract or in a reusable scheme."""

    _name = "helpdesk.sla.penalty.rule"
    _description = "SLA penalty rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    contract_id = fields.Many2one(
        "contract.contract", ondelete="cascade", index="btree_not_null"
    )
    scheme_id = fields.Many2one(
        "helpdesk.sla.penalty.scheme", ondelete="cascade", index="btree_not_null"
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        index=True,
    )
    kind = fields.Selection(
        [("uptime", "Uptime tiers"), ("breach", "Per breach")],
        default="uptime",
        required=True,
    )
    fee_basis = fields.Selection(
        [("service", "The service's fee"), ("contract", "The whole contract's fee")],
        default="service",
        required=True,
        help="The period's recurring fee the percentages apply to.",
    )
    service_ids = fields.Many2many(
        "helpdesk.sla.service",
        string="Services",
        help="Uptime rules: the services concerned (none: all of the contract's).",
    )
    tier_ids = fields.One2many(
        "helpdesk.sla.penalty.tier", "rule_id", string="Tiers", copy=True
    )
    breach_kind = fields.Selection(
        [("any", "Any"), ("response", "Response"), ("resolution", "Resolution")],
        default="any",
    )
    priority = fields.Selection(
        sla_priority_selection, help="Per-breach rules: only breaches of this priority."
    )
    amount_type = fields.Selection(
        [("fixed", "Fixed amount"), ("percent", "% of the fee")],
        default="fixed",
    )
    amount = fields.Float(help="Per breach: the amount, or the % of the fee.")
    exclude_customer_caused = fields.Boolean(default=True)
    exclude_waiting = fields.Boolean(
        string="Exclude waiting on the customer",
        default=True,
        help="No penalty for the breach of a ticket that waited on the customer "
        "(a pause stage) before the breach.",
    )
    exclude_force_majeure = fields.Boolean(default=True)
    cap_percent = fields.Float(
        string="Cap (% of fee)",
        help="The credit of a period never exceeds this share of the fee (0: no cap).",
    )

    @api.depends("contract_id.company_id", "scheme_id.company_id")
    def _compute_company_id(self):
        for rule in self:
            rule.company_id = (
                rule.contract_id.company_id
                or rule.scheme_id.company_id
                or rule.company_id
            )

    @api.constrains("contract_id", "scheme_id", "name")
    def _check_owner(self):
        for rule in self:
            if bool(rule.contract_id) == bool(rule.scheme_id):
                raise ValidationError(
                    self.env._(
                        "The penalty rule %(rule)s belongs either to a contract or "
                        "to a scheme.",
                        rule=rule.name,
                    )
                )

    @api.constrains("amount", "cap_percent", "kind", "amount_type")
    def _check_amounts(self):
        for rule in self:
            if rule.amount < 0 or rule.cap_percent < 0 or rule.cap_percent > 100:
                raise ValidationError(
                    self.env._(
                        "Penalty amounts cannot be negative and a cap is a "
                        "percentage between 0 and 100 (rule %(rule)s).",
                        rule=rule.name,
                    )
                )
            if (
                rule.kind == "breach"
                and rule.amount_type == "percent"
                and (rule.amount > 100)
            ):
                raise ValidationError(
                    self.env._(
                        "A per-breach penalty is at most 100 %% of the fee "
                        "(rule %(rule)s).",
                        rule=rule.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sla_history(self):
        """Credits keep the rule they were computed by."""
        refuse_unlink_if_referenced(
            self,
            [
                (
                    self.env._("SLA credits"),
                    count_references(self, "helpdesk.sla.credit", "rule_id"),
                )
            ],
        )

    # ------------------------------------------------------------------
    # Evaluation
    # ------------------------------------------------------------------

    def _sla_period_label(self, contract, period_start, period_end, period_kind):
        lang = contract.partner_id.lang or self.env.lang
        if period_kind == "quarter":
            # In the customer's language, like the month below.
            return self.with_context(lang=lang).env._(
                "Q%(quarter)s %(year)s",
                quarter=(period_start.month - 1) // 3 + 1,
                year=period_start.year,
            )
        return format_date(self.env, period_start, lang_code=lang, date_format="MMMM y")

    def _sla_decimal(self, value):
        """A number as Python prints it, with the language's decimal point."""
        return str(value).replace(".", get_lang(self.env).decimal_point)

    def _sla_evaluate(self, contract, period_start, period_end, period_kind):
        """Credit values of this rule for a contract and period, or None."""
        self.ensure_one()
        if self.kind == "uptime":
            return self._sla_evaluate_uptime(
                contract, period_start, period_end, period_kind
            )
        if period_kind != "month":
            return None
        return self._sla_evaluate_breaches(contract, period_start, period_end)

    def _sla_evaluate_uptime(self, contract, period_start, period_end, period_kind):
        services = (self.service_ids or contract.service_ids).filtered(
            lambda s, c=contract, k=period_kind: (
                s.contract_id == c and s.active and s.measurement_period == k
            )
        )
        if not services or not self.tier_ids:
            return None
        months = 3 if period_kind == "quarter" else 1
        period = (
            fields.Datetime.to_datetime(period_start),
            fields.Datetime.to_datetime(period_end),
            self._sla_period_label(contract, period_start, period_end, period_kind),
        )
        contract_fee = contract._sla_monthly_fee() * months
        amounts, reasons, lines = [], [], []
        failing = self.env["helpdesk.sla.service"]
        incidents = self.env["helpdesk.sla.incident"]
        worst, worst_tier = 100.0, 0.0
        for service in services:
            uptime, tier, line, reason, service_incidents = self._sla_service_uptime(
                service, period
            )
            worst = min(worst, uptime)
            lines.append(line)
            if not tier:
                continue
            incidents |= service_incidents
            failing |= service
            worst_tier = max(worst_tier, tier.credit_percent)
            fee = (
                service._sla_period_fee(months)
                if self.fee_basis == "service"
                else contract_fee
            )
            amounts.append(fee * tier.credit_percent / 100.0)
            reasons.append(reason)
        if not amounts:
            return None
        if self.fee_basis == "contract":
            # One failing service or several: the contract fee is credited once,
            # at the worst tier.
            amount = max(amounts)
            fee = contract_fee
        else:
            amount = sum(amounts)
            # The fees the percentages applied to: the failing services' own.
            fee = sum(s._sla_period_fee(months) for s in failing)
        return self._sla_credit_values(
            amount,
            fee,
            reasons,
            lines,
            uptime=worst,
            tier_percent=worst_tier,
            incident_ids=incidents.ids,
        )

    def _sla_service_uptime(self, service, period):
        """(uptime %, credit tier or None, report line, credit reason,
        incidents counted) of one service over period (start, end, label)."""
        start, end, label = period
        uptime, down_minutes, incidents = service._sla_uptime(
            start,
            end,
            exclude_force_majeure=self.exclude_force_majeure,
            exclude_customer_caused=self.exclude_customer_caused,
        )
        tiers = [
            uptime_lib.Tier(tier.below_percent, tier.credit_percent)
            for tier in self.tier_ids
        ]
        tier = uptime_lib.credit_tier(uptime, tiers)
        # Formatted outside the translated calls (babel evaluates f-strings),
        # with the decimal point of the language (the customer's, see
        # _sla_compute_contract_credits).
        uptime_text = formatLang(self.env, float_round(uptime, 2), digits=2)
        line = self.env._(
            "%(service)s: uptime %(uptime)s %% in %(period)s "
            "(%(down)s counted down, target %(target)s %%)",
            service=service.name,
            uptime=uptime_text,
            period=label,
            down=human_duration(down_minutes / 60.0, _=self.env._),
            target=self._sla_decimal(service.uptime_target),
        )
        reason = tier and self.env._(
            "%(service)s: uptime %(uptime)s %% in %(period)s, below "
            "%(below)s %% → %(credit)s %%",
            service=service.name,
            uptime=uptime_text,
            period=label,
            below=self._sla_decimal(format(tier.below_percent, "g")),
            credit=self._sla_decimal(format(tier.credit_percent, "g")),
        )
        return uptime, tier, line, reason, incidents

    def _sla_evaluate_breaches(self, contract, period_start, period_end):
        # The contract and priority of breach time; the period of the deadline.
        domain = [
            ("contract_id", "=", contract.id),
            ("deadline", ">=", fields.Datetime.to_datetime(period_start)),
            ("deadline", "<", fields.Datetime.to_datetime(period_end)),
        ]
        if self.breach_kind != "any":
            domain.append(("kind", "=", self.breach_kind))
        if self.priority:
            domain.append(("priority", "=", self.priority))
        breaches = self.env["helpdesk.sla.breach"].sudo().search(domain)
        if self.exclude_waiting:
            breaches = breaches.filtered(lambda b: not b._sla_while_waiting())
        if not breaches:
            return None
        fee = contract._sla_monthly_fee()
        each = self.amount if self.amount_type == "fixed" else fee * self.amount / 100.0
        label = self._sla_period_label(contract, period_start, period_end, "month")
        reason = self.env._(
            "%(rule)s: %(count)s SLA breaches in %(period)s",
            rule=self.name,
            count=len(breaches),
            period=label,
        )
        lines = [
            self.env._(
                "%(ticket)s: %(kind)s deadline %(deadline)s missed by %(late)s h",
                ticket=breach.ticket_id.display_name,
                kind=dict(breach._fields["kind"]._description_selection(self.env))[
                    breach.kind
                ],
                deadline=breach.deadline,
                late=float_round(breach.late_hours, 2),
            )
            for breach in breaches
        ]
        return self._sla_credit_values(
            each * len(breaches), fee, [reason], lines, breach_ids=breaches.ids
        )

    def _sla_credit_values(self, amount, fee, reasons, lines, **extra):
        capped = uptime_lib.capped(amount, fee, self.cap_percent)
        basis = Markup("<ul>%s</ul>") % Markup("").join(
            Markup("<li>%s</li>") % escape(line) for line in lines
        )
        if capped < amount:
            reasons = reasons + [
                self.env._(
                    "capped at %(cap)s %% of the fee",
                    cap=format(self.cap_percent, "g"),
                )
            ]
        values = {
            "amount": capped,
            "uncapped_amount": amount,
            "fee": fee,
            "reason": "; ".join(reasons),
            "basis": basis,
        }
        values.update(extra)
        return values
