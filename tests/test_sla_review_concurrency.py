# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Review of the money paths under concurrency: two real transactions (one
per worker or user, REPEATABLE READ), interleaved so that the second one's
snapshot predates the first one's commit. A serialization failure is replayed
as Odoo's HTTP layer and cron do (`retrying`); what matters is the state
after both transactions ended, read by an independent cursor."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import MissingError, UserError
from odoo.service.model import retrying
from odoo.tests.common import TransactionCase

from ..hooks import ESCALATION_START_PARAM

JAN = date(2026, 1, 1)
FEB = date(2026, 2, 1)
MAR = date(2026, 3, 1)
OCT = date(2026, 10, 1)


def _env(cr):
    return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})


def _replayed(env, func):
    """func() in env's transaction, replayed on serialization failures; a
    UserError or MissingError after the replay is the refusal a user sees."""
    try:
        return retrying(func, env)
    except (UserError, MissingError) as error:
        env.cr.rollback()
        return error


class ConcurrencyCase(TransactionCase):
    """Committed fixtures: a customer, a timesheet project and an employee;
    contracts made by make_contract() are dropped with everything they
    billed."""

    def setUp(self):
        super().setUp()
        self.contract_ids = []
        with self.registry.cursor() as cr:
            env = _env(cr)
            self.partner_id = (
                env["res.partner"]
                .create(
                    {
                        "name": "Concurrency review Ltd",
                        "is_company": True,
                        "email": "it@conc.example",
                    }
                )
                .id
            )
            self.project_id = (
                env["project.project"]
                .create({"name": "Concurrency support", "allow_timesheets": True})
                .id
            )
            employee = env["hr.employee"].create({"name": "Concurrency engineer"})
            self.employee_id = employee.id
            self.employee_partner_id = employee.work_contact_id.id
        self.addCleanup(self._drop_fixtures)

    def _drop_fixtures(self):
        with self.registry.cursor() as cr:
            env = _env(cr)
            contracts = env["contract.contract"].browse(self.contract_ids).exists()
            cr.execute(
                "SELECT id FROM account_move WHERE commercial_partner_id = %s",
                [self.partner_id],
            )
            move_ids = tuple(row[0] for row in cr.fetchall()) or (0,)
            # Posted invoices cannot be deleted through the ORM: SQL, the
            # links to their lines first.
            cr.execute(
                "UPDATE helpdesk_sla_credit SET invoice_line_id = NULL, "
                "move_id = NULL, state = 'draft' WHERE contract_id IN %s",
                [tuple(contracts.ids) or (0,)],
            )
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'account.move' "
                "AND res_id IN %s",
                [move_ids],
            )
            cr.execute(
                "DELETE FROM account_partial_reconcile WHERE debit_move_id IN "
                "(SELECT id FROM account_move_line WHERE move_id IN %s) OR "
                "credit_move_id IN "
                "(SELECT id FROM account_move_line WHERE move_id IN %s)",
                [move_ids, move_ids],
            )
            cr.execute("DELETE FROM account_move WHERE id IN %s", [move_ids])
            env.invalidate_all()
            env["helpdesk.sla.credit"].search(
                [("contract_id", "in", contracts.ids)]
            ).unlink()
            env["account.analytic.line"].search(
                [("project_id", "=", self.project_id)]
            ).unlink()
            tickets = env["helpdesk.ticket"].search(
                [("partner_id", "=", self.partner_id)]
            )
            tickets.sla_breach_ids.unlink()
            tickets.unlink()
            env["helpdesk.sla.hour.block"].search(
                [("contract_id", "in", contracts.ids)]
            ).unlink()
            contracts.penalty_rule_ids.unlink()
            contracts.unlink()
            env["project.project"].browse(self.project_id).unlink()
            env["hr.employee"].browse(self.employee_id).unlink()
            env["res.partner"].browse(
                [self.partner_id, self.employee_partner_id]
            ).exists().unlink()

    def make_contract(self, env, pricing_model, lines=(), **values):
        vals = {
            "name": f"Concurrency {pricing_model}",
            "partner_id": self.partner_id,
            "contract_type": "sale",
            "pricing_model": pricing_model,
            "line_recurrence": False,
            "recurring_rule_type": "monthly",
            "recurring_interval": 1,
            "recurring_invoicing_type": "post-paid",
            "date_start": JAN,
            "contract_line_ids": [
                Command.create(
                    dict(
                        {
                            "date_start": JAN,
                            "recurring_rule_type": "monthly",
                            "recurring_interval": 1,
                            "recurring_invoicing_type": "post-paid",
                            "quantity": 1.0,
                        },
                        **line,
                    )
                )
                for line in lines
            ],
        }
        vals.update(values)
        contract = env["contract.contract"].create(vals)
        self.contract_ids.append(contract.id)
        return contract

    def make_contract_with_credit(self, env):
        """A fixed fee contract (1000 a month) and an approved credit of 50 for
        January, in env's transaction."""
        product = "helpdesk_sla_contract.product_sla_support_hour"
        contract = self.make_contract(
            env,
            "fixed_fee",
            lines=[
                {
                    "product_id": env.ref(product).id,
                    "name": "Hosting",
                    "price_unit": 1000.0,
                }
            ],
        )
        rule = env["helpdesk.sla.penalty.rule"].create(
            {
                "name": "Critical breaches",
                "contract_id": contract.id,
                "kind": "breach",
                "priority": "3",
                "amount_type": "fixed",
                "amount": 50,
            }
        )
        credit = env["helpdesk.sla.credit"].create(
            {
                "contract_id": contract.id,
                "rule_id": rule.id,
                "period_start": JAN,
                "period_end": FEB,
                "amount": 50.0,
                "reason": "January breaches",
            }
        )
        credit.action_approve()
        return contract, credit

    def make_ticket(self, env, contract):
        return env["helpdesk.ticket"].create(
            {
                "name": "Concurrent work",
                "description": "<p>x</p>",
                "partner_id": self.partner_id,
                "project_id": self.project_id,
                "contract_id": contract.id,
                "sla_start_date": datetime(2026, 1, 5, 9, 0),
            }
        )

    def log(self, env, ticket, day, hours):
        return env["account.analytic.line"].create(
            {
                "name": "Work",
                "ticket_id": ticket.id,
                "project_id": self.project_id,
                "employee_id": self.employee_id,
                "date": day,
                "unit_amount": hours,
            }
        )

    def billed_hours(self, contract_id):
        """Independent read: the hours the contract's live invoices bill (not
        cancelled, not reversed in full)."""
        with self.registry.cursor() as cr:
            cr.execute(
                """
                SELECT COALESCE(SUM(l.sla_hours), 0)
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                 WHERE l.sla_contract_id = %s
                   AND l.sla_line_kind IN ('hours', 'bank', 'overage')
                   AND m.move_type = 'out_invoice'
                   AND m.state != 'cancel'
                   AND NOT COALESCE(m.sla_reversed, FALSE)
                """,
                [contract_id],
            )
            return cr.fetchone()[0]

    def logged_hours(self, contract_id):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT COALESCE(SUM(unit_amount), 0) FROM account_analytic_line "
                "WHERE sla_contract_id = %s",
                [contract_id],
            )
            return cr.fetchone()[0]


