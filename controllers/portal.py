# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, http
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.helpdesk_sla_credit import period_bounds


class SlaCustomerPortal(CustomerPortal):
    """The customer's SLA: contracts, support hours, targets, uptime, open
    tickets with their deadlines, the agreement and the performance reports.
    Only the portal user's own company's contracts: anything else is a 404."""

    def _sla_customer(self):
        return request.env.user.partner_id.commercial_partner_id

    def _sla_contracts(self):
        return (
            request.env["contract.contract"]
            .sudo()
            .search(
                [
                    ("contract_type", "=", "sale"),
                    ("commercial_partner_id", "=", self._sla_customer().id),
                ]
            )
        )

    def _sla_contract_or_404(self, contract_id):
        contract = self._sla_contracts().filtered(lambda c: c.id == contract_id)
        if not contract:
            raise request.not_found()
        return contract

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "sla_contract_count" in counters:
            values["sla_contract_count"] = (
                len(self._sla_contracts()) if not request.env.user._is_public() else 0
            )
        return values

    @http.route(["/my/sla"], type="http", auth="user", website=True)
    def portal_my_sla(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(
            {"contracts": self._sla_contracts(), "page_name": "sla_contracts"}
        )
        return request.render("helpdesk_sla_contract.portal_my_sla_contracts", values)

    @http.route(
        ["/my/sla/contract/<int:contract_id>"], type="http", auth="user", website=True
    )
    def portal_my_sla_contract(self, contract_id, **kw):
        contract = self._sla_contract_or_404(contract_id)
        today = fields.Date.context_today(contract)
        start, end = period_bounds(today, "month")
        now = fields.Datetime.now()
        services = [
            {
                "service": service,
                "uptime": service._sla_uptime(
                    fields.Datetime.to_datetime(start),
                    max(now, fields.Datetime.to_datetime(start)),
                )[0],
                # Numbers in the visitor's language: as many decimals as set.
                "target_precision": len(f"{service.uptime_target:g}".partition(".")[2]),
            }
            for service in contract.service_ids.filtered("active")
        ]
        tickets = (
            request.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("contract_id", "=", contract.id),
                    ("stage_id.closed", "=", False),
                ],
                order="sla_resolution_deadline",
            )
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # Not "contract": OCA contract's breadcrumbs would add it again.
                "sla_contract": contract,
                "calendar": contract.sla_calendar_id
                or contract.sla_policy_id.calendar_id,
                "services": services,
                "period_start": start,
                "tickets": tickets,
                "reports": contract.performance_report_ids,
                "page_name": "sla_contract",
            }
        )
        return request.render("helpdesk_sla_contract.portal_my_sla_contract", values)

    @http.route(
        ["/my/sla/contract/<int:contract_id>/agreement"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_sla_agreement(self, contract_id, **kw):
        contract = self._sla_contract_or_404(contract_id)
        return self._sla_pdf(
            "helpdesk_sla_contract.action_report_sla_agreement",
            contract,
            f"SLA - {contract.name}.pdf",
        )

    @http.route(
        ["/my/sla/reports/<int:report_id>"], type="http", auth="user", website=True
    )
    def portal_my_sla_report(self, report_id, **kw):
        report = (
            request.env["helpdesk.sla.performance.report"]
            .sudo()
            .browse(report_id)
            .exists()
        )
        if not report or report.contract_id not in self._sla_contracts():
            raise request.not_found()
        return self._sla_pdf(
            "helpdesk_sla_contract.action_report_sla_performance",
            report,
            f"{report.name}.pdf",
        )

    def _sla_pdf(self, report_ref, records, filename):
        pdf, _kind = (
            request.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf(report_ref, records.ids)
        )
        # Shown in the browser rather than downloaded.
        disposition = content_disposition(filename).replace("attachment", "inline", 1)
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", disposition),
            ],
        )
