# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer contracts: what OCA contract's recurring invoices carry (pricing
lines, prepaid banks and overage, SLA credits)."""

from odoo import Command, models
from odoo.tools import float_is_zero, float_round

from ..lib import prepaid_bank
from .contract_contract_pricing import BANK_MODELS


class ContractContract(models.Model):
    _inherit = "contract.contract"

    def _compute_invoice_count(self):
        # Helpdesk users open contracts from their tickets without access to
        # invoices: no count rather than an access error on the form.
        if not self.env["account.move.line"].has_access("read"):
            self.invoice_count = 0
            return
        # The smart button counts what it opens: credit notes too.
        for contract in self:
            contract.invoice_count = len(contract._sla_invoices_and_refunds())

    def _sla_invoices_and_refunds(self):
        """The contract's invoices and its credit notes: those reversing its
        invoices and those refunding its SLA credits (which carry no contract
        line)."""
        self.ensure_one()
        invoices = self._get_related_invoices()
        refunds = self.env["account.move"].search(
            [
                ("move_type", "in", ("out_refund", "in_refund")),
                "|",
                ("reversed_entry_id", "in", invoices.ids),
                ("line_ids.sla_contract_id", "=", self.id),
            ]
        )
        return invoices | refunds

    def action_show_invoices(self):
        action = super().action_show_invoices()
        action["domain"] = [("id", "in", self._sla_invoices_and_refunds().ids)]
        return action

    def _prepare_recurring_invoices_values(self, date_ref=False):
        invoices_values = []
        for contract in self:
            period = contract._sla_next_invoice_period(date_ref)
            values = super(
                ContractContract, contract
            )._prepare_recurring_invoices_values(date_ref)
            if values and period and contract.contract_type == "sale":
                values[0]["invoice_line_ids"] += [
                    Command.create(line_vals)
                    for line_vals in contract._sla_pricing_invoice_lines(*period)
                ]
            if values and contract.contract_type == "sale":
                credit_lines, overflow = contract._sla_credit_invoice_lines(values[0])
                values[0]["invoice_line_ids"] += [
                    Command.create(line_vals) for line_vals in credit_lines
                ]
                if overflow:
                    # Odoo refuses negative invoices: a credit note instead.
                    overflow._sla_create_credit_notes()
            invoices_values += values
        return invoices_values

    def _sla_next_invoice_period(self, date_ref):
        """(first day, last day) of the period the next invoice covers, read
        before OCA contract moves the lines' invoiced dates."""
        self.ensure_one()
        date_ref = date_ref or self.recurring_next_date
        if not date_ref:
            return None
        lines = self._get_lines_to_invoice(date_ref).filtered(
            lambda line: not line.display_type or line.is_recurring_note
        )
        if not lines:
            return None
        line = lines[0]
        first, last, _date = line._get_period_to_invoice(
            line.last_date_invoiced, line.recurring_next_date
        )
        return first, last

    def _recurring_create_invoice(self, date_ref=False):
        # The invoice lines link the hours, blocks and usage they bill, which
        # only the system writes (account.move.line): the user's right to
        # invoice the contracts checked, the invoices are made with sudo.
        self.check_access("write")
        self.env["account.move"].check_access("create")
        moves = super(ContractContract, self.sudo())._recurring_create_invoice(date_ref)
        self.filtered(
            lambda c: c.pricing_model == "project_fixed"
        )._sla_end_invoiced_fees()
        return moves.with_env(self.env)

    def _sla_end_invoiced_fees(self):
        """A one-time project fee is invoiced once: its line ends with the
        period it was invoiced for. The contract ends when every fee is
        invoiced; fees not invoiced yet (a later line, a run before the due
        date) keep their next date."""
        for contract in self:
            fees = contract.contract_line_ids.filtered(
                lambda line: not line.display_type and not line.is_canceled
            )
            for line in fees.filtered(
                lambda line: (
                    line.last_date_invoiced
                    and (not line.date_end or line.date_end > line.last_date_invoiced)
                )
            ):
                line.write(
                    {"date_end": line.last_date_invoiced, "recurring_next_date": False}
                )
            if fees and all(fees.mapped("last_date_invoiced")):
                contract.recurring_next_date = False

    def _sla_line(self, kind, product_xmlid, name, quantity, price, **links):
        vals = {
            "product_id": self.env.ref(product_xmlid).id,
            "name": name,
            "quantity": quantity,
            "price_unit": price,
            "sla_contract_id": self.id,
            "sla_line_kind": kind,
        }
        for fname, records in links.items():
            vals[fname] = [Command.set(records.ids)]
        return vals

    def _sla_pricing_invoice_lines(self, first, last):
        """Invoice line values of this contract's pricing model for a period."""
        self.ensure_one()
        model = self.pricing_model
        lines = []
        if model in ("hourly", "project_hourly"):
            timesheets = self._sla_timesheets(until=last, unbilled=True)
            if timesheets:
                lines.append(self._sla_hours_line(last, timesheets))
        elif model in BANK_MODELS:
            lines += self._sla_bank_invoice_lines(last)
        elif model == "remote_monitoring":
            sites = self.site_ids or self.commercial_partner_id.sla_site_ids
            devices = sum(sites.mapped("device_count"))
            if devices:
                lines.append(
                    self._sla_line(
                        "devices",
                        "helpdesk_sla_contract.product_sla_monitored_device",
                        self.env._(
                            "Remote monitoring, %(first)s to %(last)s: %(count)s "
                            "devices",
                            first=first,
                            last=last,
                            count=devices,
                        ),
                        devices,
                        self.device_price,
                    )
                )
        elif model == "online_backup":
            usages = self.usage_ids.filtered(
                lambda usage: usage.date <= last and not usage.sla_is_billed
            )
            if usages:
                lines.append(
                    self._sla_line(
                        "backup",
                        "helpdesk_sla_contract.product_sla_backup_gb",
                        self.env._("Online backup up to %(last)s", last=last),
                        sum(usages.mapped("quantity")),
                        self.gb_price,
                        sla_usage_ids=usages,
                    )
                )
        return lines

    def _sla_hours_line(self, last, timesheets):
        """Hours line: the unrounded hours at the hourly rate, the amount
        rounded once (20 minutes at 100 are 33.33, not 0.33 h x 100), as one
        unit at that amount when the rounded hours would give another."""
        hours = sum(timesheets.mapped("unit_amount"))
        quantity, price = prepaid_bank.hours_charge(
            hours,
            self.hourly_rate,
            self.env["decimal.precision"].precision_get("Product Unit of Measure"),
            self.currency_id.decimal_places,
        )
        name = self.env._("Support hours up to %(last)s", last=last)
        if price != self.hourly_rate:
            name = self.env._(
                "Support hours up to %(last)s: %(hours)s h at %(rate)s %(currency)s",
                last=last,
                hours=float_round(hours, 2),
                rate=self.hourly_rate,
                currency=self.currency_id.name,
            )
        line = self._sla_line(
            "hours",
            "helpdesk_sla_contract.product_sla_support_hour",
            name,
            quantity,
            price,
            sla_timesheet_ids=timesheets,
        )
        line["sla_hours"] = hours
        return line

    def _sla_bank_invoice_lines(self, last):
        self.ensure_one()
        money = self.pricing_model == "block_money"
        lines = []
        for block in self.hour_block_ids.filtered(
            lambda b: b.state != "cancel" and not b.sla_is_billed and b.date <= last
        ):
            lines.append(
                self._sla_line(
                    "block",
                    "helpdesk_sla_contract.product_sla_prepaid_block",
                    block.display_name,
                    1.0,
                    block.price,
                    sla_hour_block_ids=block,
                )
            )
        # One read: the whole history draws the bank, the unbilled part is billed.
        history = self._sla_timesheets(until=last)
        timesheets = history.filtered(lambda line: not line.sla_is_billed)
        if not timesheets:
            return lines
        blocks, entries = self._sla_bank_data(lines=history)
        allocation = prepaid_bank.allocate(blocks, entries, self.rollover)
        per_hour = self.hourly_rate if money else 1.0
        # Unrounded: the amount is rounded once, from the hours (lib).
        overage_hours = max(
            allocation.overage / per_hour - self._sla_overage_billed(), 0.0
        )
        if float_is_zero(overage_hours, precision_digits=6):
            overage_hours = 0.0
        hours = sum(timesheets.mapped("unit_amount"))
        drawn_hours = max(hours - overage_hours, 0.0)
        remaining = allocation.remaining
        bank_line = self._sla_line(
            "bank",
            "helpdesk_sla_contract.product_sla_support_hour",
            self.env._(
                "Support hours drawn from the prepaid bank up to %(last)s "
                "(%(left)s %(unit)s left)",
                last=last,
                left=float_round(remaining, 2),
                unit=self.currency_id.name if money else self.env._("hours"),
            ),
            drawn_hours,
            0.0,
        )
        bank_line["sla_hours"] = drawn_hours
        lines.append(bank_line)
        if overage_hours > 0:
            lines.append(self._sla_overage_line(last, overage_hours, timesheets))
        else:
            bank_line["sla_timesheet_ids"] = [Command.set(timesheets.ids)]
        return lines

    def _sla_overage_line(self, last, hours, timesheets):
        """Overage line: the unrounded hours at the overage rate, the amount
        rounded once (as one unit at that amount when the rounded hours
        would give another)."""
        rate = self.overage_rate or self.hourly_rate
        quantity, price = prepaid_bank.hours_charge(
            hours,
            rate,
            self.env["decimal.precision"].precision_get("Product Unit of Measure"),
            self.currency_id.decimal_places,
        )
        line = self._sla_line(
            "overage",
            "helpdesk_sla_contract.product_sla_overage_hour",
            self.env._(
                "Support hours beyond the prepaid bank up to %(last)s: %(hours)s h "
                "at %(rate)s %(currency)s",
                last=last,
                hours=float_round(hours, 2),
                rate=rate,
                currency=self.currency_id.name,
            ),
            quantity,
            price,
            sla_timesheet_ids=timesheets,
        )
        line["sla_hours"] = hours
        return line

    def _sla_credit_invoice_lines(self, invoice_vals):
        """Lines of the approved credits to deduct from this invoice; the
        credits that would make it negative go to credit notes instead."""
        self.ensure_one()
        sla_credits = self.credit_ids.filtered(
            lambda c: c.state == "approved" and c.apply_as == "invoice_line"
        ).sorted(lambda c: (c.period_start, c.id))
        if not sla_credits:
            return [], sla_credits
        total = 0.0
        for command in invoice_vals["invoice_line_ids"]:
            vals = command[2]
            if vals.get("display_type", "product") == "product":
                total += (
                    vals.get("quantity", 1.0)
                    * vals.get("price_unit", 0.0)
                    * (1 - (vals.get("discount") or 0.0) / 100.0)
                )
        lines, overflow = [], sla_credits.browse()
        for credit in sla_credits:
            if credit.amount <= total + 1e-6:
                lines.append(credit._sla_line_values())
                total -= credit.amount
            else:
                overflow |= credit
        return lines, overflow

    def _sla_sale_journal(self):
        self.ensure_one()
        if self.journal_id.type == "sale":
            return self.journal_id
        return self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.company_id.id)], limit=1
        )
