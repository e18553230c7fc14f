# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer contracts: the SLA agreement and the periodic performance
report sent to the customer."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from .helpdesk_sla_credit import period_bounds


class ContractContract(models.Model):
    _inherit = "contract.contract"

    # --- Reporting ---------------------------------------------------------
    report_interval = fields.Selection(
        [("month", "Monthly"), ("quarter", "Quarterly")],
        string="Performance reports",
        default="month",
        help="How often the customer contact receives the SLA performance report "
        "(empty: never).",
    )
    next_report_date = fields.Date(
        compute="_compute_next_report_date",
        store=True,
        readonly=False,
        help="On this day the report of the period just ended is sent.",
    )
    performance_report_ids = fields.One2many(
        "helpdesk.sla.performance.report", "contract_id", string="SLA reports"
    )

    @api.depends("report_interval")
    def _compute_next_report_date(self):
        today = fields.Date.context_today(self)
        for contract in self:
            if not contract.report_interval:
                contract.next_report_date = False
                continue
            _start, end = period_bounds(today, contract.report_interval)
            contract.next_report_date = end

    def action_print_sla_agreement(self):
        return self.env.ref(
            "helpdesk_sla_contract.action_report_sla_agreement"
        ).report_action(self)

    def action_sla_send_agreement(self):
        """Open the e-mail composer with the agreement attached."""
        self.ensure_one()
        template = self.env.ref("helpdesk_sla_contract.mail_template_sla_agreement")
        # "views" is required when the action comes from an RPC (the Send menu):
        # the web client's action service maps over it.
        return {
            "name": self.env._("Send the SLA agreement"),
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "force_email": True,
            },
        }

    def action_sla_send_performance_report(self):
        """Send the report of the last complete period now."""
        reports = self.env["helpdesk.sla.performance.report"]
        today = fields.Date.context_today(self)
        for contract in self:
            kind = contract.report_interval or "month"
            start, _end = period_bounds(today, kind)
            previous = start - relativedelta(months=3 if kind == "quarter" else 1)
            reports |= reports._sla_get_or_create(contract, previous, kind)
        reports._sla_send()
        return True
