# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta, timezone

from odoo import fields, models, tools
from odoo.exceptions import UserError

from ..lib.business_time import WorkSchedule
from ..lib.epoch import to_epoch

# Intervals are fetched and cached by whole calendar months, so that many tickets
# (and many single-ticket transactions) share one fetch.
# Calendar fields that change its working time (attendances and holidays
# report their own changes).
SCHEDULE_FIELDS = {"tz", "two_weeks_calendar", "flexible_hours", "active"}


def _month_start(moment):
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_month(moment):
    return (moment.replace(day=28) + timedelta(days=4)).replace(day=1)


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    # Part of the key of the cached SLA work intervals: raised whenever the
    # calendar's working time changes (zone, attendances, its holidays), so
    # that every worker sees the change without emptying any other cache.
    sla_schedule_version = fields.Integer(readonly=True, copy=False, default=0)

    @tools.ormcache("self.id", "version", "month_start")
    def _sla_month_intervals(self, version, month_start):
        """Working intervals (holidays removed) of one month, UTC epoch seconds."""
        start = month_start.replace(tzinfo=timezone.utc)
        end = _next_month(month_start).replace(tzinfo=timezone.utc)
        intervals = self.sudo()._work_intervals_batch(start, end, compute_leaves=True)
        # Round to the second: 24 h attendances end at 23:59:59.999999.
        return tuple(
            (round(begin.timestamp()), round(stop.timestamp()))
            for begin, stop, _meta in intervals[False]
        )

    def _sla_check_has_working_time(self):
        for calendar in self:
            if not calendar.attendance_ids.filtered(
                lambda a: not a.display_type and a.day_period != "lunch"
            ):
                raise UserError(
                    self.env._(
                        "The working hours “%(calendar)s” have no working time: "
                        "SLA deadlines cannot be computed. Add attendances to it or "
                        "choose other working hours on the SLA policy.",
                        calendar=calendar.display_name,
                    )
                )

    def _sla_schedule(self, start, end):
        """WorkSchedule of this calendar covering [start, end] (naive UTC).

        Shared and cached by whole months: callers must not modify it."""
        self.ensure_one()
        return self._sla_month_schedule(
            self.sudo().sla_schedule_version, _month_start(start), _month_start(end)
        )

    @tools.ormcache("self.id", "version", "first_month", "last_month")
    def _sla_month_schedule(self, version, first_month, last_month):
        # Not cached when the calendar has no working time (the error is raised).
        self._sla_check_has_working_time()
        intervals = []
        month = first_month
        while month <= last_month:
            intervals.extend(self._sla_month_intervals(version, month))
            month = _next_month(month)
        return WorkSchedule(
            intervals,
            horizon_start=to_epoch(first_month),
            horizon_end=to_epoch(month),
        )

    def _sla_schedule_changed(self):
        """The working time of these calendars changed: their cached SLA
        intervals are no longer used."""
        for calendar in self.sudo():
            calendar.sla_schedule_version += 1

    def write(self, vals):
        res = super().write(vals)
        if SCHEDULE_FIELDS.intersection(vals):
            self._sla_schedule_changed()
        return res
