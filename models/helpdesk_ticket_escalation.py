# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tickets: the SLA check (cron), warnings and breach records (their notes
and digests: helpdesk_ticket_escalation_notes.py)."""

import logging
from collections import defaultdict

from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, mute_logger

from ..hooks import ESCALATION_START_PARAM
from ..lib.epoch import to_epoch
from .sla_history import refuse_unlink_behind_credits

_logger = logging.getLogger(__name__)

CRON_BATCH = 5000


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    sla_breach_ids = fields.One2many(
        "helpdesk.sla.breach",
        "ticket_id",
        string="SLA breaches",
        groups="helpdesk_mgmt.group_helpdesk_user_own",
    )
    sla_response_warned = fields.Boolean(copy=False)
    sla_resolution_warned = fields.Boolean(copy=False)
    # Whether a breach of each kind is recorded: lets the SLA check find the
    # breaches left to record on the ticket table alone (see init()).
    sla_response_breach_recorded = fields.Boolean(
        compute="_compute_sla_breach_recorded", store=True, copy=False
    )
    sla_resolution_breach_recorded = fields.Boolean(
        compute="_compute_sla_breach_recorded", store=True, copy=False
    )

    def init(self):
        res = super().init()
        # The SLA check rewrites the clock of every due ticket: each index on
        # the table costs at each rewrite, most of all on columns of a few
        # values. No index on the statuses (the cron uses the partial index
        # below); the dates index their non-NULL values only (see README).
        cr = self.env.cr
        cr.execute(
            "DROP INDEX IF EXISTS helpdesk_ticket__sla_response_status_index, "
            "helpdesk_ticket__sla_resolution_status_index"
        )
        for fname in ("sla_first_response_date", "sla_next_check_date"):
            indexname = f"helpdesk_ticket__{fname}_index"
            cr.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s", (indexname,)
            )
            row = cr.fetchone()
            if row and "IS NOT NULL" not in row[0]:
                # Created as a full index by an earlier version: the registry
                # creates the partial one (btree_not_null) after init().
                cr.execute(SQL("DROP INDEX %s", SQL.identifier(indexname)))
        # The SLA check looks for the tickets of _sla_action_domain() at every
        # call: a partial index holds just those (the conditions, as the ORM
        # writes them in SQL, so that PostgreSQL matches them).
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS helpdesk_ticket_sla_action_index
            ON helpdesk_ticket (id)
            WHERE (sla_response_status = 'at_risk' AND (sla_response_warned IS NULL
                    OR sla_response_warned = FALSE))
                OR (sla_resolution_status = 'at_risk' AND (sla_resolution_warned
                    IS NULL OR sla_resolution_warned = FALSE))
                OR (sla_response_status = 'breached' AND (
                    sla_response_breach_recorded IS NULL
                    OR sla_response_breach_recorded = FALSE))
                OR (sla_resolution_status = 'breached' AND (
                    sla_resolution_breach_recorded IS NULL
                    OR sla_resolution_breach_recorded = FALSE))
            """
        )
        return res

    # ------------------------------------------------------------------
    # Breaches and escalation
    # ------------------------------------------------------------------

    def _sla_late_hours(self, kind, until=None, schedule=None):
        """Business hours from a deadline to the response/resolution (or now),
        on `schedule` when given (a WorkSchedule of the ticket's business hours
        that covers them)."""
        self.ensure_one()
        deadline = (
            self.sla_response_deadline
            if kind == "response"
            else self.sla_resolution_deadline
        )
        done = (
            self.sla_first_response_date or self.sla_resolved_date
            if kind == "response"
            else self.sla_resolved_date
        )
        until = done or until or fields.Datetime.now()
        if not deadline or until <= deadline:
            return 0.0
        schedule = schedule or self.sla_calendar_id._sla_schedule(deadline, until)
        return round(schedule.between(to_epoch(deadline), to_epoch(until)) / 3600.0, 4)

    def _sla_update_breach_late_hours(self):
        for ticket in self:
            for breach in ticket.sudo().sla_breach_ids:
                breach.late_hours = ticket._sla_late_hours(breach.kind)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_breaches_behind_credits(self):
        # A ticket's breaches go with it (cascade): not those credits used.
        breaches = self.sudo().sla_breach_ids
        if breaches:
            refuse_unlink_behind_credits(breaches, "breach_ids")

    def _sla_lock(self):
        """Lock these tickets for this transaction, skipping ones another worker
        holds; returns the locked ones (none when another worker changed some
        of them since this transaction began, see _sla_lock_query)."""
        if not self:
            return self
        rows = self._sla_lock_query(
            SQL(
                "SELECT id FROM helpdesk_ticket WHERE id IN %s "
                "FOR NO KEY UPDATE SKIP LOCKED",
                tuple(self.ids),
            )
        )
        return self.browse([row[0] for row in rows])

    def _sla_lock_query(self, query):
        """Rows of a locking query, or none when a row it locks was changed by
        another worker that committed after this transaction's snapshot
        (PostgreSQL refuses to lock it): that worker did the work; the next
        run, with a fresh snapshot, sees it."""
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                return self.env.execute_query(query)
        except SerializationFailure:
            _logger.info("SLA check: tickets changed meanwhile by another run, left")
            return []

    @api.model
    def _sla_search_lock_rows(self, domain, limit, order, fnames=()):
        """Rows (id, *columns `fnames`) of the tickets of `domain` (at most
        `limit`, in `order`), locked for this transaction by the same query,
        skipping those another worker holds. Raw SQL: the ORM has no
        SKIP LOCKED search (the search flushes what the domain reads)."""
        query = self._search(domain, order=order, limit=limit)
        table = self._table
        return self._sla_lock_query(
            SQL(
                "%s FOR NO KEY UPDATE OF %s SKIP LOCKED",
                query.select(
                    *(SQL.identifier(table, fname) for fname in ("id", *fnames))
                ),
                SQL.identifier(table),
            )
        )

    @api.depends("sla_breach_ids.kind")
    def _compute_sla_breach_recorded(self):
        for ticket in self:
            kinds = set(ticket.sudo().sla_breach_ids.mapped("kind"))
            ticket.sla_response_breach_recorded = "response" in kinds
            ticket.sla_resolution_breach_recorded = "resolution" in kinds

    @api.model
    def _sla_action_domain(self):
        """Tickets whose status calls for a warning or a breach record."""
        return [
            ("sla_policy_id", "!=", False),
            "|",
            "|",
            "|",
            "&",
            ("sla_response_status", "=", "at_risk"),
            ("sla_response_warned", "=", False),
            "&",
            ("sla_resolution_status", "=", "at_risk"),
            ("sla_resolution_warned", "=", False),
            "&",
            ("sla_response_status", "=", "breached"),
            ("sla_response_breach_recorded", "=", False),
            "&",
            ("sla_resolution_status", "=", "breached"),
            ("sla_resolution_breach_recorded", "=", False),
        ]

    @api.model
    def _cron_check_sla(self, batch_size=CRON_BATCH):
        """Refresh due clocks, warn before breaches, record and notify breaches.

        Safe to run twice or in parallel: tickets are locked (SKIP LOCKED) and
        re-read before anything is written, and breaches are unique per kind.
        """
        now = fields.Datetime.now()
        tickets = self.sudo()
        due_domain = [
            ("sla_next_check_date", "<=", now),
            ("sla_policy_id", "!=", False),
        ]
        # Found and locked by one query, the most overdue first; tickets
        # another worker holds are skipped (they are that worker's to do).
        rows = tickets._sla_search_lock_rows(
            due_domain, batch_size, "sla_next_check_date"
        )
        due = tickets.browse([row[0] for row in rows])
        due._sla_recompute()
        if len(due) < batch_size:
            # Every due ticket was found: what remains is any clock whose next
            # check is (rounded to the second) still not in the future.
            remaining = sum(
                1
                for moment in due.mapped("sla_next_check_date")
                if moment and moment <= now
            )
        else:
            # Counted up to one more batch: counting every due ticket at each
            # call would make a backlog's run grow with its square.
            remaining = tickets.search_count(due_domain, limit=batch_size)
        found = tickets.search(self._sla_action_domain(), limit=batch_size)
        locked = found._sla_lock()
        # Re-read what another worker may have committed before we got the lock
        # (the domain in SQL, kept in the lock's order: filtered_domain() on a
        # batch costs more).
        locked.invalidate_recordset()
        self.env["helpdesk.sla.breach"].invalidate_model()
        actionable = locked & tickets.search(
            [("id", "in", locked.ids), *self._sla_action_domain()]
        )
        actionable._sla_escalate(now)
        # Escalated tickets leave the action domain (warned, breach recorded):
        # as above, only the ones another worker holds remain.
        if len(found) < batch_size:
            remaining += len(found) - len(locked)
        else:
            remaining += tickets.search_count(self._sla_action_domain())
        self.env["ir.cron"]._notify_progress(
            done=len(due) + len(actionable), remaining=remaining
        )
        return remaining

    def action_sla_check_now(self):
        """Managers' button: run the SLA check until nothing is left."""
        if not self._sla_is_manager():
            raise AccessError(self.env._("Only SLA managers can run the SLA check."))
        for _round in range(100):
            if not self.env["helpdesk.ticket"]._cron_check_sla():
                break
        return True

    def _sla_escalate(self, now):
        """Warn and record breaches for these tickets, in batch: one create() of
        the breach records, of the activities and of the chatter messages for
        all of them (one note per warning or breach, in ticket order)."""
        breach_model = self.env["helpdesk.sla.breach"].sudo()
        events = []  # (ticket, kind, is_breach)
        new_breaches = []  # (ticket, kind)
        for ticket in self:
            recorded = None
            for kind in ("response", "resolution"):
                status = ticket[f"sla_{kind}_status"]
                if status == "at_risk" and not ticket[f"sla_{kind}_warned"]:
                    events.append((ticket, kind, False))
                elif status == "breached":
                    if recorded is None:
                        recorded = set(ticket.sla_breach_ids.mapped("kind"))
                    if kind not in recorded:
                        events.append((ticket, kind, True))
                        new_breaches.append((ticket, kind))
        if not events:
            return
        schedules = self._sla_late_schedules(new_breaches, now)
        breaches = iter(
            breach_model.create(
                [
                    ticket._sla_breach_values(
                        kind, now, schedules.get(ticket.sla_calendar_id)
                    )
                    for ticket, kind in new_breaches
                ]
            )
        )
        activities = []
        posts = []
        warned = defaultdict(list)
        silent_before = self._sla_escalation_start()
        deadline_text = self._sla_deadline_formatter()
        recipients = self._sla_escalation_recipients()
        for ticket, kind, is_breach in events:
            deadline = ticket[f"sla_{kind}_deadline"]
            # Due before the installation: recorded, not announced.
            silent = silent_before and deadline and deadline < silent_before
            escalation = recipients[ticket.sla_policy_id.id, ticket.team_id.id]
            if is_breach:
                breach = next(breaches)
                if not silent:
                    posts.append(
                        ticket._sla_breach_note(breach, deadline_text, escalation)
                    )
                continue
            if not silent:
                activity = ticket._sla_warning_activity(kind, deadline_text)
                if activity:
                    activities.append(activity)
                posts.append(ticket._sla_warning_note(kind, deadline_text, escalation))
            warned[kind].append(ticket.id)
        if activities:
            self.env["mail.activity"].create(activities)
        self._sla_post_notes(posts)
        for kind, ids in warned.items():
            self.browse(ids).write({f"sla_{kind}_warned": True})

    @api.model
    def _sla_late_schedules(self, new_breaches, now):
        """{calendar: WorkSchedule from the earliest deadline of `new_breaches`
        [(ticket, kind)] on it to now}: one interval fetch per calendar for the
        late hours of a batch of breaches."""
        earliest = {}
        for ticket, kind in new_breaches:
            deadline = ticket[f"sla_{kind}_deadline"]
            calendar = ticket.sla_calendar_id
            if deadline and calendar and deadline < now:
                earliest[calendar] = min(earliest.get(calendar, deadline), deadline)
        return {
            calendar: calendar._sla_schedule(start, now)
            for calendar, start in earliest.items()
        }

    @api.model
    def _sla_escalation_start(self):
        """Instant from which breaches and warnings are announced (set when the
        module is installed): older ones are recorded silently."""
        value = self.env["ir.config_parameter"].sudo().get_param(ESCALATION_START_PARAM)
        return fields.Datetime.to_datetime(value) if value else None

    def _sla_breach_values(self, kind, now, schedule=None):
        self.ensure_one()
        return {
            "ticket_id": self.id,
            "policy_id": self.sla_policy_id.id,
            "kind": kind,
            "deadline": self[f"sla_{kind}_deadline"],
            "breach_date": now,
            "late_hours": self._sla_late_hours(kind, now, schedule),
            "partner_id": (self.commercial_partner_id or self.partner_id).id,
            "team_id": self.team_id.id,
            "user_id": self.user_id.id,
            "company_id": self.company_id.id,
        }
