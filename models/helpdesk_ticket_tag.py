# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class HelpdeskTicketTag(models.Model):
    _name = "helpdesk.ticket.tag"
    _inherit = ["helpdesk.ticket.tag", "helpdesk.sla.condition.mixin"]
    _sla_condition_field = "tag_ids"
