# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer contracts: the SLA they carry (policy, business hours, sites,
scope, contacts), their validity and coverage, and their tickets."""

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from .sla_history import count_references, refuse_unlink_if_referenced

REVIEW_INTERVALS = [
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("yearly", "Yearly"),
]
REVIEW_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


class ContractContract(models.Model):
    _inherit = "contract.contract"

    # --- SLA -------------------------------------------------------------
    sla_policy_id = fields.Many2one(
        "helpdesk.sla.policy",
        string="SLA policy",
        tracking=True,
        help="Applies to the tickets this contract covers (a site's own policy "
        "takes precedence).",
    )
    sla_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Support hours",
        tracking=True,
        help="Business hours of this contract's SLA; override the policy's.",
    )
    sla_target_ids = fields.One2many(
        related="sla_policy_id.target_ids", string="SLA targets"
    )
    support_channels = fields.Char(
        help="How the customer reaches support (e.g. phone, e-mail, portal).",
    )
    support_hours_note = fields.Text(
        string="Support hours note",
        help="When support is available, as told to the customer.",
    )
    scope_included = fields.Html(string="Services in scope")
    scope_excluded = fields.Html(string="Services out of scope")
    site_ids = fields.Many2many(
        "res.partner",
        "contract_contract_service_site_rel",
        "contract_id",
        "partner_id",
        string="Covered sites",
        domain="[('is_service_site', '=', True), "
        "('commercial_partner_id', '=', commercial_partner_id)]",
        help="Sites of the customer this contract covers; none means all of them.",
    )
    account_manager_id = fields.Many2one(
        "res.users", string="Account manager", tracking=True
    )
    customer_contact_id = fields.Many2one(
        "res.partner",
        string="Customer contact",
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
    )
    escalation_contact_ids = fields.One2many(
        "helpdesk.sla.escalation.contact",
        "contract_id",
        string="Escalation contacts",
        copy=True,
    )
    review_interval = fields.Selection(REVIEW_INTERVALS, default="yearly")
    next_review_date = fields.Date(
        compute="_compute_next_review_date", store=True, readonly=False
    )
    # --- Links -----------------------------------------------------------
    ticket_ids = fields.One2many("helpdesk.ticket", "contract_id", string="Tickets")
    ticket_count = fields.Integer(compute="_compute_ticket_counts")
    ticket_open_count = fields.Integer(compute="_compute_ticket_counts")
    ticket_breached_count = fields.Integer(compute="_compute_ticket_counts")
    sla_overlap_warning = fields.Char(compute="_compute_sla_overlap_warning")

    @api.constrains("site_ids", "partner_id")
    def _check_sites(self):
        for contract in self:
            foreign = contract.site_ids.filtered(
                lambda site, c=contract: (
                    not site.is_service_site
                    or site.commercial_partner_id != c.commercial_partner_id
                )
            )
            if foreign:
                raise ValidationError(
                    contract.env._(
                        "%(sites)s is not a service site of %(customer)s, the "
                        "customer of contract %(contract)s.",
                        sites=", ".join(foreign.mapped("display_name")),
                        customer=contract.commercial_partner_id.display_name,
                        contract=contract.display_name,
                    )
                )

    @api.constrains("date_start", "date_end", "line_recurrence")
    def _check_contract_dates(self):
        # With recurrence per line, the header start is not the contract's:
        # OCA checks each line's own dates then.
        for contract in self.filtered(lambda c: not c.line_recurrence):
            if (
                contract.date_start
                and contract.date_end
                and contract.date_end < contract.date_start
            ):
                raise ValidationError(
                    contract.env._(
                        "Contract %(contract)s ends (%(end)s) before it starts "
                        "(%(start)s).",
                        contract=contract.display_name,
                        end=contract.date_end,
                        start=contract.date_start,
                    )
                )

    @api.depends("review_interval", "date_start")
    def _compute_next_review_date(self):
        today = fields.Date.context_today(self)
        for contract in self:
            months = REVIEW_MONTHS.get(contract.review_interval)
            if not months or not contract.date_start:
                contract.next_review_date = False
                continue
            review = contract.date_start + relativedelta(months=months)
            while review < today:
                review += relativedelta(months=months)
            contract.next_review_date = review

    def _compute_ticket_counts(self):
        tickets = self.env["helpdesk.ticket"]
        for contract in self:
            domain = [("contract_id", "=", contract.id)]
            contract.ticket_count = tickets.search_count(domain)
            contract.ticket_open_count = tickets.search_count(
                domain + [("stage_id.closed", "=", False)]
            )
            contract.ticket_breached_count = (
                tickets.sudo().search_count(
                    domain
                    + [
                        "|",
                        ("sla_response_status", "=", "breached"),
                        ("sla_resolution_status", "=", "breached"),
                    ]
                )
                if contract.id
                else 0
            )

    @api.depends(
        "pricing_model", "site_ids", "partner_id", "date_start", "date_end", "active"
    )
    def _compute_sla_overlap_warning(self):
        for contract in self:
            others = contract._sla_overlapping_contracts()
            contract.sla_overlap_warning = (
                contract.env._(
                    "Another valid contract of the same pricing model covers the "
                    "same sites on the same dates: %(contracts)s. Tickets take the "
                    "most specific one.",
                    contracts=", ".join(others.mapped("display_name")),
                )
                if others
                else False
            )

    def _sla_overlapping_contracts(self):
        self.ensure_one()
        if (
            self.contract_type != "sale"
            or not self.commercial_partner_id
            or not self.active
        ):
            return self.browse()
        domain = [
            ("id", "!=", self._origin.id or 0),
            ("contract_type", "=", "sale"),
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ("pricing_model", "=", self.pricing_model),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", self.date_start or fields.Date.today()),
        ]
        if self.date_end:
            domain.append(("date_start", "<=", self.date_end))
        others = self.sudo().search(domain)
        sites = set(self.site_ids.ids)
        return others.filtered(
            lambda other: (
                not sites or not other.site_ids or sites & set(other.site_ids.ids)
            )
        )

    def _sla_validity(self):
        """(first day, last day or False) the contract is valid."""
        self.ensure_one()
        start = self.date_start
        if self.line_recurrence:
            starts = [
                line.date_start
                for line in self.contract_line_ids
                if not line.display_type and line.date_start
            ]
            start = min(starts) if starts else start
        return start, self.date_end

    def _sla_is_valid_on(self, day):
        self.ensure_one()
        start, end = self._sla_validity()
        return (
            self.active
            and self.contract_type == "sale"
            and (not start or start <= day)
            and (not end or day <= end)
        )

    def _sla_covers(self, site):
        """Specificity of this contract for a ticket's site: 3 lists it, 2
        covers every site, 1 lists sites but the ticket has none (the customer's
        own tickets: any valid contract of the customer covers them, one for
        every site first), 0 does not cover it."""
        self.ensure_one()
        # Archived sites too: a contract listing only closed sites does not
        # cover every site.
        sites = self.with_context(active_test=False).site_ids
        if not sites:
            return 2
        if not site:
            return 1
        return 3 if site in sites else 0

    def get_formview_id(self, access_uid=None):
        # Support staff without invoicing rights get the SLA form, not OCA's
        # accounting one (journals, invoices, modifications).
        user = self.env["res.users"].browse(access_uid) if access_uid else self.env.user
        if self.contract_type == "sale" and not user.has_group(
            "account.group_account_invoice"
        ):
            return self.env.ref(
                "helpdesk_sla_contract.contract_contract_view_form_helpdesk"
            ).id
        return super().get_formview_id(access_uid=access_uid)

    def action_archive(self):
        open_tickets = self.env["helpdesk.ticket"].search(
            [("contract_id", "in", self.ids), ("stage_id.closed", "=", False)]
        )
        if open_tickets and not self.env.context.get("sla_archive_confirmed"):
            wizard = self.env["helpdesk.sla.contract.archive"].create(
                {"contract_ids": [Command.set(self.ids)]}
            )
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Archive contracts with open tickets"),
                "res_model": wizard._name,
                "res_id": wizard.id,
                "view_mode": "form",
                "target": "new",
            }
        return super().action_archive()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sla_history(self):
        """Tickets, breaches, downtime, credits and invoices keep their
        contract."""
        # Invoice lines name the contract (ours) or one of its lines (OCA's).
        invoiced = count_references(self, "account.move.line", "sla_contract_id")
        lines = self.with_context(active_test=False).contract_line_ids
        for line_id, count in count_references(
            lines, "account.move.line", "contract_line_id"
        ).items():
            contract_id = lines.browse(line_id).contract_id.id
            invoiced[contract_id] = invoiced.get(contract_id, 0) + count
        refuse_unlink_if_referenced(
            self,
            [
                (
                    self.env._("tickets"),
                    count_references(self, "helpdesk.ticket", "contract_id"),
                ),
                (
                    self.env._("SLA breaches"),
                    count_references(self, "helpdesk.sla.breach", "contract_id"),
                ),
                (
                    self.env._("downtime records"),
                    count_references(self, "helpdesk.sla.incident", "contract_id"),
                ),
                (
                    self.env._("SLA credits"),
                    count_references(self, "helpdesk.sla.credit", "contract_id"),
                ),
                (self.env._("invoice lines"), invoiced),
            ],
        )

    def action_sla_apply_to_open_tickets(self):
        """Apply the contract's (new) policy and hours to its open tickets,
        keeping the time they consumed. Open tickets of the customer that had
        no valid contract are attached to it when it covers them."""
        self.env["helpdesk.ticket"]._sla_check_apply_rights()
        tickets = self.env["helpdesk.ticket"].sudo()
        uncovered = tickets.search(
            [
                ("stage_id.closed", "=", False),
                ("contract_id", "=", False),
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
            ]
        )
        for ticket in uncovered:
            contract = ticket._sla_pick_contract(self)
            if contract:
                ticket.contract_id = contract
        tickets._sla_rematch_open_tickets([("contract_id", "in", self.ids)])
        return True

    def action_view_sla_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {"default_contract_id": self.id}
        return action
