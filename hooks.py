# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

# Breaches due before this instant are recorded without notes, activities or
# notifications (see helpdesk.ticket._sla_escalation_start).
ESCALATION_START_PARAM = "helpdesk_sla_contract.escalation_start"


def pre_init_hook(env):
    """The tickets a helpdesk already holds start their SLA clock when they
    were created: left to the field's default, every one of them would start
    at the installation and no deadline would have passed yet.

    SQL, the usual way for a new column of a large table: the field is not in
    the registry yet, and the ORM keeps a column it finds filled."""
    cr = env.cr
    if not column_exists(cr, "helpdesk_ticket", "sla_start_date"):
        create_column(cr, "helpdesk_ticket", "sla_start_date", "timestamp")
        cr.execute(SQL("UPDATE helpdesk_ticket SET sla_start_date = create_date"))


def post_init_hook(env):
    """Breaches older than the installation are history, not news: the first
    SLA checks record them silently instead of notifying everyone at once."""
    env["ir.config_parameter"].sudo().set_param(
        ESCALATION_START_PARAM, fields.Datetime.to_string(fields.Datetime.now())
    )
