# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .helpdesk_ticket import STAGE_FACTS_KEY


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    # Ticket creation looks up the first stage of tickets without team once per
    # transaction (helpdesk.ticket._sla_stage_facts): forget it when
    # stages change.
    @api.model_create_multi
    def create(self, vals_list):
        self.env.cr.precommit.data.pop(STAGE_FACTS_KEY, None)
        return super().create(vals_list)

    def write(self, vals):
        self.env.cr.precommit.data.pop(STAGE_FACTS_KEY, None)
        return super().write(vals)

    def unlink(self):
        self.env.cr.precommit.data.pop(STAGE_FACTS_KEY, None)
        return super().unlink()
