# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta, timezone

from odoo import api, models, tools
from odoo.exceptions import UserError

from ..lib.business_time import WorkSchedule
from .sla_history import count_references, refuse_unlink_if_referenced

# Intervals are fetched and cached by whole calendar months, so that many tickets
# (and many single-ticket transactions) share one fetch.
EPOCH = datetime(1970, 1, 1)
# How many policies, contracts or sites a message names.
USES_NAMED = 5


def _month_start(moment):
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_month(moment):
    return (moment.replace(day=28) + timedelta(days=4)).replace(day=1)


def to_epoch(moment):
    """Naive UTC datetime (Odoo's storage) to epoch seconds."""
    return (moment - EPOCH).total_seconds()


def from_epoch(seconds):
    """Epoch seconds to a naive UTC datetime, rounded to the second."""
    return EPOCH + timedelta(seconds=round(seconds))


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    @tools.ormcache("self.id", "month_start")
    def _sla_month_intervals(self, month_start):
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
        return self._sla_month_schedule(_month_start(start), _month_start(end))

    @tools.ormcache("self.id", "first_month", "last_month")
    def _sla_month_schedule(self, first_month, last_month):
        # Not cached when the calendar has no working time (the error is raised).
        self._sla_check_has_working_time()
        intervals = []
        month = first_month
        while month <= last_month:
            intervals.extend(self._sla_month_intervals(month))
            month = _next_month(month)
        return WorkSchedule(
            intervals,
            horizon_start=to_epoch(first_month),
            horizon_end=to_epoch(month),
        )

    def _sla_clear_cache(self):
        self.env.registry.clear_cache()

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
        self.env["helpdesk.ticket"]._sla_compute_pending()
        if "active" in vals and not vals["active"]:
            self._sla_check_archivable()
        if "attendance_ids" not in vals:
            res = super().write(vals)
            self._sla_clear_cache()
            return res
        # Attendances replaced in one write: checked once all commands ran.
        res = super(
            ResourceCalendar, self.with_context(sla_defer_working_time_check=True)
        ).write(vals)
        self._sla_clear_cache()
        self._sla_check_keeps_working_time()
        return res

    def switch_calendar_type(self):
        # Odoo removes every attendance before adding the new week(s).
        res = super(
            ResourceCalendar, self.with_context(sla_defer_working_time_check=True)
        ).switch_calendar_type()
        self._sla_check_keeps_working_time()
        return res
