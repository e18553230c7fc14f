# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskSlaPenaltyScheme(models.Model):
    """Reusable penalty rules that contracts share."""

    _name = "helpdesk.sla.penalty.scheme"
    _description = "SLA penalty scheme"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
    rule_ids = fields.One2many(
        "helpdesk.sla.penalty.rule", "scheme_id", string="Rules", copy=True
    )
