# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tickets: what may apply to them (their customer's contract and site, a
policy of their company), whoever sets it."""

from odoo import api, models
from odoo.exceptions import ValidationError


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
