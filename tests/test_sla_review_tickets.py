# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import new_test_user

from .common import berlin
from .contract_common import ContractCase


class TestSlaReviewTickets(ContractCase):
    """Tickets' SLA data as agents of each helpdesk group, SLA managers and
    customers reach it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_team = cls.env["helpdesk.ticket.team"].create({"name": "Other team"})
        cls.own_agent = new_test_user(
            cls.env,
            login="sla_review_own",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user_own",
        )
        cls.team_agent = new_test_user(
            cls.env,
            login="sla_review_team",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user_team",
        )
        cls.team.user_ids = [Command.link(cls.team_agent.id)]
        cls.portal = new_test_user(
            cls.env,
            login="sla_review_portal",
            groups="base.group_portal",
            partner_id=cls.contact.id,
        )
        with freeze_time(berlin(2026, 11, 23, 9)):
            cls.mine = cls.make_ticket(cls, user_id=cls.own_agent.id)
            cls.theirs = cls.make_ticket(
                cls, team_id=cls.other_team.id, user_id=cls.agent.id
            )
        with freeze_time(berlin(2026, 11, 23, 14)):
            cls.env["helpdesk.ticket"]._cron_check_sla()
            (cls.mine | cls.theirs).stage_id = cls.stage_awaiting

    def test_agents_see_the_breaches_and_pauses_of_their_tickets_only(self):
        for model in ("helpdesk.sla.breach", "helpdesk.sla.pause"):
            self.assertEqual(
                self.env[model].search([("ticket_id", "=", self.theirs.id)]).ticket_id,
                self.theirs,
            )
            for user, visible in (
                (self.own_agent, self.mine),
                (self.team_agent, self.mine),
                (self.agent, self.mine | self.theirs),
            ):
                records = self.env[model].with_user(user).search([])
                self.assertEqual(
                    records.ticket_id & (self.mine | self.theirs), visible, model
                )
            hidden = self.env[model].search([("ticket_id", "=", self.theirs.id)])
            with self.assertRaises(AccessError):
                hidden.with_user(self.own_agent).read(["ticket_id"])
        self.assertEqual(len(self.mine.with_user(self.own_agent).sla_breach_ids), 1)

    def test_customers_cannot_mark_their_ticket_responded(self):
        """Portal users read their tickets; they do not answer them."""
        follower = new_test_user(
            self.env, login="sla_review_follower", groups="base.group_user"
        )
        with freeze_time(berlin(2026, 11, 24, 9)):
            ticket = self.make_ticket(user_id=self.own_agent.id)
            ticket.message_subscribe(partner_ids=follower.partner_id.ids)
            for user in (self.portal, follower):
                ticket.with_user(user).check_access("read")
                with self.assertRaises(AccessError):
                    ticket.with_user(user).action_sla_mark_responded()
            self.assertFalse(ticket.sla_first_response_date)
            ticket.with_user(self.own_agent).action_sla_mark_responded()
            self.assertEqual(ticket.sla_first_response_date, berlin(2026, 11, 24, 9))

    def test_contract_and_site_of_another_customer_refused(self):
        contract = self.make_contract(sla_policy_id=self.policy.id)
        with freeze_time(berlin(2026, 11, 24, 9)):
            ticket = self.make_ticket()
            acme_ticket = self.make_ticket(partner_id=self.acme_contact.id)
        self.assertEqual(acme_ticket.contract_id, contract)
        self.assertFalse(ticket.contract_id)
        with self.assertRaises(ValidationError):
            ticket.with_user(self.agent).contract_id = contract
        with self.assertRaises(ValidationError):
            ticket.with_user(self.agent).site_id = self.site_hq
        acme_ticket.with_user(self.agent).site_id = self.site_depot
        self.assertEqual(acme_ticket.site_id, self.site_depot)
        other = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.make_contract(company_id=other.id, name="Other company's")
        with self.assertRaises(ValidationError):
            acme_ticket.with_user(self.agent).contract_id = foreign

    def test_policy_of_another_company_refused(self):
        company_b = self.env["res.company"].create({"name": "Company B"})
        policy_b = self._other_company_policy(company_b)
        self.manager.company_ids = [Command.link(company_b.id)]
        ticket = self.make_ticket()
        with self.assertRaises(ValidationError):
            ticket.with_user(self.manager).sla_policy_id = policy_b
        self.assertEqual(ticket.sla_policy_id, self.policy)

    def _other_company_policy(self, company):
        return self.env["helpdesk.sla.policy"].create(
            {
                "name": "B only",
                "company_id": company.id,
                "calendar_id": self.calendar.id,
                "target_ids": [
                    Command.create(
                        {"priority": "1", "response_hours": 1, "resolution_hours": 2}
                    )
                ],
            }
        )

    def _site_contracts(self):
        """ACME's contract for every site, then one listing its HQ only."""
        every_site = self.make_contract(name="Every site", sla_policy_id=self.policy.id)
        hq_only = self.make_contract(
            name="HQ only",
            sla_policy_id=self.policy.id,
            site_ids=[Command.set(self.site_hq.ids)],
        )
        return every_site, hq_only

    def test_archived_site_stays_its_contracts(self):
        """A contract listing only an archived site does not cover every site."""
        every_site, hq_only = self._site_contracts()
        depot_contact = self.env["res.partner"].create(
            {"name": "Dan Depot", "parent_id": self.site_depot.id}
        )
        with freeze_time(berlin(2026, 11, 24, 9)):
            self.assertEqual(
                self.make_ticket(partner_id=self.site_hq.id).contract_id, hq_only
            )
            self.site_hq.action_archive()
            ticket = self.make_ticket(partner_id=self.site_depot.id)
            self.assertEqual(ticket.contract_id, every_site)
            ticket = self.make_ticket(partner_id=depot_contact.id)
            self.assertEqual(ticket.contract_id, every_site)
        self.assertEqual(hq_only.with_context(active_test=False).site_ids, self.site_hq)

    def test_site_in_use_is_not_deleted(self):
        """Deleting the site a contract lists would make it cover every site."""
        __, hq_only = self._site_contracts()
        with self.assertRaises(UserError):
            self.site_hq.unlink()
        self.assertEqual(hq_only.site_ids, self.site_hq)
        with freeze_time(berlin(2026, 11, 24, 9)):
            ticket = self.make_ticket(partner_id=self.site_depot.id)
        self.assertNotEqual(ticket.contract_id, hq_only)
        with self.assertRaises(UserError):
            self.site_depot.unlink()
        self.assertEqual(ticket.site_id, self.site_depot)
        unused = self.env["res.partner"].create(
            {"name": "ACME Annex", "parent_id": self.acme.id, "is_service_site": True}
        )
        unused.unlink()

    def test_agents_do_not_write_the_event_dates(self):
        """The first response and resolution come from replies, "Mark as
        responded" and closed stages: an agent does not backdate them."""
        ticket = self.mine.with_user(self.own_agent)
        for fname in ("sla_first_response_date", "sla_resolved_date"):
            with self.assertRaises(AccessError):
                ticket.write({fname: berlin(2026, 11, 23, 9, 5)})
            with self.assertRaises(AccessError):
                ticket.create(
                    {
                        "name": "Answered already",
                        "description": "x",
                        fname: berlin(2026, 11, 23, 9, 5),
                    }
                )
        self.assertFalse(ticket.sla_first_response_date or ticket.sla_resolved_date)
        with freeze_time(berlin(2026, 11, 24, 9)):
            ticket.stage_id = self.stage_done
        self.assertEqual(ticket.sla_resolved_date, berlin(2026, 11, 24, 9))
        self.assertEqual(ticket.sla_first_response_date, berlin(2026, 11, 24, 9))
        with freeze_time(berlin(2026, 11, 24, 10)):
            ticket.stage_id = self.stage_progress
        self.assertFalse(ticket.sla_resolved_date)
        ticket.with_user(self.manager).sla_first_response_date = berlin(
            2026, 11, 23, 16
        )
        self.assertEqual(self.mine.sla_response_status, "breached")

    def test_agents_do_not_silence_warnings_or_pin_the_policy(self):
        """The warning flags are the SLA check's, the hand-set policy an SLA
        manager's: an agent setting them over RPC would silence a warning or
        keep a policy the conditions no longer give."""
        ticket = self.mine.with_user(self.own_agent)
        for fname in (
            "sla_response_warned",
            "sla_resolution_warned",
            "sla_policy_manual",
        ):
            with self.assertRaises(AccessError):
                ticket.write({fname: True})
            with self.assertRaises(AccessError):
                ticket.create({"name": "Quiet", "description": "x", fname: True})
        # Forms send the empty flags back; a priority change re-arms the
        # warnings, whoever makes it.
        self.mine.sudo().sla_response_warned = True
        ticket.write({"priority": "2", "sla_policy_manual": False})
        self.assertFalse(self.mine.sla_response_warned)
        created = ticket.create(
            {"name": "Form", "description": "x", "sla_response_warned": False}
        )
        self.assertFalse(created.sla_policy_manual)
        self.mine.with_user(self.manager).sla_resolution_warned = True
        self.assertTrue(self.mine.sla_resolution_warned)

    def test_policy_named_by_a_contract_site_or_company_is_not_deleted(self):
        """Deleting it would silently leave them without SLA."""
        policies = self.env["helpdesk.sla.policy"]
        for name in ("Contract's", "Site's", "Default"):
            policies |= self._other_company_policy(self.company).copy({"name": name})
        contract_policy, site_policy, default_policy = policies
        contract = self.make_contract(sla_policy_id=contract_policy.id)
        self.site_hq.sla_policy_id = site_policy
        self.company.sla_default_policy_id = default_policy
        for policy in policies:
            with self.assertRaises(UserError):
                policy.with_user(self.manager).unlink()
        self.assertEqual(contract.sla_policy_id, contract_policy)
        self.assertEqual(self.site_hq.sla_policy_id, site_policy)
        self.assertEqual(self.company.sla_default_policy_id, default_policy)
        self.company.sla_default_policy_id = False
        default_policy.with_user(self.manager).unlink()

    def test_policy_of_an_archived_team_covers_no_other_team(self):
        """A policy for one team does not cover every team once that team is
        archived, nor once its tag is; what it names is not deleted."""
        vip_team = self.env["helpdesk.ticket.team"].create({"name": "VIP desk"})
        tag = self.env["helpdesk.ticket.tag"].create({"name": "VIP"})
        vip = self._other_company_policy(self.company).copy(
            {"name": "VIP", "sequence": 1, "team_ids": [Command.set(vip_team.ids)]}
        )
        tagged = vip.copy(
            {"name": "Tagged", "team_ids": False, "tag_ids": [Command.set(tag.ids)]}
        )
        with freeze_time(berlin(2026, 11, 24, 9)):
            self.assertEqual(self.make_ticket(team_id=vip_team.id).sla_policy_id, vip)
            self.assertEqual(
                self.make_ticket(tag_ids=[Command.set(tag.ids)]).sla_policy_id, tagged
            )
            for record in (vip_team, tag):
                with self.assertRaises(UserError):
                    record.unlink()
                record.action_archive()
            self.assertEqual(self.make_ticket().sla_policy_id, self.policy)
        self.assertEqual(vip.with_context(active_test=False).team_ids, vip_team)

    def test_default_policy_of_another_company_not_applied(self):
        company_b = self.env["res.company"].create({"name": "Company B"})
        self.company.sla_default_policy_id = self._other_company_policy(company_b)
        self.policy.active = False
        with freeze_time(berlin(2026, 11, 24, 9)):
            ticket = self.make_ticket()
        self.assertFalse(ticket.sla_policy_id)
        self.assertFalse(ticket.sla_response_deadline)

    def test_only_sla_managers_apply_the_sla_to_open_tickets(self):
        """The buttons are SLA managers'; their methods too (RPC)."""
        contract = self.make_contract(sla_policy_id=self.policy.id)
        with freeze_time(berlin(2026, 11, 24, 9)):
            ticket = self.make_ticket(partner_id=self.site_hq.id)
        self.policy.target_ids.filtered(lambda t: t.priority == "1").write(
            {"response_hours": 1, "resolution_hours": 2}
        )
        actions = (
            (self.policy, "action_apply_to_open_tickets"),
            (contract, "action_sla_apply_to_open_tickets"),
            (self.site_hq, "action_sla_apply_to_open_tickets"),
        )
        for record, method in actions:
            for user in (self.agent, self.own_agent):
                with self.assertRaises(AccessError):
                    getattr(record.with_user(user), method)()
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 24, 13))
        with freeze_time(berlin(2026, 11, 24, 10)):
            for record, method in actions:
                getattr(record.with_user(self.manager), method)()
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 24, 10))