class TestHoursBilledOnce(ConcurrencyCase):
    """Invariant: an hour is billed by at most one live invoice."""

    def _reversed_january(self):
        """An hourly contract whose January invoice (3 h) is posted and
        reversed in full by a posted credit note: its hours are free."""
        with self.registry.cursor() as cr:
            env = _env(cr)
            contract = self.make_contract(env, "hourly", hourly_rate=100.0)
            ticket = self.make_ticket(env, contract)
            self.log(env, ticket, date(2026, 1, 10), 3.0)
            january = contract._recurring_create_invoice(FEB)
            january.action_post()
            wizard = (
                env["account.move.reversal"]
                .with_context(active_model="account.move", active_ids=january.ids)
                .create({"journal_id": january.journal_id.id})
            )
            wizard.refund_moves()
            refund = january.reversal_move_ids
            refund.action_post()
            self.assertTrue(january.sla_reversed)
            return contract.id, january.id, refund.id

    def test_reversal_reset_while_its_hours_are_billed_again(self):
        """The credit note goes back to draft (its invoice bills its hours
        again) in a transaction that began before the next invoice took those
        hours over and committed."""
        contract_id, _january_id, refund_id = self._reversed_january()
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _env(cr_a), _env(cr_b)
            env_b["account.move"].search_count([])  # B's snapshot
            env_a["contract.contract"].browse(contract_id)._recurring_create_invoice(
                MAR
            )
            cr_a.commit()
            _replayed(
                env_b, lambda: env_b["account.move"].browse(refund_id).button_draft()
            )
            cr_b.commit()
        self.assertEqual(self.logged_hours(contract_id), 3.0)
        self.assertEqual(self.billed_hours(contract_id), 3.0, "billed twice")

    def test_hours_billed_again_while_the_reversal_is_reset(self):
        """The other order: the next invoice is made in a transaction that
        began before the credit note went back to draft and committed."""
        contract_id, _january_id, refund_id = self._reversed_january()
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _env(cr_a), _env(cr_b)
            env_b["account.move"].search_count([])  # B's snapshot
            env_a["account.move"].browse(refund_id).button_draft()
            cr_a.commit()
            contract_b = env_b["contract.contract"].browse(contract_id)
            _replayed(env_b, lambda: contract_b._recurring_create_invoice(MAR))
            cr_b.commit()
        self.assertEqual(self.logged_hours(contract_id), 3.0)
        self.assertEqual(self.billed_hours(contract_id), 3.0, "billed twice")

    def test_two_invoicing_runs_bill_the_hours_once(self):
        with self.registry.cursor() as cr:
            env = _env(cr)
            contract = self.make_contract(env, "hourly", hourly_rate=100.0)
            self.log(env, self.make_ticket(env, contract), date(2026, 1, 10), 3.0)
            contract_id = contract.id
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _env(cr_a), _env(cr_b)
            env_b["account.move"].search_count([])
            env_a["contract.contract"].browse(contract_id)._recurring_create_invoice(
                FEB
            )
            cr_a.commit()
            contract_b = env_b["contract.contract"].browse(contract_id)
            _replayed(env_b, lambda: contract_b._recurring_create_invoice(FEB))
            cr_b.commit()
        self.assertEqual(self.billed_hours(contract_id), 3.0)

    def test_cancel_and_rebill_against_reset_to_draft(self):
        """A cancelled invoice reset to draft while the next invoice takes its
        hours over (snapshot before the reset committed)."""
        with self.registry.cursor() as cr:
            env = _env(cr)
            contract = self.make_contract(env, "hourly", hourly_rate=100.0)
            self.log(env, self.make_ticket(env, contract), date(2026, 1, 10), 3.0)
            january = contract._recurring_create_invoice(FEB)
            january.action_post()
            january.button_cancel()
            contract_id, january_id = contract.id, january.id
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _env(cr_a), _env(cr_b)
            env_b["account.move"].search_count([])
            env_a["account.move"].browse(january_id).button_draft()
            cr_a.commit()
            contract_b = env_b["contract.contract"].browse(contract_id)
            _replayed(env_b, lambda: contract_b._recurring_create_invoice(MAR))
            cr_b.commit()
        self.assertEqual(self.billed_hours(contract_id), 3.0)


