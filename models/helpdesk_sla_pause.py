# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskSlaPause(models.Model):
    """A period during which a ticket's SLA clock did not run."""

    _name = "helpdesk.sla.pause"
    _description = "SLA clock pause"
    _order = "ticket_id, date_start"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    date_start = fields.Datetime(required=True)
    date_end = fields.Datetime(help="Empty while the clock is still paused.")
    reason = fields.Selection(
        [("stage", "Waiting stage"), ("closed", "Closed, then reopened")],
        required=True,
        default="stage",
    )
    stage_id = fields.Many2one("helpdesk.ticket.stage", ondelete="set null")

    _sql_constraints = [
        (
            "dates_order",
            "CHECK(date_end IS NULL OR date_end >= date_start)",
            "A pause cannot end before it starts.",
        ),
    ]
