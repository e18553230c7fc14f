# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Stored SLA data brought in line with this version's rules (issue #11,
points 9 and 10), through the ORM."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def _store_response_by_resolution(env):
    """A resolution before any reply is stored as the first response (a
    response target completes once): reopening such a ticket keeps it met."""
    tickets = env["helpdesk.ticket"].search(
        [("sla_first_response_date", "=", False), ("sla_resolved_date", "!=", False)]
    )
    by_date = {}
    for ticket in tickets:
        by_date.setdefault(ticket.sla_resolved_date, []).append(ticket.id)
    for resolved, ids in by_date.items():
        env["helpdesk.ticket"].browse(ids).write({"sla_first_response_date": resolved})
    _logger.info("SLA: %s resolutions stored as first responses", len(tickets))


def _restart_stuck_clocks(env):
    """A check at a deadline's very second left clocks at risk with no next
    check: recomputed now, they get their breach or their next check."""
    open_statuses = ("running", "at_risk")
    tickets = env["helpdesk.ticket"].search(
        [
            ("sla_policy_id", "!=", False),
            ("sla_next_check_date", "=", False),
            ("stage_id.closed", "=", False),
            "|",
            ("sla_response_status", "in", open_statuses),
            ("sla_resolution_status", "in", open_statuses),
        ]
    )
    tickets._sla_recompute()
    _logger.info("SLA: %s clocks without next check recomputed", len(tickets))


def _attach_customer_contracts(env):
    """Open tickets without site of customers whose valid contracts all list
    sites had no contract: they get the customer's contract now."""
    tickets = env["helpdesk.ticket"].search(
        [
            ("stage_id.closed", "=", False),
            ("contract_id", "=", False),
            ("site_id", "=", False),
            ("commercial_partner_id", "!=", False),
        ]
    )
    contracts = env["contract.contract"].search(
        [
            ("contract_type", "=", "sale"),
            ("commercial_partner_id", "in", tickets.commercial_partner_id.ids),
        ]
    )
    by_customer = {}
    for contract in contracts:
        by_customer.setdefault(contract.commercial_partner_id.id, []).append(contract)
    attached = 0
    for ticket in tickets:
        contract = ticket._sla_pick_contract(
            by_customer.get(ticket.commercial_partner_id.id, [])
        )
        if contract:
            # Its policy and clock follow (consumed time is kept).
            ticket.contract_id = contract
            attached += 1
    _logger.info("SLA: %s open tickets attached to their customer's contract", attached)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
    _store_response_by_resolution(env)
    _attach_customer_contracts(env)
    _restart_stuck_clocks(env)
