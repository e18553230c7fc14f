# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import fields, models


def _last_month(env):
    return fields.Date.context_today(env["res.users"]).replace(day=1) - relativedelta(
        months=1
    )


class HelpdeskSlaCreditCompute(models.TransientModel):
    """Compute (or recompute the draft) SLA credits of a period."""

    _name = "helpdesk.sla.credit.compute"
    _description = "Compute SLA credits"

    period_kind = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter")], default="month", required=True
    )
    period_date = fields.Date(
        string="Period",
        required=True,
        default=lambda self: _last_month(self.env),
        help="Any day of the month or quarter to compute.",
    )
    contract_ids = fields.Many2many(
        "contract.contract",
        string="Contracts",
        domain=[("contract_type", "=", "sale")],
        help="Empty: every customer contract with penalty rules.",
    )

    def action_compute(self):
        self.ensure_one()
        self.env["helpdesk.sla.credit"]._sla_check_finance()
        contracts = self.contract_ids or self.env["contract.contract"].search(
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
        sla_credits = self.env["helpdesk.sla.credit"]._sla_compute_credits(
            contracts, self.period_date, self.period_kind
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("SLA credits"),
            "res_model": "helpdesk.sla.credit",
            "view_mode": "list,form",
            "domain": [("id", "in", sla_credits.ids)],
        }
