# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields

# Breaches due before this instant are recorded without notes, activities or
# notifications (see helpdesk.ticket._sla_escalation_start).
ESCALATION_START_PARAM = "helpdesk_sla_contract.escalation_start"


def post_init_hook(env):
    """Breaches older than the installation are history, not news: the first
    SLA checks record them silently instead of notifying everyone at once."""
    env["ir.config_parameter"].sudo().set_param(
        ESCALATION_START_PARAM, fields.Datetime.to_string(fields.Datetime.now())
    )
