# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class HelpdeskTicketCategory(models.Model):
    _inherit = "helpdesk.ticket.category"

    # SLA policies cache their conditions (archived records don't count in them).
    def write(self, vals):
        res = super().write(vals)
        if "active" in vals:
            self.env["helpdesk.sla.policy"]._sla_clear_condition_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env["helpdesk.sla.policy"]._sla_clear_condition_cache()
        return res
