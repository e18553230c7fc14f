# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from datetime import datetime, timedelta
from typing import NamedTuple

from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_datetime, split_every

from ..lib import sla_clock
from .resource_calendar import from_epoch, to_epoch
from .sla_history import refuse_unlink_behind_credits

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
# The pause columns the clock is computed from.
PAUSE_INPUTS = ["ticket_id", "date_start", "date_end"]
# A clock without policy, target or calendar (cache format, CLOCK_FIELDS order).
CLEAR_CLOCK = (None, None, 0.0, 0.0, 0.0, None, None, None)
MISSING = object()


class SlaItem(NamedTuple):
    """What the clock of one ticket is computed from."""

    ticket_id: int
    target: tuple  # (response, resolution) in business seconds
    warning: int  # warning_percent of the policy
    now: float  # the instant the clock is computed as of (epoch seconds)
    start: datetime
    pauses: list  # epoch-second intervals
    paused_now: bool  # whether a pause is open
    responded: datetime | None
    resolved: datetime | None


# Ticket fields whose change moves the clock (computed right away, see write).
CLOCK_TRIGGERS = {
    "stage_id",
    "priority",
    "sla_policy_id",
    "sla_start_date",
    "team_id",
    "category_id",
    "tag_ids",
    "partner_id",
    "sla_first_response_date",
    "sla_resolved_date",
    "site_id",
    "contract_id",
}
# How far ahead of the latest start the first interval fetch looks; longer
# targets (or sparse calendars) extend it step by step.
HORIZON_STEPS_DAYS = (62, 400, 1400)
CRON_BATCH = 5000
# Tickets whose clock one UPDATE of the SLA check writes.
WRITE_BATCH = 500
# The SLA fields of a new ticket, computed at the ORM's flush with its other
# computed fields (in batch), as of the ticket's creation.
DEFERRED_FIELDS = [
    "site_id",
    "contract_id",
    "sla_policy_id",
    "sla_calendar_id",
    *CLOCK_FIELDS,
]
# Key in cr.precommit.data (cleared at commit and rollback): {ticket id: the
# instant of the event whose clock computation is pending (a creation)}.
EVENT_TIMES_KEY = "helpdesk_sla_contract.clock_event_times"
# Key in cr.precommit.data: {company id: facts on stages, see _sla_stage_facts}.
STAGE_FACTS_KEY = "helpdesk_sla_contract.stage_facts"
# Column types whose NULL the cache holds as None (see _sla_cache_inserted_nulls).
NULL_CACHEABLE_TYPES = {
    "many2one",
    "selection",
    "char",
    "integer",
    "float",
    "monetary",
    "boolean",
    "date",
    "datetime",
}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    sla_policy_id = fields.Many2one(
        "helpdesk.sla.policy",
        string="SLA policy",
        compute="_compute_sla_policy_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        copy=False,
        ondelete="set null",
        groups="helpdesk_mgmt.group_helpdesk_user_own",
    )
    sla_calendar_id = fields.Many2one(
        "resource.calendar",
        string="SLA business hours",
        compute="_compute_sla_calendar_id",
        store=True,
        groups="helpdesk_mgmt.group_helpdesk_user_own",
        help="Business hours the SLA clock runs on (from the policy unless a "
        "more specific source gives them).",
    )
    site_id = fields.Many2one(
        "res.partner",
        compute="_compute_site_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        domain="[('is_service_site', '=', True), "
        "('commercial_partner_id', '=', commercial_partner_id)]",
        help="The customer's service site concerned (taken from the contact "
        "when the contact is a site).",
    )
    contract_id = fields.Many2one(
        "contract.contract",
        compute="_compute_contract_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        domain="[('contract_type', '=', 'sale'), "
        "('commercial_partner_id', '=', commercial_partner_id)]",
        help="The valid contract covering the ticket's site or customer on the "
        "SLA clock start (the most specific one).",
    )
    # Not stored: read from contract_id and partner_id, searched through them
    # (one computation less for every new ticket).
    sla_no_contract = fields.Boolean(
        string="No valid contract",
        compute="_compute_sla_no_contract",
        search="_search_sla_no_contract",
        help="The customer has no valid contract covering this ticket.",
    )
    contract_pricing_model = fields.Selection(related="contract_id.pricing_model")
    contract_bank_remaining_hours = fields.Float(
        related="contract_id.bank_remaining_hours", string="Prepaid hours left"
    )
    contract_hours_consumed = fields.Float(
        related="contract_id.hours_consumed", string="Contract hours used"
    )
    is_outage = fields.Boolean(
        string="Outage",
        copy=False,
        help="The ticket reports a service outage: it opens a downtime incident "
        "on the service, closed when the ticket is closed.",
    )
    outage_service_id = fields.Many2one(
        "helpdesk.sla.service",
        string="Service down",
        copy=False,
        domain="[('contract_id', '=', contract_id)]",
    )
    incident_ids = fields.One2many(
        "helpdesk.sla.incident", "ticket_id", string="Downtime"
    )
    sla_policy_manual = fields.Boolean(
        string="SLA policy set by hand",
        copy=False,
        groups="helpdesk_mgmt.group_helpdesk_user_own",
        help="Set when an SLA manager chose the policy: it is then kept when the "
        "team, category, tags, customer or priority change.",
    )
    sla_start_date = fields.Datetime(
        string="SLA clock start",
        default=fields.Datetime.now,
        copy=False,
        help="When the SLA clock started: the creation by default. An SLA manager "
        "may backdate it for a ticket logged late.",
    )
    sla_first_response_date = fields.Datetime(
        string="First response",
        copy=False,
        index="btree_not_null",
        help="First public reply of an internal user to the customer, or the time "
        "the ticket was marked as responded.",
    )
    sla_resolved_date = fields.Datetime(
        string="Resolved on",
        copy=False,
        help="When the ticket entered a closed stage (cleared on reopening).",
    )
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
        string="Remaining (business hours)",
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
    sla_pause_ids = fields.One2many(
        "helpdesk.sla.pause",
        "ticket_id",
        string="SLA pauses",
        groups="helpdesk_mgmt.group_helpdesk_user_own",
    )
    sla_breach_ids = fields.One2many(
        "helpdesk.sla.breach",
        "ticket_id",
        string="SLA breaches",
        groups="helpdesk_mgmt.group_helpdesk_user_own",
    )
    sla_out_of_hours_text = fields.Char(
        compute="_compute_sla_out_of_hours_text",
        help="Start of the next business period after the ticket's creation, "
        "formatted for the customer.",
    )
    sla_is_manager = fields.Boolean(compute="_compute_sla_is_manager")
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

    @api.depends("team_id")
    def _compute_stage_id(self):
        # helpdesk_mgmt searches the team's stages for each ticket: once per
        # team for the whole batch here (the flush after many creations).
        with self.env["helpdesk.ticket.team"]._sla_memo_applicable_stages():
            return super()._compute_stage_id()

    # ------------------------------------------------------------------
    # Policy
    # ------------------------------------------------------------------

    @api.depends(
        "team_id",
        "category_id",
        "tag_ids",
        "partner_id",
        "priority",
        "company_id",
        "site_id",
        "contract_id",
    )
    def _compute_sla_policy_id(self):
        candidates = None
        for ticket in self:
            if ticket.sla_policy_manual and ticket.sla_policy_id:
                continue
            if candidates is None:
                candidates = self.env["helpdesk.sla.policy"].sudo()._sla_candidates()
            ticket.sla_policy_id = ticket._sla_find_policy(candidates)

    # Not on sla_policy_id.calendar_id: editing a policy must not move the
    # deadlines of closed tickets; "Apply to open tickets" rematches instead.
    @api.depends("sla_policy_id", "site_id", "contract_id")
    def _compute_sla_calendar_id(self):
        for ticket in self:
            # Same order as the policy: a hand-set policy brings its hours;
            # otherwise the site's, then the contract's support hours win.
            calendar = ticket.sla_policy_id.calendar_id
            if ticket.sla_policy_id and not ticket.sla_policy_manual:
                calendar = (
                    ticket.site_id.sudo().sla_calendar_id
                    or ticket.contract_id.sudo().sla_calendar_id
                    or calendar
                )
            ticket.sla_calendar_id = calendar

    @api.depends("partner_id")
    def _compute_site_id(self):
        for ticket in self:
            partner = ticket.partner_id
            if partner.is_service_site:
                ticket.site_id = partner
            elif (
                ticket.site_id
                and ticket.site_id.commercial_partner_id
                != partner.commercial_partner_id
            ):
                ticket.site_id = False

    @api.depends(
        "partner_id", "commercial_partner_id", "site_id", "sla_start_date", "company_id"
    )
    def _compute_contract_id(self):
        customers = self.commercial_partner_id
        contracts = (
            self.env["contract.contract"]
            .sudo()
            .search(
                [
                    ("contract_type", "=", "sale"),
                    ("commercial_partner_id", "in", customers.ids),
                ]
            )
            if customers
            else self.env["contract.contract"]
        )
        by_customer = {}
        for contract in contracts:
            by_customer.setdefault(contract.commercial_partner_id.id, []).append(
                contract
            )
        for ticket in self:
            ticket.contract_id = ticket._sla_pick_contract(
                by_customer.get(ticket.commercial_partner_id.id, [])
            )

    def _sla_pick_contract(self, contracts):
        """The valid contract that covers the ticket's site, or else its customer,
        on the clock start: one with an SLA before one without, then the most
        specific; the latest started wins between equals."""
        self.ensure_one()
        day = fields.Date.to_date(self.sla_start_date or fields.Datetime.now())
        best, best_key = self.env["contract.contract"], None
        for contract in contracts:
            if self.company_id and contract.company_id != self.company_id:
                continue
            if not contract._sla_is_valid_on(day):
                continue
            coverage = contract._sla_covers(self.site_id)
            if not coverage:
                continue
            # Contracts carrying an SLA first (a monitoring or backup contract
            # without one does not hide the support contract), then the most
            # specific, then the latest started.
            key = (
                bool(contract.sla_policy_id or contract.sla_calendar_id),
                coverage,
                contract._sla_validity()[0] or day,
                contract.id,
            )
            if best_key is None or key > best_key:
                best, best_key = contract, key
        return best

    @api.depends("contract_id", "partner_id")
    def _compute_sla_no_contract(self):
        for ticket in self:
            ticket.sla_no_contract = bool(ticket.partner_id) and not ticket.contract_id

    def _search_sla_no_contract(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(
                self.env._("Unsupported search on “No valid contract”: %s", operator)
            )
        if (operator == "=") == bool(value):
            return [("partner_id", "!=", False), ("contract_id", "=", False)]
        return ["|", ("partner_id", "=", False), ("contract_id", "!=", False)]

    @api.model
    def _sla_rematch_open_tickets(self, domain=None):
        """Match the open tickets (of `domain`) again, then recompute their
        clocks, after policies, contracts or sites changed. Deadlines are
        recomputed from each clock start with its pauses: consumed time is kept.
        A policy set by hand stays (its calendar may follow the new source)."""
        tickets = self.sudo().search(
            [("stage_id.closed", "=", False)] + list(domain or [])
        )
        tickets._sla_rematch()
        tickets._sla_recompute()
        return True

    def _sla_rematch(self):
        """Recompute the policy as the conditions give it (not a manual choice)."""
        self.env.add_to_compute(self._fields["sla_policy_id"], self)
        self.env.add_to_compute(self._fields["sla_calendar_id"], self)
        self._recompute_recordset(["sla_policy_id", "sla_calendar_id"])

    def _sla_find_policy(self, candidates):
        """The policy that applies, in this order: the site's, the contract's,
        the first by sequence whose conditions the ticket meets, the company's
        default. (A policy set by hand by an SLA manager is kept before this.)"""
        self.ensure_one()
        # sudo: a helpdesk user need not read the contract to get its SLA.
        for source in (self.site_id, self.contract_id):
            policy = source and source.sudo().sla_policy_id
            if policy and policy.active and policy._sla_company_fits(self):
                return policy
        for policy in candidates:
            if policy._matches(self):
                return policy
        default = (self.company_id or self.env.company).sla_default_policy_id
        if default and default.active:
            return default
        return candidates.browse()

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
        # Plain values read in bulk from the cache: the clocks of a batch are
        # computed together (see _sla_clock_rows).
        inputs = zip(
            self._ids,
            *(self._sla_cached_values(fname) for fname in CLOCK_INPUTS),
            strict=True,
        )
        tickets = self.sudo()
        pauses = {}
        for ticket, pause_ids in zip(
            tickets, tickets._sla_cached_values("sla_pause_ids"), strict=True
        ):
            if pause_ids:
                pauses[ticket.id] = [
                    (pause.date_start, pause.date_end or None)
                    for pause in ticket.sla_pause_ids
                ]
        # A new ticket's clock is computed at the flush, as of its creation.
        events = self.env.cr.precommit.data.get(EVENT_TIMES_KEY)
        rows = self._sla_clock_rows(inputs, pauses, events)
        self._sla_assign_computed(CLOCK_FIELDS, [rows[id_] for id_ in self._ids])

    @api.model
    def _sla_clock_rows(self, inputs, pauses, events=None):
        """The clocks of many tickets: {ticket id: values in CLOCK_FIELDS order}.

        `inputs` holds (ticket id, *values of CLOCK_INPUTS in cache format),
        `pauses` {ticket id: [(start, end or None)]}; a clock is computed as of
        now, or as of the instant `events` holds for its ticket (popped). One
        interval fetch per calendar, then pure Python (lib/sla_clock.py)."""
        now = fields.Datetime.now()
        inputs = list(inputs)
        policies = self.env["helpdesk.sla.policy"].browse(
            {row[1] for row in inputs if row[1]}
        )
        targets = {
            (target.policy_id.id, target.priority): (
                target.response_hours * 3600.0,
                target.resolution_hours * 3600.0,
            )
            for target in policies.target_ids
        }
        warning = {policy.id: policy.warning_percent for policy in policies}
        by_calendar = defaultdict(list)
        rows = {}
        now_s = to_epoch(now)
        for ticket_id, policy_id, calendar_id, priority, *dates in inputs:
            target = targets.get((policy_id, priority))
            moment = events.pop(ticket_id, None) if events else None
            if not target or not calendar_id:
                rows[ticket_id] = CLEAR_CLOCK
                continue
            moment_s = now_s if moment is None else to_epoch(moment)
            start, responded, resolved = dates
            ticket_pauses = pauses.get(ticket_id)
            if ticket_pauses:
                intervals = [
                    (to_epoch(p_start), to_epoch(p_end) if p_end else moment_s)
                    for p_start, p_end in ticket_pauses
                    if p_start
                ]
                paused_now = not all(p_end for _p_start, p_end in ticket_pauses)
            else:
                intervals, paused_now = (), False
            by_calendar[calendar_id].append(
                SlaItem(
                    ticket_id,
                    target,
                    warning[policy_id],
                    moment_s,
                    start or moment or now,
                    intervals,
                    paused_now,
                    responded or None,
                    resolved or None,
                )
            )
        for calendar_id, items in by_calendar.items():
            calendar = self.env["resource.calendar"].browse(calendar_id)
            rows.update(self._sla_compute_clock_batch(calendar, items))
        return rows

    def _sla_cached_values(self, fname):
        """Values of a field for all of self, in cache format (ids for
        many2one), computed or fetched in batch if needed."""
        field = self._fields[fname]
        field.mapped(self)  # pending computations, missing values
        return self.env.cache.get_values(self, field)

    def _sla_assign_computed(self, fnames, rows):
        """Assign computed values (rows[i] holds those of self[i], in fnames'
        order, in cache format) as `ticket[fname] = value` in a compute method
        does, for many tickets at once: unchanged values stay clean."""
        env = self.env
        cache = env.cache
        for index, fname in enumerate(fnames):
            field = self._fields[fname]
            env.remove_to_compute(field, self)
            # The values in cache, as Field.write() compares them.
            current = cache._get_field_cache(self, field)
            changed = {
                id_: row[index]
                for id_, row in zip(self._ids, rows, strict=True)
                if current.get(id_, MISSING) != row[index]
            }
            if not changed:
                continue
            real = [id_ for id_ in changed if id_]
            new = [id_ for id_ in changed if not id_]
            for ids, dirty in ((real, field.store), (new, False)):
                if ids:
                    cache.update(
                        self.browse(ids),
                        field,
                        [changed[id_] for id_ in ids],
                        dirty=dirty,
                    )

    @api.model
    def _sla_compute_clock_batch(self, calendar, items):
        """Compute the clocks of many tickets (SlaItem) on one calendar from one
        interval fetch; returns {ticket id: values in CLOCK_FIELDS order}."""
        window_start = min(
            min(item.start for item in items),
            from_epoch(min(item.now for item in items)),
        )
        latest = max(
            max(item.start for item in items),
            from_epoch(max(item.now for item in items)),
        )
        rows = {}
        pending = items
        for days in HORIZON_STEPS_DAYS:
            schedule = calendar._sla_schedule(
                window_start, latest + timedelta(days=days)
            )
            unresolved = []
            for item in pending:
                row = self._sla_compute_one(schedule, item)
                if row is None:
                    unresolved.append(item)
                else:
                    rows[item.ticket_id] = row
            pending = unresolved
            if not pending:
                break
        for item in pending:
            # Not enough working time within ~4 years: no deadline rather than a hang.
            _logger.warning(
                "SLA: no deadline for ticket %s within %s days of calendar %s",
                item.ticket_id,
                HORIZON_STEPS_DAYS[-1],
                calendar.display_name,
            )
            rows[item.ticket_id] = CLEAR_CLOCK
        return rows

    @api.model
    def _sla_compute_one(self, schedule, item):
        """One ticket's clock (values in CLOCK_FIELDS order), as of item.now;
        None when the schedule's horizon is too short."""
        now_s = item.now
        pauses = item.pauses
        start_s = to_epoch(item.start)
        response_s, resolution_s = item.target
        response_deadline = sla_clock.deadline_with_pauses(
            schedule, start_s, response_s, pauses
        )
        resolution_deadline = sla_clock.deadline_with_pauses(
            schedule, start_s, resolution_s, pauses
        )
        if response_deadline is None or resolution_deadline is None:
            return None
        resolved_s = to_epoch(item.resolved) if item.resolved else None
        responded_s = to_epoch(item.responded) if item.responded else resolved_s
        if resolved_s is not None and responded_s is not None:
            responded_s = min(responded_s, resolved_s)
        end_s = resolved_s if resolved_s is not None else now_s
        consumed = sla_clock.active_seconds(schedule, start_s, end_s, pauses)
        paused = sla_clock.paused_seconds(schedule, start_s, end_s, pauses)
        paused_now = item.paused_now and any(
            p_end >= now_s for _p_start, p_end in pauses
        )
        warning = item.warning
        response_status = sla_clock.clock_status(
            now_s,
            response_deadline,
            responded_s,
            consumed,
            response_s,
            warning,
            paused_now,
        )
        resolution_status = sla_clock.clock_status(
            now_s,
            resolution_deadline,
            resolved_s,
            consumed,
            resolution_s,
            warning,
            paused_now,
        )
        # The next instant at which a status changes without any event: every
        # open clock not yet breached has one (a warning threshold comes
        # before its deadline: not computed once the deadline is reached).
        upcoming = []
        if not paused_now:
            for done_s, deadline, target_s in (
                (responded_s, response_deadline, response_s),
                (resolved_s, resolution_deadline, resolution_s),
            ):
                if done_s is not None or deadline < now_s:
                    continue
                warning_at = (
                    sla_clock.warning_instant(
                        schedule, start_s, target_s, warning, pauses
                    )
                    if deadline > now_s
                    else None
                )
                upcoming.append(sla_clock.next_check(now_s, deadline, warning_at))
        return (
            from_epoch(response_deadline),
            from_epoch(resolution_deadline),
            round(paused / 3600.0, 4),
            round(consumed / 3600.0, 4),
            round((resolution_s - consumed) / 3600.0, 4),
            response_status or None,
            resolution_status or None,
            from_epoch(min(upcoming)) if upcoming else None,
        )

    def _sla_compute_now(self):
        """Process the pending computations of the policy and the clock now (the
        clock depends on the time of the event); the ORM writes them later."""
        self._sla_forget_event_times()
        self._recompute_recordset(["sla_policy_id", "sla_calendar_id", *CLOCK_FIELDS])

    def _sla_forget_event_times(self):
        """The clock is computed as of now from here on: this event is later
        than a creation whose computation is still pending."""
        events = self.env.cr.precommit.data.get(EVENT_TIMES_KEY)
        if events:
            for ticket_id in self._ids:
                events.pop(ticket_id, None)

    @api.model
    def _sla_compute_pending(self):
        """Compute the SLA of the tickets created in this transaction whose SLA
        is still to be computed (at the flush), before policies, targets,
        business hours, contracts or sites change: a ticket gets the SLA as
        it was at its creation ("Apply to open tickets" applies later changes)."""
        to_compute = [
            fname
            for fname in DEFERRED_FIELDS
            if self.env.records_to_compute(self._fields[fname])
        ]
        if to_compute:
            self.sudo()._recompute_model(to_compute)

    def _sla_recompute(self, rows=None):
        """Recompute the stored clock now (statuses move with time) and write
        what changed. `rows`: the tickets' (id, *CLOCK_INPUTS, *CLOCK_FIELDS)
        as the caller just read them (after a flush), else read here.

        The SLA check does this for thousands of tickets at a time, so it reads
        and writes the clock columns with SQL (one SELECT and one UPDATE per
        batch) around the same computation as _compute_sla_clock, rather than
        through the ORM's read, compute and flush of each value. Automation
        rules on tickets watch the ORM's computations: with any, the clocks go
        through the ORM (_sla_recompute_orm)."""
        if not self:
            return
        if self._sla_has_automations():
            self._sla_recompute_orm()
            return
        if rows is None:
            # What the clock depends on, as the ORM has it (pending
            # computations, e.g. a policy just matched again, included).
            self.flush_recordset(CLOCK_INPUTS)
            self.env["helpdesk.sla.pause"].flush_model(PAUSE_INPUTS)
        self._sla_forget_event_times()
        for fname in CLOCK_FIELDS:
            self.env.remove_to_compute(self._fields[fname], self)
        cr = self.env.cr
        ids = list(self._ids)
        if rows is None:
            # Values an earlier event computed and the ORM has not written
            # yet: the SELECT must see them.
            self.flush_recordset(CLOCK_FIELDS)
            cr.execute(
                SQL(
                    "SELECT id, %s FROM helpdesk_ticket WHERE id = ANY(%s)",
                    SQL(", ").join(
                        SQL.identifier(fname) for fname in CLOCK_INPUTS + CLOCK_FIELDS
                    ),
                    ids,
                )
            )
            rows = cr.fetchall()
        width = 1 + len(CLOCK_INPUTS)
        inputs, current = [], {}
        for row in rows:
            inputs.append(row[:width])
            current[row[0]] = tuple(row[width:])
        pauses = defaultdict(list)
        cr.execute(
            "SELECT ticket_id, date_start, date_end FROM helpdesk_sla_pause "
            "WHERE ticket_id = ANY(%s) ORDER BY ticket_id, id",
            [ids],
        )
        for ticket_id, date_start, date_end in cr.fetchall():
            pauses[ticket_id].append((date_start, date_end))
        rows = self._sla_clock_rows(inputs, pauses)
        changes = {}
        for ticket_id, row in rows.items():
            old = current.get(ticket_id)
            if old != row:
                changes[ticket_id] = {
                    fname: value
                    for fname, value, old_value in zip(
                        CLOCK_FIELDS, row, old, strict=True
                    )
                    if value != old_value
                }
        if changes:
            self.browse(list(changes))._sla_write_clock(changes)
        # The cache holds what the database now has.
        cache = self.env.cache
        records = self.browse(list(rows))
        for index, fname in enumerate(CLOCK_FIELDS):
            cache.update(
                records, self._fields[fname], [row[index] for row in rows.values()]
            )

    def _sla_recompute_orm(self):
        """_sla_recompute through the ORM: read, compute and flush."""
        self.fetch(CLOCK_INPUTS + CLOCK_FIELDS)
        self._sla_forget_event_times()
        for fname in CLOCK_FIELDS:
            self.env.add_to_compute(self._fields[fname], self)
        self.flush_recordset(CLOCK_FIELDS)

    @api.model
    def _sla_has_automations(self):
        """Whether active automation rules (base_automation) exist on tickets."""
        if "base.automation" not in self.env:
            return False
        return bool(
            self.env["base.automation"]
            .sudo()
            .search_count([("model_name", "=", self._name)], limit=1)
        )

    def _sla_write_clock(self, changes):
        """Write clock columns ({ticket id: {field name: value}}) as the ORM's
        flush of computed values does (dependent fields notified, write_date and
        write_uid set): one UPDATE per set of changed columns and WRITE_BATCH
        tickets (few enough for PostgreSQL to find each row by its primary key
        rather than scan the table)."""
        self.modified(CLOCK_FIELDS)
        groups = defaultdict(list)
        for ticket_id, values in changes.items():
            groups[tuple(values)].append((ticket_id, *values.values()))
        for fnames, group in groups.items():
            columns = [SQL.identifier(fname) for fname in fnames]
            casts = [SQL("int4")] + [
                SQL(self._fields[fname].column_type[1]) for fname in fnames
            ]
            for chunk in split_every(WRITE_BATCH, group):
                self.env.cr.execute(
                    SQL(
                        """UPDATE helpdesk_ticket AS ticket
                        SET %(assignments)s, write_date = %(now)s,
                            write_uid = %(uid)s
                        FROM unnest(%(arrays)s) AS new(id, %(columns)s)
                        WHERE ticket.id = new.id""",
                        assignments=SQL(", ").join(
                            SQL("%s = new.%s", column, column) for column in columns
                        ),
                        now=self.env.cr.now(),
                        uid=self.env.uid,
                        arrays=SQL(", ").join(
                            SQL("%s::%s[]", list(array), cast)
                            for array, cast in zip(
                                zip(*chunk, strict=True), casts, strict=True
                            )
                        ),
                        columns=SQL(", ").join(columns),
                    )
                )

    # ------------------------------------------------------------------
    # Events: creation, stage changes, replies
    # ------------------------------------------------------------------

    @api.depends_context("uid")
    def _compute_sla_is_manager(self):
        self.sla_is_manager = self._sla_is_manager()

    def _sla_is_manager(self):
        return self.env.su or self.env.user.has_group(
            "helpdesk_sla_contract.group_sla_manager"
        )

    @api.model_create_multi
    def create(self, vals_list):
        if (
            any(
                vals.get("sla_policy_id") or vals.get("sla_start_date")
                for vals in vals_list
            )
            and not self._sla_is_manager()
        ):
            raise AccessError(
                self.env._("Only SLA managers can set a ticket's SLA policy or start.")
            )
        # helpdesk_mgmt gives tickets with a team that team's first stage: one
        # search per team rather than per ticket.
        with self.env["helpdesk.ticket.team"]._sla_memo_applicable_stages():
            tickets = super().create(vals_list)
        pause_stage_ids, out_of_hours = self.env[
            "helpdesk.sla.policy"
        ]._sla_creation_info()
        # Before caching NULLs: the cache holds what the INSERT stored.
        initially_tracked = tickets._sla_initial_stage_tickets(pause_stage_ids)
        tickets._sla_cache_inserted_nulls()
        if any(vals.get("sla_policy_id") for vals in vals_list):
            # A policy given at creation is manual only when the conditions would
            # not have picked it (forms send the computed value back).
            candidates = self.env["helpdesk.sla.policy"].sudo()._sla_candidates()
            for ticket, vals in zip(tickets, vals_list, strict=True):
                if (
                    vals.get("sla_policy_id")
                    and ticket._sla_find_policy(candidates) != ticket.sla_policy_id
                ):
                    ticket.write({"sla_policy_manual": True})
        # Site, contract, policy and clock are computed by the ORM at the flush,
        # for all new tickets at once; the clock as of the creation (see
        # _compute_sla_clock), with the configuration of the creation (see
        # _sla_compute_pending).
        events = self.env.cr.precommit.data.setdefault(EVENT_TIMES_KEY, {})
        now = fields.Datetime.now()
        for ticket_id in tickets._ids:
            events[ticket_id] = now
        initially_tracked._sla_track_stage(
            self.env["helpdesk.ticket.stage"], initial=True
        )
        if out_of_hours:
            tickets._sla_send_out_of_hours_reply()
        tickets.filtered("is_outage")._sla_sync_outage()
        return tickets

    def _sla_cache_inserted_nulls(self):
        """Put in the cache the NULLs the INSERT left in computed columns.

        The computed fields of new tickets (team, user, stage, site, contract,
        policy, clock...) are computed after the INSERT, at the latest at the
        flush; their compute methods read the field's current value, which
        would cost a SELECT of the new rows (of each row when each ticket is
        flushed on its own). Odoo caches those NULLs itself for the fields that
        are not computed.
        """
        cache = self.env.cache
        ids = self._ids
        for field, null in self._sla_null_cacheable_fields():
            # What fetching the NULL from the database would cache (values the
            # create put in cache stay).
            field_cache = cache._set_field_cache(self, field)
            for id_ in ids:
                field_cache.setdefault(id_, null)

    @api.model
    def _sla_null_cacheable_fields(self):
        """The stored computed fields whose NULL _sla_cache_inserted_nulls
        caches, with that NULL in cache format; the same for every registry of
        this model class (the fields are set up once per registry), so listed
        once per class."""
        cls = type(self)
        fields_ = cls.__dict__.get("_sla_null_fields")
        if fields_ is None or fields_[0] is not self._fields:
            fields_ = (
                self._fields,
                [
                    (field, field.convert_to_cache(None, self.browse(), validate=False))
                    for field in self._fields.values()
                    if field.store
                    and field.column_type
                    and field.compute
                    and field.type in NULL_CACHEABLE_TYPES
                    and not field.translate
                ],
            )
            cls._sla_null_fields = fields_
        return fields_[1]

    def _sla_initial_stage_tickets(self, pause_stage_ids):
        """The new tickets whose initial stage is closed or a stage some policy
        (`pause_stage_ids`) pauses in, known without computing the stage where
        possible. The cache holds what the INSERT stored (values, defaults,
        and the team's first stage helpdesk_mgmt puts in the values); a stage
        left to the ORM is the first stage of the ticket's team, or of the
        company for a ticket without team: only when one of those first stages
        is tracked does the stage need computing now."""
        stages = self._sla_stage_facts()
        tracked = pause_stage_ids | stages["closed"]
        compute = bool(tracked & stages["first"])
        cache = self.env.cache
        stage_field = self._fields["stage_id"]
        selected = []
        for ticket in self:
            if cache.contains(ticket, stage_field):
                stage_id = cache.get(ticket, stage_field)
            elif compute:
                stage_id = ticket.stage_id.id
            else:
                continue
            if stage_id in tracked:
                selected.append(ticket.id)
        return self.browse(selected)

    @api.model
    def _sla_stage_facts(self):
        """{"closed": ids of closed stages, "first": ids of the stages a new
        ticket can start in (the first stage of each team, and of the company
        for tickets without team)}, looked up once per transaction (forgotten
        when stages or teams change in it)."""
        known = self.env.cr.precommit.data.setdefault(STAGE_FACTS_KEY, {})
        company_id = self.env.company.id
        if company_id not in known:
            # Two searches whatever the number of teams: the rule of
            # helpdesk.ticket.team._get_applicable_stages() (active stages of
            # the team's company or of none, of the team or of no team, in
            # stage order) applied in Python.
            # The stages new tickets may start in (active) or be closed in
            # (closed, archived ones included: a value may name one).
            stages = (
                self.env["helpdesk.ticket.stage"]
                .sudo()
                .with_context(active_test=False)
                .search_fetch(
                    ["|", ("active", "=", True), ("closed", "=", True)],
                    ["active", "closed", "company_id", "team_ids"],
                )
            )
            # Every team (archived ones included), with its company.
            teams = (
                self.env["helpdesk.ticket.team"]
                .sudo()
                .with_context(active_test=False)
                .search_fetch([], ["company_id"])
            )
            active = [
                (stage.id, stage.company_id.id, set(stage.team_ids.ids))
                for stage in stages
                if stage.active
            ]

            def first_stage(team_id, team_company_id):
                return next(
                    (
                        stage_id
                        for stage_id, stage_company_id, stage_team_ids in active
                        if stage_company_id in (False, team_company_id)
                        and (not stage_team_ids or team_id in stage_team_ids)
                    ),
                    False,
                )

            first = {first_stage(None, company_id)}
            first.update(first_stage(team.id, team.company_id.id) for team in teams)
            known[company_id] = {
                "closed": frozenset(stages.filtered("closed").ids),
                "first": frozenset(first - {False}),
            }
        return known[company_id]

    def write(self, vals):
        if ("sla_policy_id" in vals or "sla_start_date" in vals) and not (
            self._sla_is_manager()
        ):
            raise AccessError(
                self.env._(
                    "Only SLA managers can change a ticket's SLA policy or start."
                )
            )
        if "sla_policy_id" in vals and "sla_policy_manual" not in vals:
            vals = dict(vals, sla_policy_manual=bool(vals["sla_policy_id"]))
        if "priority" in vals:
            vals = dict(vals, sla_response_warned=False, sla_resolution_warned=False)
        old_stages = {}
        if "stage_id" in vals:
            old_stages = {ticket.id: ticket.stage_id for ticket in self}
        res = super().write(vals)
        if "stage_id" in vals:
            for ticket in self:
                ticket._sla_track_stage(old_stages.get(ticket.id))
        if "sla_policy_id" in vals and not vals["sla_policy_id"]:
            # Back to automatic matching.
            self._sla_rematch()
        if CLOCK_TRIGGERS.intersection(vals):
            self._sla_compute_now()
        if {"is_outage", "outage_service_id", "stage_id"}.intersection(vals):
            self._sla_sync_outage()
        return res

    def _sla_track_stage(self, old_stage, initial=False):
        """Open/close pauses and the resolution date after a stage change."""
        now = fields.Datetime.now()
        pause_model = self.env["helpdesk.sla.pause"].sudo()
        for ticket in self:
            new_stage = ticket.stage_id
            if not initial and old_stage == new_stage:
                continue
            pause_stages = ticket.sla_policy_id.pause_stage_ids
            open_pauses = ticket.sudo().sla_pause_ids.filtered(lambda p: not p.date_end)
            updates = {}
            if new_stage.closed and not (old_stage and old_stage.closed):
                updates["sla_resolved_date"] = now
                if not ticket.sla_first_response_date:
                    # Resolving answers the customer: the response target
                    # completes once, and a reopening does not undo it.
                    updates["sla_first_response_date"] = now
                open_pauses.write({"date_end": now})
            elif not new_stage.closed and old_stage and old_stage.closed:
                # Reopened: the time spent closed does not count.
                if ticket.sla_resolved_date:
                    pause_model.create(
                        {
                            "ticket_id": ticket.id,
                            "date_start": ticket.sla_resolved_date,
                            "date_end": now,
                            "reason": "closed",
                            "stage_id": old_stage.id,
                        }
                    )
                updates["sla_resolved_date"] = False
            if not new_stage.closed:
                if new_stage in pause_stages and not open_pauses:
                    pause_model.create(
                        {
                            "ticket_id": ticket.id,
                            "date_start": now,
                            "reason": "stage",
                            "stage_id": new_stage.id,
                        }
                    )
                elif new_stage not in pause_stages and open_pauses:
                    open_pauses.write({"date_end": now})
            if updates:
                ticket.write(updates)
                ticket._sla_update_breach_late_hours()

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if (
            not self.env.context.get("sla_auto_reply")
            and not self.sla_first_response_date
            and message.message_type in ("comment", "email")
            and message.subtype_id
            and not message.subtype_id.internal
            and message.author_id.user_ids.filtered(lambda user: not user.share)
        ):
            # A public reply of an internal user: notes and customer mails don't count.
            self.sudo().write(
                {"sla_first_response_date": message.date or fields.Datetime.now()}
            )
            self.sudo()._sla_update_breach_late_hours()
        return res

    def action_sla_mark_responded(self):
        for ticket in self.filtered(lambda t: not t.sla_first_response_date):
            ticket.sudo().write({"sla_first_response_date": fields.Datetime.now()})
            ticket.sudo()._sla_update_breach_late_hours()
        return True

    def action_sla_reset_policy(self):
        """Back to the policy the conditions give."""
        self.write({"sla_policy_id": False, "sla_policy_manual": False})
        return True

    # ------------------------------------------------------------------
    # Out-of-hours auto-reply
    # ------------------------------------------------------------------

    def _sla_next_business_start(self, moment=None):
        """Start of the next business period of the ticket's policy (naive UTC)."""
        self.ensure_one()
        calendar = self.sla_calendar_id
        if not calendar:
            return False
        moment = moment or fields.Datetime.now()
        schedule = calendar._sla_schedule(moment, moment + timedelta(days=62))
        start = schedule.next_work_start(to_epoch(moment))
        return from_epoch(start) if start is not None else False

    def _sla_customer_tz(self):
        self.ensure_one()
        # The contact's zone, else the site's (a site has its own time zone).
        return (
            self.partner_id.tz
            or self.site_id.tz
            or self.sla_calendar_id.tz
            or self.env.user.tz
            or "UTC"
        )

    def _sla_send_out_of_hours_reply(self):
        for ticket in self:
            policy = ticket.sla_policy_id
            if not (policy.out_of_hours_reply and policy.out_of_hours_template_id):
                continue
            moment = ticket.sla_start_date or fields.Datetime.now()
            schedule = ticket.sla_calendar_id._sla_schedule(moment, moment)
            if schedule.is_working(to_epoch(moment)):
                continue
            ticket.with_context(
                sla_auto_reply=True, sla_reply_moment=moment
            ).message_post_with_source(
                policy.out_of_hours_template_id,
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
            )

    @api.depends("sla_start_date", "sla_policy_id", "partner_id")
    def _compute_sla_out_of_hours_text(self):
        """When work starts, in the customer's language and time zone."""
        for ticket in self:
            start = ticket.sla_policy_id and ticket._sla_next_business_start(
                ticket.env.context.get("sla_reply_moment") or ticket.sla_start_date
            )
            ticket.sla_out_of_hours_text = (
                format_datetime(
                    ticket.env,
                    start,
                    tz=ticket._sla_customer_tz(),
                    dt_format="long",
                    lang_code=ticket.partner_id.lang or ticket.env.lang,
                )
                if start
                else ""
            )

    # ------------------------------------------------------------------
    # Breaches and escalation
    # ------------------------------------------------------------------

    def _sla_escalation_partners(self):
        self.ensure_one()
        users = self.sla_policy_id.escalation_user_ids | self.team_id.user_id
        return users.partner_id

    def _sla_late_hours(self, kind, until=None):
        """Business hours from a deadline to the response/resolution (or now)."""
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
        schedule = self.sla_calendar_id._sla_schedule(deadline, until)
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
        holds; returns the locked ones."""
        if not self:
            return self
        self.env.cr.execute(
            "SELECT id FROM helpdesk_ticket WHERE id IN %s "
            "FOR NO KEY UPDATE SKIP LOCKED",
            (tuple(self.ids),),
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _sla_search_lock_rows(self, domain, limit, order, fnames=()):
        """Rows (id, *columns `fnames`) of the tickets of `domain` (at most
        `limit`, in `order`), locked for this transaction by the same query,
        skipping those another worker holds; the columns as stored (flush what
        they must reflect first)."""
        query = self._search(domain, order=order, limit=limit)
        table = self._table
        return self.env.execute_query(
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
        # Found, locked and read by one query, the most overdue first; tickets
        # another worker holds are skipped (they are that worker's to do).
        tickets.flush_model(CLOCK_INPUTS + CLOCK_FIELDS)
        self.env["helpdesk.sla.pause"].flush_model(PAUSE_INPUTS)
        rows = tickets._sla_search_lock_rows(
            due_domain, batch_size, "sla_next_check_date", CLOCK_INPUTS + CLOCK_FIELDS
        )
        due = tickets.browse([row[0] for row in rows])
        due._sla_recompute(rows)
        if len(due) < batch_size:
            # Every due ticket was found: what remains is any clock whose next
            # check is (rounded to the second) still not in the future.
            remaining = sum(
                1
                for moment in due._sla_cached_values("sla_next_check_date")
                if moment and moment <= now
            )
        else:
            # Counted up to one more batch: counting every due ticket at each
            # call would make a backlog's run grow with its square.
            remaining = tickets.search_count(due_domain, limit=batch_size)
        found = tickets.search(self._sla_action_domain(), limit=batch_size)
        locked = found._sla_lock()
        # Re-read what another worker may have committed before we got the lock.
        locked.invalidate_recordset()
        self.env["helpdesk.sla.breach"].invalidate_model()
        actionable = locked.filtered_domain(self._sla_action_domain())
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
        breach_vals = []
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
                        breach_vals.append(ticket._sla_breach_values(kind, now))
        if not events:
            return
        breaches = iter(breach_model.create(breach_vals))
        activities = []
        posts = []
        warned = defaultdict(list)
        for ticket, kind, is_breach in events:
            if is_breach:
                posts.append(ticket._sla_breach_note(next(breaches)))
            else:
                activity = ticket._sla_warning_activity(kind)
                if activity:
                    activities.append(activity)
                posts.append(ticket._sla_warning_note(kind))
                warned[kind].append(ticket.id)
        if activities:
            self.env["mail.activity"].create(activities)
        self._sla_post_notes(posts)
        for kind, ids in warned.items():
            self.browse(ids).write({f"sla_{kind}_warned": True})

    def _sla_kind_label(self, kind):
        return (
            self.env._("response") if kind == "response" else self.env._("resolution")
        )

    def _sla_warn(self, kind):
        """Warn of one deadline soon due (activity for the assignee, note to
        the escalation recipients)."""
        self.ensure_one()
        activity = self._sla_warning_activity(kind)
        if activity:
            self.env["mail.activity"].create(activity)
        self._sla_post_notes([self._sla_warning_note(kind)])
        self.write({f"sla_{kind}_warned": True})

    def _sla_warning_activity(self, kind):
        """Values of the assignee's to-do activity for a warning (None without
        assignee), as activity_schedule() would create it."""
        self.ensure_one()
        if not self.user_id or self.env.context.get("mail_activity_automation_skip"):
            return None
        deadline = self[f"sla_{kind}_deadline"]
        label = self._sla_kind_label(kind)
        activity_type = (
            self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
            or self._default_activity_type()
        )
        return {
            "activity_type_id": activity_type.id,
            "summary": self.env._("SLA %(kind)s due soon", kind=label),
            "automated": True,
            "note": self.env._(
                "The %(kind)s deadline of this ticket is %(deadline)s (UTC).",
                kind=label,
                deadline=deadline,
            ),
            "date_deadline": fields.Date.context_today(self, deadline),
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "user_id": self.user_id.id,
        }

    def _sla_warning_note(self, kind):
        """(ticket, body, partner ids) of the note of a warning."""
        self.ensure_one()
        deadline = self[
            f"sla_{kind}_deadline"
        ]  # outside the call: babel evals f-strings
        body = self.env._(
            "SLA warning: %(percent)s %% of the %(kind)s time is used; due "
            "%(deadline)s (UTC).",
            percent=self.sla_policy_id.warning_percent,
            kind=self._sla_kind_label(kind),
            deadline=deadline,
        )
        return self, body, self._sla_escalation_partners().ids

    def _sla_breach_values(self, kind, now):
        self.ensure_one()
        return {
            "ticket_id": self.id,
            "policy_id": self.sla_policy_id.id,
            "kind": kind,
            "deadline": self[f"sla_{kind}_deadline"],
            "breach_date": now,
            "late_hours": self._sla_late_hours(kind, now),
            "partner_id": (self.commercial_partner_id or self.partner_id).id,
            "team_id": self.team_id.id,
            "user_id": self.user_id.id,
            "company_id": self.company_id.id,
        }

    def _sla_breach_note(self, breach):
        """(ticket, body, partner ids) of the note of a breach."""
        self.ensure_one()
        partners = self._sla_escalation_partners() | self.user_id.partner_id
        body = self.env._(
            "SLA breached: the %(kind)s deadline %(deadline)s (UTC) was missed.",
            kind=self._sla_kind_label(breach.kind),
            deadline=breach.deadline,
        )
        return self, body, partners.ids

    def _sla_notify_breach(self, breach):
        self.ensure_one()
        self._sla_post_notes([self._sla_breach_note(breach)])

    def _sla_post_notes(self, posts):
        """Post internal notes [(ticket, body, partner ids)] in this order, as
        message_post(body=..., subtype_xmlid="mail.mt_note", partner_ids=...)
        on each ticket would, but with the messages created in one create() (per
        round: a ticket's second note is threaded under its first) and the
        values message_post computes per call computed once for all."""
        if not posts:
            return
        own_post = type(self).message_post
        if own_post is not type(self.env["mail.thread"]).message_post:
            # A module adds behaviour to the ticket's message_post: keep it.
            for ticket, body, partner_ids in posts:
                ticket.message_post(
                    body=body, subtype_xmlid="mail.mt_note", partner_ids=partner_ids
                )
            return
        tickets = self.browse(list(dict.fromkeys(t.id for t, _b, _p in posts)))
        tickets = tickets._fallback_lang()
        author_id, email_from = tickets._message_compute_author(
            None, None, raise_on_email=True
        )
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        company = self.env.company
        alias_domains = tickets.sudo()._mail_get_alias_domains(default_company=company)
        companies = tickets._mail_get_companies(default=company)
        reply_to = tickets._notify_get_reply_to(default=email_from)
        names = {ticket.id: ticket.sudo().display_name for ticket in tickets}
        parents = {}
        if self._mail_flat_thread:
            # The first message of each thread (what _message_compute_parent_id
            # searches for one record).
            self.env["mail.message"].flush_model(["model", "res_id", "message_type"])
            self.env.cr.execute(
                "SELECT res_id, min(id) FROM mail_message WHERE model = %s "
                "AND res_id IN %s AND message_type != 'user_notification' "
                "GROUP BY res_id",
                (self._name, tuple(tickets.ids)),
            )
            parents = dict(self.env.cr.fetchall())
        pending = list(posts)
        while pending:
            batch, seen, later = [], set(), []
            for post in pending:
                (later if post[0].id in seen else batch).append(post)
                seen.add(post[0].id)
            values_list = []
            for ticket, body, partner_ids in batch:
                values = {
                    "email_add_signature": True,
                    "record_name": names[ticket.id],
                    "author_id": author_id,
                    "author_guest_id": False,
                    "email_from": email_from,
                    "model": self._name,
                    "res_id": ticket.id,
                    "body": escape(body),
                    "message_type": "notification",
                    "parent_id": parents.get(ticket.id, False),
                    "subject": False,
                    "subtype_id": subtype_id,
                    "partner_ids": list(partner_ids),
                    "record_alias_domain_id": alias_domains[ticket.id].id,
                    "record_company_id": companies[ticket.id].id,
                    "reply_to": reply_to[ticket.id],
                    "attachment_ids": [],
                }
                values_list.append(values)
            messages = tickets._message_create(values_list)
            for (ticket, _body, _partners), message, values in zip(
                batch, messages, values_list, strict=True
            ):
                parents.setdefault(ticket.id, message.id)
                ticket = ticket.with_env(tickets.env)
                ticket._message_post_after_hook(message, values)
                ticket._notify_thread(message, values)
            pending = later

    # ------------------------------------------------------------------
    # Outages
    # ------------------------------------------------------------------

    @api.constrains("is_outage", "outage_service_id")
    def _check_outage_service(self):
        for ticket in self:
            if ticket.is_outage and not ticket.outage_service_id:
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s reports an outage: choose the service "
                        "that is down.",
                        ticket=ticket.display_name,
                    )
                )

    def _sla_sync_outage(self):
        """An open outage ticket has an open incident on its service; closing
        the ticket ends it."""
        incidents = self.env["helpdesk.sla.incident"].sudo()
        now = fields.Datetime.now()
        for ticket in self:
            open_incidents = ticket.sudo().incident_ids.filtered(
                lambda incident: not incident.date_end
            )
            if ticket.stage_id.closed:
                open_incidents.write({"date_end": ticket.sla_resolved_date or now})
                continue
            service = ticket.outage_service_id
            if not ticket.is_outage or not service:
                continue
            if service not in open_incidents.service_id:
                # The first outage began when the ticket's clock did; a
                # reopened ticket reports the service down again from now.
                first = not ticket.sudo().incident_ids
                incidents.create(
                    {
                        "service_id": service.id,
                        "date_start": (ticket.sla_start_date if first else None) or now,
                        "ticket_id": ticket.id,
                        "cause": ticket.name,
                        "kind": "unplanned",
                    }
                )
