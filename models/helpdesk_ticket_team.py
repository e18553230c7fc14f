# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .helpdesk_ticket import STAGE_FACTS_KEY


class HelpdeskTicketTeam(models.Model):
    _name = "helpdesk.ticket.team"
    _inherit = ["helpdesk.ticket.team", "helpdesk.sla.condition.mixin"]
    _sla_condition_field = "team_ids"

    # Ticket creation looks up the first stage of each team once per
    # transaction (helpdesk.ticket._sla_stage_facts): forget it when teams
    # come, go or change company.
    @api.model_create_multi
    def create(self, vals_list):
        self.env.cr.precommit.data.pop(STAGE_FACTS_KEY, None)
        return super().create(vals_list)

    def write(self, vals):
        if "company_id" in vals:
            self.env.cr.precommit.data.pop(STAGE_FACTS_KEY, None)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_forget_stage_facts(self):
        self.env.cr.precommit.data.pop(STAGE_FACTS_KEY, None)
