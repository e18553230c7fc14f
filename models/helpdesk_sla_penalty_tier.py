# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskSlaPenaltyTier(models.Model):
    """Uptime below `below_percent` earns `credit_percent` of the fee."""

    _name = "helpdesk.sla.penalty.tier"
    _description = "SLA credit tier"
    _order = "rule_id, below_percent desc"

    rule_id = fields.Many2one(
        "helpdesk.sla.penalty.rule", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="rule_id.company_id", store=True)
    below_percent = fields.Float(
        string="Uptime below (%)", digits=(16, 3), required=True
    )
    credit_percent = fields.Float(string="Credit (% of fee)", required=True)

    _sql_constraints = [
        (
            "below_range",
            "CHECK(below_percent > 0 AND below_percent <= 100)",
            "A tier's uptime threshold is a percentage above 0 and at most 100.",
        ),
        (
            "credit_range",
            "CHECK(credit_percent > 0 AND credit_percent <= 100)",
            "A tier's credit is a percentage above 0 and at most 100.",
        ),
        (
            "unique_threshold",
            "UNIQUE(rule_id, below_percent)",
            "Two tiers of a rule cannot have the same threshold.",
        ),
    ]
