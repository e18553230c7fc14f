# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .sla_history import (
    refuse_unlink_behind_credits,
    refuse_unlink_unless_sla_manager,
)


class HelpdeskSlaBreach(models.Model):
    """A missed SLA deadline: one per ticket and kind, written by the SLA check."""

    _name = "helpdesk.sla.breach"
    _description = "SLA breach"
    _order = "breach_date desc, id desc"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    policy_id = fields.Many2one("helpdesk.sla.policy", index=True)
    kind = fields.Selection(
        [("response", "Response"), ("resolution", "Resolution")], required=True
    )
    priority = fields.Selection(related="ticket_id.priority", store=True)
    deadline = fields.Datetime(required=True)
    breach_date = fields.Datetime(
        required=True,
        help="When the breach was recorded.",
    )
    late_hours = fields.Float(
        help="Business hours between the deadline and the response or resolution "
        "(or the breach check, while still open).",
    )
    partner_id = fields.Many2one("res.partner", string="Customer", index=True)
    team_id = fields.Many2one("helpdesk.ticket.team", index=True)
    user_id = fields.Many2one("res.users", string="Assigned user", index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)

    _sql_constraints = [
        (
            "ticket_kind_unique",
            "UNIQUE(ticket_id, kind)",
            "A ticket has at most one breach of each kind.",
        ),
    ]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_behind_credit(self):
        """Breaches are the audit trail of penalties."""
        refuse_unlink_behind_credits(self, "breach_ids")
        refuse_unlink_unless_sla_manager(self)

    def _sla_while_waiting(self):
        """Whether the ticket waited on the customer (a pause stage) before the
        breach: the clock already stops then, and penalty rules may also
        forgive the breach of a ticket the customer held up."""
        self.ensure_one()
        return any(
            pause.reason == "stage" and pause.date_start < self.breach_date
            for pause in self.ticket_id.sudo().sla_pause_ids
        )
