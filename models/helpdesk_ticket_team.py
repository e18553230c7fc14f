# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .helpdesk_ticket import DEFAULT_STAGE_KEY


class HelpdeskTicketTeam(models.Model):
    _name = "helpdesk.ticket.team"
    _inherit = ["helpdesk.ticket.team", "helpdesk.sla.condition.mixin"]
    _sla_condition_field = "team_ids"

    @api.ondelete(at_uninstall=False)
    def _unlink_forget_default_stage(self):
        # Stages of a deleted team may become stages of tickets without team
        # (see helpdesk.ticket._sla_default_stage_id).
        self.env.cr.precommit.data.pop(DEFAULT_STAGE_KEY, None)
