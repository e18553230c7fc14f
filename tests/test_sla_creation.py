# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

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
    """New tickets get the stages and numbers helpdesk_mgmt gives them: this
    module does not take part in either."""

    def test_stages_as_helpdesk_mgmt_gives_them(self):
        team = self.env["helpdesk.ticket.team"].create({"name": "Triage desk"})
        triage = self.env["helpdesk.ticket.stage"].create(
            {"name": "Triage", "sequence": -5, "team_ids": [Command.set(team.ids)]}
        )
        vals_list = [
            {"name": f"Ticket {index}", "description": "x", **team_vals}
            for index in range(2)
            for team_vals in ({}, {"team_id": team.id}, {"team_id": self.team.id})
        ]
        tickets = self.env["helpdesk.ticket"].create(vals_list)
        self.env.flush_all()
        Team = self.env["helpdesk.ticket.team"]
        for ticket in tickets:
            self.assertEqual(
                ticket.stage_id,
                (ticket.team_id or Team)._get_applicable_stages()[:1],
            )
        self.assertEqual(tickets.filtered(lambda t: t.team_id == team).stage_id, triage)

    def test_no_override_of_other_modules_lookups(self):
        # Ticket numbers and first stages are helpdesk_mgmt's and Odoo's.
        Sequence = type(self.env["ir.sequence"])
        self.assertNotIn("helpdesk_sla_contract", Sequence.next_by_code.__module__)
        Team = type(self.env["helpdesk.ticket.team"])
        self.assertNotIn(
            "helpdesk_sla_contract", Team._get_applicable_stages.__module__
        )


class TestTicketNumbers(SlaCase):
    """helpdesk_mgmt's ticket numbers follow sequence changes made in the same
    transaction."""

    def _create(self, name="Numbered", **vals):
        return self.env["helpdesk.ticket"].create(
            {"name": name, "description": "x", **vals}
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
