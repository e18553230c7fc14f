# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SLA at a glance (issue #13, points 3, 5, 6 and 7): one priority vocabulary,
a dashboard that counts, business hours inside Helpdesk, a readable contract
form."""

from collections import Counter
from datetime import datetime, time, timedelta

import pytz
from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests.common import new_test_user

from .contract_common import ContractCase
from .test_sla_credits import CreditCase

EN_DASH = "\u2013"


def month_bounds(env):
    """(start, end) of the current month in the user's time zone, as naive
    UTC, as the dashboard counts."""
    first = fields.Date.context_today(env["res.users"]).replace(day=1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    tz = pytz.timezone(env.user.tz or "UTC")
    return tuple(
        tz.localize(datetime.combine(day, time.min))
        .astimezone(pytz.utc)
        .replace(tzinfo=None)
        for day in (first, following)
    )


class TestPriorityVocabulary(ContractCase):
    def test_every_sla_priority_reads_as_on_tickets(self):
        ticket_labels = dict(
            self.env["helpdesk.ticket"]
            ._fields["priority"]
            ._description_selection(self.env)
        )
        self.assertEqual(ticket_labels["3"], "Very High")
        for model in (
            "helpdesk.sla.target",
            "helpdesk.sla.breach",
            "helpdesk.sla.penalty.rule",
            "helpdesk.sla.ticket.report",
        ):
            selection = (
                self.env[model]._fields["priority"]._description_selection(self.env)
            )
            self.assertEqual(dict(selection), ticket_labels, model)
            # Most urgent first, as SLA tables list them.
            self.assertEqual([value for value, _label in selection], list("3210"))
            self.assertEqual(
                self.env[model].fields_get(["priority"])["priority"]["selection"],
                selection,
                model,
            )

    def test_sla_priorities_follow_the_ticket_translations(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        selection = self.env["ir.model.fields.selection"].search(
            [
                ("field_id.model", "=", "helpdesk.ticket"),
                ("field_id.name", "=", "priority"),
                ("value", "=", "3"),
            ]
        )
        selection.with_context(lang="fr_FR").name = "Très haute"
        french = self.env(context=dict(self.env.context, lang="fr_FR"))
        for model in ("helpdesk.sla.target", "helpdesk.sla.breach"):
            labels = dict(
                french[model]._fields["priority"]._description_selection(french)
            )
            self.assertEqual(labels["3"], "Très haute", model)

    def test_agreement_and_report_rows_use_the_ticket_labels(self):
        rows = self.env["helpdesk.sla.target"]._sla_default_definition_rows()
        self.assertEqual(rows[0], ("Very High", "Site down, business stopped."))
        contract = self.make_contract(sla_policy_id=self.policy.id)
        report = self.env["helpdesk.sla.performance.report"]
        now = fields.Datetime.now()
        priorities, _totals = report._sla_priority_rows(
            contract, now - timedelta(days=30), now, Counter(), Counter()
        )
        self.assertEqual(
            [row["label"] for row in priorities],
            ["Very High", "High", "Medium", "Low"],
        )
        target = self.policy.target_ids.filtered(lambda t: t.priority == "3")
        self.assertEqual(target.display_name, "Standard / Very High")


class DashboardCase(ContractCase):
    """Clocks on the 24/7 calendar, relative to now: figures of this month."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.calendar_id = cls.env.ref(
            "helpdesk_sla_contract.resource_calendar_24_7"
        )
        cls.own_agent = new_test_user(
            cls.env,
            login="sla_own_agent",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user_own",
        )
        cls.team.user_ids = [Command.link(cls.own_agent.id)]
        cls.finance = new_test_user(
            cls.env,
            login="dashboard_finance",
            groups="base.group_user,account.group_account_manager,"
            "helpdesk_mgmt.group_helpdesk_user",
        )

    def make_now_ticket(self, hours_ago, user, priority="1", responded=None):
        now = fields.Datetime.now()
        ticket = self.make_ticket(
            sla_start_date=now - timedelta(hours=hours_ago),
            priority=priority,
            user_id=user.id,
        )
        if responded is not None:
            ticket.sla_first_response_date = ticket.sla_start_date + timedelta(
                minutes=responded
            )
        ticket._sla_recompute()
        return ticket

    def make_scenario(self):
        # Respond within 4 h, warn at 75 %: 3.5 h old is at risk.
        at_risk = self.make_now_ticket(3.5, self.own_agent)
        other_at_risk = self.make_now_ticket(3.5, self.agent)
        # Respond within 15 min: late after one hour; answered in 5 min: met.
        late = self.make_now_ticket(1, self.agent, priority="3")
        met = self.make_now_ticket(1, self.own_agent, priority="3", responded=5)
        self.env["helpdesk.sla.breach"].create(
            {
                "ticket_id": late.id,
                "kind": "response",
                "deadline": late.sla_response_deadline,
                "breach_date": fields.Datetime.now(),
                "company_id": self.company.id,
            }
        )
        self.env.flush_all()
        return at_risk, other_at_risk, late, met

    @staticmethod
    def tiles(data):
        return {tile["key"]: tile for tile in data["tiles"]}


