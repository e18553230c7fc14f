# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command

from .common import SlaCase, berlin
from .contract_common import FEB, JAN, ContractCase


class TestSlaCreation(SlaCase):
    """A new ticket's SLA is computed at the ORM's flush, in batch, as of its
    creation and with the configuration of its creation."""

    def _raw_clock(self, ticket):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT sla_policy_id, sla_response_status, sla_response_deadline, "
            "COALESCE(sla_consumed_hours, 0), sla_next_check_date FROM helpdesk_ticket "
            "WHERE id = %s",
            [ticket.id],
        )
        return self.env.cr.fetchone()

    def test_clock_as_of_creation(self):
        # Created Monday 09:00 (respond in 4 h), first read at 16:00: the clock
        # is the one of the creation, not of the first read.
        with freeze_time(berlin(2026, 11, 23, 9)):
            ticket = self.make_ticket()
        with freeze_time(berlin(2026, 11, 23, 16)):
            self.assertEqual(
                self._raw_clock(ticket),
                (
                    self.policy.id,
                    "running",
                    berlin(2026, 11, 23, 13),
                    0.0,
                    # The warning threshold: 75 % of 4 h.
                    berlin(2026, 11, 23, 12),
                ),
            )
            # A later event computes as of its own time.
            ticket.priority = "2"
            self.assertEqual(ticket.sla_response_status, "breached")
            self.assertEqual(ticket.sla_consumed_hours, 7.0)

    def test_many_tickets_created_together(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            tickets = self.env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Ticket {priority}",
                        "description": "x",
                        "team_id": self.team.id,
                        "priority": priority,
                    }
                    for priority in "3210"
                ]
            )
        self.assertEqual(
            tickets.mapped("sla_response_deadline"),
            [
                berlin(2026, 11, 23, 10, 15),
                berlin(2026, 11, 23, 11),
                berlin(2026, 11, 23, 14),
                berlin(2026, 11, 24, 10),
            ],
        )

    def test_targets_changed_after_creation(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = self.make_ticket()
        # Same transaction, nothing read yet: the ticket keeps the target of
        # its creation until "Apply to open tickets".
        self.policy.target_ids.filtered(lambda t: t.priority == "1").write(
            {"response_hours": 1}
        )
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 23, 14))

    def test_holiday_added_after_creation(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = self.make_ticket()
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Afternoon off",
                "calendar_id": self.calendar.id,
                "date_from": berlin(2026, 11, 23, 12),
                "date_to": berlin(2026, 11, 23, 17),
            }
        )
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 23, 14))

    def test_policy_archived_after_creation(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = self.make_ticket()
        self.policy.active = False
        self.assertEqual(ticket.sla_policy_id, self.policy)

    def test_created_in_a_pause_stage(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = self.make_ticket(stage_id=self.stage_awaiting.id)
        self.assertTrue(ticket.sla_paused)
        self.assertEqual(ticket.sla_response_status, "paused")
        self.assertEqual(ticket.sla_pause_ids.date_start, berlin(2026, 11, 23, 10))

    def test_created_closed(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = self.make_ticket(stage_id=self.stage_done.id)
        self.assertEqual(ticket.sla_resolved_date, berlin(2026, 11, 23, 10))
        self.assertEqual(ticket.sla_resolution_status, "met")

    def test_first_stage_without_team_is_a_pause_stage(self):
        values = {"name": "No team", "description": "x"}
        Ticket = self.env["helpdesk.ticket"]
        with freeze_time(berlin(2026, 11, 23, 10)):
            first = Ticket.create(dict(values))
            self.assertFalse(first.sla_paused)
            # The cached first stage follows the stages' order.
            self.stage_awaiting.write({"sequence": -1, "team_ids": [Command.clear()]})
            second = Ticket.create(dict(values))
        self.assertEqual(second.stage_id, self.stage_awaiting)
        self.assertTrue(second.sla_paused)
        self.assertEqual(second.sla_response_status, "paused")


class TestSlaCreationStages(SlaCase):
    """New tickets get helpdesk_mgmt's stages with one search of a team's
    stages per batch, not per ticket."""

    def _create_counting_searches(self, vals_list):
        Stage = type(self.env["helpdesk.ticket.stage"])
        self.env["helpdesk.ticket"]._sla_stage_facts()  # known beforehand
        with patch.object(
            Stage, "_search", autospec=True, side_effect=Stage._search
        ) as search:
            tickets = self.env["helpdesk.ticket"].create(vals_list)
            self.env.flush_all()
        # helpdesk_mgmt's search of the stages of a team (or of none).
        team_searches = [
            call for call in search.call_args_list if "team_ids" in str(call.args[1])
        ]
        return tickets, len(team_searches)

    def test_one_stage_search_per_team(self):
        team = self.env["helpdesk.ticket.team"].create({"name": "Triage desk"})
        triage = self.env["helpdesk.ticket.stage"].create(
            {"name": "Triage", "sequence": -5, "team_ids": [Command.set(team.ids)]}
        )
        vals_list = [
            {"name": f"Ticket {index}", "description": "x", **team_vals}
            for index in range(4)
            for team_vals in ({}, {"team_id": team.id}, {"team_id": self.team.id})
        ]
        tickets, searches = self._create_counting_searches(vals_list)
        # One search for each team (helpdesk_mgmt alone: one per ticket, 12;
        # tickets without team get the team of their user).
        self.assertEqual(searches, 3)
        Team = self.env["helpdesk.ticket.team"]
        for ticket in tickets:
            # The stage helpdesk_mgmt gives, asked outside the batch.
            self.assertEqual(
                ticket.stage_id,
                (ticket.team_id or Team)._get_applicable_stages()[:1],
            )
        self.assertEqual(
            tickets.filtered("team_id").filtered(lambda t: t.team_id == team).stage_id,
            triage,
        )

    def test_stages_forgotten_when_they_change(self):
        Team, Stage = (
            self.env["helpdesk.ticket.team"],
            self.env["helpdesk.ticket.stage"],
        )
        team = Team.create({"name": "Moving desk"})
        other_company = self.env["res.company"].create({"name": "Other desk"})
        with Team._sla_memo_applicable_stages():
            before = team._get_applicable_stages()
            # A stage created...
            intake = Stage.create({"name": "Intake", "sequence": -10})
            self.assertEqual(team._get_applicable_stages(), intake | before)
            # ... given to another team...
            intake.team_ids = Team.create({"name": "Elsewhere"})
            self.assertEqual(team._get_applicable_stages(), before)
            # ... deleted.
            temporary = Stage.create({"name": "Temporary", "sequence": -5})
            self.assertEqual(team._get_applicable_stages(), temporary | before)
            temporary.unlink()
            self.assertEqual(team._get_applicable_stages(), before)
            # A team moved to another company gets that company's stages.
            foreign = Stage.create(
                {"name": "Foreign", "sequence": -20, "company_id": other_company.id}
            )
            self.assertEqual(team._get_applicable_stages(), before)
            team.company_id = other_company
            self.assertEqual(team._get_applicable_stages()[:1], foreign)
            # The memo answers what a search answers now.
            self.assertEqual(
                team._get_applicable_stages(),
                Stage.search(
                    [
                        ("company_id", "in", [False, other_company.id]),
                        "|",
                        ("team_ids", "=", False),
                        ("team_ids", "=", team.id),
                    ]
                ),
            )
        # The memo lives in the block only.
        self.assertNotIn(
            "helpdesk_sla_contract.applicable_stages",
            self.env.cr.precommit.data,
        )


class TestTicketNumbers(SlaCase):
    """helpdesk_mgmt's ticket numbers, with the sequence looked up once per
    transaction (forgotten when sequences change)."""

    def _create(self, name="Numbered", **vals):
        return self.env["helpdesk.ticket"].create(
            {"name": name, "description": "x", **vals}
        )

    def test_sequence_looked_up_once(self):
        Sequence = type(self.env["ir.sequence"])
        first = self._create()
        with patch.object(
            Sequence, "_search", autospec=True, side_effect=Sequence._search
        ) as search:
            tickets = [self._create(f"Ticket {index}") for index in range(4)]
        self.assertFalse(
            [call for call in search.call_args_list if "code" in str(call.args[1])],
            "helpdesk_mgmt alone searches the sequence for every ticket",
        )
        # The numbers Odoo's sequence gives, one after the other.
        prefix, digits = first.number[:2], int(first.number[2:])
        self.assertEqual(
            [ticket.number for ticket in tickets],
            [f"{prefix}{digits + step:05d}" for step in range(1, 5)],
        )

    def test_sequences_changed_in_the_transaction(self):
        self._create()  # the shared sequence is known
        Sequence = self.env["ir.sequence"]
        own = Sequence.create(
            {
                "name": "Desk numbers",
                "code": "helpdesk.ticket.sequence",
                "prefix": "DESK-",
                "padding": 3,
                "company_id": self.env.company.id,
            }
        )
        self.assertEqual(self._create().number, "DESK-001")
        own.prefix = "D-"
        self.assertEqual(self._create().number, "D-002")
        # Another company still numbers with the shared sequence.
        other_company = self.env["res.company"].create({"name": "Other desk"})
        other = self._create(company_id=other_company.id)
        self.assertTrue(other.number.startswith("HT"), other.number)
        own.active = False
        self.assertTrue(self._create().number.startswith("HT"))
        own.active = True
        self.assertEqual(self._create().number, "D-003")
        # The sequence moved to the other company, then deleted.
        own.company_id = other_company
        self.assertTrue(self._create().number.startswith("HT"))
        self.assertEqual(self._create(company_id=other_company.id).number, "D-004")
        own.unlink()
        other = self._create(company_id=other_company.id)
        self.assertTrue(other.number.startswith("HT"), other.number)
        # Other codes are Odoo's as before.
        self.assertFalse(Sequence.next_by_code("helpdesk_sla_contract.no_such_code"))

    def test_user_changes_company(self):
        other_company = self.env["res.company"].create({"name": "Other desk"})
        self.env["ir.sequence"].create(
            {
                "name": "Other desk numbers",
                "code": "helpdesk.ticket.sequence",
                "prefix": "OTHER-",
                "company_id": other_company.id,
            }
        )
        user = self.env.user
        user.company_ids |= other_company
        # An environment without allowed companies: its company is the user's.
        env = self.env(context={})
        Sequence = env["ir.sequence"]
        self.assertTrue(
            Sequence.next_by_code("helpdesk.ticket.sequence").startswith("HT")
        )
        user.company_id = other_company
        self.assertEqual(env.company, other_company)
        self.assertTrue(
            Sequence.next_by_code("helpdesk.ticket.sequence").startswith("OTHER-")
        )


class TestSlaCreationContract(ContractCase):
    def test_contract_created_after_ticket(self):
        ticket = self.make_contract_ticket()
        self.make_contract()
        # The contract did not exist when the ticket was created.
        self.assertFalse(ticket.contract_id)
        self.assertTrue(ticket.sla_no_contract)
        # Searchable both ways; a ticket without customer is not "without
        # contract".
        internal = self.env["helpdesk.ticket"].create(
            {"name": "Internal", "description": "x"}
        )
        Ticket = self.env["helpdesk.ticket"]
        ids = [ticket.id, internal.id]
        for domain, expected in (
            ([("sla_no_contract", "=", True)], ticket),
            ([("sla_no_contract", "!=", False)], ticket),
            ([("sla_no_contract", "=", False)], internal),
            ([("sla_no_contract", "!=", True)], internal),
        ):
            self.assertEqual(Ticket.search(domain + [("id", "in", ids)]), expected)

    def test_contract_line_moved_after_ticket(self):
        # Recurrence per line: the contract is valid from its lines' start.
        contract = self.make_contract(
            line_recurrence=True,
            date_start=FEB,
            lines=[
                {
                    "product_id": self.env.ref(
                        "helpdesk_sla_contract.product_sla_support_hour"
                    ).id,
                    "name": "Support",
                    "quantity": 1,
                    "price_unit": 100.0,
                }
            ],
        )
        ticket = self.make_contract_ticket()  # 2026-01-05
        contract.contract_line_ids.write({"date_start": JAN})
        self.assertFalse(ticket.contract_id)
        self.assertEqual(
            contract._sla_validity()[0], JAN, "valid from January from now on"
        )


class TestSlaCreationDefaults(SlaCase):
    """The initial stage is read from what the INSERT stored, defaults
    included."""

    def test_closed_stage_from_context_default(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = (
                self.env["helpdesk.ticket"]
                .with_context(default_stage_id=self.stage_done.id)
                .create({"name": "Imported", "description": "x"})
            )
        self.assertEqual(ticket.stage_id, self.stage_done)
        self.assertEqual(ticket.sla_resolved_date, berlin(2026, 11, 23, 10))

    def test_pause_stage_of_a_default_team(self):
        # The team comes from the context; its first stage is a pause stage.
        team = self.env["helpdesk.ticket.team"].create({"name": "Waiting desk"})
        self.stage_awaiting.copy(
            {"name": "Waiting", "sequence": -5, "team_ids": [Command.set(team.ids)]}
        )
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = (
                self.env["helpdesk.ticket"]
                .with_context(default_team_id=team.id)
                .create({"name": "From the context", "description": "x"})
            )
        self.assertEqual(ticket.stage_id.name, "Waiting")
        self.assertFalse(ticket.sla_paused, "not a pause stage of the policy")
        self.policy.pause_stage_ids |= ticket.stage_id
        with freeze_time(berlin(2026, 11, 23, 10)):
            other = (
                self.env["helpdesk.ticket"]
                .with_context(default_team_id=team.id)
                .create({"name": "From the context", "description": "x"})
            )
        self.assertTrue(other.sla_paused)

    def test_stage_facts_follow_helpdesk_mgmt(self):
        """The first stages known at creation are helpdesk_mgmt's own
        (_get_applicable_stages), read with a number of queries that does not
        grow with the teams."""
        Team = self.env["helpdesk.ticket.team"]
        Stage = self.env["helpdesk.ticket.stage"]
        other_company = self.env["res.company"].create({"name": "Other desk"})
        teams = Team.create([{"name": f"Desk {index}"} for index in range(5)])
        teams[0].company_id = other_company
        Stage.create(
            {"name": "Desk 1 triage", "sequence": -3, "team_ids": teams[1].ids}
        )
        Stage.create(
            {"name": "Other company", "sequence": -2, "company_id": other_company.id}
        )
        Stage.create({"name": "Archived", "sequence": -9, "active": False})
        Ticket = self.env["helpdesk.ticket"]
        self.env.flush_all()
        self.env.invalidate_all()
        count = self.cr.sql_log_count
        facts = Ticket._sla_stage_facts()
        queries = self.cr.sql_log_count - count
        expected = {Team._get_applicable_stages()[:1].id} | {
            team._get_applicable_stages()[:1].id
            # Archived teams too, their stages as helpdesk_mgmt finds them
            # (active ones).
            for team in Team.with_context(active_test=False)
            .search([])
            .with_context(active_test=True)
        }
        self.assertEqual(facts["first"], frozenset(expected))
        self.assertEqual(
            facts["closed"],
            frozenset(
                Stage.with_context(active_test=False)
                .search([("closed", "=", True)])
                .ids
            ),
        )
        # Five more teams (creating them forgets the facts): as many queries.
        Team.create([{"name": f"Desk {index}"} for index in range(5, 10)])
        self.env.flush_all()
        self.env.invalidate_all()
        count = self.cr.sql_log_count
        Ticket._sla_stage_facts()
        self.assertEqual(self.cr.sql_log_count - count, queries)
