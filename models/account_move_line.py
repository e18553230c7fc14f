# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

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
# What billed what: written by the contract's invoicing only (with sudo), never
# by hand (credits have their own checks, see _sla_add_credits).
SYSTEM_FIELDS = {
    "sla_rebilled",
    "sla_hours",
    "sla_timesheet_ids",
    "sla_hour_block_ids",
    "sla_usage_ids",
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
        if not self.env.su and any(
            vals.get(fname) for vals in vals_list for fname in SYSTEM_FIELDS
        ):
            self._sla_raise_system_fields()
        links = []
        for vals in vals_list:
            if vals.get("sla_credit_ids"):
                # A line that carries credits is a credit line.
                vals.setdefault("sla_line_kind", "credit")
            links.append({fname: vals.pop(fname, None) for fname in LINK_FIELDS})
        lines = super().create(vals_list)
        for line, link in zip(lines, links, strict=True):
            for fname, commands in link.items():
                if not commands:
                    continue
                if fname == "sla_credit_ids":
                    line._sla_add_credits(commands)
                    continue
                model, inverse = LINK_FIELDS[fname]
                records = self.env[model].sudo().browse(line._sla_linked_ids(commands))
                line._sla_take_over(records, inverse)
        return lines

    def _sla_raise_system_fields(self):
        raise UserError(
            self.env._(
                "The hours, prepaid blocks and usage an invoice line bills are set "
                "by the contract's invoicing; they cannot be set or changed by hand."
            )
        )

    def _sla_linked_ids(self, commands):
        """The ids of the billed items the x2many commands link to a new line:
        Command.set, Command.link or plain ids only."""
        if not isinstance(commands, list | tuple):
            commands = [commands]
        ids = []
        for command in commands:
            if isinstance(command, int):
                ids.append(command)
            elif (
                isinstance(command, list | tuple)
                and len(command) == 3
                and command[0] == Command.SET
                and isinstance(command[2], list | tuple)
                and all(isinstance(rid, int) for rid in command[2])
            ):
                ids += command[2]
            elif (
                isinstance(command, list | tuple)
                and len(command) >= 2
                and command[0] == Command.LINK
                and isinstance(command[1], int)
            ):
                ids.append(command[1])
            else:
                raise UserError(
                    self.env._(
                        "An invoice line bills existing hours, blocks or usage: "
                        "they are linked to it (set or link), never created, "
                        "edited or deleted through it."
                    )
                )
        return ids

    def _sla_take_over(self, records, inverse):
        """Link billable records to this line; the (cancelled or reversed)
        lines that billed them before lose them for good. Only unbilled
        records of the line's contract and company are taken over."""
        self.ensure_one()
        contract_field = (
            "sla_contract_id"
            if records._name == "account.analytic.line"
            else "contract_id"
        )
        for record in records:
            if (
                (record.sla_is_billed and record[inverse] != self)
                or not self.sla_contract_id
                or record[contract_field] != self.sla_contract_id
                or record.company_id != self.company_id
            ):
                raise UserError(
                    self.env._(
                        "%(item)s cannot be billed by %(move)s: it is billed by "
                        "another live invoice, or it belongs to another contract "
                        "or company.",
                        item=record.display_name,
                        move=self.move_id.display_name,
                    )
                )
        previous = records.mapped(inverse) - self
        previous.sudo().write({"sla_rebilled": True})
        records.write({inverse: self.id})

    def write(self, vals):
        if not self.env.su and SYSTEM_FIELDS.intersection(vals):
            self._sla_raise_system_fields()
        if not self.env.su and {"sla_contract_id", "sla_line_kind"} & set(vals):
            self._sla_check_billing_kept(vals)
        if "sla_credit_ids" not in vals:
            return super().write(vals)
        vals = dict(vals)
        commands = vals.pop("sla_credit_ids")
        res = super().write(vals)
        for line in self:
            line._sla_add_credits(commands)
        return res

    def _sla_check_billing_kept(self, vals):
        """A line that bills hours, blocks or usage keeps its contract and
        kind: another one would count them as never billed (the overage
        already billed is summed per contract and kind)."""
        for line in self.sudo():
            billing = (
                line.sla_hours
                or line.sla_timesheet_ids
                or line.sla_hour_block_ids
                or line.sla_usage_ids
            )
            if billing and (
                vals.get("sla_contract_id", line.sla_contract_id.id)
                != line.sla_contract_id.id
                or vals.get("sla_line_kind", line.sla_line_kind) != line.sla_line_kind
            ):
                self._sla_raise_system_fields()

    def _sla_bills(self):
        """Whether this line (still) bills the hours, blocks or usage linked to
        it: its invoice is neither cancelled nor reversed in full."""
        return bool(
            self and self.parent_state != "cancel" and not self.move_id.sla_reversed
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_release_sla_credits(self):
        # Before the delete, while the lines still say which credits they carry.
        self.sudo().sla_credit_ids._sla_release()

    # ------------------------------------------------------------------
    # SLA credits: linked only through these checks
    # ------------------------------------------------------------------

    def _sla_add_credits(self, commands):
        """Apply the credits the x2many commands add to this line. Credits are
        only linked here; taking one off a line that stays is refused (delete
        the line instead, which releases it)."""
        self.ensure_one()
        current = self.sudo().sla_credit_ids
        wanted_ids = self._sla_credit_ids_after(commands, current.ids)
        if set(current.ids) - set(wanted_ids):
            raise UserError(
                self.env._(
                    "To take an SLA credit off an invoice, delete its line: the "
                    "credit then goes back to approved for the next invoice."
                )
            )
        added = self.env["helpdesk.sla.credit"].browse(
            [cid for cid in wanted_ids if cid not in current.ids]
        )
        if added:
            added._sla_apply_to_line(self)

    def _sla_credit_ids_after(self, commands, current_ids):
        """The credit ids the x2many commands leave on the line: existing
        credits are linked or unlinked here, never created or edited."""
        ids = list(current_ids)
        for command in commands:
            if isinstance(command, int):
                command = (Command.LINK, command, 0)
            operation = command[0]
            if operation == Command.SET:
                ids = list(command[2])
            elif operation == Command.LINK:
                ids += [command[1]] if command[1] not in ids else []
            elif operation in (Command.UNLINK, Command.DELETE):
                ids = [cid for cid in ids if cid != command[1]]
            elif operation == Command.CLEAR:
                ids = []
            else:
                raise UserError(
                    self.env._(
                        "An invoice line carries existing SLA credits; credits "
                        "are computed and edited on their own form."
                    )
                )
        return ids

    @api.constrains(
        "price_unit",
        "quantity",
        "discount",
        "sla_line_kind",
        "sla_contract_id",
        "move_id",
        "currency_id",
    )
    def _check_sla_credit_line(self):
        for line in self.sudo().filtered("sla_credit_ids"):
            line._sla_check_credits_fit(line.sla_credit_ids)

    def _sla_check_credits_fit(self, sla_credits):
        """These credits may be on this line: a credit line of their customer's
        invoice or credit note, deducting exactly their amount."""
        self.ensure_one()
        move = self.move_id
        if self.sla_line_kind != "credit" or move.move_type not in (
            "out_invoice",
            "out_refund",
        ):
            raise ValidationError(
                self.env._(
                    "SLA credits go on SLA credit lines of customer invoices and "
                    "credit notes."
                )
            )
        for credit in sla_credits:
            # The customer, or whom its contract invoices (OCA contract allows
            # a parent company).
            customers = (
                credit.partner_id
                | credit.contract_id.invoice_partner_id.commercial_partner_id
            )
            if (
                move.commercial_partner_id not in customers
                or credit.company_id != move.company_id
                or credit.currency_id != move.currency_id
                or (self.sla_contract_id and credit.contract_id != self.sla_contract_id)
            ):
                raise ValidationError(
                    self.env._(
                        "%(credit)s is owed to %(customer)s under contract "
                        "%(contract)s (%(company)s, %(currency)s): it cannot go on "
                        "%(move)s.",
                        credit=credit.name,
                        customer=credit.partner_id.display_name,
                        contract=credit.contract_id.display_name,
                        company=credit.company_id.name,
                        currency=credit.currency_id.name,
                        move=move.display_name,
                    )
                )
        sign = -1 if move.move_type == "out_invoice" else 1
        expected = sign * sum(sla_credits.mapped("amount"))
        deducted = self.quantity * self.price_unit * (1 - (self.discount or 0) / 100)
        if float_compare(
            deducted, expected, precision_rounding=move.currency_id.rounding
        ):
            raise ValidationError(
                self.env._(
                    "The line of %(credits)s must stay at %(amount)s. To change a "
                    "credit, delete its line (the credit goes back to approved), "
                    "then reset the credit to draft.",
                    credits=", ".join(sla_credits.mapped("name")),
                    amount=expected,
                )
            )
