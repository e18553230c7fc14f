# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    sla_contract_id = fields.Many2one(
        "contract.contract",
        string="Service contract",
        compute="_compute_sla_contract_id",
        store=True,
        readonly=False,
        index=True,
        help="The contract whose pricing consumes these hours (the ticket's).",
    )
    sla_invoice_line_id = fields.Many2one(
        "account.move.line",
        string="Billed on",
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="The invoice line that billed these hours: each hour is billed once.",
    )
    # compute_sudo: whoever logs the hours may not read journal items.
    sla_is_billed = fields.Boolean(
        string="Billed",
        compute="_compute_sla_is_billed",
        search="_search_sla_is_billed",
        compute_sudo=True,
    )

    @api.depends("ticket_id.contract_id")
    def _compute_sla_contract_id(self):
        for line in self:
            # Billed hours stay with the contract that billed them.
            if line.sla_is_billed and line.sla_contract_id:
                continue
            line.sla_contract_id = line.ticket_id.contract_id

    @api.depends(
        "sla_invoice_line_id.parent_state", "sla_invoice_line_id.move_id.sla_reversed"
    )
    def _compute_sla_is_billed(self):
        for line in self:
            line.sla_is_billed = line.sla_invoice_line_id._sla_bills()

    @api.model
    def _sla_unbilled_domain(self):
        # Like _sla_bills: no line, or a line of a cancelled or reversed invoice.
        return [
            "|",
            "|",
            ("sla_invoice_line_id", "=", False),
            ("sla_invoice_line_id.parent_state", "=", "cancel"),
            ("sla_invoice_line_id.move_id.sla_reversed", "=", True),
        ]

    def _search_sla_is_billed(self, operator, value):
        if operator not in ("=", "!="):
            raise NotImplementedError(operator)
        unbilled = self._sla_unbilled_domain()
        return ["!", *unbilled] if (operator == "=") == bool(value) else unbilled

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if vals.get("sla_invoice_line_id"):
                    self._sla_raise_billed_link()
                if vals.get("sla_contract_id"):
                    ticket = self.env["helpdesk.ticket"].browse(vals.get("ticket_id"))
                    self._sla_check_ticket_contract(ticket, vals["sla_contract_id"])
        lines = super().create(vals_list)
        lines.sla_contract_id._sla_check_consumption_alerts()
        return lines

    def _sla_raise_billed_link(self):
        raise UserError(
            self.env._(
                "The invoice line that billed hours is set by the contract's "
                "invoicing; it cannot be set or changed by hand."
            )
        )

    def _sla_check_ticket_contract(self, ticket, contract_id):
        """Hours go to their ticket's contract: the one whose pricing bills
        them."""
        if contract_id != ticket.sudo().contract_id.id:
            raise UserError(
                self.env._(
                    "Hours are billed by their ticket's contract (%(contract)s); "
                    "change the ticket's contract instead.",
                    contract=ticket.sudo().contract_id.display_name or "-",
                )
            )

    def write(self, vals):
        if not self.env.su and "sla_invoice_line_id" in vals:
            self._sla_raise_billed_link()
        billed = self.filtered("sla_is_billed")
        if billed and {"unit_amount", "date", "ticket_id", "sla_contract_id"} & set(
            vals
        ):
            raise UserError(
                self.env._(
                    "These hours are already invoiced (%(invoices)s); they cannot "
                    "be changed. Cancel the invoice first.",
                    invoices=", ".join(
                        billed.sudo().sla_invoice_line_id.move_id.mapped("display_name")
                    ),
                )
            )
        if not self.env.su and "sla_contract_id" in vals:
            for line in self:
                ticket = (
                    self.env["helpdesk.ticket"].browse(vals["ticket_id"])
                    if "ticket_id" in vals
                    else line.ticket_id
                )
                self._sla_check_ticket_contract(ticket, vals["sla_contract_id"])
        contracts = self.sla_contract_id
        res = super().write(vals)
        if {"unit_amount", "date", "ticket_id", "sla_contract_id"} & set(vals):
            (contracts | self.sla_contract_id)._sla_check_consumption_alerts()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sla_billed(self):
        if self.filtered("sla_is_billed"):
            raise UserError(
                self.env._(
                    "Invoiced hours cannot be deleted; cancel the invoice first."
                )
            )
