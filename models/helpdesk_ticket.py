# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from datetime import datetime, timedelta
from typing import NamedTuple

from markupsafe import Markup
from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_datetime, mute_logger

from ..lib import sla_clock
from .resource_calendar import from_epoch, to_epoch

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
# A clock without policy, target or calendar (cache format, CLOCK_FIELDS order).
CLEAR_CLOCK = (None, None, 0.0, 0.0, 0.0, None, None, None)


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
# Notes listed in one recipient's digest of an SLA check.
DIGEST_LINES = 50


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
        # The clocks of the whole batch are computed together (one interval
        # fetch per calendar, see _sla_clock_rows), as of now.
        inputs = [
            (
                ticket.id,
                ticket.sla_policy_id.id,
                ticket.sla_calendar_id.id,
                ticket.priority,
                ticket.sla_start_date,
                ticket.sla_first_response_date,
                ticket.sla_resolved_date,
            )
            for ticket in self
        ]
        pauses = {
            ticket.id: [
                (pause.date_start, pause.date_end or None)
                for pause in ticket.sla_pause_ids
            ]
            for ticket in self.sudo()
            if ticket.sla_pause_ids
        }
        rows = self._sla_clock_rows(inputs, pauses)
        for ticket in self:
            ticket.update(
                {
                    fname: value if value is not None else False
                    for fname, value in zip(CLOCK_FIELDS, rows[ticket.id], strict=True)
                }
            )

    @api.model
    def _sla_clock_rows(self, inputs, pauses):
        """The clocks of many tickets as of now: {ticket id: values in
        CLOCK_FIELDS order}.

        `inputs` holds (ticket id, policy id, calendar id, priority, start,
        first response, resolution), `pauses` {ticket id: [(start, end or
        None)]}. One interval fetch per calendar, then pure Python
        (lib/sla_clock.py)."""
        now = fields.Datetime.now()
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
            if not target or not calendar_id:
                rows[ticket_id] = CLEAR_CLOCK
                continue
            start, responded, resolved = dates
            ticket_pauses = pauses.get(ticket_id)
            if ticket_pauses:
                intervals = [
                    (to_epoch(p_start), to_epoch(p_end) if p_end else now_s)
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
                    now_s,
                    start or now,
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
        # The next instant at which a status changes without any event (a
        # warning threshold comes before its deadline: none once it passed).
        upcoming = []
        if not paused_now:
            for done_s, deadline, target_s in (
                (responded_s, response_deadline, response_s),
                (resolved_s, resolution_deadline, resolution_s),
            ):
                if done_s is None and deadline > now_s:
                    upcoming.append(deadline)
                    upcoming.append(
                        sla_clock.warning_instant(
                            schedule, start_s, target_s, warning, pauses
                        )
                    )
        upcoming = [moment for moment in upcoming if moment and moment > now_s]
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
        """Compute the pending policy and clock now: the clock depends on the
        time of the event (the ORM writes the values at the flush)."""
        self._recompute_recordset(["sla_policy_id", "sla_calendar_id", *CLOCK_FIELDS])

    def _sla_recompute(self):
        """Recompute the stored clock as of now (statuses move with time) and
        write what changed, through the ORM: the SLA check calls it for a batch
        of due tickets at a time."""
        if not self:
            return
        for fname in CLOCK_FIELDS:
            self.env.add_to_compute(self._fields[fname], self)
        self.flush_recordset(CLOCK_FIELDS)

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
        tickets = super().create(vals_list)
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
        # The SLA of the creation: site, contract, policy and clock computed
        # now, for the batch, with today's configuration (a policy created
        # later applies through "Apply to open tickets").
        tickets._sla_compute_now()
        pause_stage_ids, out_of_hours = self.env[
            "helpdesk.sla.policy"
        ]._sla_creation_info()
        # A ticket created in a closed stage, or one a policy pauses in.
        tickets.filtered(
            lambda ticket: (
                ticket.stage_id.closed or ticket.stage_id.id in pause_stage_ids
            )
        )._sla_track_stage(self.env["helpdesk.ticket.stage"], initial=True)
        if out_of_hours:
            tickets._sla_send_out_of_hours_reply()
        tickets.filtered("is_outage")._sla_sync_outage()
        return tickets

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
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
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

    def _sla_post_notes(self, posts):
        """Log the internal notes [(ticket, body, partner ids)] of warnings and
        breaches on the tickets, in this order, then send each recipient one
        digest of them: Odoo's batch log notifies no one, so a backlog of
        breaches costs one notification per recipient, not one per ticket."""
        pending = list(posts)
        while pending:
            # One note per ticket and call: a ticket's second note goes in the
            # next round (after its first).
            groups, seen, later = defaultdict(dict), set(), []
            for ticket, body, partner_ids in pending:
                if ticket.id in seen:
                    later.append((ticket, body, partner_ids))
                    continue
                seen.add(ticket.id)
                groups[tuple(sorted(partner_ids))][ticket.id] = body
            for partner_ids, bodies in groups.items():
                self.browse(list(bodies))._message_log_batch(
                    bodies, partner_ids=list(partner_ids)
                )
            pending = later
        self._sla_send_digests(posts)

    def _sla_send_digests(self, posts):
        """One inbox/e-mail notification per recipient listing the notes of
        this SLA check that concern them (the first DIGEST_LINES of them)."""
        by_partner = defaultdict(list)
        for ticket, body, partner_ids in posts:
            for partner_id in partner_ids:
                by_partner[partner_id].append((ticket, body))
        for partner_id, items in by_partner.items():
            lines = Markup("").join(
                Markup("<li>%s: %s</li>") % (ticket._get_html_link(), body)
                for ticket, body in items[:DIGEST_LINES]
            )
            more = len(items) - DIGEST_LINES
            if more > 0:
                lines += Markup("<li>%s</li>") % self.env._(
                    "… and %(count)s more (see SLA breaches).", count=more
                )
            # On no record (mail.thread): a digest belongs to no ticket.
            self.env["mail.thread"].message_notify(
                partner_ids=[partner_id],
                subject=self.env._(
                    "SLA check: %(count)s tickets need attention", count=len(items)
                ),
                body=Markup("<ul>%s</ul>") % lines,
            )

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
