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

    # A calendar SLA time runs on keeps working time: checked after the change.
    def write(self, vals):
        self.env["helpdesk.ticket"]._sla_compute_pending()
        calendars = self.calendar_id
        res = super().write(vals)
        self.env.registry.clear_cache()
        (calendars | self.calendar_id)._sla_check_keeps_working_time()
        return res

    def unlink(self):
        self.env["helpdesk.ticket"]._sla_compute_pending()
        calendars = self.calendar_id
        res = super().unlink()
        self.env.registry.clear_cache()
        calendars._sla_check_keeps_working_time()
        return res
