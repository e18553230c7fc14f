# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Downtime and maintenance windows keep what they count in the period of an
approved or applied uptime credit: new ones, moved ones and deleted ones too.
The credit, the invoice and the performance report of that period agree."""

from datetime import datetime

from odoo.exceptions import UserError

from .test_sla_credit_lifecycle import LifecycleCase

OCTOBER = (datetime(2026, 10, 1), datetime(2026, 11, 1))


class TestUptimeOfADecidedPeriod(LifecycleCase):
    def setUp(self):
        super().setUp()
        self.uptime = self._uptime()
        self.Incident = self.env["helpdesk.sla.incident"].with_user(self.agent)
        self.Window = self.env["helpdesk.sla.maintenance"].with_user(self.manager)

    def _uptime(self):
        return self.hosting._sla_uptime(*OCTOBER)[0]

    def _downtime(self, start, end):
        return {"service_id": self.hosting.id, "date_start": start, "date_end": end}

    def _window(self, start, end, **values):
        return {
            "name": "Upgrade",
            "service_ids": [(6, 0, self.hosting.ids)],
            "date_start": start,
            "date_end": end,
            "announced_date": datetime(2026, 9, 1),
            **values,
        }

    def test_new_downtime_in_the_period_refused(self):
        for start, end in (
            (datetime(2026, 10, 20, 9, 0), datetime(2026, 10, 20, 11, 0)),
            (datetime(2026, 10, 31, 23, 0), datetime(2026, 11, 1, 1, 0)),
            (datetime(2026, 10, 31, 23, 0), False),
        ):
            with self.subTest(start=start), self.assertRaises(UserError):
                self.Incident.create(self._downtime(start, end))
        self.assertEqual(self._uptime(), self.uptime)
        # After the period: recorded.
        november = self.Incident.create(
            self._downtime(datetime(2026, 11, 1, 0, 0), datetime(2026, 11, 1, 2, 0))
        )
        # Moved into the period: refused; within November: fine.
        with self.assertRaises(UserError):
            november.write({"date_start": datetime(2026, 10, 31, 22, 0)})
        november.write({"date_end": datetime(2026, 11, 1, 3, 0)})
        # The monitor (superuser) records what happened, whenever.
        self.env["helpdesk.sla.incident"].create(
            self._downtime(datetime(2026, 10, 20, 9, 0), datetime(2026, 10, 20, 9, 5))
        )

    def test_downtime_not_in_the_credit_is_kept_too(self):
        # Customer-caused downtime counted nothing, so the credit does not
        # list it; it becomes counted downtime only by a change of the credit.
        theirs = self.env["helpdesk.sla.incident"].create(
            dict(
                self._downtime(
                    datetime(2026, 10, 12, 9, 0), datetime(2026, 10, 12, 12, 0)
                ),
                customer_caused=True,
            )
        )
        self.assertNotIn(theirs, self.credit.incident_ids)
        with self.assertRaises(UserError):
            theirs.with_user(self.agent).customer_caused = False
        with self.assertRaises(UserError):
            theirs.with_user(self.manager).unlink()
        theirs.with_user(self.agent).cause = "Their firewall"
        self.assertEqual(self._uptime(), self.uptime)

    def test_maintenance_windows_of_the_period(self):
        with self.assertRaises(UserError):
            self.Window.create(
                self._window(datetime(2026, 10, 5, 9, 0), datetime(2026, 10, 5, 12, 0))
            )
        window = self.Window.create(
            self._window(datetime(2026, 11, 5, 9, 0), datetime(2026, 11, 5, 12, 0))
        )
        with self.assertRaises(UserError):
            window.write({"date_start": datetime(2026, 10, 5, 9, 0)})
        window.write({"date_end": datetime(2026, 11, 5, 13, 0), "name": "Longer"})
        # One made by the system in October: named, not moved or deleted.
        october = self.env["helpdesk.sla.maintenance"].create(
            self._window(datetime(2026, 10, 5, 10, 0), datetime(2026, 10, 5, 11, 0))
        )
        october = october.with_user(self.manager)
        october.name = "Kernel upgrade"
        for values in (
            {"announced_date": False},
            {"service_ids": [(5, 0, 0)]},
            {"date_end": datetime(2026, 10, 5, 12, 0)},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                october.write(values)
        with self.assertRaises(UserError):
            october.unlink()

    def test_credit_reset_to_draft_frees_the_period(self):
        self.credit.invoice_line_id.unlink()
        self.credit.with_user(self.finance).action_reset_to_draft()
        self.Incident.create(
            self._downtime(datetime(2026, 10, 20, 9, 0), datetime(2026, 10, 20, 11, 0))
        )
        self.Window.create(
            self._window(datetime(2026, 10, 6, 9, 0), datetime(2026, 10, 6, 12, 0))
        )
        self.assertLess(self._uptime(), self.uptime)