class TestSlaDashboard(DashboardCase):
    def test_figures_match_an_independent_count(self):
        at_risk, other_at_risk, late, met = self.make_scenario()
        self.assertEqual(at_risk.sla_response_status, "at_risk")
        self.assertEqual(late.sla_response_status, "breached")
        self.assertEqual(met.sla_response_status, "met")
        start, end = month_bounds(self.env)
        data = self.env["helpdesk.sla.dashboard"].get_dashboard_data()
        tiles = self.tiles(data)
        tickets = self.env["helpdesk.ticket"].search([])
        expected_risk = tickets.filtered(
            lambda t: (
                not t.stage_id.closed
                and "at_risk" in (t.sla_response_status, t.sla_resolution_status)
            )
        )
        self.assertEqual(tiles["at_risk"]["value"], len(expected_risk))
        self.assertGreaterEqual(tiles["at_risk"]["value"], 2)
        breaches = self.env["helpdesk.sla.breach"].search([])
        self.assertEqual(
            tiles["breached"]["value"],
            len(breaches.filtered(lambda b: start <= b.deadline < end)),
        )
        decided = tickets.filtered(
            lambda t: (
                t.sla_response_deadline
                and start <= t.sla_response_deadline < end
                and t.sla_response_status in ("met", "breached")
            )
        )
        met_count = len(decided.filtered(lambda t: t.sla_response_status == "met"))
        tile = tiles["response_compliance"]
        if decided:
            self.assertAlmostEqual(tile["value"], 100.0 * met_count / len(decided))
        else:
            self.assertIsNone(tile["value"])
        self.assertIn(f"{met_count} of {len(decided)}", tile["detail"])
        # Each tile opens the list it counts.
        for key in ("at_risk", "breached", "response_compliance", "credits"):
            action = tiles[key]["action"]
            self.assertEqual(action["type"], "ir.actions.act_window")
            found = self.env[action["res_model"]].search(action["domain"])
            if key == "response_compliance":
                self.assertEqual(len(found), len(decided))
            else:
                self.assertEqual(len(found), tiles[key]["value"], key)

    def test_an_agent_sees_the_figures_of_the_tickets_they_may_read(self):
        at_risk, other_at_risk, late, met = self.make_scenario()
        dashboard = self.env["helpdesk.sla.dashboard"]
        everything = self.tiles(dashboard.get_dashboard_data())
        own = self.tiles(dashboard.with_user(self.own_agent).get_dashboard_data())
        readable = self.env["helpdesk.ticket"].with_user(self.own_agent).search([])
        self.assertIn(at_risk, readable)
        self.assertNotIn(other_at_risk, readable)
        self.assertEqual(
            own["at_risk"]["value"],
            len(
                readable.filtered(
                    lambda t: (
                        not t.stage_id.closed
                        and "at_risk"
                        in (t.sla_response_status, t.sla_resolution_status)
                    )
                )
            ),
        )
        self.assertLess(own["at_risk"]["value"], everything["at_risk"]["value"])
        # The breach of a ticket they may not read is not theirs to count.
        self.assertLess(own["breached"]["value"], everything["breached"]["value"])
        # Credits are finance's: no tile for an agent, one for finance.
        self.assertNotIn("credits", own)
        finance = self.tiles(dashboard.with_user(self.finance).get_dashboard_data())
        self.assertIn("credits", finance)

    def test_uptime_rows_open_the_services_downtime(self):
        contract = self.make_contract()
        service = self.env["helpdesk.sla.service"].create(
            {"name": "Mail relay", "contract_id": contract.id, "uptime_target": 99.5}
        )
        start, _end = month_bounds(self.env)
        self.env["helpdesk.sla.incident"].create(
            {"service_id": service.id, "date_start": start}
        )
        data = self.env["helpdesk.sla.dashboard"].get_dashboard_data()
        row = next(row for row in data["services"] if row["id"] == service.id)
        # Down since the month began, still down: 0 % so far.
        self.assertEqual(row["uptime"], 0.0)
        self.assertFalse(row["met"])
        self.assertEqual(row["action"]["res_model"], "helpdesk.sla.incident")
        self.assertEqual(row["action"]["domain"], [("service_id", "=", service.id)])

    def test_a_client_action_replaces_the_transient_dashboard(self):
        self.assertTrue(self.env["helpdesk.sla.dashboard"]._abstract)
        menu = self.env.ref("helpdesk_sla_contract.helpdesk_sla_dashboard_menu")
        self.assertEqual(menu.action._name, "ir.actions.client")
        self.assertEqual(menu.action.tag, "helpdesk_sla_dashboard")
        self.assertFalse(
            self.env.ref(
                "helpdesk_sla_contract.helpdesk_sla_dashboard_action",
                raise_if_not_found=False,
            )
        )

    def test_team_cards_show_sla_success(self):
        self.make_scenario()
        # late breached, met met both? met's resolution is still running: only
        # the breached ticket is decided so far.
        self.assertEqual(self.team.sla_decided_count, 1)
        self.assertEqual(self.team.sla_success_rate, 0.0)
        resolved = self.make_now_ticket(1, self.agent, priority="3", responded=5)
        resolved.write({"stage_id": self.stage_done.id})
        resolved._sla_recompute()
        self.assertEqual(resolved.sla_resolution_status, "met")
        self.team.invalidate_recordset(["sla_success_rate", "sla_decided_count"])
        self.assertEqual(self.team.sla_decided_count, 2)
        self.assertEqual(self.team.sla_success_rate, 50.0)
        arch = self.env["helpdesk.ticket.team"].get_view(
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_kanban_view").id, "kanban"
        )["arch"]
        self.assertIn("sla_success_rate", arch)

    def test_compliance_list_shows_undecided_targets(self):
        at_risk, _other, late, met = self.make_scenario()
        self.env.flush_all()
        rows = self.env["helpdesk.sla.ticket.report"].search(
            [("ticket_id", "in", (at_risk | late | met).ids)]
        )
        results = {
            row.ticket_id: (row.response_result, row.resolution_result) for row in rows
        }
        self.assertEqual(results[at_risk], ("undecided", "undecided"))
        self.assertEqual(results[late], ("breached", "undecided"))
        self.assertEqual(results[met], ("met", "undecided"))
        arch = etree.fromstring(
            self.env["helpdesk.sla.ticket.report"].get_view(view_type="list")["arch"]
        )
        shown = [node.get("name") for node in arch.iter("field")]
        self.assertIn("response_result", shown)
        self.assertNotIn("response_compliance", shown)