class CreditFixtures(ConcurrencyCase):
    """A fixed fee contract (1000 a month) with an approved credit of 50."""

    def _contract_with_credit(self):
        with self.registry.cursor() as cr:
            env = _env(cr)
            contract, credit = self.make_contract_with_credit(env)
            return contract.id, credit.id

    def _hand_invoice(self, env, contract_id, credit_id):
        credit = env["helpdesk.sla.credit"].browse(credit_id)
        return env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner_id,
                "invoice_line_ids": [Command.create(credit._sla_line_values())],
            }
        )

    def credit_lines(self, credit_id):
        """Independent read: (state, live invoices carrying the credit)."""
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT state, invoice_line_id FROM helpdesk_sla_credit WHERE id = %s",
                [credit_id],
            )
            state, line_id = cr.fetchone()
            cr.execute(
                """
                SELECT l.id FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                 WHERE l.sla_line_kind = 'credit' AND m.state != 'cancel'
                   AND l.sla_contract_id = (
                       SELECT contract_id FROM helpdesk_sla_credit WHERE id = %s)
                """,
                [credit_id],
            )
            return state, line_id, [row[0] for row in cr.fetchall()]

    def assertDeductedOnce(self, credit_id):
        state, line_id, live_lines = self.credit_lines(credit_id)
        self.assertEqual(state, "applied")
        self.assertEqual(live_lines, [line_id])


