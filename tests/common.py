# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime
from zoneinfo import ZoneInfo

from odoo import Command
from odoo.tests.common import TransactionCase, new_test_user

from ..hooks import ESCALATION_START_PARAM

BERLIN = ZoneInfo("Europe/Berlin")
UTC = ZoneInfo("UTC")


def office_hours(env, name):
    """A calendar of Mon-Fri 09:00-17:00 Berlin."""
    return env["resource.calendar"].create(
        {
            "name": name,
            "tz": "Europe/Berlin",
            "company_id": False,
            "attendance_ids": [Command.clear()]
            + [
                Command.create(
                    {
                        "name": f"Day {day}",
                        "dayofweek": str(day),
                        "hour_from": 9,
                        "hour_to": 17,
                        "day_period": "morning",
                    }
                )
                for day in range(5)
            ],
        }
    )


def berlin(year, month, day, hour=0, minute=0):
    """A Berlin wall-clock time as Odoo stores it: naive UTC."""
    local = datetime(year, month, day, hour, minute, tzinfo=BERLIN)
    return local.astimezone(UTC).replace(tzinfo=None)


class SlaCase(TransactionCase):
    """Mon-Fri 09:00-17:00 Europe/Berlin, targets per priority, Awaiting pauses."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        # The tests' deadlines are older than the installation: announce them
        # (the installation's silent start is tested on its own).
        cls.env["ir.config_parameter"].set_param(ESCALATION_START_PARAM, False)
        cls.calendar = office_hours(cls.env, "Support hours Berlin")
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_progress = cls.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )
        cls.stage_awaiting = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_awaiting")
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.manager = new_test_user(
            cls.env,
            login="sla_manager",
            groups="base.group_user,helpdesk_sla_contract.group_sla_manager",
        )
        cls.agent = new_test_user(
            cls.env,
            login="sla_agent",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
        )
        cls.leader = new_test_user(
            cls.env,
            login="sla_leader",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
        )
        cls.escalation = new_test_user(
            cls.env,
            login="sla_escalation",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "SLA team",
                "user_id": cls.leader.id,
                "user_ids": [Command.set([cls.agent.id, cls.leader.id])],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Customer Ltd", "is_company": True, "tz": "Europe/Berlin"}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Carla Customer",
                "parent_id": cls.customer.id,
                "email": "carla@example.com",
                "tz": "Europe/Berlin",
            }
        )
        # Only our policies take part: archive any demo policy.
        cls.env["helpdesk.sla.policy"].search([]).active = False
        cls.policy = cls.env["helpdesk.sla.policy"].create(
            {
                "name": "Standard",
                "sequence": 10,
                "calendar_id": cls.calendar.id,
                "pause_stage_ids": [Command.set([cls.stage_awaiting.id])],
                "escalation_user_ids": [Command.set([cls.escalation.id])],
                "warning_percent": 75,
                "target_ids": [
                    Command.create(
                        {"priority": "3", "response_hours": 0.25, "resolution_hours": 2}
                    ),
                    Command.create(
                        {"priority": "2", "response_hours": 1, "resolution_hours": 8}
                    ),
                    Command.create(
                        {"priority": "1", "response_hours": 4, "resolution_hours": 16}
                    ),
                    Command.create(
                        {"priority": "0", "response_hours": 8, "resolution_hours": 40}
                    ),
                ],
            }
        )

    def make_ticket(self, **vals):
        values = {
            "name": "Printer on fire",
            "description": "<p>Help</p>",
            "team_id": self.team.id,
            "partner_id": self.contact.id,
            "priority": "1",
            "user_id": self.agent.id,
        }
        values.update(vals)
        return self.env["helpdesk.ticket"].create(values)
