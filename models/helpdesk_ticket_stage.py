# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class HelpdeskTicketStage(models.Model):
    _name = "helpdesk.ticket.stage"
    _inherit = ["helpdesk.ticket.stage", "helpdesk.sla.condition.mixin"]
    _sla_condition_field = "pause_stage_ids"
    # A policy without pause stages just never pauses.
    _sla_condition_narrows = False