class TestCreditDeductedOnce(CreditFixtures):
    """Invariant: an approved credit is on at most one live invoice, and is
    applied exactly when it is on one."""

    def test_hand_line_and_contract_invoicing(self):
        contract_id, credit_id = self._contract_with_credit()
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _env(cr_a), _env(cr_b)
            env_b["account.move"].search_count([])
            self._hand_invoice(env_a, contract_id, credit_id)
            cr_a.commit()
            contract_b = env_b["contract.contract"].browse(contract_id)
            _replayed(env_b, lambda: contract_b._recurring_create_invoice(FEB))
            cr_b.commit()
        self.assertDeductedOnce(credit_id)

    def test_two_hand_lines(self):
        contract_id, credit_id = self._contract_with_credit()
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _env(cr_a), _env(cr_b)
            env_b["account.move"].search_count([])
            self._hand_invoice(env_a, contract_id, credit_id)
            cr_a.commit()
            result = _replayed(
                env_b, lambda: self._hand_invoice(env_b, contract_id, credit_id)
            )
            cr_b.commit()
        self.assertIsInstance(result, UserError)
        self.assertDeductedOnce(credit_id)

    def test_invoice_deleted_while_posted(self):
        """One user deletes the draft invoice carrying the credit, another
        posts it: the credit ends either applied on the posted invoice or
        approved on none."""
        contract_id, credit_id = self._contract_with_credit()
        with self.registry.cursor() as cr:
            env = _env(cr)
            move_id = self._hand_invoice(env, contract_id, credit_id).id
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _env(cr_a), _env(cr_b)
            env_b["account.move"].search_count([])
            env_a["account.move"].browse(move_id).unlink()
            cr_a.commit()
            _replayed(
                env_b, lambda: env_b["account.move"].browse(move_id).action_post()
            )
            cr_b.commit()
        state, line_id, live_lines = self.credit_lines(credit_id)
        self.assertEqual((state, line_id, live_lines), ("approved", None, []))

    def test_invoice_cancelled_while_credit_reapplied(self):
        """The invoice carrying the credit is cancelled (the credit goes back
        to approved) and the next invoicing run applies it again, from a
        snapshot taken before the cancel committed."""
        contract_id, credit_id = self._contract_with_credit()
        with self.registry.cursor() as cr:
            env = _env(cr)
            move_id = self._hand_invoice(env, contract_id, credit_id).id
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _env(cr_a), _env(cr_b)
            env_b["account.move"].search_count([])
            env_a["account.move"].browse(move_id).button_cancel()
            cr_a.commit()
            contract_b = env_b["contract.contract"].browse(contract_id)
            _replayed(env_b, lambda: contract_b._recurring_create_invoice(FEB))
            cr_b.commit()
        # Left for the next invoice (its snapshot saw it applied), or applied
        # by the replayed run: never twice, never stranded.
        state, line_id, live_lines = self.credit_lines(credit_id)
        if state == "approved":
            self.assertEqual((line_id, live_lines), (None, []))
        else:
            self.assertDeductedOnce(credit_id)

    def test_approve_and_reset_at_once(self):
        _contract_id, credit_id = self._contract_with_credit()
        with self.registry.cursor() as cr:
            # A named env: the commit flushes the environments still alive.
            env = _env(cr)
            env["helpdesk.sla.credit"].browse(credit_id).action_reset_to_draft()
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _env(cr_a), _env(cr_b)
            env_b["helpdesk.sla.credit"].search_count([])
            env_a["helpdesk.sla.credit"].browse(credit_id).action_approve()
            cr_a.commit()
            result = _replayed(
                env_b,
                lambda: (
                    env_b["helpdesk.sla.credit"]
                    .browse(credit_id)
                    .action_reset_to_draft()
                ),
            )
            cr_b.commit()
        self.assertNotIsInstance(result, Exception)
        state, line_id, _lines = self.credit_lines(credit_id)
        self.assertEqual((state, line_id), ("draft", None))


