# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ContractLine(models.Model):
    # A contract with recurrence per line is valid from its lines' dates.
    _name = "contract.line"
    _inherit = ["contract.line", "helpdesk.sla.pending.mixin"]
