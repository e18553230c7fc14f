# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Defects found walking through the screens of issue #13: the Send menu's
agreement e-mail, durations and times as people read them, one time zone for
the customer, no stale or duplicate SLA states, the fee a credit used, pauses
of tickets that get a policy while waiting, layout."""

from datetime import date, datetime

from freezegun import freeze_time
from lxml import etree

from odoo import Command

from .common import SlaCase, berlin
from .contract_common import ContractCase
from .test_sla_credits import CreditCase

EN_DASH = "\u2013"


def arch_of(model, view_xmlid=None, view_type="form"):
    view_id = model.env.ref(view_xmlid).id if view_xmlid else None
    return etree.fromstring(model.get_view(view_id, view_type)["arch"])


class TestSendMenuActions(ContractCase):
    def test_agreement_mail_action_opens_in_the_web_client(self):
        # The Send menu calls the method by RPC: the action must carry "views".
        contract = self.make_contract("fixed_fee")
        action = contract.action_sla_send_agreement()
        self.assertEqual(action["type"], "ir.actions.act_window")
        self.assertEqual(action["views"], [(False, "form")])
        self.assertEqual(action["res_model"], "mail.compose.message")
        contract_action = contract.action_contract_send()
        self.assertTrue(contract_action["views"])


class TestHumanDurationsOnScreens(ContractCase):
    def test_ticket_contract_balance_in_hours_or_money(self):
        arch = arch_of(
            self.env["helpdesk.ticket"], "helpdesk_mgmt.ticket_view_form", "form"
        )
        page = arch.xpath("//page[@name='sla']")[0]
        self.assertFalse(page.xpath(".//field[@widget='float_time']"))
        hours = page.xpath(".//field[@name='contract_bank_remaining_hours']")[0]
        self.assertEqual(hours.get("widget"), "sla_duration")
        self.assertIn("block_hours", hours.get("invisible"))
        self.assertNotIn("block_money", hours.get("invisible"))
        money = page.xpath(".//field[@name='contract_bank_remaining']")[0]
        self.assertEqual(money.get("widget"), "monetary")
        self.assertIn("block_money", money.get("invisible"))
        used = page.xpath(".//field[@name='contract_hours_consumed']")[0]
        self.assertEqual(used.get("widget"), "sla_duration")

    def test_contract_pricing_hours_are_durations(self):
        finance = self.env["contract.contract"].with_user(
            self.env.ref("base.user_admin")
        )
        arch = arch_of(finance, "contract.contract_contract_form_view")
        self.assertFalse(arch.xpath("//field[@widget='float_time']"))
        block = arch.xpath("//field[@name='block_hours']")[0]
        self.assertEqual(block.get("widget"), "sla_duration")

    def test_dashboard_downtime_is_a_duration(self):
        from odoo.tools.misc import file_open

        with file_open(
            "helpdesk_sla_contract/static/src/sla_dashboard/sla_dashboard.xml"
        ) as template:
            text = template.read()
        self.assertNotIn("Down (min)", text)
        self.assertIn("downtime(service.down_minutes)", text)


class TestCreditTexts(CreditCase):
    def test_basis_and_allowed_downtime_read_as_durations(self):
        self.down(datetime(2026, 10, 5, 10, 0), 90)
        credit = self.compute()
        self.assertIn("1 h 30 min counted down", credit.basis)
        self.assertNotIn("90.0 min", credit.basis)
        # 99.9 %: 43.83 min a month, 8.77 h a year.
        self.assertEqual(
            self.hosting._sla_allowed_downtime_text(),
            "44 min / month, 8 h 46 min / year",
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "helpdesk_sla_contract.action_report_sla_agreement", self.contract.ids
            )[0]
            .decode()
        )
        self.assertIn("44 min / month, 8 h 46 min / year", html)

    def test_service_basis_fee_is_the_failing_services_fee(self):
        # A second, healthy service of 500 a month: not in the fee credited.
        self.contract.write(
            {
                "contract_line_ids": [
                    Command.create(
                        {
                            "product_id": self.env.ref(
                                "helpdesk_sla_contract.product_sla_support_services"
                            ).id,
                            "name": "Mail #START# - #END#",
                            "quantity": 1,
                            "price_unit": 500.0,
                            "date_start": self.contract.date_start,
                            "recurring_rule_type": "monthly",
                            "recurring_interval": 1,
                            "recurring_invoicing_type": "post-paid",
                        }
                    )
                ]
            }
        )
        self.env["helpdesk.sla.service"].create(
            {
                "name": "Mail",
                "contract_id": self.contract.id,
                "uptime_target": 99.9,
                "contract_line_id": self.contract.contract_line_ids[1].id,
            }
        )
        self.down(datetime(2026, 10, 5, 10, 0), 120)
        credit = self.compute()
        self.assertEqual(credit.amount, 100.0)
        self.assertEqual(credit.fee, 1000.0)


class TestTimesWithoutSeconds(ContractCase):
    def test_pauses_token_and_sent_dates_without_seconds(self):
        arch = arch_of(self.env["helpdesk.ticket"], "helpdesk_mgmt.ticket_view_form")
        for name in ("date_start", "date_end"):
            field = arch.xpath(
                f"//field[@name='sla_pause_ids']//field[@name='{name}']"
            )[0]
            self.assertIn("show_seconds", field.get("options", ""))
        source = arch_of(self.env["helpdesk.sla.alert.source"])
        self.assertIn(
            "show_seconds",
            source.xpath("//field[@name='token_date']")[0].get("options"),
        )
        report_form = arch_of(self.env["helpdesk.sla.performance.report"])
        self.assertIn(
            "show_seconds",
            report_form.xpath("//field[@name='sent_date']")[0].get("options"),
        )
        self.assertTrue(report_form.xpath("//field[@name='period_label']"))
        self.assertEqual(
            report_form.xpath("//field[@name='period_end']")[0].get("invisible"), "1"
        )

    def test_performance_report_period_reads_inclusive(self):
        contract = self.make_contract("fixed_fee")
        report = self.env["helpdesk.sla.performance.report"].create(
            {
                "contract_id": contract.id,
                "period_kind": "month",
                "period_start": date(2026, 11, 1),
                "period_end": date(2026, 12, 1),
            }
        )
        self.assertEqual(report.period_label, f"1{EN_DASH}30 Nov 2026")


class TestCustomerZone(ContractCase):
    def test_customer_zone_does_not_depend_on_the_viewer(self):
        self.company.partner_id.tz = "Europe/Brussels"
        ticket = self.make_ticket(partner_id=self.acme_contact.id)
        self.assertFalse(ticket.partner_id.tz or ticket.commercial_partner_id.tz)
        self.env.user.tz = "Asia/Tokyo"
        self.assertEqual(ticket._sla_customer_tz(), "Europe/Brussels")
        self.env.user.tz = False
        self.assertEqual(ticket._sla_customer_tz(), "Europe/Brussels")
        # The customer's own zone first.
        self.acme.tz = "America/New_York"
        self.assertEqual(ticket._sla_customer_tz(), "America/New_York")


class TestNoStaleOrDuplicateStates(ContractCase):
    def test_ticket_views(self):
        Ticket = self.env["helpdesk.ticket"]
        form = arch_of(Ticket, "helpdesk_mgmt.ticket_view_form")
        # Header: the countdown plus the other target's state only.
        header = form.xpath("//field[@name='sla_glance']")[0]
        self.assertIn("'other'", header.get("options"))
        # Remaining: labelled, hidden once the resolution clock is done.
        remaining = form.xpath(
            "//page[@name='sla']//field[@name='sla_remaining_hours']"
        )[0]
        self.assertIn("sla_resolved_date", remaining.get("invisible"))
        self.assertEqual(
            Ticket._fields["sla_remaining_hours"].string, "Resolution time remaining"
        )
        # List: stored states hidden by default, distinct short headers.
        tree = arch_of(Ticket, "helpdesk_mgmt.ticket_view_tree", "list")
        labels = []
        for name in ("sla_response_status", "sla_resolution_status"):
            column = tree.xpath(f"//field[@name='{name}']")[0]
            self.assertEqual(column.get("optional"), "hide")
            labels.append(column.get("string"))
        due = tree.xpath("//field[@name='sla_resolution_deadline']")[0]
        labels.append(due.get("string"))
        self.assertEqual(labels, ["Response", "Resolution", "Due"])


class TestPauseOnPolicy(ContractCase):
    def test_ticket_waiting_when_it_gets_a_policy_is_paused(self):
        policies = self.env["helpdesk.sla.policy"].search([])
        policies.active = False
        ticket = self.make_ticket(stage_id=self.stage_awaiting.id)
        self.assertFalse(ticket.sla_policy_id)
        self.assertFalse(ticket.sla_paused)
        policies.active = True
        self.env["helpdesk.ticket"]._sla_rematch_open_tickets([("id", "=", ticket.id)])
        self.assertTrue(ticket.sla_policy_id)
        self.assertIn(self.stage_awaiting, ticket.sla_policy_id.pause_stage_ids)
        self.assertTrue(ticket.sla_paused)
        self.assertEqual(ticket.sla_response_status, "paused")


class TestLayout(ContractCase):
    def test_contract_title_team_card_and_portal_icon(self):
        arch = arch_of(
            self.env["contract.contract"], "contract.contract_contract_form_view"
        )
        name = arch.xpath("//div[contains(@class, 'oe_title')]//field[@name='name']")[0]
        self.assertNotIn("oe_inline", name.get("class", ""))
        team = arch_of(
            self.env["helpdesk.ticket.team"],
            "helpdesk_mgmt.helpdesk_ticket_kanban_view",
            "kanban",
        )
        label = team.xpath("//div[contains(@class, 'o_sla_team_success')]")[0]
        self.assertIn("col-8", label.get("class"))
        home = self.env.ref("helpdesk_sla_contract.portal_my_home_sla").arch
        self.assertIn("/helpdesk_sla_contract/static/src/img/portal_sla.svg", home)


class TestLatenessBeforeTheCheck(SlaCase):
    def test_late_time_known_before_the_sla_check_stores_breached(self):
        # Critical: 15 min response from Mon 10:00 Berlin; seen Tue 10:00
        # before any SLA check: late Mon 10:15-17:00 and Tue 09:00-10:00.
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = self.make_ticket(priority="3")
        self.assertNotEqual(ticket.sla_response_status, "breached")
        with freeze_time(berlin(2026, 11, 24, 10)):
            ticket.invalidate_recordset(["sla_glance"])
            self.assertEqual(
                ticket._sla_countdown(tz="Europe/Berlin"),
                ("breached", "Response 7 h 45 min late"),
            )
