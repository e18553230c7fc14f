# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""How a new ticket reads the policies (issue #12 point 8 (b)): the behaviour
is tested in test_sla_creation; these tests pin the reads that keep a ticket
created in a request of its own (empty cache) cheap."""

from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.sql_db import Cursor

from .common import SlaCase, berlin


class TestSlaPerfCreation(SlaCase):
    def _policy_queries(self, create):
        """SQL statements on the policy tables while `create` runs, with an
        empty cache (as in a request of its own)."""
        self.env.flush_all()
        self.env.invalidate_all()
        statements = []
        execute = Cursor.execute

        def logging_execute(cursor, query, params=None, log_exceptions=True):
            if "helpdesk_sla_policy" in str(query):
                statements.append(str(query))
            return execute(cursor, query, params, log_exceptions)

        with patch.object(Cursor, "execute", logging_execute):
            create()
            self.env.flush_all()
        return statements

    def test_new_ticket_reads_policies_in_one_query(self):
        """The active policies are found with what matching and the pause
        check read of them (cache key, company, hours, auto-reply) in one
        query; their pause stages come from the policy's cache."""
        self.make_ticket()  # fills the policy's caches, as earlier tickets do
        statements = self._policy_queries(self.make_ticket)
        self.assertEqual(len(statements), 1, statements)
        self.assertIn("sla_cache_version", statements[0])

    def test_pause_stages_changed_apply_to_the_next_ticket(self):
        """The cached pause stages follow the policy: a stage added pauses
        the next ticket created in it, a stage removed no longer does."""
        with freeze_time(berlin(2026, 11, 23, 10)):
            before = self.make_ticket(stage_id=self.stage_progress.id)
            self.policy.pause_stage_ids = [Command.link(self.stage_progress.id)]
            added = self.make_ticket(stage_id=self.stage_progress.id)
            self.policy.pause_stage_ids = [Command.unlink(self.stage_progress.id)]
            removed = self.make_ticket(stage_id=self.stage_progress.id)
        self.assertFalse(before.sla_paused)
        self.assertTrue(added.sla_paused)
        self.assertEqual(added.sla_response_status, "paused")
        self.assertFalse(removed.sla_paused)

    def test_archived_pause_stage_no_longer_pauses(self):
        """A pause stage archived after the policy's pause stages were cached
        drops out of them, as it drops out of the policy's field."""
        with freeze_time(berlin(2026, 11, 23, 10)):
            self.make_ticket(stage_id=self.stage_awaiting.id)  # fills the cache
            ticket = self.make_ticket(stage_id=self.stage_progress.id)
            self.stage_awaiting.active = False
            ticket.stage_id = self.stage_awaiting
        self.assertFalse(self.policy.pause_stage_ids)
        self.assertFalse(ticket.sla_paused)
