# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tickets: which SLA applies (site, contract, policy, business hours) and
the events that move the clock (creation, stage changes, replies)."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .helpdesk_ticket_outage import OUTAGE_REPORT_FIELDS

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
    # A prepaid amount is money: its balance is shown in the contract's currency.
    contract_bank_remaining = fields.Float(
        related="contract_id.bank_remaining", string="Prepaid amount left"
    )
    contract_currency_id = fields.Many2one(
        related="contract_id.currency_id", string="Contract currency"
    )
    contract_hours_consumed = fields.Float(
        related="contract_id.hours_consumed", string="Contract hours used"
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
    sla_pause_ids = fields.One2many(
        "helpdesk.sla.pause",
        "ticket_id",
        string="SLA pauses",
        groups="helpdesk_mgmt.group_helpdesk_user_own",
    )
    sla_is_manager = fields.Boolean(compute="_compute_sla_is_manager")

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
    def _sla_check_apply_rights(self):
        """ "Apply to open tickets" buttons act as superuser: SLA managers only."""
        if not self._sla_is_manager():
            raise AccessError(
                self.env._("Only SLA managers apply SLA changes to open tickets.")
            )

    @api.model
    def _sla_rematch_open_tickets(self, domain=None):
        """Match the open tickets (of `domain`) again, then recompute their
        clocks, after policies, contracts or sites changed. Deadlines are
        recomputed from each clock start with its pauses: consumed time is kept.
        A policy set by hand stays (its calendar may follow the new source)."""
        tickets = self.sudo().search(
            [("stage_id.closed", "=", False)] + list(domain or [])
        )
        # A ticket's first policy is not tracked: the first "Apply to open
        # tickets" after the installation would log a message on every open
        # ticket of the helpdesk. A change of policy is tracked as usual.
        first = tickets.filtered(lambda ticket: not ticket.sla_policy_id)
        (tickets - first)._sla_rematch()
        first.with_context(mail_notrack=True)._sla_rematch()
        tickets._sla_pause_for_policy()
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
        if default and default.active and default._sla_company_fits(self):
            return default
        return candidates.browse()

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
        self._sla_check_manager_fields(vals_list, creating=True)
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
        # A ticket created in a closed stage, or in one its policy pauses in.
        tickets.filtered(
            lambda ticket: (
                ticket.stage_id.closed or ticket._sla_policy_pauses_in(ticket.stage_id)
            )
        )._sla_track_stage(self.env["helpdesk.ticket.stage"], initial=True)
        tickets._sla_send_out_of_hours_reply()
        tickets.filtered("is_outage")._sla_sync_outage()
        return tickets

    def write(self, vals):
        self._sla_check_manager_fields([vals])
        if "sla_policy_id" in vals and "sla_policy_manual" not in vals:
            vals = dict(vals, sla_policy_manual=bool(vals["sla_policy_id"]))
        if "priority" in vals:
            vals = dict(vals, sla_response_warned=False, sla_resolution_warned=False)
        reported_before = None
        if OUTAGE_REPORT_FIELDS.intersection(vals):
            reported_before = self._sla_reported_outages()
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
        if "sla_policy_id" in vals:
            self._sla_pause_for_policy()
        if CLOCK_TRIGGERS.intersection(vals):
            self._sla_compute_now()
        if OUTAGE_REPORT_FIELDS.intersection(vals):
            self._sla_end_unreported_downtime(reported_before)
        if {*OUTAGE_REPORT_FIELDS, "stage_id"}.intersection(vals):
            self._sla_sync_outage()
        return res

    def _sla_pause_for_policy(self):
        """Pause or resume the clock of open tickets as their (new) policy says
        of the stage they already are in: a ticket that gets a policy while
        waiting on the customer is paused from now on."""
        self.filtered(lambda ticket: not ticket.stage_id.closed)._sla_track_stage(
            self.env["helpdesk.ticket.stage"], initial=True
        )

    def _sla_policy_pauses_in(self, stage):
        """Whether this ticket's policy stops the clock in `stage` (sudo: the
        policy is the helpdesk's, whoever moves the ticket)."""
        self.ensure_one()
        policy = self.sudo().sla_policy_id
        return bool(policy) and stage.id in policy._sla_pause_stage_ids()

    def _sla_track_stage(self, old_stage, initial=False):
        """Open/close pauses and the resolution date after a stage change."""
        now = fields.Datetime.now()
        pause_model = self.env["helpdesk.sla.pause"].sudo()
        for ticket in self:
            new_stage = ticket.stage_id
            if not initial and old_stage == new_stage:
                continue
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
                pauses_here = ticket._sla_policy_pauses_in(new_stage)
                if pauses_here and not open_pauses:
                    pause_model.create(
                        {
                            "ticket_id": ticket.id,
                            "date_start": now,
                            "reason": "stage",
                            "stage_id": new_stage.id,
                        }
                    )
                elif not pauses_here and open_pauses:
                    open_pauses.write({"date_end": now})
            if updates:
                # sudo: the stage change sets them, whoever moves the ticket.
                ticket.sudo().write(updates)
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
        # Written as superuser below: only those who may edit the ticket.
        self.check_access("write")
        for ticket in self.filtered(lambda t: not t.sla_first_response_date):
            ticket.sudo().write({"sla_first_response_date": fields.Datetime.now()})
            ticket.sudo()._sla_update_breach_late_hours()
        return True

    def action_sla_reset_policy(self):
        """Back to the policy the conditions give."""
        self.write({"sla_policy_id": False, "sla_policy_manual": False})
        return True
