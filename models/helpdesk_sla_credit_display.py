# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""How a credit reads on its form: the fee it was computed on and its period
written as people write it ("1–30 Nov 2026")."""

from datetime import timedelta

from babel.dates import get_month_names

from odoo import api, fields, models
from odoo.tools.misc import babel_locale_parse, get_lang

from ..lib.period_label import period_label


class HelpdeskSlaCredit(models.Model):
    _inherit = "helpdesk.sla.credit"

    fee_basis = fields.Selection(
        related="rule_id.fee_basis",
        string="Computed on",
        help="The recurring fee the credit percentages applied to: the failing "
        "services' own fees or the whole contract's fee.",
    )
    period_label = fields.Char(
        string="Period",
        compute="_compute_period_label",
        help="The days the credit covers, both included.",
    )

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
