# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests.common import new_test_user

from .contract_common import FEB, JAN, ContractCase


class TestContractSlaAssignment(ContractCase):
    """Which SLA applies: manual > site > contract (most specific) > conditions >
    company default; the calendar follows the same order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        policy_model = cls.env["helpdesk.sla.policy"]
        cls.calendar_24_7 = cls.env.ref("helpdesk_sla_contract.resource_calendar_24_7")

        def policy(name, calendar=None):
            return policy_model.create(
                {
                    "name": name,
                    "sequence": 50,
                    "calendar_id": (calendar or cls.calendar).id,
                    "partner_ids": [
                        Command.set(
                            cls.env["res.partner"]
                            .create({"name": f"nobody {name}", "is_company": True})
                            .ids
                        )
                    ],
                    "target_ids": [
                        Command.create(
                            {
                                "priority": "1",
                                "response_hours": 2,
                                "resolution_hours": 8,
                            }
                        )
                    ],
                }
            )

        cls.gold = policy("Gold")
        cls.platinum = policy("Platinum")
        cls.site_policy = policy("Site policy")
        cls.default_policy = policy("Company default")
        cls.start = datetime(2026, 1, 5, 9, 0)  # a Monday, 10:00 in Berlin

    def test_conditions_then_company_default(self):
        ticket = self.make_contract_ticket()
        self.assertFalse(ticket.contract_id)
        self.assertTrue(ticket.sla_no_contract)
        self.assertEqual(ticket.sla_policy_id, self.policy)
        self.assertIn(
            ticket,
            self.env["helpdesk.ticket"].search([("sla_no_contract", "=", True)]),
        )
        self.policy.active = False
        self.company.sla_default_policy_id = self.default_policy
        ticket = self.make_contract_ticket()
        self.assertEqual(ticket.sla_policy_id, self.default_policy)

    def test_contract_policy_beats_conditions(self):
        contract = self.make_contract(sla_policy_id=self.gold.id)
        ticket = self.make_contract_ticket()
        self.assertEqual(ticket.contract_id, contract)
        self.assertFalse(ticket.sla_no_contract)
        self.assertEqual(ticket.sla_policy_id, self.gold)
        self.assertEqual(ticket.sla_calendar_id, self.calendar)

    def test_most_specific_contract_then_site_policy(self):
        everywhere = self.make_contract(sla_policy_id=self.gold.id)
        hq_only = self.make_contract(
            sla_policy_id=self.platinum.id, site_ids=[Command.set(self.site_hq.ids)]
        )
        from_hq = self.make_contract_ticket(partner=self.site_hq)
        self.assertEqual(from_hq.site_id, self.site_hq)
        self.assertEqual(from_hq.contract_id, hq_only)
        self.assertEqual(from_hq.sla_policy_id, self.platinum)
        from_depot = self.make_contract_ticket(partner=self.site_depot)
        self.assertEqual(from_depot.contract_id, everywhere)
        self.assertEqual(from_depot.sla_policy_id, self.gold)
        # A site's own policy comes first.
        self.site_hq.sla_policy_id = self.site_policy
        from_hq_again = self.make_contract_ticket(partner=self.site_hq)
        self.assertEqual(from_hq_again.contract_id, hq_only)
        self.assertEqual(from_hq_again.sla_policy_id, self.site_policy)

    def test_contract_with_an_sla_beats_a_more_specific_one_without(self):
        support = self.make_contract(sla_policy_id=self.gold.id)
        self.make_contract(
            "remote_monitoring",
            device_price=5,
            site_ids=[Command.set(self.site_hq.ids)],
        )
        ticket = self.make_contract_ticket(partner=self.site_hq)
        self.assertEqual(ticket.contract_id, support)
        self.assertEqual(ticket.sla_policy_id, self.gold)

    def test_manual_policy_wins(self):
        self.make_contract(sla_policy_id=self.gold.id)
        self.site_hq.sla_policy_id = self.site_policy
        ticket = self.make_contract_ticket(partner=self.site_hq)
        ticket.with_user(self.manager).sla_policy_id = self.platinum
        ticket.partner_id = self.site_depot
        self.assertEqual(ticket.sla_policy_id, self.platinum)
        self.assertTrue(ticket.sla_policy_manual)

    def test_contract_valid_on_the_clock_start(self):
        february_on = self.make_contract(sla_policy_id=self.gold.id, date_start=FEB)
        before = self.make_contract_ticket(start=datetime(2026, 1, 20, 9, 0))
        self.assertFalse(before.contract_id)
        self.assertEqual(before.sla_policy_id, self.policy)
        after = self.make_contract_ticket(start=datetime(2026, 2, 5, 9, 0))
        self.assertEqual(after.contract_id, february_on)
        ended = self.make_contract(
            sla_policy_id=self.platinum.id,
            date_start=date(2025, 1, 1),
            date_end=date(2025, 12, 31),
        )
        self.assertFalse(
            self.make_contract_ticket(start=datetime(2026, 1, 2, 9, 0)).contract_id
        )
        self.assertEqual(
            self.make_contract_ticket(start=datetime(2025, 6, 2, 9, 0)).contract_id,
            ended,
        )

    def test_calendar_follows_site_then_contract(self):
        self.make_contract(
            sla_policy_id=self.gold.id, sla_calendar_id=self.calendar_24_7.id
        )
        # Friday 2026-01-09 16:00 Berlin: 2 h response on business hours is on
        # Monday; on the contract's 24/7 support hours it is at 18:00.
        start = datetime(2026, 1, 9, 15, 0)
        ticket = self.make_contract_ticket(start=start)
        self.assertEqual(ticket.sla_calendar_id, self.calendar_24_7)
        self.assertEqual(ticket.sla_response_deadline, datetime(2026, 1, 9, 17, 0))
        self.site_depot.sla_calendar_id = self.calendar
        from_depot = self.make_contract_ticket(partner=self.site_depot, start=start)
        self.assertEqual(from_depot.sla_calendar_id, self.calendar)
        self.assertEqual(from_depot.sla_response_deadline, datetime(2026, 1, 12, 9, 0))

    def test_apply_new_policy_to_open_tickets_keeps_consumed_time(self):
        contract = self.make_contract(sla_policy_id=self.gold.id)
        open_ticket = self.make_contract_ticket(start=self.start)
        closed_ticket = self.make_contract_ticket(start=self.start)
        closed_ticket.stage_id = self.stage_done
        self.platinum.target_ids.write({"response_hours": 4, "resolution_hours": 16})
        contract.sla_policy_id = self.platinum
        self.assertEqual(open_ticket.sla_policy_id, self.gold, "only on request")
        contract.action_sla_apply_to_open_tickets()
        self.assertEqual(open_ticket.sla_policy_id, self.platinum)
        self.assertEqual(closed_ticket.sla_policy_id, self.gold)
        # Deadlines from the original clock start: 4 business hours after
        # Monday 10:00 Berlin.
        self.assertEqual(open_ticket.sla_start_date, self.start)
        self.assertEqual(open_ticket.sla_response_deadline, datetime(2026, 1, 5, 13, 0))

    def test_new_contract_takes_uncovered_open_tickets_on_request(self):
        ticket = self.make_contract_ticket(start=self.start)
        self.assertTrue(ticket.sla_no_contract)
        contract = self.make_contract(sla_policy_id=self.gold.id)
        self.assertFalse(ticket.contract_id, "only on request")
        contract.action_sla_apply_to_open_tickets()
        self.assertEqual(ticket.contract_id, contract)
        self.assertEqual(ticket.sla_policy_id, self.gold)
        self.assertFalse(ticket.sla_no_contract)

    def test_apply_site_policy_to_open_tickets(self):
        ticket = self.make_contract_ticket(partner=self.site_hq)
        self.assertEqual(ticket.sla_policy_id, self.policy)
        self.site_hq.sla_policy_id = self.site_policy
        self.site_hq.action_sla_apply_to_open_tickets()
        self.assertEqual(ticket.sla_policy_id, self.site_policy)

    def test_other_company_contract_is_ignored(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        self.make_contract(sla_policy_id=self.gold.id, company_id=other.id)
        ticket = self.make_contract_ticket()
        self.assertFalse(ticket.contract_id)


class TestContractValidation(ContractCase):
    def test_bad_pricing_values(self):
        with self.assertRaisesRegex(ValidationError, "more than 0 hours"):
            self.make_contract("block_hours", block_hours=0, block_price=100)
        with self.assertRaisesRegex(ValidationError, "prepaid amount"):
            self.make_contract("block_money", block_amount=-5, hourly_rate=100)
        with self.assertRaisesRegex(ValidationError, "negative"):
            self.make_contract("hourly", hourly_rate=-1)
        with self.assertRaisesRegex(ValidationError, "negative"):
            self.make_contract("remote_monitoring", device_price=-3)

    def test_site_must_be_the_customers(self):
        other = self.env["res.partner"].create({"name": "Other", "is_company": True})
        foreign_site = self.env["res.partner"].create(
            {"name": "Other site", "parent_id": other.id, "is_service_site": True}
        )
        with self.assertRaisesRegex(ValidationError, "not a service site"):
            self.make_contract(site_ids=[Command.set(foreign_site.ids)])
        with self.assertRaisesRegex(ValidationError, "address of a customer"):
            self.env["res.partner"].create({"name": "Lonely", "is_service_site": True})

    def test_contract_cannot_end_before_it_starts(self):
        contract = self.make_contract()
        with self.assertRaisesRegex(ValidationError, "before it starts"):
            contract.date_end = date(2025, 12, 1)

    def test_overlapping_contracts_get_a_warning(self):
        first = self.make_contract("hourly", hourly_rate=80)
        self.assertFalse(first.sla_overlap_warning)
        second = self.make_contract("hourly", hourly_rate=90)
        self.assertIn(first.display_name, second.sla_overlap_warning)
        other_model = self.make_contract("remote_monitoring", device_price=5)
        self.assertFalse(other_model.sla_overlap_warning)
        hq = self.make_contract(
            "online_backup", gb_price=1, site_ids=[Command.set(self.site_hq.ids)]
        )
        depot = self.make_contract(
            "online_backup", gb_price=1, site_ids=[Command.set(self.site_depot.ids)]
        )
        self.assertFalse(hq.sla_overlap_warning)
        self.assertFalse(depot.sla_overlap_warning)

    def test_archiving_with_open_tickets_asks(self):
        contract = self.make_contract("hourly", hourly_rate=80)
        replacement = self.make_contract("hourly", hourly_rate=90, date_start=JAN)
        ticket = self.make_contract_ticket()
        ticket.contract_id = contract
        action = contract.action_archive()
        self.assertEqual(action["res_model"], "helpdesk.sla.contract.archive")
        self.assertTrue(contract.active, "nothing archived before the answer")
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.open_ticket_ids, ticket)
        wizard.write({"ticket_action": "move", "target_contract_id": replacement.id})
        wizard.action_confirm()
        self.assertFalse(contract.active)
        self.assertEqual(ticket.contract_id, replacement)

    def test_archiving_without_open_tickets_just_archives(self):
        contract = self.make_contract()
        self.assertFalse(contract.action_archive())
        self.assertFalse(contract.active)


class TestContractAccess(ContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_agent = new_test_user(
            cls.env,
            login="own_agent",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user_own",
        )
        cls.finance = new_test_user(
            cls.env,
            login="finance_manager",
            groups="base.group_user,account.group_account_manager",
        )
        cls.contract = cls.make_contract("hourly", hourly_rate=100)
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Globex", "is_company": True}
        )
        cls.other_contract = cls.make_contract(
            "hourly", hourly_rate=100, partner_id=cls.other_customer.id
        )

    def test_helpdesk_user_reads_contracts_of_their_tickets_customers(self):
        self.make_contract_ticket(user_id=self.own_agent.id)
        contracts = self.env["contract.contract"].with_user(self.own_agent)
        self.assertEqual(
            contracts.search([("id", "in", (self.contract | self.other_contract).ids)]),
            self.contract,
        )
        self.assertEqual(self.contract.with_user(self.own_agent).hourly_rate, 100)
        with self.assertRaises(AccessError):
            self.other_contract.with_user(self.own_agent).read(["name"])
        with self.assertRaises(AccessError):
            self.contract.with_user(self.own_agent).write({"name": "x"})

    def test_only_finance_and_contract_managers_change_pricing(self):
        as_manager = self.contract.with_user(self.manager)
        as_manager.sla_policy_id = self.policy
        with self.assertRaises(AccessError):
            as_manager.hourly_rate = 1
        with self.assertRaises(AccessError):
            as_manager.pricing_model = "fixed_fee"
        self.contract.with_user(self.finance).hourly_rate = 120
        self.assertEqual(self.contract.hourly_rate, 120)
        contract_manager = new_test_user(
            self.env,
            login="contract_manager",
            groups="base.group_user,helpdesk_sla_contract.group_sla_contract_manager",
        )
        self.contract.with_user(contract_manager).hourly_rate = 130
        self.assertEqual(self.contract.hourly_rate, 130)


class TestContractRoles(ContractCase):
    def test_escalation_contacts_in_order_with_their_reach(self):
        contract = self.make_contract(
            escalation_contact_ids=[
                Command.create(
                    {"sequence": 2, "user_id": self.manager.id, "role": "Head of IT"}
                ),
                Command.create(
                    {
                        "sequence": 1,
                        "partner_id": self.acme_contact.id,
                        "role": "Customer IT lead",
                    }
                ),
            ]
        )
        contract.invalidate_recordset(["escalation_contact_ids"])
        contacts = contract.escalation_contact_ids
        self.assertEqual(contacts.mapped("role"), ["Customer IT lead", "Head of IT"])
        self.assertEqual(contacts[0].email, "ann@acme.example")
        with self.assertRaises(ValidationError):
            self.env["helpdesk.sla.escalation.contact"].create(
                {"contract_id": contract.id, "role": "nobody"}
            )

    def test_next_review_date_follows_the_interval(self):
        today = date.today()
        contract = self.make_contract(
            date_start=today.replace(day=1), review_interval="quarterly"
        )
        self.assertGreaterEqual(contract.next_review_date, today)
        self.assertEqual(
            (contract.next_review_date.year - today.year) * 12
            + contract.next_review_date.month
            - today.month
            in (1, 2, 3),
            True,
        )
        contract.review_interval = "monthly"
        self.assertEqual(contract.next_review_date.day, 1)
        self.assertLessEqual((contract.next_review_date - today).days, 31)

    def test_only_pricing_managers_buy_blocks(self):
        contract = self.make_contract(
            "block_hours", block_hours=10, block_price=500, hourly_rate=50
        )
        contract.with_user(self.manager).read(["name"])
        with self.assertRaises(AccessError):
            contract.with_user(self.manager).action_buy_block()
        self.assertTrue(contract.action_buy_block())
        self.assertEqual(len(contract.hour_block_ids), 1)


class TestFormsOpenForEachRole(ContractCase):
    """The forms a role reaches through its menus open (every field of the
    view readable), e.g. a helpdesk user opening a ticket's contract."""

    def test_forms(self):
        from odoo.tests import Form

        contract = self.make_contract(
            "block_hours", block_hours=10, block_price=100, hourly_rate=50
        )
        contract._sla_buy_block()
        self.env["helpdesk.sla.service"].create(
            {"name": "Mail", "contract_id": contract.id}
        )
        ticket = self.make_contract_ticket(user_id=self.agent.id)
        finance = new_test_user(
            self.env,
            login="forms_finance",
            groups="base.group_user,account.group_account_manager",
        )
        invoicing = new_test_user(
            self.env,
            login="forms_invoicing",
            groups="base.group_user,account.group_account_invoice",
        )
        helpdesk_form = "helpdesk_sla_contract.contract_contract_view_form_helpdesk"
        for user in (self.agent, self.manager, finance, invoicing):
            with self.subTest(user=user.login):
                as_user = contract.with_user(user)
                view = self.env["ir.ui.view"].browse(as_user.get_formview_id())
                if not user.has_group("account.group_account_invoice"):
                    self.assertEqual(view, self.env.ref(helpdesk_form))
                Form(as_user, view=view)
                Form(as_user, view=helpdesk_form)
        for user in (self.agent, self.manager):
            with self.subTest(user=user.login):
                Form(ticket.with_user(user))
                Form(self.site_hq.with_user(user))
