# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from babel.dates import get_month_names
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools.misc import babel_locale_parse, get_lang

from ..lib.period_label import period_label
from .helpdesk_sla_credit import period_bounds

_logger = logging.getLogger(__name__)

REPORT_MONTHS = {"month": 1, "quarter": 3}


class HelpdeskSlaPerformanceReport(models.Model):
    """One SLA performance report of a contract for one period (the PDF the
    customer receives and finds in the portal)."""

    _name = "helpdesk.sla.performance.report"
    _description = "SLA performance report"
    _inherit = ["portal.mixin", "mail.thread"]
    _order = "period_start desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    contract_id = fields.Many2one(
        "contract.contract", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(
        related="contract_id.commercial_partner_id", store=True, string="Customer"
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    period_kind = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter")], required=True, default="month"
    )
    period_start = fields.Date(required=True)
    period_end = fields.Date(
        required=True, help="First day after the period (the period is before it)."
    )
    sent_date = fields.Datetime(readonly=True, copy=False)
    period_label = fields.Char(
        string="Period",
        compute="_compute_period_label",
        help="The days the report covers, both included.",
    )

    _sql_constraints = [
        (
            "unique_contract_period",
            "UNIQUE(contract_id, period_kind, period_start)",
            "A contract has one performance report per period.",
        ),
    ]

    @api.depends("contract_id", "period_start", "period_kind")
    def _compute_name(self):
        for report in self:
            # The PDF's and the portal's name: in the customer's language.
            lang = report.contract_id.partner_id.lang or self.env.lang
            report.name = self.with_context(lang=lang).env._(
                "SLA performance %(period)s: %(contract)s",
                period=report._sla_period_label(),
                contract=report.contract_id.display_name or "",
            )

    @api.depends("period_start", "period_end")
    @api.depends_context("lang")
    def _compute_period_label(self):
        locale = babel_locale_parse(get_lang(self.env).code)
        months = get_month_names("abbreviated", locale=locale)
        for report in self:
            start, end = report.period_start, report.period_end
            # period_end is the first day after the period.
            report.period_label = (
                period_label(start, end - timedelta(days=1), months)
                if start and end and end > start
                else False
            )

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for report in self:
            report.access_url = f"/my/sla/reports/{report.id}"
        return res

    def _sla_period_label(self):
        self.ensure_one()
        if not self.period_start:
            return ""
        return self.env["helpdesk.sla.penalty.rule"]._sla_period_label(
            self.contract_id, self.period_start, self.period_end, self.period_kind
        )

    def _sla_data(self):
        """What the report prints (see _sla_build_data)."""
        self.ensure_one()
        return self._sla_build_data(
            self.contract_id, self.period_start, self.period_end, self.period_kind
        )

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    @api.model
    def _sla_get_or_create(self, contract, period_start, period_kind):
        start, end = period_bounds(period_start, period_kind)
        report = self.search(
            [
                ("contract_id", "=", contract.id),
                ("period_kind", "=", period_kind),
                ("period_start", "=", start),
            ],
            limit=1,
        )
        return report or self.create(
            {
                "contract_id": contract.id,
                "period_kind": period_kind,
                "period_start": start,
                "period_end": end,
            }
        )

    def _sla_send(self):
        """E-mail the PDF to the customer contact and log it on the contract."""
        template = self.env.ref(
            "helpdesk_sla_contract.mail_template_sla_performance_report"
        )
        for report in self:
            contract = report.contract_id
            recipient = contract.customer_contact_id or contract.partner_id
            if not recipient.email:
                _logger.warning(
                    "SLA performance report %s not sent: no e-mail for %s",
                    report.name,
                    recipient.display_name,
                )
                continue
            # Templates see the context (`ctx`), not render values: pass the
            # report there, on the template itself (it renders in its own env).
            contract.with_context(
                sla_performance_report_id=report.id
            ).message_post_with_source(
                template.with_context(sla_performance_report_id=report.id),
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
                partner_ids=recipient.ids,
                attachment_ids=report._sla_pdf_attachment().ids,
            )
            report.sent_date = fields.Datetime.now()

    def _sla_pdf_attachment(self):
        self.ensure_one()
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "helpdesk_sla_contract.action_report_sla_performance", self.ids
            )
        )
        return self.env["ir.attachment"].create(
            {
                "name": f"{self.name}.pdf",
                "raw": pdf,
                "mimetype": "application/pdf",
                "res_model": "contract.contract",
                "res_id": self.contract_id.id,
            }
        )

    @api.model
    def _cron_send_reports(self, today=None):
        """Send each contract's report of the period just ended, at the
        contract's reporting cadence."""
        today = today or fields.Date.context_today(self)
        contracts = self.env["contract.contract"].search(
            [
                ("contract_type", "=", "sale"),
                ("report_interval", "!=", False),
                ("sla_policy_id", "!=", False),
                ("next_report_date", "<=", today),
            ]
        )
        reports = self.browse()
        for contract in contracts:
            kind = contract.report_interval
            months = REPORT_MONTHS[kind]
            start, _end = period_bounds(contract.next_report_date, kind)
            period_start = start - relativedelta(months=months)
            report = self._sla_get_or_create(contract, period_start, kind)
            if not report.sent_date:
                report._sla_send()
            contract.next_report_date = start + relativedelta(months=months)
            reports |= report
        return reports
