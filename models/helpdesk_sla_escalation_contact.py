# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskSlaEscalationContact(models.Model):
    """One step of a contract's escalation procedure, in order."""

    _name = "helpdesk.sla.escalation.contact"
    _description = "SLA escalation contact"
    _order = "contract_id, sequence, id"

    contract_id = fields.Many2one(
        "contract.contract", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    sequence = fields.Integer(default=10, string="Level")
    partner_id = fields.Many2one("res.partner", string="Contact")
    user_id = fields.Many2one("res.users")
    role = fields.Char()
    phone = fields.Char(compute="_compute_reach", store=True, readonly=False)
    email = fields.Char(compute="_compute_reach", store=True, readonly=False)

    @api.depends("partner_id", "user_id")
    def _compute_reach(self):
        for contact in self:
            partner = contact.partner_id or contact.user_id.partner_id
            contact.phone = partner.phone
            contact.email = partner.email

    @api.constrains("partner_id", "user_id", "contract_id")
    def _check_someone(self):
        for contact in self:
            if not (contact.partner_id or contact.user_id):
                raise ValidationError(
                    self.env._("An escalation contact needs a contact or a user.")
                )
