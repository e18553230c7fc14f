# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    # Ticket creation looks up the first stage of tickets without team once per
    # transaction (helpdesk.ticket._sla_stage_facts), and the stages of each
    # team once per batch: forget them when stages change.
    @api.model_create_multi
    def create(self, vals_list):
        stages = super().create(vals_list)
        self.env["helpdesk.ticket.team"]._sla_forget_stages()
        return stages

    def write(self, vals):
        result = super().write(vals)
        self.env["helpdesk.ticket.team"]._sla_forget_stages()
        return result

    def unlink(self):
        self.env["helpdesk.ticket.team"]._sla_forget_stages()
        return super().unlink()
