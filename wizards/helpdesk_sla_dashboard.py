# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import api, fields, models


class HelpdeskSlaDashboard(models.TransientModel):
    """What needs attention now: open tickets at risk, this month's breaches,
    uptime per service this month and credits waiting for approval."""

    _name = "helpdesk.sla.dashboard"
    _description = "SLA dashboard"

    name = fields.Char(default="SLA dashboard")
    month_start = fields.Date(compute="_compute_dashboard")
    at_risk_ticket_ids = fields.Many2many(
        "helpdesk.ticket", compute="_compute_dashboard", string="Open tickets at risk"
    )
    at_risk_count = fields.Integer(compute="_compute_dashboard")
    breach_ids = fields.Many2many(
        "helpdesk.sla.breach",
        compute="_compute_dashboard",
        string="Breaches this month",
    )
    breach_count = fields.Integer(compute="_compute_dashboard")
    draft_credit_ids = fields.Many2many(
        "helpdesk.sla.credit", compute="_compute_dashboard", string="Draft credits"
    )
    draft_credit_count = fields.Integer(compute="_compute_dashboard")
    uptime_html = fields.Html(
        string="Uptime this month", compute="_compute_dashboard", sanitize=False
    )

    @api.depends_context("uid")
    def _compute_dashboard(self):
        today = fields.Date.context_today(self)
        month_start = today.replace(day=1)
        start = fields.Datetime.to_datetime(month_start)
        now = fields.Datetime.now()
        tickets = self.env["helpdesk.ticket"].search(
            [
                ("stage_id.closed", "=", False),
                "|",
                ("sla_response_status", "=", "at_risk"),
                ("sla_resolution_status", "=", "at_risk"),
            ],
            order="sla_resolution_deadline",
        )
        # A breach counts in the month of its deadline (as in every report).
        breaches = self.env["helpdesk.sla.breach"].search(
            [("deadline", ">=", start)], order="deadline desc"
        )
        credit_model = self.env["helpdesk.sla.credit"]
        credits_ = (
            credit_model.search([("state", "=", "draft")])
            if credit_model.has_access("read")
            else credit_model
        )
        for dashboard in self:
            dashboard.month_start = month_start
            dashboard.at_risk_ticket_ids = tickets
            dashboard.at_risk_count = len(tickets)
            dashboard.breach_ids = breaches
            dashboard.breach_count = len(breaches)
            dashboard.draft_credit_ids = credits_
            dashboard.draft_credit_count = len(credits_)
            dashboard.uptime_html = dashboard._sla_uptime_table(start, now)

    def _sla_uptime_table(self, start, now):
        # Services of the contracts this user may read (contract record rules).
        contracts = self.env["contract.contract"].search([("service_ids", "!=", False)])
        services = (
            self.env["helpdesk.sla.service"]
            .sudo()
            .search([("active", "=", True), ("contract_id", "in", contracts.ids)])
        )
        if not services:
            return Markup("<p>%s</p>") % self.env._("No monitored service.")
        rows = []
        end = max(now, start + relativedelta(seconds=1))
        for service in services:
            uptime, down, _incidents = service._sla_uptime(start, end)
            met = uptime >= service.uptime_target
            rows.append(
                Markup(
                    "<tr><td>%s</td><td>%s</td><td class='text-end'>%s %%</td>"
                    "<td class='text-end'>%s %%</td><td class='text-end'>%s</td>"
                    "<td class='%s'>%s</td></tr>"
                )
                % (
                    service.contract_id.display_name,
                    service.name,
                    f"{service.uptime_target:g}",
                    f"{uptime:.3f}",
                    f"{down:.1f}",
                    "text-success" if met else "text-danger",
                    self.env._("met") if met else self.env._("below target"),
                )
            )
        header = Markup(
            "<thead><tr><th>%s</th><th>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th><th class='text-end'>%s</th><th/></tr>"
            "</thead>"
        ) % (
            self.env._("Contract"),
            self.env._("Service"),
            self.env._("Target"),
            self.env._("Uptime"),
            self.env._("Down (min)"),
        )
        return (
            Markup("<table class='table table-sm'>")
            + header
            + Markup("<tbody>")
            + Markup("").join(rows)
            + Markup("</tbody></table>")
        )

    def action_refresh(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "view_mode": "form",
            "target": "current",
            "name": escape(self.env._("SLA dashboard")),
        }
