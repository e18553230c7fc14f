# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Outage tickets a monitor opened now say so (`outage_alert_source_id`): their
downtime is the monitor's alone, also once their incident was merged away."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    incidents = env["helpdesk.sla.incident"].search(
        [("alert_source_id", "!=", False), ("ticket_id", "!=", False)]
    )
    count = 0
    for incident in incidents:
        ticket = incident.ticket_id
        if ticket.is_outage and not ticket.outage_alert_source_id:
            ticket.outage_alert_source_id = incident.alert_source_id
            count += 1
    _logger.info("SLA: %s outage tickets marked as opened by their monitor", count)