class TestBusinessHoursInHelpdesk(DashboardCase):
    def test_menu_opens_calendars_inside_helpdesk_with_holidays(self):
        menu = self.env.ref("helpdesk_sla_contract.helpdesk_sla_calendar_menu")
        action = menu.action
        self.assertEqual(
            action,
            self.env.ref("helpdesk_sla_contract.action_helpdesk_sla_business_hours"),
        )
        self.assertNotEqual(
            action, self.env.ref("resource.action_resource_calendar_form")
        )
        form_view = action.view_ids.filtered(lambda v: v.view_mode == "form").view_id
        arch = etree.fromstring(
            self.env["resource.calendar"].get_view(form_view.id, "form")["arch"]
        )
        self.assertTrue(arch.xpath("//field[@name='global_leave_ids']"))
        self.assertTrue(
            arch.xpath("//button[@name='action_sla_apply_to_open_tickets']")
        )

    def test_time_zone_change_warns_and_applies_on_demand(self):
        calendar = self.calendar
        self.policy.calendar_id = calendar
        ticket = self.make_now_ticket(1, self.agent, priority="2")
        self.assertEqual(ticket.sla_calendar_id, calendar)
        draft = calendar.new({"tz": "America/New_York"}, origin=calendar)
        warning = draft._onchange_tz_sla_warning()
        self.assertIn("Apply to open tickets", warning["warning"]["message"])
        self.assertIn("1 open tickets", warning["warning"]["message"])
        self.assertIsNone(
            calendar.new(
                {"tz": calendar.tz}, origin=calendar
            )._onchange_tz_sla_warning()
        )
        before = ticket.sla_resolution_deadline
        calendar.tz = "America/New_York"
        self.assertEqual(ticket.sla_resolution_deadline, before, "kept until applied")
        with self.assertRaises(AccessError):
            calendar.with_user(self.agent).action_sla_apply_to_open_tickets()
        calendar.with_user(self.manager).action_sla_apply_to_open_tickets()
        ticket.invalidate_recordset()
        self.assertNotEqual(ticket.sla_resolution_deadline, before)


