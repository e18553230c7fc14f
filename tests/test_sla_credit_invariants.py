# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Random invoice histories keep the credits' books straight (issue #11,
point 8): hypothesis drives a real database, each example in a savepoint."""

from contextlib import closing, suppress
from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError

from .test_sla_credits import CreditCase

# October to January, each with downtime: 10 %, 25 %, 10 % and 100 % credits
# (the last one larger than an invoice: a credit note).
DOWNTIME = [
    (date(2026, 10, 1), datetime(2026, 10, 5, 10, 0), 120),
    (date(2026, 11, 1), datetime(2026, 11, 5, 10, 0), 600),
    (date(2026, 12, 1), datetime(2026, 12, 7, 10, 0), 60),
    (date(2027, 1, 1), datetime(2027, 1, 4, 10, 0), 3 * 1440),
]
LAST_INVOICE_DATE = date(2027, 3, 1)
ACTIONS = [
    "compute",
    "approve",
    "cancel_credit",
    "next_invoice",
    "delete_line",
    "delete_invoice",
    "cancel_invoice",
    "reset_invoice",
    "post_invoice",
    "duplicate_invoice",
]
HISTORIES = st.lists(
    st.tuples(st.sampled_from(ACTIONS), st.integers(min_value=0, max_value=7)),
    min_size=1,
    max_size=10,
)
REFUSALS = (UserError, AccessError, ValidationError)


def pick(records, index):
    return records[index % len(records)]


class TestCreditInvariants(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for _period, start, minutes in DOWNTIME:
            cls.env["helpdesk.sla.incident"].create(
                {
                    "service_id": cls.hosting.id,
                    "date_start": start,
                    "date_end": start + timedelta(minutes=minutes),
                }
            )

    def setUp(self):
        super().setUp()
        # Every history starts here: October invoiced and posted, October's
        # credit approved, November's computed (draft).
        self.invoice(self.contract, date(2026, 11, 1)).action_post()
        self.compute(DOWNTIME[0][0]).with_user(self.finance).action_approve()
        self.compute(DOWNTIME[1][0])

    # ------------------------------------------------------------------
    # The steps of a history (any of them may be refused)
    # ------------------------------------------------------------------

    def moves(self):
        return self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.acme.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ],
            order="id",
        )

    def credits(self, states):
        return self.contract.credit_ids.filtered(lambda c: c.state in states).sorted(
            "id"
        )

    def do(self, action, index):
        """One step of a history; a step with nothing to act on is skipped."""
        finance = self.finance
        moves = self.moves()
        draft_lines = moves.filtered(lambda m: m.state == "draft").invoice_line_ids
        pool = {
            "approve": self.credits({"draft"}),
            "cancel_credit": self.credits({"draft", "approved"}),
            "delete_line": draft_lines,
        }.get(action, moves)
        if action not in ("compute", "next_invoice") and not pool:
            return
        if action == "compute":
            self.compute(DOWNTIME[index % len(DOWNTIME)][0])
        elif action == "approve":
            pick(pool, index).with_user(finance).action_approve()
        elif action == "cancel_credit":
            pick(pool, index).with_user(finance).action_cancel()
        elif action == "next_invoice":
            if self.contract.recurring_next_date <= LAST_INVOICE_DATE:
                self.invoice(self.contract, self.contract.recurring_next_date)
        elif action == "delete_line":
            line = pick(pool, index)
            line.move_id.write({"invoice_line_ids": [Command.delete(line.id)]})
        elif action == "delete_invoice":
            pick(moves, index).unlink()
        elif action == "cancel_invoice":
            pick(moves, index).button_cancel()
        elif action == "reset_invoice":
            pick(moves, index).button_draft()
        elif action == "post_invoice":
            pick(moves, index).action_post()
        elif action == "duplicate_invoice":
            pick(moves, index).copy()

    # ------------------------------------------------------------------
    # The invariants
    # ------------------------------------------------------------------

    def check_invariants(self, history, posted_lines):
        moves = self.moves()
        live_credit_lines = (
            moves.filtered(lambda m: m.state != "cancel")
            .mapped("invoice_line_ids")
            .filtered(lambda line: line.sla_line_kind == "credit")
        )
        for credit in self.contract.credit_ids:
            carrying = live_credit_lines.filtered(
                lambda line, credit=credit: credit in line.sla_credit_ids
            )
            if credit.state in ("approved", "applied"):
                self.assertLessEqual(len(carrying), 1, history)
            self.assertEqual(
                credit.state == "applied", len(carrying) == 1, (credit.name, history)
            )
        for move in moves:
            lines = [
                (line.id, line.name, line.price_unit, line.quantity, line.balance)
                for line in move.line_ids.sorted("id")
            ]
            if move.state != "posted":
                posted_lines.pop(move.id, None)
            elif posted_lines.setdefault(move.id, lines) != lines:
                self.fail(f"posted {move.name} changed: {history}")
        applied = sum(self.credits({"applied"}).mapped("amount"))
        deducted = sum(
            line.quantity
            * line.price_unit
            * (-1 if line.move_id.move_type == "out_invoice" else 1)
            for line in live_credit_lines
        )
        self.assertAlmostEqual(applied, deducted, places=2, msg=history)

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(history=HISTORIES)
    def test_random_invoice_histories(self, history):
        with closing(self.env.cr.savepoint()):
            posted_lines = {}
            for step, (action, index) in enumerate(history):
                # A refused step is rolled back; the books must hold either way.
                with suppress(*REFUSALS), self.env.cr.savepoint():
                    self.do(action, index)
                self.check_invariants(history[: step + 1], posted_lines)
