# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Review: what customers (portal) and other internal users see of the SLA."""

from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .test_sla_portal_contracts import PortalCustomersCase

SLA_MODELS = (
    "helpdesk.sla.policy",
    "helpdesk.sla.target",
    "helpdesk.sla.breach",
    "helpdesk.sla.pause",
    "helpdesk.sla.credit",
    "helpdesk.sla.incident",
    "helpdesk.sla.service",
    "helpdesk.sla.maintenance",
    "helpdesk.sla.penalty.rule",
    "helpdesk.sla.penalty.scheme",
    "helpdesk.sla.hour.block",
    "helpdesk.sla.usage",
    "helpdesk.sla.ticket.report",
    "helpdesk.sla.escalation.contact",
)


@tagged("post_install", "-at_install")
class TestSlaReviewPortal(PortalCustomersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        urgent = {"priority": "1"}
        (
            cls.alpha,
            cls.user_a,
            cls.contract_a,
            cls.service_a,
            cls.ticket_a,
            cls.report_a,
        ) = cls.make_customer("Alpha", "rv_portal_alpha", ticket_values=urgent)
        (
            cls.beta,
            cls.user_b,
            cls.contract_b,
            cls.service_b,
            cls.ticket_b,
            cls.report_b,
        ) = cls.make_customer("Beta", "rv_portal_beta", ticket_values=urgent)
        # A contact of Alpha's service site.
        cls.site_a = cls.env["res.partner"].create(
            {
                "name": "Alpha depot",
                "parent_id": cls.alpha.id,
                "type": "other",
                "is_service_site": True,
            }
        )
        cls.user_site = new_test_user(
            cls.env, login="rv_portal_site", groups="base.group_portal"
        )
        cls.user_site.partner_id.parent_id = cls.site_a
        # Beta's SLA history: downtime, maintenance, a breach, credits.
        cls.incident_b = cls.env["helpdesk.sla.incident"].create(
            {
                "service_id": cls.service_b.id,
                "date_start": datetime(2026, 10, 3, 8),
                "date_end": datetime(2026, 10, 3, 10),
            }
        )
        cls.internal = new_test_user(
            cls.env, login="rv_internal", groups="base.group_user"
        )

    def _rpc_probe(self, user):
        """Models of SLA data the user reads by RPC (should be none)."""
        leaks = []
        for model in SLA_MODELS:
            Model = self.env[model].with_user(user)
            try:
                found = Model.search([])
                found.read(["display_name"])
            except AccessError:
                continue  # no access at all: nothing leaks
            if found:
                leaks.append((model, len(found)))
        return leaks

    def test_portal_rpc_reads_no_sla_model(self):
        self.assertEqual(self._rpc_probe(self.user_a), [])

    def test_internal_user_reads_no_sla_model(self):
        self.assertEqual(self._rpc_probe(self.internal), [])

    def test_portal_report_routes_of_other_customer(self):
        self.authenticate("rv_portal_alpha", "rv_portal_alpha")
        for url in (
            "/report/pdf/helpdesk_sla_contract.report_sla_performance/"
            f"{self.report_b.id}",
            "/report/html/helpdesk_sla_contract.report_sla_performance/"
            f"{self.report_b.id}",
            "/report/pdf/helpdesk_sla_contract.report_sla_agreement/"
            f"{self.contract_b.id}",
            "/report/html/helpdesk_sla_contract.report_sla_agreement/"
            f"{self.contract_b.id}",
        ):
            with mute_logger("odoo.http", "odoo.addons.web.controllers.report"):
                response = self.url_open(url)
            self.assertNotIn(b"Beta", response.content, url)

    def test_site_contact_sees_company_sla(self):
        self.authenticate("rv_portal_site", "rv_portal_site")
        listing = self.url_open("/my/sla")
        self.assertIn("Alpha managed services", listing.text)
        for url in (
            f"/my/sla/contract/{self.contract_a.id}",
            f"/my/sla/contract/{self.contract_a.id}/agreement",
            f"/my/sla/reports/{self.report_a.id}",
        ):
            self.assertEqual(self.url_open(url).status_code, 200, url)

    def test_agents_read_reports_of_contracts_they_read(self):
        """An agent limited to their own (or their teams') tickets reads the
        performance reports of the contracts they may read, not the others
        (customer and contract names, periods)."""
        team = self.env["helpdesk.ticket.team"].create({"name": "RV Alpha desk"})
        own = new_test_user(
            self.env,
            login="rv_agent_own",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user_own",
        )
        team_agent = new_test_user(
            self.env,
            login="rv_agent_team",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user_team",
        )
        team.user_ids = team_agent
        self.ticket_a.write({"user_id": own.id, "team_id": team.id})
        Report = self.env["helpdesk.sla.performance.report"]
        reports = self.report_a | self.report_b
        for agent in (own, team_agent):
            with self.subTest(agent=agent.login):
                self.assertEqual(
                    self.env["contract.contract"]
                    .with_user(agent)
                    .search([("id", "in", (self.contract_a | self.contract_b).ids)]),
                    self.contract_a,
                )
                self.assertEqual(
                    Report.with_user(agent).search([("id", "in", reports.ids)]),
                    self.report_a,
                )
                with self.assertRaises(AccessError):
                    self.report_b.with_user(agent).read(["name", "partner_id"])
        # Finance reads every contract, so every report, agent or not.
        own.groups_id = [Command.link(self.env.ref("account.group_account_invoice").id)]
        self.assertEqual(
            Report.with_user(own).search([("id", "in", reports.ids)]), reports
        )

    def test_own_agent_report_route_of_unseen_contract(self):
        new_test_user(
            self.env,
            login="rv_agent_own2",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user_own",
        )
        self.authenticate("rv_agent_own2", "rv_agent_own2")
        with mute_logger("odoo.http", "odoo.addons.web.controllers.report"):
            response = self.url_open(
                "/report/html/helpdesk_sla_contract.report_sla_performance/"
                f"{self.report_b.id}"
            )
        self.assertNotIn(b"Beta", response.content)

    def test_portal_reads_own_ticket_sla_fields(self):
        ticket = self.ticket_a.with_user(self.user_a)
        ticket.read(
            [
                "sla_response_deadline",
                "sla_resolution_deadline",
                "sla_response_status",
                "sla_resolution_status",
                "contract_id",
            ]
        )
        self.report_a.with_user(self.user_a).read(["name", "period_label"])

    def test_oca_contract_portal_for_follower(self):
        self.contract_a.message_subscribe(partner_ids=self.user_a.partner_id.ids)
        self.authenticate("rv_portal_alpha", "rv_portal_alpha")
        self.assertEqual(self.url_open("/my/contracts").status_code, 200)
        page = self.url_open(f"/my/contracts/{self.contract_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Alpha managed services", page.text)

    def test_multi_company_agent(self):
        company2 = self.env["res.company"].create({"name": "Other MSP"})
        contract2 = self.env["contract.contract"].create(
            {
                "name": "Gamma hosting",
                "partner_id": self.beta.id,
                "contract_type": "sale",
                "pricing_model": "hourly",
                "hourly_rate": 90,
                "company_id": company2.id,
                "date_start": date(2026, 1, 1),
            }
        )
        service2 = self.env["helpdesk.sla.service"].create(
            {"name": "Gamma web", "contract_id": contract2.id}
        )
        self.env["helpdesk.sla.incident"].create(
            {
                "service_id": service2.id,
                "date_start": datetime(2026, 10, 3, 8),
                "date_end": datetime(2026, 10, 3, 10),
            }
        )
        report2 = self.env["helpdesk.sla.performance.report"]._sla_get_or_create(
            contract2, date(2026, 10, 1), "month"
        )
        manager = new_test_user(
            self.env,
            login="rv_mc_manager",
            groups="base.group_user,helpdesk_sla_contract.group_sla_manager,"
            "account.group_account_manager",
        )
        self.assertNotIn(company2, manager.company_ids)
        for model, record in (
            ("contract.contract", contract2),
            ("helpdesk.sla.service", service2),
            ("helpdesk.sla.incident", service2.incident_ids),
            ("helpdesk.sla.performance.report", report2),
        ):
            self.assertFalse(
                self.env[model].with_user(manager).search([("id", "in", record.ids)]),
                model,
            )

    def _form_spec(self, model, user):
        from lxml import etree

        Model = self.env[model].with_user(user)
        views = Model.get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        fields_info = views["models"][model]["fields"]
        spec = {}
        for node in arch.iter("field"):
            if any(a.tag == "field" for a in node.iterancestors()):
                continue
            name = node.get("name")
            ftype = fields_info.get(name, {}).get("type")
            if ftype == "many2one":
                spec[name] = {"fields": {"display_name": {}}}
            elif ftype in ("one2many", "many2many"):
                spec[name] = {"fields": {"display_name": {}}}
            else:
                spec[name] = {}
        return spec

    def test_internal_follower_opens_ticket_form(self):
        """An employee without helpdesk rights opens a ticket they follow
        (helpdesk_mgmt lets them read it) from its notification link."""
        ticket = self.ticket_a
        ticket.message_subscribe(partner_ids=self.internal.partner_id.ids)
        spec = self._form_spec("helpdesk.ticket", self.internal)
        ticket.with_user(self.internal).web_read(spec)

    def test_agent_following_a_ticket_reads_its_breaches_and_pauses(self):
        """helpdesk_mgmt lets an agent read the tickets they follow (or report):
        their breaches and pauses are shown with them, as for their own."""
        agent = new_test_user(
            self.env,
            login="rv_agent_follower",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user_own",
        )
        ticket = self.ticket_b
        breach = self.env["helpdesk.sla.breach"].create(
            {
                "ticket_id": ticket.id,
                "kind": "response",
                "deadline": datetime(2026, 10, 5, 10),
                "breach_date": datetime(2026, 10, 5, 10),
                "company_id": ticket.company_id.id,
            }
        )
        pause = self.env["helpdesk.sla.pause"].create(
            {
                "ticket_id": ticket.id,
                "date_start": datetime(2026, 10, 5, 11),
                "date_end": datetime(2026, 10, 5, 12),
            }
        )
        Breach = self.env["helpdesk.sla.breach"].with_user(agent)
        Pause = self.env["helpdesk.sla.pause"].with_user(agent)
        self.assertFalse(Breach.search([("id", "=", breach.id)]))
        ticket.message_subscribe(partner_ids=agent.partner_id.ids)
        self.assertTrue(
            self.env["helpdesk.ticket"]
            .with_user(agent)
            .search([("id", "=", ticket.id)])
        )
        self.assertEqual(ticket.with_user(agent).sla_breach_ids, breach)
        self.assertEqual(Breach.search([("id", "=", breach.id)]), breach)
        self.assertEqual(Pause.search([("id", "=", pause.id)]), pause)

    def test_agent_following_a_ticket_finds_it_in_the_compliance_analysis(self):
        """The SLA compliance analysis is restricted like the tickets: a
        ticket an agent reads because they follow it is in their analysis."""
        agent = new_test_user(
            self.env,
            login="rv_agent_follower2",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user_own",
        )
        ticket = self.ticket_b
        Analysis = self.env["helpdesk.sla.ticket.report"].with_user(agent)
        self.assertTrue(
            self.env["helpdesk.sla.ticket.report"].search(
                [("ticket_id", "=", ticket.id)]
            )
        )
        self.assertFalse(Analysis.search([("ticket_id", "=", ticket.id)]))
        ticket.message_subscribe(partner_ids=agent.partner_id.ids)
        self.env.flush_all()
        self.assertTrue(
            self.env["helpdesk.ticket"]
            .with_user(agent)
            .search([("id", "=", ticket.id)])
        )
        self.assertTrue(Analysis.search([("ticket_id", "=", ticket.id)]))
