# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import shutil
import subprocess
import unittest
from datetime import date, datetime, timedelta

from odoo import Command

from .test_sla_reporting import START, ReportingCase

PDF_TOOLS = shutil.which("wkhtmltopdf") and shutil.which("pdftotext")


def pdf_text(pdf):
    """The text of a PDF (pdftotext, layout kept)."""
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()


class TestSlaReports(ReportingCase):
    """Every report renders and says what it must (PDF text via pdftotext;
    HTML when wkhtmltopdf is missing)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract.write(
            {
                "account_manager_id": cls.manager.id,
                "support_channels": "Phone +32 2 555 01 00, support@msp.example",
                "support_hours_note": "Critical incidents: 24/7 on the phone",
                "scope_included": "<p>Workstations and servers</p>",
                "scope_excluded": "<p>Printers older than five years</p>",
                "maintenance_notice_hours": 72,
                "review_interval": "yearly",
                "escalation_contact_ids": [
                    Command.create(
                        {
                            "sequence": 1,
                            "partner_id": cls.acme_contact.id,
                            "role": "IT lead",
                        }
                    )
                ],
            }
        )
        cls.service = cls.env["helpdesk.sla.service"].create(
            {
                "name": "Web hosting",
                "contract_id": cls.contract.id,
                "uptime_target": 99.9,
                "monthly_fee": 1000,
            }
        )
        cls.env["helpdesk.sla.penalty.rule"].create(
            {
                "name": "Uptime credits",
                "contract_id": cls.contract.id,
                "cap_percent": 30,
                "tier_ids": [
                    Command.create({"below_percent": 99.9, "credit_percent": 10}),
                    Command.create({"below_percent": 99.0, "credit_percent": 25}),
                ],
            }
        )
        cls.policy.target_ids.filtered(
            lambda t: t.priority == "3"
        ).definition = "Production line stopped."

    def render(self, report_ref, records):
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        if PDF_TOOLS:
            pdf, kind = report._render_qweb_pdf(report_ref, records.ids)
            self.assertEqual(kind, "pdf")
            return pdf_text(pdf)
        html, _kind = report._render_qweb_html(report_ref, records.ids)
        return html.decode()

    def assert_all_in(self, texts, document):
        flat = " ".join(document.split())
        for text in texts:
            self.assertIn(" ".join(text.split()), flat)

    def test_agreement_document(self):
        text = self.render(
            "helpdesk_sla_contract.action_report_sla_agreement", self.contract
        )
        self.assert_all_in(
            [
                "Service Level Agreement",
                "ACME Corp",
                self.manager.name,
                "Workstations and servers",
                "Printers older than five years",
                "Phone +32 2 555 01 00",
                "Europe/Berlin",
                "Very High",
                "Production line stopped.",
                "Questions and small changes.",
                "Web hosting",
                "99.9",
                # Allowed downtime as a duration (43.83 min, 8.77 h).
                "44 min / month, 8 h 46 min / year",
                "72",
                "Uptime credits",
                "IT lead",
                "Ann Acme",
                "Signature",
            ],
            text,
        )

    def test_agreement_of_a_bare_contract(self):
        bare = self.make_contract("fixed_fee", name="Bare contract")
        text = self.render("helpdesk_sla_contract.action_report_sla_agreement", bare)
        self.assert_all_in(["Service Level Agreement", "Bare contract"], text)

    def test_performance_report(self):
        _a, b, c = self.make_reporting_tickets()
        self.env["helpdesk.sla.incident"].create(
            {
                "service_id": self.service.id,
                "date_start": datetime(2026, 10, 12, 10, 0),
                "date_end": datetime(2026, 10, 12, 12, 0),
            }
        )
        # The breaches the SLA check records: B's resolution, both of C's.
        for ticket, kinds in ((b, ["resolution"]), (c, ["response", "resolution"])):
            for kind in kinds:
                self.env["helpdesk.sla.breach"].create(
                    {
                        "ticket_id": ticket.id,
                        "kind": kind,
                        "deadline": ticket[f"sla_{kind}_deadline"],
                        "breach_date": START + timedelta(hours=3),
                        "company_id": self.company.id,
                    }
                )
        credit = self.env["helpdesk.sla.credit"]._sla_compute_credits(
            self.contract, date(2026, 10, 1)
        )
        self.assertTrue(credit)
        # The customer sees decided credits only.
        credit.action_approve()
        report = self.env["helpdesk.sla.performance.report"]._sla_get_or_create(
            self.contract, date(2026, 10, 15), "month"
        )
        self.assertEqual(report.period_start, date(2026, 10, 1))
        text = self.render(
            "helpdesk_sla_contract.action_report_sla_performance", report
        )
        self.assert_all_in(
            [
                "October 2026",
                "Tickets by priority",
                "Very High",
                "66.7",  # response compliance: 2 of 3
                "33.3",  # resolution compliance: 1 of 3
                "Breaches",
                "Uptime per service",
                "Web hosting",
                "99.731",
                "Service credits",
                credit.reason,
                "Trend",
            ],
            text,
        )

    def test_invoice_pdf_lists_sla_credits(self):
        credit = self.env["helpdesk.sla.credit"]
        self.env["helpdesk.sla.incident"].create(
            {
                "service_id": self.service.id,
                "date_start": datetime(2026, 10, 12, 10, 0),
                "date_end": datetime(2026, 10, 12, 12, 0),
            }
        )
        credit = credit._sla_compute_credits(self.contract, date(2026, 10, 1))
        credit.action_approve()
        self.contract._recurring_create_invoice(date(2026, 11, 1))
        # An hourly contract's invoice is smaller than the credit: a credit note.
        move = credit.move_id
        self.assertEqual(move.move_type, "out_refund")
        text = self.render("account.account_invoices", move)
        self.assert_all_in(["SLA credits", credit.reason], text)

    def test_performance_report_sent_at_the_cadence(self):
        self.contract.write(
            {"report_interval": "month", "next_report_date": date(2026, 11, 1)}
        )
        self.make_reporting_tickets()
        reports = self.env["helpdesk.sla.performance.report"]._cron_send_reports(
            today=date(2026, 11, 2)
        )
        report = reports.filtered(lambda r: r.contract_id == self.contract)
        self.assertEqual(report.period_start, date(2026, 10, 1))
        self.assertTrue(report.sent_date)
        self.assertEqual(self.contract.next_report_date, date(2026, 12, 1))
        message = self.contract.message_ids.filtered(
            lambda m: m.attachment_ids and "SLA performance" in (m.subject or "")
        )
        self.assertEqual(len(message), 1)
        self.assertIn(self.acme_contact, message.partner_ids)
        self.assertIn("October 2026", message.body)
        self.assertTrue(message.attachment_ids[0].name.endswith(".pdf"))
        # Run again the same day: nothing sent twice.
        self.env["helpdesk.sla.performance.report"]._cron_send_reports(
            today=date(2026, 11, 2)
        )
        self.assertEqual(
            len(
                self.contract.message_ids.filtered(
                    lambda m: (
                        m.attachment_ids and "SLA performance" in (m.subject or "")
                    )
                )
            ),
            1,
        )

    @unittest.skipUnless(PDF_TOOLS, "wkhtmltopdf and pdftotext are needed")
    def test_pdf_tools_available(self):
        """Documents that the PDF path itself ran (the others fall back)."""
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "helpdesk_sla_contract.action_report_sla_agreement", self.contract.ids
            )
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
