# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

# Breaches due before this instant are recorded without notes, activities or
# notifications (see helpdesk.ticket._sla_escalation_start).
ESCALATION_START_PARAM = "helpdesk_sla_contract.escalation_start"

# Stored computed ticket fields whose value is empty for every ticket at the
# installation: no policy, site, service-site flag or breach exists yet. With
# their columns created here (all NULL, which is what the computation gives),
# the ORM does not compute them for each ticket of a large helpdesk.
EMPTY_AT_INSTALL = {
    "site_id": "int4",
    "sla_policy_id": "int4",
    "sla_calendar_id": "int4",
    "sla_response_deadline": "timestamp",
    "sla_resolution_deadline": "timestamp",
    "sla_paused_hours": "float8",
    "sla_consumed_hours": "float8",
    "sla_remaining_hours": "float8",
    "sla_response_status": "varchar",
    "sla_resolution_status": "varchar",
    "sla_next_check_date": "timestamp",
    "sla_response_breach_recorded": "bool",
    "sla_resolution_breach_recorded": "bool",
}


def pre_init_hook(env):
    """Prepare the ticket table of a helpdesk that already holds tickets.

    Each ticket starts its SLA clock when it was created: left to the field's
    default, every one of them would start at the installation and no deadline
    would have passed yet. The SLA fields that are empty for every ticket
    until policies exist get their columns here (see EMPTY_AT_INSTALL), and
    so does the contract when there is no customer contract yet.

    SQL, the usual way for new columns of a large table: the fields are not in
    the registry yet, and the ORM keeps a column it finds."""
    cr = env.cr
    empty = dict(EMPTY_AT_INSTALL)
    if (
        not env["contract.contract"]
        .sudo()
        .search_count([("contract_type", "=", "sale")], limit=1)
    ):
        empty["contract_id"] = "int4"
    for column, column_type in empty.items():
        if not column_exists(cr, "helpdesk_ticket", column):
            create_column(cr, "helpdesk_ticket", column, column_type)
    if not column_exists(cr, "helpdesk_ticket", "sla_start_date"):
        create_column(cr, "helpdesk_ticket", "sla_start_date", "timestamp")
        cr.execute(SQL("UPDATE helpdesk_ticket SET sla_start_date = create_date"))


def post_init_hook(env):
    """Breaches older than the installation are history, not news: the first
    SLA checks record them silently instead of notifying everyone at once."""
    env["ir.config_parameter"].sudo().set_param(
        ESCALATION_START_PARAM, fields.Datetime.to_string(fields.Datetime.now())
    )
