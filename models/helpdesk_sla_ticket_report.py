# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools

from .helpdesk_sla_target import sla_priority_selection

RESULTS = [("met", "Met"), ("breached", "Breached"), ("undecided", "Undecided")]
RESULT_HELP = "Undecided while the target is neither met nor breached yet."


class HelpdeskSlaTicketReport(models.Model):
    """SLA compliance over tickets (a SQL view): per ticket, 100 when a target
    was met, 0 when breached, empty while undecided, so that the average is
    the compliance % over decided targets, whatever the grouping."""

    _name = "helpdesk.sla.ticket.report"
    _description = "SLA compliance analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    date = fields.Datetime(string="SLA start", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned to", readonly=True)
    priority = fields.Selection(sla_priority_selection, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    contract_id = fields.Many2one("contract.contract", readonly=True)
    policy_id = fields.Many2one(
        "helpdesk.sla.policy", string="SLA policy", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    is_open = fields.Boolean(string="Open", readonly=True)
    ticket_count = fields.Integer(string="Tickets", readonly=True, aggregator="sum")
    response_compliance = fields.Float(
        string="Response compliance (%)", readonly=True, aggregator="avg"
    )
    resolution_compliance = fields.Float(
        string="Resolution compliance (%)", readonly=True, aggregator="avg"
    )
    # The list shows what each ticket's target came to: an undecided target
    # reads "Undecided", not a 0 % (it is no figure of the averages).
    response_result = fields.Selection(
        RESULTS, string="Response", readonly=True, help=RESULT_HELP
    )
    resolution_result = fields.Selection(
        RESULTS, string="Resolution", readonly=True, help=RESULT_HELP
    )
    response_breached = fields.Integer(readonly=True, aggregator="sum")
    resolution_breached = fields.Integer(readonly=True, aggregator="sum")
    consumed_hours = fields.Float(
        string="Business hours consumed", readonly=True, aggregator="avg"
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT
                    t.id AS id,
                    t.id AS ticket_id,
                    t.sla_start_date AS date,
                    t.team_id,
                    t.user_id,
                    t.priority,
                    COALESCE(t.commercial_partner_id, t.partner_id) AS partner_id,
                    t.contract_id,
                    t.sla_policy_id AS policy_id,
                    t.company_id,
                    NOT COALESCE(stage.closed, FALSE) AS is_open,
                    1 AS ticket_count,
                    CASE t.sla_response_status
                        WHEN 'met' THEN 100.0 WHEN 'breached' THEN 0.0
                    END AS response_compliance,
                    CASE t.sla_resolution_status
                        WHEN 'met' THEN 100.0 WHEN 'breached' THEN 0.0
                    END AS resolution_compliance,
                    CASE WHEN t.sla_response_status IN ('met', 'breached')
                        THEN t.sla_response_status ELSE 'undecided'
                    END AS response_result,
                    CASE WHEN t.sla_resolution_status IN ('met', 'breached')
                        THEN t.sla_resolution_status ELSE 'undecided'
                    END AS resolution_result,
                    (t.sla_response_status = 'breached')::int AS response_breached,
                    (t.sla_resolution_status = 'breached')::int
                        AS resolution_breached,
                    t.sla_consumed_hours AS consumed_hours
                FROM helpdesk_ticket t
                LEFT JOIN helpdesk_ticket_stage stage ON stage.id = t.stage_id
                WHERE t.sla_policy_id IS NOT NULL
            )
            """
        )
