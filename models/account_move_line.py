# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

SLA_LINE_KINDS = [
    ("hours", "Support hours"),
    ("block", "Prepaid block"),
    ("bank", "Hours drawn from the bank"),
    ("overage", "Overage hours"),
    ("devices", "Monitored devices"),
    ("backup", "Backup storage"),
    ("credit", "SLA service credit"),
]
# One2many links set from contract invoicing; written with sudo after the line
# exists (the invoicing user need not have write access to timesheets).
LINK_FIELDS = {
    "sla_timesheet_ids": ("account.analytic.line", "sla_invoice_line_id"),
    "sla_hour_block_ids": ("helpdesk.sla.hour.block", "invoice_line_id"),
    "sla_usage_ids": ("helpdesk.sla.usage", "invoice_line_id"),
    "sla_credit_ids": ("helpdesk.sla.credit", "invoice_line_id"),
}


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    sla_contract_id = fields.Many2one(
        "contract.contract", string="Service contract", index="btree_not_null"
    )
    sla_line_kind = fields.Selection(SLA_LINE_KINDS, string="SLA pricing")
    sla_timesheet_ids = fields.One2many(
        "account.analytic.line", "sla_invoice_line_id", string="Billed timesheets"
    )
    sla_hour_block_ids = fields.One2many(
        "helpdesk.sla.hour.block", "invoice_line_id", string="Billed blocks"
    )
    sla_usage_ids = fields.One2many(
        "helpdesk.sla.usage", "invoice_line_id", string="Billed usage"
    )
    sla_credit_ids = fields.One2many(
        "helpdesk.sla.credit", "invoice_line_id", string="SLA credits"
    )
    sla_hours = fields.Float(
        string="Hours billed",
        copy=False,
        readonly=True,
        help="Unrounded support hours this line bills (its quantity may be the "
        "hours rounded, or one unit at their amount).",
    )
    sla_rebilled = fields.Boolean(
        string="Billed again elsewhere",
        copy=False,
        readonly=True,
        help="Hours, blocks or usage of this line, freed when its invoice was "
        "cancelled, were billed again by another invoice line: its invoice "
        "cannot be reset to draft.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        links = []
        for vals in vals_list:
            links.append({fname: vals.pop(fname, None) for fname in LINK_FIELDS})
        lines = super().create(vals_list)
        for line, link in zip(lines, links, strict=True):
            for fname, commands in link.items():
                if not commands:
                    continue
                model, inverse = LINK_FIELDS[fname]
                records = (
                    self.env[model]
                    .sudo()
                    .browse([rid for command in commands for rid in command[2]])
                )
                if model == "helpdesk.sla.credit":
                    records._sla_mark_applied(line)
                else:
                    line._sla_take_over(records, inverse)
        return lines

    def _sla_take_over(self, records, inverse):
        """Link billable records to this line; the (cancelled) lines that
        billed them before lose them for good."""
        self.ensure_one()
        previous = records.mapped(inverse) - self
        previous.sudo().write({"sla_rebilled": True})
        records.write({inverse: self.id})
