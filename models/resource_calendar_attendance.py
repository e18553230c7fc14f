# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    # SLA work intervals are cached per calendar version (see resource.calendar).
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.calendar_id._sla_schedule_changed()
        return records

    # A calendar SLA time runs on keeps working time: checked after the change.
    def write(self, vals):
        calendars = self.calendar_id
        res = super().write(vals)
        (calendars | self.calendar_id)._sla_schedule_changed()
        (calendars | self.calendar_id)._sla_check_keeps_working_time()
        return res

    def unlink(self):
        calendars = self.calendar_id
        res = super().unlink()
        calendars._sla_schedule_changed()
        calendars._sla_check_keeps_working_time()
        return res
