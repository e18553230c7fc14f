# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Credits stranded before 18.0.1.1.0 go back to approved.

Deleting a draft invoice (or its credit line) used to leave the credit
`applied` with no invoice line; the next invoice then never picked it up.
Such credits, and any still applied on a cancelled invoice, are released so
that the next recurring invoice deducts them (the rule the module now keeps)."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    stranded = env["helpdesk.sla.credit"].search(
        [
            ("state", "=", "applied"),
            "|",
            ("invoice_line_id", "=", False),
            ("invoice_line_id.parent_state", "=", "cancel"),
        ]
    )
    stranded._sla_release()
    _logger.info(
        "SLA credits released for the next invoice (stranded applied): %s",
        stranded.ids,
    )