class TestBankAlerts(ConcurrencyCase):
    """Invariant: a prepaid bank crossing an alert level says so once, even
    when two timesheets cross it together: each timesheet's own check sees the
    other missing, the hourly check (ir_cron_check_consumption_alerts) sends
    it."""

    def _hourly_check(self):
        with self.registry.cursor() as cr:
            env = _env(cr)
            cron = env.ref("helpdesk_sla_contract.ir_cron_check_consumption_alerts")
            cron.method_direct_trigger()

    def _log_at_once(self, ticket_id, other_id, hours=0.6):
        """Two engineers log `hours` each on two tickets of one contract, in
        two transactions that each began before the other committed."""
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _env(cr_a), _env(cr_b)
            env_b["account.analytic.line"].search_count([])
            ticket_a = env_a["helpdesk.ticket"].browse(ticket_id)
            self.log(env_a, ticket_a, date(2026, 1, 11), hours)
            cr_a.commit()
            ticket_b = env_b["helpdesk.ticket"].browse(other_id)
            _replayed(
                env_b, lambda: self.log(env_b, ticket_b, date(2026, 1, 12), hours)
            )
            cr_b.commit()

    def test_two_timesheets_cross_the_alert_together(self):
        with self.registry.cursor() as cr:
            env = _env(cr)
            contract = self.make_contract(
                env,
                "block_hours",
                block_hours=10.0,
                block_price=800.0,
                overage_rate=120.0,
                hourly_rate=100.0,
            )
            block = contract._sla_buy_block()
            block.date = JAN
            ticket = self.make_ticket(env, contract)
            other = self.make_ticket(env, contract)
            self.log(env, ticket, date(2026, 1, 10), 7.0)  # 70 %, no alert
            contract_id, block_id = contract.id, block.id
            ticket_id, other_id = ticket.id, other.id
            self.assertFalse(block.alert_level)
        # 76 % each alone, 82 % together: the 80 % alert is due.
        self._log_at_once(ticket_id, other_id)
        self._hourly_check()
        self._hourly_check()  # announced once
        with self.registry.cursor() as cr:
            env = _env(cr)
            contract = env["contract.contract"].browse(contract_id)
            alerts = contract.message_ids.filtered(
                lambda m: "prepaid bank" in (m.body or "")
            )
            self.assertAlmostEqual(contract.bank_used_percent, 82.0)
            self.assertEqual(len(alerts), 1, "the 80 % alert went out once")
            self.assertEqual(
                env["helpdesk.sla.hour.block"].browse(block_id).alert_level, 80.0
            )

    def test_two_timesheets_reach_the_budget_together(self):
        with self.registry.cursor() as cr:
            env = _env(cr)
            contract = self.make_contract(
                env, "project_hourly", hourly_rate=100.0, budget_hours=10.0
            )
            ticket = self.make_ticket(env, contract)
            other = self.make_ticket(env, contract)
            self.log(env, ticket, date(2026, 1, 10), 9.0)
            contract_id, ticket_id, other_id = contract.id, ticket.id, other.id
        self._log_at_once(ticket_id, other_id)
        self._hourly_check()
        self._hourly_check()
        with self.registry.cursor() as cr:
            contract = _env(cr)["contract.contract"].browse(contract_id)
            self.assertAlmostEqual(contract.hours_consumed, 10.2)
            self.assertTrue(contract.budget_warned, "the budget warning is due")
            warnings = contract.message_ids.filtered(
                lambda m: "project budget" in (m.body or "")
            )
            self.assertEqual(len(warnings), 1, "sent once")


