# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .helpdesk_sla_target import sla_priority_selection
from .sla_history import (
    refuse_unlink_behind_credits,
    refuse_unlink_unless_sla_manager,
)


class HelpdeskSlaBreach(models.Model):
    """A missed SLA deadline: one per ticket and kind, written by the SLA check.

    It keeps the contract, site, policy, priority and deadline of breach time,
    so that credits and reports of a closed period never change when the
    ticket is later moved or re-prioritised; it counts in the period that
    holds its deadline."""

    _name = "helpdesk.sla.breach"
    _description = "SLA breach"
    _order = "breach_date desc, id desc"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    contract_id = fields.Many2one(
        "contract.contract",
        ondelete="restrict",
        index="btree_not_null",
        help="The ticket's contract when the breach was recorded.",
    )
    site_id = fields.Many2one(
        "res.partner",
        index="btree_not_null",
        help="The ticket's service site when the breach was recorded.",
    )
    policy_id = fields.Many2one("helpdesk.sla.policy", index=True)
    kind = fields.Selection(
        [("response", "Response"), ("resolution", "Resolution")], required=True
    )
    priority = fields.Selection(
        sla_priority_selection,
        help="The ticket's priority when the breach was recorded.",
    )
    deadline = fields.Datetime(
        required=True,
        index=True,
        help="The missed deadline: the breach counts in the period that holds it.",
    )
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

    @api.model_create_multi
    def create(self, vals_list):
        # What the caller does not give is the ticket's, as of now.
        tickets = self.env["helpdesk.ticket"].sudo()
        for vals in vals_list:
            ticket = tickets.browse(vals.get("ticket_id") or [])
            snapshot = {
                "contract_id": ticket.contract_id.id,
                "site_id": ticket.site_id.id,
                "policy_id": ticket.sla_policy_id.id,
                "priority": ticket.priority,
            }
            for fname, value in snapshot.items():
                vals.setdefault(fname, value)
        return super().create(vals_list)

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
