# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sla_history(self):
        # Its rules go with it (cascade): not those credits were computed by.
        self.with_context(active_test=False).rule_ids._unlink_except_sla_history()