class TestPartialRefunds(ConcurrencyCase):
    """Invariant: an invoice refunded in full by several credit notes frees
    its credit, even when the credit notes are posted at the same time."""

    def test_two_half_refunds_posted_at_once(self):
        with self.registry.cursor() as cr:
            env = _env(cr)
            contract, credit = self.make_contract_with_credit(env)
            invoice = contract._recurring_create_invoice(FEB)
            self.assertEqual(credit.move_id, invoice)
            invoice.action_post()
            refund_ids = []
            for _half in range(2):
                wizard = (
                    env["account.move.reversal"]
                    .with_context(active_model="account.move", active_ids=invoice.ids)
                    .create({"journal_id": invoice.journal_id.id})
                )
                refund = env["account.move"].browse(wizard.refund_moves()["res_id"])
                for line in refund.invoice_line_ids:
                    line.price_unit = line.price_unit / 2
                refund_ids.append(refund.id)
            self.assertFalse(invoice.sla_reversed)
            invoice_id, credit_id = invoice.id, credit.id
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _env(cr_a), _env(cr_b)
            env_b["account.move"].search_count([])
            env_a["account.move"].browse(refund_ids[0]).action_post()
            cr_a.commit()
            _replayed(
                env_b, lambda: env_b["account.move"].browse(refund_ids[1]).action_post()
            )
            cr_b.commit()
        with self.registry.cursor() as cr:
            env = _env(cr)
            invoice = env["account.move"].browse(invoice_id)
            refunds = env["account.move"].browse(refund_ids)
            self.assertEqual(refunds.mapped("state"), ["posted", "posted"])
            self.assertEqual(sum(refunds.mapped("amount_total")), invoice.amount_total)
            cr.execute(
                "SELECT sla_reversed FROM account_move WHERE id = %s", [invoice_id]
            )
            self.assertTrue(cr.fetchone()[0], "refunded in full")
            credit = env["helpdesk.sla.credit"].browse(credit_id)
            self.assertEqual(
                (credit.state, credit.invoice_line_id.id), ("approved", False)
            )


