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
    sla_is_billed = fields.Boolean(
        string="Billed",
        compute="_compute_sla_is_billed",
        search="_search_sla_is_billed",
    )

    @api.depends("ticket_id.contract_id")
    def _compute_sla_contract_id(self):
        for line in self:
            # Billed hours stay with the contract that billed them.
            if line.sla_is_billed and line.sla_contract_id:
                continue
            line.sla_contract_id = line.ticket_id.contract_id

    @api.depends("sla_invoice_line_id.parent_state")
    def _compute_sla_is_billed(self):
        for line in self:
            line.sla_is_billed = bool(
                line.sla_invoice_line_id
                and line.sla_invoice_line_id.parent_state != "cancel"
            )

    @api.model
    def _sla_unbilled_domain(self):
        return [
            "|",
            ("sla_invoice_line_id", "=", False),
            ("sla_invoice_line_id.parent_state", "=", "cancel"),
        ]

    def _search_sla_is_billed(self, operator, value):
        if operator not in ("=", "!="):
            raise NotImplementedError(operator)
        unbilled = self._sla_unbilled_domain()
        return ["!", *unbilled] if (operator == "=") == bool(value) else unbilled

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.sla_contract_id._sla_check_consumption_alerts()
        return lines

    def write(self, vals):
        billed = self.filtered("sla_is_billed")
        if billed and {"unit_amount", "date", "ticket_id", "sla_contract_id"} & set(
            vals
        ):
            raise UserError(
                self.env._(
                    "These hours are already invoiced (%(invoices)s); they cannot "
                    "be changed. Cancel the invoice first.",
                    invoices=", ".join(
                        billed.sla_invoice_line_id.move_id.mapped("display_name")
                    ),
                )
            )
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
