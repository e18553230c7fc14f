# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Invoice lines of earlier versions: their billed hours, and whether a
cancelled invoice's items were billed again since."""

from odoo import SUPERUSER_ID, api

HOUR_KINDS = ("hours", "bank", "overage")
# Kinds that bill linked items: without them left, they were billed elsewhere.
ITEM_KINDS = ("hours", "block", "backup", "overage")


def migrate(cr, version):
    if not version:
        return
    # The lines' quantity was their (rounded) hours. A plain, new stored
    # column: one statement for all lines instead of a write per line.
    cr.execute(
        "UPDATE account_move_line SET sla_hours = quantity "
        "WHERE sla_line_kind IN %s AND sla_hours IS NULL",
        [HOUR_KINDS],
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    lines = env["account.move.line"].search(
        [
            ("parent_state", "=", "cancel"),
            ("sla_line_kind", "in", (*ITEM_KINDS, "bank")),
            ("sla_timesheet_ids", "=", False),
            ("sla_hour_block_ids", "=", False),
            ("sla_usage_ids", "=", False),
        ]
    )
    # A bank line carries no timesheets when an overage line of its invoice does.
    lost = lines.filtered(
        lambda line: (
            line.sla_line_kind != "bank"
            or not line.move_id.line_ids.filtered(
                lambda other: other.sla_line_kind == "overage"
            )
        )
    )
    lost.write({"sla_rebilled": True})