class TestCreditNoteAndInvoicing(CreditFixtures):
    """Finance applies the credit as a credit note while the invoicing run
    puts it on the next invoice."""

    def test_credit_note_and_contract_invoicing(self):
        contract_id, credit_id = self._contract_with_credit()
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _env(cr_a), _env(cr_b)
            env_b["account.move"].search_count([])
            env_a["helpdesk.sla.credit"].browse(credit_id).action_apply_credit_note()
            cr_a.commit()
            contract_b = env_b["contract.contract"].browse(contract_id)
            _replayed(env_b, lambda: contract_b._recurring_create_invoice(FEB))
            cr_b.commit()
        self.assertDeductedOnce(credit_id)

    def test_deleted_timesheet_is_not_billed(self):
        with self.registry.cursor() as cr:
            env = _env(cr)
            contract = self.make_contract(env, "hourly", hourly_rate=100.0)
            ticket = self.make_ticket(env, contract)
            self.log(env, ticket, date(2026, 1, 10), 3.0)
            gone = self.log(env, ticket, date(2026, 1, 11), 2.0)
            contract_id, gone_id = contract.id, gone.id
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _env(cr_a), _env(cr_b)
            env_b["account.move"].search_count([])
            env_a["account.analytic.line"].browse(gone_id).unlink()
            cr_a.commit()
            contract_b = env_b["contract.contract"].browse(contract_id)
            _replayed(env_b, lambda: contract_b._recurring_create_invoice(FEB))
            cr_b.commit()
        self.assertEqual(self.logged_hours(contract_id), 3.0)
        self.assertEqual(self.billed_hours(contract_id), 3.0)


class TestCreditsRecomputedWhileApproved(ConcurrencyCase):
    """Invariant: an approved credit keeps the amount finance approved; a
    run that computed it from an older snapshot leaves it alone."""

    def test_recompute_after_approval(self):
        with self.registry.cursor() as cr:
            env = _env(cr)
            contract = self.make_contract(env, "fixed_fee", date_start=OCT)
            service = env["helpdesk.sla.service"].create(
                {
                    "name": "Hosting",
                    "contract_id": contract.id,
                    "uptime_target": 99.9,
                    "monthly_fee": 1000.0,
                }
            )
            env["helpdesk.sla.penalty.rule"].create(
                {
                    "name": "Uptime credits",
                    "contract_id": contract.id,
                    "tier_ids": [
                        Command.create({"below_percent": 99.9, "credit_percent": 10}),
                        Command.create({"below_percent": 99.0, "credit_percent": 25}),
                    ],
                }
            )
            env["helpdesk.sla.incident"].create(
                {
                    "service_id": service.id,
                    "date_start": datetime(2026, 10, 5, 10, 0),
                    "date_end": datetime(2026, 10, 5, 12, 0),
                }
            )
            credit = env["helpdesk.sla.credit"]._sla_compute_credits(
                contract, OCT, "month"
            )
            self.assertEqual(credit.amount, 100.0)
            # A longer outage is recorded: a run now would make it 250.
            env["helpdesk.sla.incident"].create(
                {
                    "service_id": service.id,
                    "date_start": datetime(2026, 10, 6, 10, 0),
                    "date_end": datetime(2026, 10, 6, 20, 0),
                }
            )
            contract_id, credit_id, self.service_id = contract.id, credit.id, service.id
        self.addCleanup(self._drop_incidents)
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _env(cr_a), _env(cr_b)
            env_b["helpdesk.sla.credit"].search_count([])
            env_a["helpdesk.sla.credit"].browse(credit_id).action_approve()
            cr_a.commit()
            _replayed(
                env_b,
                lambda: env_b["helpdesk.sla.credit"]._sla_compute_credits(
                    env_b["contract.contract"].browse(contract_id), OCT, "month"
                ),
            )
            cr_b.commit()
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT state, amount FROM helpdesk_sla_credit WHERE contract_id = %s",
                [contract_id],
            )
            self.assertEqual(cr.fetchall(), [("approved", 100.0)])

    def _drop_incidents(self):
        with self.registry.cursor() as cr:
            env = _env(cr)
            cr.execute(
                "UPDATE helpdesk_sla_credit SET state = 'draft' WHERE contract_id "
                "IN (SELECT contract_id FROM helpdesk_sla_service WHERE id = %s)",
                [self.service_id],
            )
            env["helpdesk.sla.credit"].search(
                [("contract_id.service_ids", "in", self.service_id)]
            ).unlink()
            env["helpdesk.sla.incident"].search(
                [("service_id", "=", self.service_id)]
            ).unlink()
            env["helpdesk.sla.service"].browse(self.service_id).unlink()


