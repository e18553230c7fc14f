# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Open tickets that got their policy while already in one of its pause
stages ran their clock without a pause: pause them from now on, as a new
policy assignment now does."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    tickets = env["helpdesk.ticket"].search(
        [
            ("stage_id.closed", "=", False),
            ("sla_policy_id", "!=", False),
            ("sla_paused", "=", False),
        ]
    )
    waiting = tickets.filtered(
        lambda ticket: ticket.stage_id in ticket.sla_policy_id.pause_stage_ids
    )
    waiting._sla_pause_for_policy()
    waiting._sla_recompute()
    _logger.info("SLA: %s waiting ticket(s) paused", len(waiting))
