# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tickets: what may apply to them (their customer's contract and site, a
policy of their company), whoever sets it; the SLA fields only SLA managers
set by hand; hours not invoiced yet keep their ticket."""

from odoo import api, models
from odoo.exceptions import AccessError, ValidationError

from .contract_contract_pricing import TIMESHEET_MODELS
from .sla_history import refuse_unlink_if_referenced

# Set by the events themselves (reply, "Mark as responded", closed stage):
# only SLA managers write them by hand.
SLA_EVENT_DATES = {"sla_first_response_date", "sla_resolved_date"}
# Set by the SLA check (warnings sent) and by an SLA manager's choice of
# policy: an agent setting them would silence a warning or pin a policy.
SLA_SYSTEM_FLAGS = {"sla_response_warned", "sla_resolution_warned", "sla_policy_manual"}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.constrains("contract_id", "site_id")
    def _check_sla_customer(self):
        """The contract and site are the ticket's customer's (and the contract
        its company's): another's contract would be billed the ticket's hours."""
        for ticket in self.sudo():
            site, contract = ticket.site_id, ticket.contract_id
            if not (site or contract):
                continue
            customer = ticket.commercial_partner_id
            if site and site.commercial_partner_id != customer:
                raise ValidationError(
                    self.env._(
                        "%(site)s is not a site of %(customer)s.",
                        site=site.display_name,
                        customer=customer.name or "-",
                    )
                )
            if contract and (
                contract.commercial_partner_id != customer
                or (ticket.company_id and contract.company_id != ticket.company_id)
            ):
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s is not a contract of %(customer)s "
                        "in %(company)s: it cannot cover ticket %(ticket)s.",
                        contract=contract.display_name,
                        customer=customer.name or "-",
                        company=ticket.company_id.name or "-",
                        ticket=ticket.display_name,
                    )
                )

    @api.constrains("sla_policy_id")
    def _check_sla_policy_company(self):
        """A policy of another company never applies, not even set by hand."""
        for ticket in self.sudo():
            policy = ticket.sla_policy_id
            if policy and not policy._sla_company_fits(ticket):
                raise ValidationError(
                    self.env._(
                        "The SLA policy %(policy)s is %(company)s's: it cannot "
                        "apply to ticket %(ticket)s of %(ticket_company)s.",
                        policy=policy.display_name,
                        company=policy.company_id.name,
                        ticket=ticket.display_name,
                        ticket_company=ticket.company_id.name,
                    )
                )

    def _sla_check_manager_fields(self, vals_list, creating=False):
        """Refuse SLA fields that only SLA managers set by hand."""
        for vals in vals_list:
            message = self._sla_manager_field_refusal(vals, creating)
            if message:
                if self._sla_is_manager():
                    return  # SLA managers set them all
                raise AccessError(message)

    def _sla_manager_field_refusal(self, vals, creating):
        """The refusal a non-manager gets for these values, or None. On
        creation a field counts when given a value (forms send empty ones); on
        a write, when given at all, except the flags, which count when set."""

        def given(fnames):
            if creating:
                return any(vals.get(fname) for fname in fnames)
            return any(fname in vals for fname in fnames)

        if given(("sla_policy_id", "sla_start_date")):
            return self.env._(
                "Only SLA managers can set a ticket's SLA policy or start."
            )
        if given(SLA_EVENT_DATES):
            return self.env._(
                "Only SLA managers can change a ticket's first response or "
                "resolution date: reply to the customer, mark the ticket as "
                "responded or close it instead."
            )
        if any(vals.get(fname) for fname in SLA_SYSTEM_FLAGS) or (
            # Clearing the hand-set flag of a policy an SLA manager chose
            # hands the ticket back to the conditions: a policy change.
            not creating
            and "sla_policy_manual" in vals
            and not vals["sla_policy_manual"]
            and any(self.sudo().mapped("sla_policy_manual"))
        ):
            return self.env._(
                "Only SLA managers can mark a ticket's SLA warnings as sent "
                "or its policy as chosen by hand."
            )
        return None

    @api.ondelete(at_uninstall=False)
    def _unlink_except_unbilled_hours(self):
        """Hours logged for a contract reach its invoice through their ticket:
        deleted with it, those not invoiced yet would never be."""
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("ticket_id", "in", self.ids),
                    # Only contracts that bill or draw down hours (a fixed fee
                    # does not count them).
                    ("sla_contract_id.pricing_model", "in", TIMESHEET_MODELS),
                    ("sla_is_billed", "=", False),
                ],
                ["ticket_id"],
                ["__count"],
            )
        )
        refuse_unlink_if_referenced(
            self,
            [
                (
                    self.env._("support hours not invoiced yet"),
                    {ticket.id: count for ticket, count in groups},
                )
            ],
        )