class TestSlaCheckAndDeletion(TransactionCase):
    """The SLA check and a deletion of the ticket, at once; two checks at once
    post each note once."""

    START = datetime(2020, 1, 6, 9, 0)

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = _env(cr)
            ticket = env["helpdesk.ticket"].create(
                {
                    "name": "Concurrent check and delete",
                    "description": "<p>x</p>",
                    "priority": "3",
                    "sla_start_date": self.START,
                    "sla_policy_manual": True,
                    "sla_policy_id": env.ref(
                        "helpdesk_sla_contract.sla_policy_standard_demo"
                    ).id,
                }
            )
            self.ticket_id = ticket.id
            # The deadlines are older than the installation: announce them.
            params = env["ir.config_parameter"]
            self.escalation_start = params.get_param(ESCALATION_START_PARAM)
            params.set_param(ESCALATION_START_PARAM, False)
        self.addCleanup(self._drop_ticket)

    def _drop_ticket(self):
        with self.registry.cursor() as cr:
            env = _env(cr)
            env["ir.config_parameter"].set_param(
                ESCALATION_START_PARAM, self.escalation_start
            )
            ticket = env["helpdesk.ticket"].browse(self.ticket_id).exists()
            ticket.sla_breach_ids.unlink()
            ticket.unlink()
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'helpdesk.ticket' "
                "AND res_id = %s",
                [self.ticket_id],
            )

    def _orphans(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM helpdesk_sla_breach WHERE ticket_id = %s",
                [self.ticket_id],
            )
            breaches = cr.fetchone()[0]
            cr.execute(
                "SELECT count(*) FROM mail_message WHERE model = 'helpdesk.ticket' "
                "AND res_id = %s",
                [self.ticket_id],
            )
            return breaches, cr.fetchone()[0]

    @freeze_time(datetime(2020, 1, 8, 12, 0))
    def test_ticket_deleted_before_the_check_locks_it(self):
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _env(cr_a), _env(cr_b)
            env_b["helpdesk.ticket"].search_count([])
            env_a["helpdesk.ticket"].browse(self.ticket_id).unlink()
            cr_a.commit()
            _replayed(env_b, lambda: env_b["helpdesk.ticket"]._cron_check_sla())
            cr_b.commit()
        self.assertEqual(self._orphans(), (0, 0))

    @freeze_time(datetime(2020, 1, 8, 12, 0))
    def test_ticket_deleted_after_the_check_escalated_it(self):
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _env(cr_a), _env(cr_b)
            env_b["helpdesk.ticket"].search_count([])
            env_a["helpdesk.ticket"]._cron_check_sla()
            cr_a.commit()
            _replayed(
                env_b, lambda: env_b["helpdesk.ticket"].browse(self.ticket_id).unlink()
            )
            cr_b.commit()
        self.assertEqual(self._orphans(), (0, 0))

    @freeze_time(datetime(2020, 1, 8, 12, 0))
    def test_two_checks_post_each_note_once(self):
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = _env(cr_a), _env(cr_b)
            env_b["helpdesk.sla.breach"].search_count([])
            env_a["helpdesk.ticket"]._cron_check_sla()
            cr_a.commit()
            _replayed(env_b, lambda: env_b["helpdesk.ticket"]._cron_check_sla())
            cr_b.commit()
        with self.registry.cursor() as cr:
            ticket = _env(cr)["helpdesk.ticket"].browse(self.ticket_id)
            # The notes are logged (notifications), with a body.
            bodies = [str(m.body) for m in ticket.message_ids if m.body]
            kinds = sorted(ticket.sla_breach_ids.mapped("kind"))
            activities = len(ticket.activity_ids)
        self.assertEqual(kinds, ["resolution", "response"])
        self.assertTrue(bodies)
        self.assertEqual(len(bodies), len(set(bodies)), bodies)
        self.assertLessEqual(activities, 2)
