# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tickets: the SLA clock (deadlines, consumed time, statuses, next check),
computed in batch by the ORM over lib/sla_clock.py."""

import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

from ..lib import sla_clock
from ..lib.epoch import from_epoch, to_epoch

_logger = logging.getLogger(__name__)

SLA_STATUSES = [
    ("running", "Running"),
    ("paused", "Paused"),
    ("at_risk", "At risk"),
    ("met", "Met"),
    ("breached", "Breached"),
]
# Fields computed together by _compute_sla_clock.
CLOCK_FIELDS = [
    "sla_response_deadline",
    "sla_resolution_deadline",
    "sla_paused_hours",
    "sla_consumed_hours",
    "sla_remaining_hours",
    "sla_response_status",
    "sla_resolution_status",
    "sla_next_check_date",
]
# Stored fields the clock is computed from (besides the pauses).
CLOCK_INPUTS = [
    "sla_policy_id",
    "sla_calendar_id",
    "priority",
    "sla_start_date",
    "sla_first_response_date",
    "sla_resolved_date",
]
# A clock without policy, target or calendar (CLOCK_FIELDS order).
CLEAR_CLOCK = (False, False, 0.0, 0.0, 0.0, False, False, False)
# How far ahead of the latest start the first interval fetch looks; longer
# targets (or sparse calendars) extend it step by step.
HORIZON_STEPS_DAYS = (62, 400, 1400)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    sla_response_deadline = fields.Datetime(
        string="Response due", compute="_compute_sla_clock", store=True
    )
    sla_resolution_deadline = fields.Datetime(
        string="Resolution due", compute="_compute_sla_clock", store=True
    )
    sla_paused_hours = fields.Float(
        string="Paused (business hours)",
        compute="_compute_sla_clock",
        store=True,
    )
    sla_consumed_hours = fields.Float(
        string="Consumed (business hours)",
        compute="_compute_sla_clock",
        store=True,
        help="Business hours the resolution clock ran, as of the last SLA check.",
    )
    sla_remaining_hours = fields.Float(
        string="Resolution time remaining",
        compute="_compute_sla_clock",
        store=True,
        help="Business hours left before the resolution deadline (negative when "
        "late), as of the last SLA check.",
    )
    sla_response_status = fields.Selection(
        SLA_STATUSES,
        string="Response SLA",
        compute="_compute_sla_clock",
        store=True,
    )
    sla_resolution_status = fields.Selection(
        SLA_STATUSES,
        string="Resolution SLA",
        compute="_compute_sla_clock",
        store=True,
    )
    sla_next_check_date = fields.Datetime(
        compute="_compute_sla_clock",
        store=True,
        index="btree_not_null",
        help="Next instant at which a status of this ticket changes by itself "
        "(a warning threshold or a deadline).",
    )
    sla_paused = fields.Boolean(
        string="SLA paused", compute="_compute_sla_paused", search="_search_sla_paused"
    )

    # ------------------------------------------------------------------
    # Clock
    # ------------------------------------------------------------------

    @api.depends("sla_pause_ids.date_start", "sla_pause_ids.date_end")
    def _compute_sla_paused(self):
        for ticket in self:
            ticket.sla_paused = any(
                not pause.date_end for pause in ticket.sudo().sla_pause_ids
            )

    def _search_sla_paused(self, operator, value):
        if operator not in ("=", "!="):
            raise NotImplementedError(operator)
        positive = (operator == "=") == bool(value)
        open_pauses = [("sla_pause_ids", "any", [("date_end", "=", False)])]
        return open_pauses if positive else ["!"] + open_pauses

    @api.depends(*CLOCK_INPUTS, "sla_pause_ids.date_start", "sla_pause_ids.date_end")
    def _compute_sla_clock(self):
        # The clocks of the whole batch are computed together, as of now: one
        # interval fetch per calendar, then pure Python (lib/sla_clock.py).
        now = fields.Datetime.now()
        targets = self._sla_targets()
        by_calendar = defaultdict(list)
        cleared = []
        for ticket in self:
            item = ticket._sla_clock_input(now, targets)
            if item:
                by_calendar[ticket.sla_calendar_id].append(item)
            else:
                cleared.append(ticket.id)
        # Tickets with equal values are assigned together, one field at a
        # time: statuses, pauses and next checks are mostly shared, and each
        # assignment costs the ORM the same for one ticket as for many.
        same_values = defaultdict(list)  # (field name, value): ticket ids
        for fname, value in zip(CLOCK_FIELDS, CLEAR_CLOCK, strict=True):
            same_values[fname, value] += cleared
        for calendar, items in by_calendar.items():
            clocks = self._sla_clocks_on(calendar, items)
            for item in items:
                for fname, value in _clock_values(clocks.get(item.key)).items():
                    same_values[fname, value].append(item.key)
        for (fname, value), ids in same_values.items():
            if ids:
                self.browse(ids)[fname] = value

    def _sla_targets(self):
        """{(policy id, priority): (response, resolution) in business seconds,
        warning percent} of the policies of these tickets."""
        return {
            (policy.id, priority): target
            for policy in self.sla_policy_id
            for priority, target in policy._sla_target_table().items()
        }

    def _sla_clock_input(self, now, targets):
        """What this ticket's clock is computed from (lib ClockInput, keyed by
        the ticket's id), or None without policy target or business hours."""
        self.ensure_one()
        target = targets.get((self.sla_policy_id.id, self.priority))
        if not target or not self.sla_calendar_id:
            return None
        now_s = to_epoch(now)
        pauses = self.sudo().sla_pause_ids
        return sla_clock.ClockInput(
            self.id,
            target[0],
            target[1],
            now_s,
            to_epoch(self.sla_start_date or now),
            [
                (to_epoch(pause.date_start), to_epoch(pause.date_end or now))
                for pause in pauses
                if pause.date_start
            ],
            any(not pause.date_end for pause in pauses),
            _epoch_or_none(self.sla_first_response_date),
            _epoch_or_none(self.sla_resolved_date),
        )

    @api.model
    def _sla_clocks_on(self, calendar, items):
        """{item key: lib Clock} of many tickets on one calendar, from one
        interval fetch (longer targets widen it step by step)."""
        window_start = from_epoch(min(min(i.start, i.now) for i in items))
        latest = from_epoch(max(max(i.start, i.now) for i in items))
        clocks = {}
        pending = items
        for days in HORIZON_STEPS_DAYS:
            schedule = calendar._sla_schedule(
                window_start, latest + timedelta(days=days)
            )
            unresolved = []
            for item in pending:
                clock = sla_clock.ticket_clock(schedule, item)
                if clock is None:
                    unresolved.append(item)
                else:
                    clocks[item.key] = clock
            pending = unresolved
            if not pending:
                break
        for item in pending:
            # Not enough working time within ~4 years: no deadline rather than a hang.
            _logger.warning(
                "SLA: no deadline for ticket %s within %s days of calendar %s",
                item.key,
                HORIZON_STEPS_DAYS[-1],
                calendar.display_name,
            )
        return clocks

    def _sla_compute_now(self):
        """Compute the pending policy and clock now: the clock depends on the
        time of the event (the ORM writes the values at the flush)."""
        self._recompute_recordset(["sla_policy_id", "sla_calendar_id", *CLOCK_FIELDS])

    def _sla_recompute(self):
        """Recompute the stored clock as of now (statuses move with time) and
        write what changed, through the ORM: the SLA check calls it for a batch
        of due tickets at a time."""
        if not self:
            return
        # The clock's inputs and current values (only changes are written) of
        # the whole batch in one query, read as the compute reads them (sudo):
        # else the prefetch reads every column, descriptions included.
        self.sudo().fetch([*CLOCK_INPUTS, "sla_pause_ids", *CLOCK_FIELDS])
        for fname in CLOCK_FIELDS:
            self.env.add_to_compute(self._fields[fname], self)
        self.flush_recordset(CLOCK_FIELDS)


def _epoch_or_none(moment):
    return to_epoch(moment) if moment else None


def _clock_values(clock):
    """Field values of a lib Clock (a cleared clock for None)."""
    if clock is None:
        return dict(zip(CLOCK_FIELDS, CLEAR_CLOCK, strict=True))
    return {
        "sla_response_deadline": from_epoch(clock.response_deadline),
        "sla_resolution_deadline": from_epoch(clock.resolution_deadline),
        "sla_paused_hours": clock.paused_hours,
        "sla_consumed_hours": clock.consumed_hours,
        "sla_remaining_hours": clock.remaining_hours,
        "sla_response_status": clock.response_status or False,
        "sla_resolution_status": clock.resolution_status or False,
        "sla_next_check_date": clock.next_check is not None
        and from_epoch(clock.next_check),
    }
