# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models

from ..lib import sla_stats

# The team dashboard's SLA success covers the tickets started in these days.
SLA_SUCCESS_DAYS = 30


class HelpdeskTicketTeam(models.Model):
    _name = "helpdesk.ticket.team"
    _inherit = ["helpdesk.ticket.team", "helpdesk.sla.condition.mixin"]
    _sla_condition_field = "team_ids"

    sla_success_rate = fields.Float(
        string="SLA success (%)",
        compute="_compute_sla_success",
        help="Share of the team's tickets of the last 30 days whose SLA is decided "
        "that met every target (no response or resolution breach).",
    )
    sla_decided_count = fields.Integer(
        string="Tickets with a decided SLA", compute="_compute_sla_success"
    )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_sla_success(self):
        """Decided: resolved in time, or a target breached. Counted as the user,
        on the tickets they may read."""
        since = fields.Datetime.now() - timedelta(days=SLA_SUCCESS_DAYS)
        base = [("team_id", "in", self.ids), ("sla_start_date", ">=", since)]
        breached = [
            "|",
            ("sla_response_status", "=", "breached"),
            ("sla_resolution_status", "=", "breached"),
        ]
        tickets = self.env["helpdesk.ticket"]
        decided = tickets._read_group(
            base + ["|", ("sla_resolution_status", "=", "met")] + breached,
            ["team_id"],
            ["__count"],
        )
        failed = tickets._read_group(base + breached, ["team_id"], ["__count"])
        decided_by_team = {team.id: count for team, count in decided}
        failed_by_team = {team.id: count for team, count in failed}
        for team in self:
            total = decided_by_team.get(team.id, 0)
            lost = failed_by_team.get(team.id, 0)
            team.sla_decided_count = total
            team.sla_success_rate = (
                sla_stats.compliance_percent(total - lost, lost) or 0.0
            )
