# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    # SLA work intervals are cached per calendar version (see resource.calendar).
    # Only holidays (time off without resource) change SLA time: an employee's
    # time off does not.
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._sla_holiday_calendars()._sla_schedule_changed()
        return records

    def write(self, vals):
        calendars = self._sla_holiday_calendars()
        res = super().write(vals)
        (calendars | self._sla_holiday_calendars())._sla_schedule_changed()
        return res

    def unlink(self):
        calendars = self._sla_holiday_calendars()
        res = super().unlink()
        calendars._sla_schedule_changed()
        return res

    def _sla_holiday_calendars(self):
        """The calendars whose SLA time these leaves change: holidays change
        their calendar's, or every calendar's when they have none."""
        holidays = self.sudo().filtered(lambda leave: not leave.resource_id)
        calendars = holidays.calendar_id
        if any(not leave.calendar_id for leave in holidays):
            # A holiday of every calendar (rare): all of them, archived too.
            calendars = (
                self.env["resource.calendar"].sudo().with_context(active_test=False)
            )
            calendars = calendars.search([])  # pylint: disable=no-search-all
        return calendars
