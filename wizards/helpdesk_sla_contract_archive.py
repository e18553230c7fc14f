# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class HelpdeskSlaContractArchive(models.TransientModel):
    """Asks what becomes of the open tickets of contracts being archived."""

    _name = "helpdesk.sla.contract.archive"
    _description = "Archive contracts with open tickets"

    contract_ids = fields.Many2many("contract.contract", required=True)
    open_ticket_ids = fields.Many2many(
        "helpdesk.ticket", compute="_compute_open_ticket_ids"
    )
    open_ticket_count = fields.Integer(compute="_compute_open_ticket_ids")
    ticket_action = fields.Selection(
        [
            ("keep", "Keep them on the archived contract"),
            ("detach", "Detach them (their SLA is matched again)"),
            ("move", "Move them to another contract"),
        ],
        string="Open tickets",
        required=True,
        default="detach",
    )
    target_contract_id = fields.Many2one("contract.contract", string="Move to")

    @api.depends("contract_ids")
    def _compute_open_ticket_ids(self):
        for wizard in self:
            tickets = self.env["helpdesk.ticket"].search(
                [
                    ("contract_id", "in", wizard.contract_ids.ids),
                    ("stage_id.closed", "=", False),
                ]
            )
            wizard.open_ticket_ids = tickets
            wizard.open_ticket_count = len(tickets)

    def action_confirm(self):
        self.ensure_one()
        tickets = self.open_ticket_ids.sudo()
        if self.ticket_action == "move":
            target = self.target_contract_id
            if not target or target in self.contract_ids:
                raise UserError(
                    self.env._("Choose another contract to move the open tickets to.")
                )
            tickets.write({"contract_id": target.id})
        elif self.ticket_action == "detach":
            tickets.write({"contract_id": False})
        self.contract_ids.with_context(sla_archive_confirmed=True).action_archive()
        if self.ticket_action != "keep":
            tickets._sla_rematch()
            tickets._sla_recompute()
        return {"type": "ir.actions.act_window_close"}
