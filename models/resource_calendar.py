# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta, timezone

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError

from ..lib.business_time import WorkSchedule
from ..lib.epoch import to_epoch
from .sla_history import count_references, refuse_unlink_if_referenced

# Intervals are fetched and cached by whole calendar months, so that many tickets
# (and many single-ticket transactions) share one fetch.
# Calendar fields that change its working time (attendances and holidays
# report their own changes).
SCHEDULE_FIELDS = {"tz", "two_weeks_calendar", "flexible_hours", "active"}
# How many policies, contracts or sites a message names.
USES_NAMED = 5


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

    def _sla_has_working_time(self):
        """Whether the calendar has attendances the work intervals count (not
        sections, lunch breaks or one resource's own)."""
        self.ensure_one()
        return any(
            not attendance.display_type
            and attendance.day_period != "lunch"
            and not attendance.resource_id
            for attendance in self.sudo().attendance_ids
        )

    def _sla_check_has_working_time(self):
        for calendar in self:
            if not calendar._sla_has_working_time():
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
        # The write date too: a version rolled back in one transaction and
        # reached again in another is never mistaken for it.
        calendar = self.sudo()
        return self._sla_month_schedule(
            (calendar.sla_schedule_version, calendar.write_date),
            _month_start(start),
            _month_start(end),
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

    # ------------------------------------------------------------------
    # A calendar in use keeps working time
    # ------------------------------------------------------------------

    def _sla_where_used(self, archived=True, open_tickets=True):
        """Where this calendar gives SLA time, as texts for a message: the
        policies, contracts and sites that name it (archived ones too with
        `archived`) and the number of open tickets whose clock runs on it
        (with `open_tickets`)."""
        self.ensure_one()
        sources = [
            ("helpdesk.sla.policy", "calendar_id", self.env._("SLA policies")),
            ("contract.contract", "sla_calendar_id", self.env._("contracts")),
            ("res.partner", "sla_calendar_id", self.env._("sites")),
        ]
        uses = []
        for model, fname, label in sources:
            records = (
                self.env[model]
                .sudo()
                .with_context(active_test=not archived)
                .search([(fname, "=", self.id)], limit=USES_NAMED + 1)
            )
            if records:
                names = records[:USES_NAMED].mapped("display_name")
                if len(records) > USES_NAMED:
                    names.append("…")
                uses.append(f"{label}: {', '.join(names)}")
        if open_tickets:
            count = (
                self.env["helpdesk.ticket"]
                .sudo()
                .search_count(
                    [("sla_calendar_id", "=", self.id), ("stage_id.closed", "=", False)]
                )
            )
            if count:
                uses.append(self.env._("open tickets: %(count)s", count=count))
        return uses

    def _sla_check_keeps_working_time(self):
        """A calendar SLA time runs on cannot lose all its working time: every
        new ticket and every clock under it would fail."""
        if self.env.context.get("sla_defer_working_time_check"):
            return
        for calendar in self.exists():
            if calendar._sla_has_working_time():
                continue
            uses = calendar._sla_where_used()
            if uses:
                raise UserError(
                    self.env._(
                        "The working hours “%(calendar)s” must keep working time: "
                        "SLA deadlines are computed on them (%(uses)s). Add "
                        "working time, or choose other working hours there first.",
                        calendar=calendar.display_name,
                        uses="; ".join(uses),
                    )
                )

    def _sla_check_archivable(self):
        for calendar in self:
            uses = calendar._sla_where_used(archived=False, open_tickets=False)
            if uses:
                raise UserError(
                    self.env._(
                        "The working hours “%(calendar)s” cannot be archived: "
                        "SLA time is computed on them (%(uses)s). Choose other "
                        "working hours there first.",
                        calendar=calendar.display_name,
                        uses="; ".join(uses),
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sla_history(self):
        """Policies, contracts and sites name their hours; tickets keep the
        hours their deadlines were computed on."""
        for calendar in self:
            uses = calendar._sla_where_used(open_tickets=False)
            if uses:
                raise UserError(
                    self.env._(
                        "The working hours “%(calendar)s” cannot be deleted: "
                        "SLA time is computed on them (%(uses)s). Choose other "
                        "working hours there first.",
                        calendar=calendar.display_name,
                        uses="; ".join(uses),
                    )
                )
        refuse_unlink_if_referenced(
            self,
            [
                (
                    self.env._("tickets"),
                    count_references(self, "helpdesk.ticket", "sla_calendar_id"),
                )
            ],
        )

    def write(self, vals):
        if "active" in vals and not vals["active"]:
            self._sla_check_archivable()
        if "attendance_ids" not in vals:
            res = super().write(vals)
        else:
            # Attendances replaced in one write: checked once all commands ran.
            res = super(
                ResourceCalendar, self.with_context(sla_defer_working_time_check=True)
            ).write(vals)
            self._sla_check_keeps_working_time()
        if SCHEDULE_FIELDS.intersection(vals):
            self._sla_schedule_changed()
        return res

    # ------------------------------------------------------------------
    # Helpdesk › Configuration › Business Hours
    # ------------------------------------------------------------------

    def _sla_open_ticket_count(self):
        self.ensure_one()
        if not self._origin.id:
            return 0
        return (
            self.env["helpdesk.ticket"]
            .sudo()
            .search_count(
                [
                    ("sla_calendar_id", "=", self._origin.id),
                    ("stage_id.closed", "=", False),
                ]
            )
        )

    @api.onchange("tz")
    def _onchange_tz_sla_warning(self):
        """Deadlines are computed when a clock event happens: open tickets keep
        theirs until they are recomputed on purpose."""
        if not self._origin.tz or self.tz == self._origin.tz:
            return None
        count = self._sla_open_ticket_count()
        if not count:
            return None
        return {
            "warning": {
                "title": self.env._("Open tickets keep their deadlines"),
                "message": self.env._(
                    "%(count)s open tickets run their SLA clock on these working "
                    "hours. They keep the deadlines computed in the former time "
                    "zone until you save and click “Apply to open tickets”.",
                    count=count,
                ),
            }
        }

    def action_sla_apply_to_open_tickets(self):
        """Recompute the clocks of the open tickets running on these hours
        (after their time zone, attendances or holidays changed), keeping the
        time each ticket consumed."""
        if not self.env.user.has_group("helpdesk_sla_contract.group_sla_manager"):
            raise AccessError(
                self.env._("Only SLA managers apply working hours to open tickets.")
            )
        self.env["helpdesk.ticket"]._sla_rematch_open_tickets(
            [("sla_calendar_id", "in", self.ids)]
        )
        return True

    def switch_calendar_type(self):
        # Odoo removes every attendance before adding the new week(s).
        res = super(
            ResourceCalendar, self.with_context(sla_defer_working_time_check=True)
        ).switch_calendar_type()
        self._sla_check_keeps_working_time()
        return res
