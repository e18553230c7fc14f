# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""How a credit reads on its form: the fee it was computed on and its period
written as people write it ("1–30 Nov 2026")."""

from datetime import timedelta

from babel.dates import get_month_names

from odoo import api, fields, models
from odoo.tools.misc import babel_locale_parse, get_lang

from ..lib.period_label import period_label

# As the penalty rule's fee_basis.
FEE_BASES = [
    ("service", "The service's fee"),
    ("contract", "The whole contract's fee"),
]


class HelpdeskSlaCredit(models.Model):
    _inherit = "helpdesk.sla.credit"

    fee_basis = fields.Selection(
        FEE_BASES,
        compute="_compute_fee_basis",
        string="Computed on",
        help="The recurring fee the credit percentages applied to: the failing "
        "services' own fees or the whole contract's fee.",
    )
    # The rule's basis when the credit was decided: the rule may change since.
    approved_fee_basis = fields.Selection(
        FEE_BASES, string="Fee Basis", readonly=True, copy=False
    )
    period_label = fields.Char(
        string="Period",
        compute="_compute_period_label",
        help="The days the credit covers, both included.",
    )

    @api.depends("state", "approved_fee_basis", "rule_id.fee_basis")
    def _compute_fee_basis(self):
        for credit in self:
            credit.fee_basis = (
                credit.state != "draft" and credit.approved_fee_basis
            ) or credit.rule_id.fee_basis

    @api.depends("period_start", "period_end")
    @api.depends_context("lang")
    def _compute_period_label(self):
        locale = babel_locale_parse(get_lang(self.env).code)
        months = get_month_names("abbreviated", locale=locale)
        for credit in self:
            start, end = credit.period_start, credit.period_end
            # period_end is the first day after the period.
            credit.period_label = (
                period_label(start, end - timedelta(days=1), months)
                if start and end and end > start
                else False
            )
