# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    sla_default_policy_id = fields.Many2one(
        "helpdesk.sla.policy",
        string="Default SLA policy",
        help="Applies to tickets that no site, contract or policy condition covers.",
    )
