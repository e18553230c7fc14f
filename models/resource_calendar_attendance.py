# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    # SLA work intervals are cached per calendar and month: drop them on change.
    @api.model_create_multi
    def create(self, vals_list):
        self.env["helpdesk.ticket"]._sla_compute_pending()
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        self.env["helpdesk.ticket"]._sla_compute_pending()
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        self.env["helpdesk.ticket"]._sla_compute_pending()
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
