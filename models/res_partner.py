# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sla_history import count_references, refuse_unlink_if_referenced


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "helpdesk.sla.condition.mixin"]
    _sla_condition_field = "partner_ids"

    is_service_site = fields.Boolean(
        string="Service site",
        index=True,
        help="A customer location that support covers (a child address of the "
        "customer), with its own SLA, business hours and time zone.",
    )
    sla_policy_id = fields.Many2one(
        "helpdesk.sla.policy",
        string="Site SLA policy",
        help="Takes precedence over the contract's policy for tickets of this site.",
    )
    sla_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Site support hours",
        help="Business hours of this site; overrides the contract's and the policy's.",
    )
    device_count = fields.Integer(
        string="Monitored devices",
        help="Devices covered by remote monitoring at this site.",
    )
    sla_contract_ids = fields.One2many(
        "contract.contract",
        "partner_id",
        string="Service contracts",
        domain=[("contract_type", "=", "sale")],
    )
    sla_contract_count = fields.Integer(compute="_compute_sla_contract_count")
    sla_site_ids = fields.One2many(
        "res.partner",
        "parent_id",
        string="Service sites",
        domain=[("is_service_site", "=", True)],
    )

    @api.constrains("is_service_site", "parent_id")
    def _check_service_site_parent(self):
        for partner in self:
            if partner.is_service_site and not partner.parent_id:
                raise ValidationError(
                    self.env._(
                        "The service site %(site)s must be an address of a "
                        "customer (set its company).",
                        site=partner.display_name,
                    )
                )

    @api.constrains("device_count")
    def _check_device_count(self):
        for partner in self:
            if partner.device_count < 0:
                raise ValidationError(
                    self.env._(
                        "The number of monitored devices of %(site)s cannot be "
                        "negative.",
                        site=partner.display_name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sla_site_in_use(self):
        """Contracts list their sites (one whose listed sites all went would
        cover every site); tickets, breaches and services keep theirs."""
        refuse_unlink_if_referenced(
            self,
            [
                (
                    self.env._("contracts"),
                    count_references(self, "contract.contract", "site_ids"),
                ),
                (
                    self.env._("tickets"),
                    count_references(self, "helpdesk.ticket", "site_id"),
                ),
                (
                    self.env._("breaches"),
                    count_references(self, "helpdesk.sla.breach", "site_id"),
                ),
                (
                    self.env._("Monitored services"),
                    count_references(self, "helpdesk.sla.service", "site_id"),
                ),
            ],
        )

    def _compute_sla_contract_count(self):
        contracts = self.env["contract.contract"]
        for partner in self:
            partner.sla_contract_count = contracts.search_count(
                partner._sla_contract_domain()
            )

    def _sla_contract_domain(self):
        """Customer contracts covering this partner: a site's contracts are its
        customer's contracts that cover every site or list this one."""
        self.ensure_one()
        domain = [
            ("contract_type", "=", "sale"),
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
        ]
        if self.is_service_site:
            domain += ["|", ("site_ids", "=", False), ("site_ids", "in", self.ids)]
        return domain

    def action_view_sla_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "contract.action_customer_contract"
        )
        action["domain"] = self._sla_contract_domain()
        action["context"] = {
            "default_partner_id": self.commercial_partner_id.id,
            "default_contract_type": "sale",
        }
        return action

    def action_sla_apply_to_open_tickets(self):
        """Apply this site's (new) policy and hours to its open tickets."""
        self.env["helpdesk.ticket"]._sla_check_apply_rights()
        self.env["helpdesk.ticket"]._sla_rematch_open_tickets(
            [("site_id", "in", self.ids)]
        )
        return True
