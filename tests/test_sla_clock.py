# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import random
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError

from .common import SlaCase, berlin


class TestSlaClock(SlaCase):
    def test_deadlines_in_business_hours(self):
        # Monday 10:00 Berlin, medium: respond in 4 h, resolve in 16 h.
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket = self.make_ticket()
        self.assertEqual(ticket.sla_policy_id, self.policy)
        self.assertEqual(ticket.sla_start_date, berlin(2026, 11, 23, 10))
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 23, 14))
        # 7 h on Monday, 8 h on Tuesday, 1 h on Wednesday.
        self.assertEqual(ticket.sla_resolution_deadline, berlin(2026, 11, 25, 10))
        self.assertEqual(ticket.sla_response_status, "running")
        self.assertEqual(ticket.sla_resolution_status, "running")

    def test_start_outside_hours_snaps_to_next_period(self):
        # Saturday: the clock starts on Monday 09:00.
        with freeze_time(berlin(2026, 11, 28, 11)):
            ticket = self.make_ticket(priority="3")
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 30, 9, 15))
        self.assertEqual(ticket.sla_resolution_deadline, berlin(2026, 11, 30, 11))

    def test_exact_end_of_day(self):
        # 4 h from 13:00 ends exactly at 17:00, not the next morning.
        with freeze_time(berlin(2026, 11, 23, 13)):
            ticket = self.make_ticket()
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 23, 17))

    def test_dst_spring_forward(self):
        # Friday 2026-03-27 15:00 CET; clocks go forward on Sunday 29th.
        with freeze_time(berlin(2026, 3, 27, 15)):
            ticket = self.make_ticket()
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 3, 30, 11))
        self.assertEqual(ticket.sla_response_deadline, datetime(2026, 3, 30, 9, 0))
        expected = self.calendar.plan_hours(
            4, berlin(2026, 3, 27, 15), compute_leaves=True
        )
        self.assertEqual(ticket.sla_response_deadline, expected)

    def test_dst_fall_back(self):
        # Friday 2026-10-23 15:00 CEST; clocks go back on Sunday 25th.
        with freeze_time(berlin(2026, 10, 23, 15)):
            ticket = self.make_ticket()
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 10, 26, 11))
        self.assertEqual(ticket.sla_response_deadline, datetime(2026, 10, 26, 10, 0))

    def test_public_holiday_skipped(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": berlin(2026, 11, 24, 0),
                "date_to": berlin(2026, 11, 24, 23, 59),
                "time_type": "leave",
            }
        )
        with freeze_time(berlin(2026, 11, 23, 15)):
            ticket = self.make_ticket()
        # 2 h on Monday, Tuesday off, 2 h on Wednesday.
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 25, 11))

    def test_holiday_of_all_calendars(self):
        # A global leave without calendar applies to every calendar.
        self.env["resource.calendar.leaves"].create(
            {
                "name": "National day",
                "calendar_id": False,
                "date_from": berlin(2026, 11, 24, 0),
                "date_to": berlin(2026, 11, 24, 23, 59),
            }
        )
        with freeze_time(berlin(2026, 11, 23, 15)):
            ticket = self.make_ticket()
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 25, 11))

    def test_schedule_cache_follows_its_calendar(self):
        """The cached SLA work time of a calendar is dropped when that
        calendar's working time changes, and only then: no cache of Odoo is
        emptied (an employee's time off changes nothing)."""
        other = self.calendar.copy({"name": "Other hours"})
        with freeze_time(berlin(2026, 11, 23, 15)):
            ticket = self.make_ticket()  # the month is cached
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 24, 11))
        Leaves = self.env["resource.calendar.leaves"]
        resource = self.env["resource.resource"].create(
            {"name": "Agent", "calendar_id": self.calendar.id}
        )
        versions = (self.calendar.sla_schedule_version, other.sla_schedule_version)
        with patch.object(type(self.env.registry), "clear_cache") as clear_cache:
            Leaves.create(
                {
                    "name": "Agent's day off",
                    "calendar_id": self.calendar.id,
                    "resource_id": resource.id,
                    "date_from": berlin(2026, 11, 24, 0),
                    "date_to": berlin(2026, 11, 24, 23, 59),
                }
            )
            self.assertEqual(
                (self.calendar.sla_schedule_version, other.sla_schedule_version),
                versions,
            )
            holiday = Leaves.create(
                {
                    "name": "Public holiday",
                    "calendar_id": self.calendar.id,
                    "date_from": berlin(2026, 11, 24, 0),
                    "date_to": berlin(2026, 11, 24, 23, 59),
                }
            )
        clear_cache.assert_not_called()
        self.assertGreater(self.calendar.sla_schedule_version, versions[0])
        self.assertEqual(other.sla_schedule_version, versions[1])
        with freeze_time(berlin(2026, 11, 23, 15)):
            self.assertEqual(
                self.make_ticket().sla_response_deadline, berlin(2026, 11, 25, 11)
            )
        holiday.unlink()
        self.calendar.attendance_ids.filtered(
            lambda a: a.dayofweek == "1"
        ).hour_from = 10
        with freeze_time(berlin(2026, 11, 23, 15)):
            self.assertEqual(
                self.make_ticket().sla_response_deadline, berlin(2026, 11, 24, 12)
            )

    def test_split_shift_and_long_target(self):
        self.calendar.attendance_ids = (
            [Command.clear()]
            + [
                Command.create(
                    {
                        "name": "am",
                        "dayofweek": str(day),
                        "hour_from": 8,
                        "hour_to": 12,
                        "day_period": "morning",
                    }
                )
                for day in range(5)
            ]
            + [
                Command.create(
                    {
                        "name": "pm",
                        "dayofweek": str(day),
                        "hour_from": 13,
                        "hour_to": 17,
                        "day_period": "afternoon",
                    }
                )
                for day in range(5)
            ]
        )
        self.policy.target_ids.filtered(lambda t: t.priority == "0").write(
            {"response_hours": 10, "resolution_hours": 200}
        )
        start = berlin(2026, 11, 23, 11)
        with freeze_time(start):
            ticket = self.make_ticket(priority="0")
        # 200 business hours = 25 days of 8 h: more than two weeks.
        for hours, deadline in (
            (10, ticket.sla_response_deadline),
            (200, ticket.sla_resolution_deadline),
        ):
            self.assertEqual(
                deadline, self.calendar.plan_hours(hours, start, compute_leaves=True)
            )
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 24, 14))

    def test_agrees_with_plan_hours(self):
        self.env["resource.calendar.leaves"].create(
            [
                {
                    "name": f"Holiday {day}",
                    "calendar_id": self.calendar.id,
                    "date_from": berlin(2026, 12, day, 0),
                    "date_to": berlin(
                        2026,
                        12,
                        day,
                        23,
                        59,
                    ),
                }
                for day in (8, 24, 25, 31)
            ]
        )
        rng = random.Random(42)
        for target in self.policy.target_ids:
            target.write(
                {
                    "response_hours": rng.choice([0.25, 1.5, 3, 7.75]),
                    "resolution_hours": rng.choice([8, 19.5, 60, 130]),
                }
            )
        for _i in range(25):
            start = datetime(2026, 12, 1) + timedelta(minutes=rng.randrange(0, 45000))
            priority = rng.choice("0123")
            with freeze_time(start):
                ticket = self.make_ticket(priority=priority)
            target = self.policy._target_for(priority)
            for hours, deadline in (
                (target.response_hours, ticket.sla_response_deadline),
                (target.resolution_hours, ticket.sla_resolution_deadline),
            ):
                expected = self.calendar.plan_hours(hours, start, compute_leaves=True)
                self.assertLessEqual(
                    abs((deadline - expected).total_seconds()), 1, (start, hours)
                )

    def test_calendar_without_working_time(self):
        empty = self.env["resource.calendar"].create(
            {"name": "Empty", "attendance_ids": [Command.clear()]}
        )
        with self.assertRaises(UserError):
            empty._sla_schedule(datetime(2026, 1, 1), datetime(2026, 2, 1))

    def test_pause_pushes_deadlines(self):
        with freeze_time(berlin(2026, 11, 23, 9)):
            ticket = self.make_ticket()
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 23, 13))
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket.stage_id = self.stage_awaiting
            self.assertTrue(ticket.sla_paused)
            self.assertEqual(ticket.sla_response_status, "paused")
        with freeze_time(berlin(2026, 11, 23, 12)):
            ticket.stage_id = self.stage_progress
        self.assertFalse(ticket.sla_paused)
        self.assertEqual(ticket.sla_paused_hours, 2)
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 23, 15))
        self.assertEqual(ticket.sla_resolution_deadline, berlin(2026, 11, 25, 11))
        self.assertEqual(ticket.sla_response_status, "running")
        # Paused overnight: only business time inside the pause counts.
        with freeze_time(berlin(2026, 11, 23, 16)):
            ticket.stage_id = self.stage_awaiting
        with freeze_time(berlin(2026, 11, 24, 10)):
            ticket.stage_id = self.stage_progress
        self.assertEqual(ticket.sla_paused_hours, 4)
        self.assertEqual(ticket.sla_resolution_deadline, berlin(2026, 11, 25, 13))
        self.assertEqual(len(ticket.sla_pause_ids), 2)

    def test_pause_after_breach_does_not_hide_it(self):
        with freeze_time(berlin(2026, 11, 23, 9)):
            ticket = self.make_ticket(priority="3")
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket.stage_id = self.stage_awaiting
            self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 23, 9, 15))
            self.assertEqual(ticket.sla_response_status, "breached")

    def test_priority_change_recomputes_from_start(self):
        with freeze_time(berlin(2026, 11, 23, 9)):
            ticket = self.make_ticket(priority="0")
        with freeze_time(berlin(2026, 11, 23, 9, 30)):
            ticket.stage_id = self.stage_awaiting
        with freeze_time(berlin(2026, 11, 23, 10, 30)):
            ticket.stage_id = self.stage_progress
            ticket.priority = "2"
        # High: respond in 1 h from 09:00, plus the 1 h pause.
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 23, 11))
        self.assertEqual(ticket.sla_resolution_deadline, berlin(2026, 11, 24, 10))
        self.assertEqual(ticket.sla_paused_hours, 1)

    def test_reopen_resumes_resolution_clock(self):
        with freeze_time(berlin(2026, 11, 23, 9)):
            ticket = self.make_ticket()
        with freeze_time(berlin(2026, 11, 23, 12)):
            ticket.stage_id = self.stage_done
        self.assertEqual(ticket.sla_resolved_date, berlin(2026, 11, 23, 12))
        self.assertEqual(ticket.sla_resolution_status, "met")
        self.assertEqual(ticket.sla_consumed_hours, 3)
        # Reopened the next day at 09:00: 3 h consumed, 13 h left.
        with freeze_time(berlin(2026, 11, 24, 9)):
            ticket.stage_id = self.stage_progress
            self.assertFalse(ticket.sla_resolved_date)
            self.assertEqual(ticket.sla_resolution_status, "running")
            self.assertEqual(ticket.sla_consumed_hours, 3)
        self.assertEqual(ticket.sla_resolution_deadline, berlin(2026, 11, 25, 14))
        with freeze_time(berlin(2026, 11, 24, 10)):
            ticket.stage_id = self.stage_done
        self.assertEqual(ticket.sla_consumed_hours, 4)
        self.assertEqual(ticket.sla_remaining_hours, 12)

    def test_at_risk_and_breached_statuses(self):
        with freeze_time(berlin(2026, 11, 23, 9)):
            ticket = self.make_ticket()
        with freeze_time(berlin(2026, 11, 23, 12, 1)):
            ticket._sla_recompute()
            self.assertEqual(ticket.sla_response_status, "at_risk")
        with freeze_time(berlin(2026, 11, 23, 13, 1)):
            ticket._sla_recompute()
            self.assertEqual(ticket.sla_response_status, "breached")
            self.assertEqual(ticket.sla_resolution_status, "running")

    def test_backdated_start(self):
        with freeze_time(berlin(2026, 11, 23, 15)):
            ticket = self.make_ticket()
            ticket.with_user(self.manager).sla_start_date = berlin(2026, 11, 23, 9)
        self.assertEqual(ticket.sla_response_deadline, berlin(2026, 11, 23, 13))
        self.assertEqual(ticket.sla_response_status, "breached")

    def test_closed_after_long_pause_is_met(self):
        # OCA helpdesk_mgmt_sla shows such a ticket as expired: we must not.
        with freeze_time(berlin(2026, 11, 23, 9)):
            ticket = self.make_ticket(priority="3")
            ticket.message_post(
                body="On it",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                author_id=self.agent.partner_id.id,
            )
        with freeze_time(berlin(2026, 11, 23, 10)):
            ticket.stage_id = self.stage_awaiting
        with freeze_time(berlin(2026, 11, 30, 10)):
            ticket.stage_id = self.stage_done
        self.assertEqual(ticket.sla_resolution_status, "met")
        self.assertEqual(ticket.sla_response_status, "met")
