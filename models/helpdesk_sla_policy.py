# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools.safe_eval import safe_eval

from .sla_history import count_references, refuse_unlink_if_referenced

# What matching a ticket and computing its clock read of a policy (its cache
# key, company, business hours, auto-reply): fetched with the candidates.
CANDIDATE_FIELDS = [
    "active",
    "company_id",
    "calendar_id",
    "sla_cache_version",
    "write_date",
    "out_of_hours_reply",
    "out_of_hours_template_id",
]
# The conditions that name records: a policy covers only the records named.
CONDITION_FIELDS = ("team_ids", "category_ids", "tag_ids", "partner_ids")


class HelpdeskSlaPolicy(models.Model):
    _name = "helpdesk.sla.policy"
    _description = "SLA policy"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    # Part of the key of what is cached of the policy (conditions, targets):
    # raised whenever it, its targets or the records it names change.
    sla_cache_version = fields.Integer(readonly=True, copy=False, default=0)
    description = fields.Html(translate=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Business hours",
        required=True,
        default=lambda self: self.env.company.resource_calendar_id,
        tracking=True,
        help="SLA time only runs during these working hours; its public holidays "
        "(global time off) stop the clock.",
    )
    # Conditions: an empty condition matches every ticket.
    team_ids = fields.Many2many("helpdesk.ticket.team", string="Teams")
    category_ids = fields.Many2many("helpdesk.ticket.category", string="Categories")
    tag_ids = fields.Many2many(
        "helpdesk.ticket.tag",
        string="Tags",
        help="The ticket needs at least one of these tags.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        domain=[("is_company", "=", True)],
        help="Commercial partners (companies) whose tickets this policy covers.",
    )
    ticket_domain = fields.Char(
        string="Ticket filter",
        default="[]",
        help="Extra condition on the ticket, as an Odoo domain.",
    )
    target_ids = fields.One2many(
        "helpdesk.sla.target", "policy_id", string="Targets", copy=True
    )
    pause_stage_ids = fields.Many2many(
        "helpdesk.ticket.stage",
        string="Pause stages",
        help="The clock stops while a ticket is in one of these stages "
        "(e.g. waiting on the customer).",
    )
    warning_percent = fields.Integer(
        string="Warn at (%)",
        default=75,
        help="Share of a target consumed at which the assignee and the escalation "
        "recipients are warned.",
    )
    escalation_user_ids = fields.Many2many(
        "res.users",
        string="Escalate to",
        domain=[("share", "=", False)],
        help="Warned and notified on breaches, together with the team leader.",
    )
    out_of_hours_reply = fields.Boolean(
        string="Out-of-hours auto-reply",
        help="Tickets created outside business hours get an automatic reply "
        "telling when work starts.",
    )
    out_of_hours_template_id = fields.Many2one(
        "mail.template",
        string="Auto-reply template",
        domain=[("model", "=", "helpdesk.ticket")],
        default=lambda self: self.env.ref(
            "helpdesk_sla_contract.mail_template_sla_out_of_hours",
            raise_if_not_found=False,
        ),
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")

    @api.constrains("warning_percent")
    def _check_warning_percent(self):
        for policy in self:
            if not 1 <= policy.warning_percent <= 99:
                raise ValidationError(
                    self.env._(
                        "The warning threshold of %(policy)s must be between 1 and "
                        "99 %%.",
                        policy=policy.display_name,
                    )
                )

    @api.constrains("calendar_id")
    def _check_calendar_has_working_time(self):
        for policy in self:
            try:
                policy.calendar_id._sla_check_has_working_time()
            except UserError as exc:
                raise ValidationError(exc.args[0]) from exc

    @api.constrains("ticket_domain")
    def _check_ticket_domain(self):
        for policy in self:
            try:
                domain = safe_eval(policy.ticket_domain or "[]")
                self.env["helpdesk.ticket"].search_count(domain, limit=1)
            except Exception as exc:
                raise ValidationError(
                    self.env._(
                        "The ticket filter of %(policy)s is not a valid domain: "
                        "%(error)s",
                        policy=policy.display_name,
                        error=exc,
                    )
                ) from exc

    @api.constrains("out_of_hours_reply", "out_of_hours_template_id")
    def _check_out_of_hours_template(self):
        for policy in self:
            if policy.out_of_hours_reply and not policy.out_of_hours_template_id:
                raise ValidationError(
                    self.env._(
                        "Choose the email template of the out-of-hours reply of "
                        "%(policy)s.",
                        policy=policy.display_name,
                    )
                )

    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("sla_policy_id", "in", self.ids)], ["sla_policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.ticket_count = counts.get(policy, 0)

    def write(self, vals):
        res = super().write(vals)
        if set(vals) != {"sla_cache_version"}:
            self._sla_touch()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sla_history(self):
        """Tickets and breaches keep the policy their deadlines came from;
        contracts, sites and companies keep the one they name."""
        refuse_unlink_if_referenced(
            self,
            [
                (
                    self.env._("tickets"),
                    count_references(self, "helpdesk.ticket", "sla_policy_id"),
                ),
                (
                    self.env._("breaches"),
                    count_references(self, "helpdesk.sla.breach", "policy_id"),
                ),
                # Those that name it would silently lose their SLA.
                (
                    self.env._("contracts"),
                    count_references(self, "contract.contract", "sla_policy_id"),
                ),
                (
                    self.env._("sites"),
                    count_references(self, "res.partner", "sla_policy_id"),
                ),
                (
                    self.env._("Companies"),
                    count_references(self, "res.company", "sla_default_policy_id"),
                ),
            ],
        )

    def _sla_touch(self):
        """These policies, their targets or the records they name changed:
        what is cached of them is no longer used."""
        for policy in self.sudo():
            policy.sla_cache_version += 1

    def _sla_cache_key(self):
        """Part of the key of what is cached of this policy: its version, and
        its write date so that a version rolled back in one transaction and
        reached again in another is never mistaken for it."""
        policy = self.sudo()
        return (policy.sla_cache_version, policy.write_date)

    @api.model
    def _sla_candidates(self):
        """Active policies in matching order (sequence, then id), with the
        fields that matching a new ticket reads fetched by the same query."""
        policies = self.sudo().search_fetch([("active", "=", True)], CANDIDATE_FIELDS)
        return self.browse(policies.ids)

    def _sla_target_table(self):
        """{priority: ((response, resolution) in business seconds, warning
        percent)} of this policy: read for every clock computed, cached per
        version of the policy."""
        self.ensure_one()
        return self._sla_cached_target_table(self._sla_cache_key())

    @tools.ormcache("self.id", "key")
    def _sla_cached_target_table(self, key):
        policy = self.sudo()
        return {
            target.priority: (
                (target.response_hours * 3600.0, target.resolution_hours * 3600.0),
                policy.warning_percent,
            )
            for target in policy.target_ids
        }

    def _sla_pause_stage_ids(self):
        """Ids of the stages this policy pauses the clock in, cached per
        version of the policy: every new ticket is checked against them."""
        self.ensure_one()
        return self._sla_cached_pause_stage_ids(self._sla_cache_key())

    @tools.ormcache("self.id", "key")
    def _sla_cached_pause_stage_ids(self, key):
        return frozenset(self.sudo().pause_stage_ids.ids)

    def _sla_conditions(self):
        """This policy's conditions as plain ids and a parsed domain, so that
        matching a ticket needs no query and no parsing; cached per version of
        the policy."""
        self.ensure_one()
        return self._sla_cached_conditions(self._sla_cache_key())

    @tools.ormcache("self.id", "key")
    def _sla_cached_conditions(self, key):
        return self._sla_read_conditions()

    def _sla_read_conditions(self):
        policy = self.sudo()
        domain = safe_eval(policy.ticket_domain or "[]")
        return (
            policy.company_id.id,
            frozenset(policy.team_ids.ids),
            frozenset(policy.category_ids.ids),
            frozenset(policy.tag_ids.ids),
            frozenset(policy.partner_ids.ids),
            tuple(domain),
        )

    def _sla_conditions_lost(self):
        """Whether a condition names archived records only: the policy then
        covers none of it, not everything as an empty condition does."""
        self.ensure_one()
        return self._sla_cached_conditions_lost(self._sla_cache_key())

    @tools.ormcache("self.id", "key")
    def _sla_cached_conditions_lost(self, key):
        policy = self.sudo()
        named = policy.with_context(active_test=False)
        return any(named[fname] and not policy[fname] for fname in CONDITION_FIELDS)

    def _target_for(self, priority):
        """The target of this policy for a ticket priority (empty if none)."""
        self.ensure_one()
        return self.target_ids.filtered(lambda t: t.priority == priority)[:1]

    def _sla_company_fits(self, ticket):
        self.ensure_one()
        return not (
            self.company_id
            and ticket.company_id
            and self.company_id != ticket.company_id
        )

    def _matches(self, ticket):
        """Whether the ticket meets this policy's conditions."""
        self.ensure_one()
        company, teams, categories, tags, partners, domain = self._sla_conditions()
        if company and ticket.company_id and company != ticket.company_id.id:
            return False
        if self._sla_conditions_lost():
            return False
        if teams and ticket.team_id.id not in teams:
            return False
        if categories and ticket.category_id.id not in categories:
            return False
        if tags and tags.isdisjoint(ticket.tag_ids.ids):
            return False
        if (
            partners
            and (
                ticket.commercial_partner_id or ticket.partner_id.commercial_partner_id
            ).id
            not in partners
        ):
            return False
        if domain and not ticket.filtered_domain(list(domain)):
            return False
        return True

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("sla_policy_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_apply_to_open_tickets(self):
        """Match open tickets again and recompute their clocks after the policy
        changed. Consumed time is kept: deadlines are recomputed from each
        ticket's clock start with its pauses."""
        self.env["helpdesk.ticket"]._sla_check_apply_rights()
        self.env["helpdesk.ticket"]._sla_rematch_open_tickets()
        return True
