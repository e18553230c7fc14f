# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from odoo import Command

from .common import SlaCase

JAN = date(2026, 1, 1)
FEB = date(2026, 2, 1)
MAR = date(2026, 3, 1)


class ContractCase(SlaCase):
    """SlaCase plus a customer with two service sites, a timesheet project and
    helpers for contracts of every pricing model (monthly, invoiced after the
    period: the January invoice is made on 1 February)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.acme = cls.env["res.partner"].create(
            {"name": "ACME Corp", "is_company": True, "email": "it@acme.example"}
        )
        cls.acme_contact = cls.env["res.partner"].create(
            {"name": "Ann Acme", "parent_id": cls.acme.id, "email": "ann@acme.example"}
        )
        cls.site_hq = cls.env["res.partner"].create(
            {
                "name": "ACME HQ",
                "parent_id": cls.acme.id,
                "type": "other",
                "is_service_site": True,
                "device_count": 5,
                "tz": "Europe/Berlin",
            }
        )
        cls.site_depot = cls.env["res.partner"].create(
            {
                "name": "ACME Depot",
                "parent_id": cls.acme.id,
                "type": "other",
                "is_service_site": True,
                "device_count": 3,
            }
        )
        cls.project = cls.env["project.project"].create(
            {"name": "Support", "allow_timesheets": True}
        )
        cls.team.write({"allow_timesheet": True, "default_project_id": cls.project.id})
        cls.employee = cls.env["hr.employee"].search(
            [("user_id", "=", cls.env.user.id)], limit=1
        ) or cls.env["hr.employee"].create(
            {"name": "Support engineer", "user_id": cls.env.user.id}
        )

    @classmethod
    def make_contract(cls, pricing_model="fixed_fee", lines=None, **values):
        vals = {
            "name": f"{pricing_model} contract",
            "partner_id": cls.acme.id,
            "contract_type": "sale",
            "pricing_model": pricing_model,
            "line_recurrence": False,
            "recurring_rule_type": "monthly",
            "recurring_interval": 1,
            "recurring_invoicing_type": "post-paid",
            "date_start": JAN,
        }
        vals.update(values)
        vals["contract_line_ids"] = [
            Command.create(
                dict(
                    {
                        fname: vals[fname]
                        for fname in (
                            "date_start",
                            "recurring_rule_type",
                            "recurring_interval",
                            "recurring_invoicing_type",
                        )
                    },
                    **line,
                )
            )
            for line in lines or []
        ]
        return cls.env["contract.contract"].create(vals)

    def make_contract_ticket(
        self, partner=None, start=datetime(2026, 1, 5, 9, 0), **values
    ):
        vals = {
            "name": "Printer down",
            "description": "It is down.",
            "partner_id": (partner or self.acme_contact).id,
            "team_id": self.team.id,
            "project_id": self.project.id,
            "sla_start_date": start,
        }
        vals.update(values)
        return self.env["helpdesk.ticket"].create(vals)

    def log(self, ticket, day, hours):
        return self.env["account.analytic.line"].create(
            {
                "name": "Work",
                "ticket_id": ticket.id,
                "project_id": ticket.project_id.id,
                "employee_id": self.employee.id,
                "date": day,
                "unit_amount": hours,
            }
        )

    @staticmethod
    def invoice(contract, day):
        """The contract's invoice made on `day` (one run of the invoicing job)."""
        return contract._recurring_create_invoice(day)

    def reverse(self, move, modify=False, user=None):
        """Odoo's Reverse (or Reverse and create invoice) of a posted move, by
        `user` (default: the test's): the moves it made."""
        wizard = (
            self.env["account.move.reversal"]
            .with_user(user or self.env.user)
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({"journal_id": move.journal_id.id})
        )
        if modify:
            wizard.modify_moves()
        else:
            wizard.refund_moves()
        return move.reversal_move_ids

    @staticmethod
    def sla_lines(move, kind=None):
        lines = move.invoice_line_ids.filtered("sla_line_kind")
        return (
            lines.filtered(lambda line: line.sla_line_kind == kind) if kind else lines
        )