class TestContractFormForFinance(CreditCase):
    def test_invoices_button_counts_credit_notes(self):
        october = self.invoice(self.contract, self.contract.recurring_next_date)
        october.action_post()
        self.down(datetime(2026, 10, 5, 10, 0), 120)
        credit = self.compute()
        credit.with_user(self.finance).action_approve()
        credit.with_user(self.finance).action_apply_credit_note()
        refund = credit.move_id
        self.assertEqual(refund.move_type, "out_refund")
        self.contract.invalidate_recordset(["invoice_count"])
        self.assertEqual(self.contract.invoice_count, 2)
        action = self.contract.action_show_invoices()
        self.assertEqual(
            self.env["account.move"].search(action["domain"]), october | refund
        )

    def test_credit_form_shows_fee_basis_and_period(self):
        self.down(datetime(2026, 10, 5, 10, 0), 120)
        credit = self.compute()
        self.assertEqual(credit.period_label, f"1{EN_DASH}31 Oct 2026")
        self.assertEqual(credit.fee_basis, "service")
        self.rule.fee_basis = "contract"
        self.assertEqual(credit.fee_basis, "contract")
        arch = etree.fromstring(
            self.env["helpdesk.sla.credit"].get_view(view_type="form")["arch"]
        )
        self.assertTrue(arch.xpath("//field[@name='period_label']"))
        self.assertTrue(arch.xpath("//field[@name='fee_basis']"))

    def test_pricing_tab_shows_the_chosen_models_fields_only(self):
        arch = etree.fromstring(
            self.env["contract.contract"]
            .with_user(self.finance)
            .get_view(self.env.ref("contract.contract_contract_form_view").id, "form")[
                "arch"
            ]
        )
        page = arch.xpath("//page[@name='sla_pricing_page']")
        self.assertTrue(page)
        self.assertTrue(page[0].xpath(".//field[@name='pricing_model']"))
        self.assertTrue(page[0].xpath(".//field[@name='block_hours']"))
        bank = arch.xpath("//group[@name='sla_bank']")[0]
        self.assertIn("block_hours", bank.get("invisible"))
        # One Send menu; the SLA agreement printed from the header.
        self.assertTrue(arch.xpath("//header/widget[@name='sla_contract_send_menu']"))
        self.assertFalse(
            arch.xpath("//header/button[@name='action_sla_send_agreement']")
        )
        helpdesk_arch = etree.fromstring(
            self.env["contract.contract"].get_view(
                self.env.ref(
                    "helpdesk_sla_contract.contract_contract_view_form_helpdesk"
                ).id,
                "form",
            )["arch"]
        )
        self.assertTrue(
            helpdesk_arch.xpath("//header/button[@name='action_print_sla_agreement']")
        )
