# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import mute_logger

from .common import SlaCase, berlin


class TestSlaPolicy(SlaCase):
    def _policy(self, **vals):
        values = {"name": "Other", "calendar_id": self.calendar.id}
        values.update(vals)
        return self.env["helpdesk.sla.policy"].create(values)

    def test_target_must_be_positive(self):
        with self.assertRaises(ValidationError):
            self._policy(
                target_ids=[
                    Command.create(
                        {"priority": "1", "response_hours": 0, "resolution_hours": 4}
                    )
                ]
            )
        with self.assertRaises(ValidationError):
            self._policy(
                target_ids=[
                    Command.create(
                        {"priority": "1", "response_hours": 1, "resolution_hours": -4}
                    )
                ]
            )

    def test_resolution_not_shorter_than_response(self):
        with self.assertRaises(ValidationError):
            self._policy(
                target_ids=[
                    Command.create(
                        {"priority": "2", "response_hours": 4, "resolution_hours": 2}
                    )
                ]
            )

    @mute_logger("odoo.sql_db")
    def test_one_target_per_priority(self):
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self._policy(
                target_ids=[
                    Command.create(
                        {"priority": "2", "response_hours": 1, "resolution_hours": 2}
                    ),
                    Command.create(
                        {"priority": "2", "response_hours": 2, "resolution_hours": 3}
                    ),
                ]
            )

    def test_warning_percent_range(self):
        for value in (0, 100, 150, -5):
            with self.assertRaises(ValidationError):
                self._policy(warning_percent=value)
        self.assertEqual(self._policy().warning_percent, 75)
        self._policy(warning_percent=1)
        self._policy(warning_percent=99)

    def test_invalid_domain(self):
        with self.assertRaises(ValidationError):
            self._policy(ticket_domain="[('no_such_field', '=', 1)]")
        with self.assertRaises(ValidationError):
            self._policy(ticket_domain="not a domain")

    def test_calendar_without_working_time(self):
        empty = self.env["resource.calendar"].create(
            {"name": "Nothing", "attendance_ids": [Command.clear()]}
        )
        with self.assertRaises(ValidationError):
            self._policy(calendar_id=empty.id)

    def test_first_matching_policy_by_sequence(self):
        tag = self.env["helpdesk.ticket.tag"].create({"name": "VIP"})
        vip = self._policy(name="VIP", sequence=1, tag_ids=[Command.set(tag.ids)])
        other_team = self.env["helpdesk.ticket.team"].create({"name": "Other team"})
        team_policy = self._policy(
            name="Team", sequence=2, team_ids=[Command.set(other_team.ids)]
        )
        customer_policy = self._policy(
            name="Customer", sequence=3, partner_ids=[Command.set(self.customer.ids)]
        )
        domain_policy = self._policy(
            name="Critical only", sequence=4, ticket_domain="[('priority', '=', '3')]"
        )
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = self.make_ticket()
            self.assertEqual(ticket.sla_policy_id, customer_policy)
            ticket.tag_ids = tag
            self.assertEqual(ticket.sla_policy_id, vip)
            ticket.tag_ids = False
            ticket.team_id = other_team
            self.assertEqual(ticket.sla_policy_id, team_policy)
            ticket.team_id = self.team
            ticket.partner_id = False
            self.assertEqual(ticket.sla_policy_id, self.policy)
            ticket.priority = "3"
            self.assertEqual(ticket.sla_policy_id, domain_policy)
            ticket.priority = "1"
            self.assertEqual(ticket.sla_policy_id, self.policy)

    def test_no_target_for_priority_no_deadline(self):
        self.policy.target_ids.filtered(lambda t: t.priority == "0").unlink()
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = self.make_ticket(priority="0")
        self.assertEqual(ticket.sla_policy_id, self.policy)
        self.assertFalse(ticket.sla_response_deadline)
        self.assertFalse(ticket.sla_response_status)

    def test_manual_policy_kept(self):
        special = self._policy(
            name="Special",
            sequence=99,
            target_ids=[
                Command.create(
                    {"priority": "1", "response_hours": 1, "resolution_hours": 2}
                )
            ],
        )
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = self.make_ticket()
            ticket.with_user(self.manager).sla_policy_id = special
            self.assertTrue(ticket.sla_policy_manual)
            self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 23, 11))
            ticket.priority = "2"
            ticket.team_id = self.env["helpdesk.ticket.team"].create({"name": "T2"})
            self.assertEqual(ticket.sla_policy_id, special)
            ticket.with_user(self.manager).action_sla_reset_policy()
            self.assertEqual(ticket.sla_policy_id, self.policy)
            self.assertFalse(ticket.sla_policy_manual)

    def test_only_managers_set_policy_or_start(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = self.make_ticket()
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent).sla_policy_id = self.policy
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent).sla_start_date = berlin(2026, 11, 23, 9)
        with self.assertRaises(AccessError):
            self.env["helpdesk.ticket"].with_user(self.agent).create(
                {
                    "name": "x",
                    "description": "x",
                    "sla_start_date": berlin(2026, 11, 23, 9),
                }
            )

    def test_new_policy_applied_to_open_tickets_on_request(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = self.make_ticket()
            faster = self._policy(
                name="Faster",
                sequence=1,
                target_ids=[
                    Command.create(
                        {"priority": "1", "response_hours": 1, "resolution_hours": 2}
                    )
                ],
            )
            self.assertEqual(ticket.sla_policy_id, self.policy)
            faster.action_apply_to_open_tickets()
        self.assertEqual(ticket.sla_policy_id, faster)
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 23, 11))

    def test_target_change_applied_keeps_consumed_time(self):
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = self.make_ticket()
        self.policy.target_ids.filtered(lambda t: t.priority == "1").response_hours = 2
        with freeze_time(berlin(2026, 11, 23, 11)):
            self.policy.action_apply_to_open_tickets()
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 23, 12))
        self.assertEqual(ticket.sla_start_date, berlin(2026, 11, 23, 10))

    def test_priority_labels(self):
        labels = dict(
            self.env["helpdesk.sla.target"]
            ._fields["priority"]
            ._description_selection(self.env)
        )
        # helpdesk_mgmt's labels: one vocabulary with the tickets.
        self.assertEqual(
            labels, {"3": "Very High", "2": "High", "1": "Medium", "0": "Low"}
        )

    def test_condition_cache(self):
        """Candidates, conditions and targets are cached per policy version: a
        change of the policy, its targets or a record it names is seen at once,
        and no cache of Odoo is emptied for it."""
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = self.make_ticket()
        self.assertEqual(ticket.sla_policy_id, self.policy)
        policies = self.env["helpdesk.sla.policy"]
        self.assertEqual(policies._sla_candidates(), self.policy)
        self.assertEqual(
            self.policy._sla_conditions(),
            (self.company.id,) + (frozenset(),) * 4 + ((),),
        )
        self.assertEqual(self.policy._sla_target_table()["1"], ((14400.0, 57600.0), 75))
        with patch.object(type(self.env.registry), "clear_cache") as clear_cache:
            self.policy.team_ids = [Command.set(self.team.ids)]
            self.assertEqual(self.policy._sla_conditions()[1], frozenset(self.team.ids))
            self.policy.target_ids.filtered(
                lambda t: t.priority == "1"
            ).response_hours = 2
            self.assertEqual(self.policy._sla_target_table()["1"][0][0], 7200.0)
            self.team.active = False
            self.assertEqual(self.policy._sla_conditions()[1], frozenset())
            other = self._policy(sequence=1)
            self.assertEqual(policies._sla_candidates().ids, [other.id, self.policy.id])
        clear_cache.assert_not_called()
