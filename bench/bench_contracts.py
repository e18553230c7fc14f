#!/usr/bin/env python3
# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Contract invoicing benchmark of helpdesk_sla_contract (Odoo 18).

Run from the repository root:

    python3 bench/bench_contracts.py            # 100 and 1 000 contracts
    python3 bench/bench_contracts.py --quick    # 20 and 100 contracts
    python3 bench/bench_contracts.py --profile  # + cProfile of the largest run

Everything is set up here, as in bench/bench_sla.py: the private PostgreSQL of
scripts/pg.sh is started (and left running), one throw-away database per size is
created with Odoo's CLI (bench_contracts_<pid>_n<size>, this module without demo
data), the measurements run in-process, and the databases are dropped at the end
(unless --keep).

In each database: N customers (2 service sites each), N monthly post-paid
contracts spread evenly over the 8 pricing models, a ticket per contract with 5
timesheet lines in January 2026 for the timesheet-priced models, a prepaid block
bought on 2026-01-01 for the bank models, backup usage for online backup. Then
ONE invoicing run, contract.contract._cron_recurring_create(2026-02-01), over
all N contracts (all due) is timed and its SQL queries counted; the invoices are
checked (one per contract, the expected untaxed total per pricing model, every
timesheet/block/usage billed once) and rolled back. The run is repeated
(--repeat, default 2) and the fastest counts: the machine may be shared.
"""

import os
import sys
import time
from datetime import date, datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
from benchlib import SETUP_CONTEXT, log  # noqa: E402

DB_PREFIX = "bench_contracts_"
JAN = date(2026, 1, 1)
FEB = date(2026, 2, 1)
MAR = date(2026, 3, 1)
PRICING_MODELS = (
    "fixed_fee",
    "hourly",
    "block_hours",
    "block_money",
    "project_hourly",
    "project_fixed",
    "remote_monitoring",
    "online_backup",
)
TIMESHEET_MODELS = ("hourly", "block_hours", "block_money", "project_hourly")
BANK_MODELS = ("block_hours", "block_money")
# (day of January 2026, hours): 5 timesheet lines, 5 hours per ticket.
TIMESHEETS = ((5, 1.0), (9, 0.5), (14, 1.5), (20, 1.25), (27, 0.75))
HOURS = sum(hours for _day, hours in TIMESHEETS)
DEVICES = (5, 3)  # device_count of each customer's two sites
BACKUP_GB = ((date(2026, 1, 15), 100.0), (date(2026, 2, 15), 150.0))
# Pricing fields and fixed lines of each model's contracts.
PRICING = {
    "fixed_fee": {},
    "hourly": {"hourly_rate": 100.0},
    "block_hours": {
        "block_hours": 4.0,
        "block_price": 400.0,
        "hourly_rate": 100.0,
        "overage_rate": 120.0,
    },
    "block_money": {
        "block_amount": 1000.0,
        "hourly_rate": 100.0,
        "overage_rate": 150.0,
    },
    "project_hourly": {"hourly_rate": 90.0, "budget_hours": 40.0},
    "project_fixed": {},
    "remote_monitoring": {"device_price": 10.0},
    "online_backup": {"gb_price": 0.5},
}
FIXED_LINES = {
    "fixed_fee": ("Managed services #START# - #END#", 1000.0),
    "project_fixed": ("Office move project", 5000.0),
}
# Untaxed total of each model's January invoice.
EXPECTED = {
    "fixed_fee": 1000.0,
    "hourly": HOURS * 100.0,
    # the 4-hour block, then the hour beyond it at the overage rate
    "block_hours": 400.0 + (HOURS - 4.0) * 120.0,
    # 500 of the 1 000 prepaid drawn: the block only
    "block_money": 1000.0,
    "project_hourly": HOURS * 90.0,
    "project_fixed": 5000.0,
    "remote_monitoring": sum(DEVICES) * 10.0,
    "online_backup": BACKUP_GB[0][1] * 0.5,
}


# ----------------------------------------------------------------------
# Fixtures (as tests/contract_common.py)
# ----------------------------------------------------------------------


def make_common(env):
    """The timesheet project, the helpdesk team using it and an employee."""
    project = env["project.project"].create(
        {"name": "Bench support", "allow_timesheets": True}
    )
    team = env["helpdesk.ticket.team"].create(
        {
            "name": "Bench support team",
            "allow_timesheet": True,
            "default_project_id": project.id,
        }
    )
    employee = env["hr.employee"].create({"name": "Bench support engineer"})
    return project, team, employee


def make_customers(env, count, tag):
    customers = env["res.partner"].create(
        [
            {"name": f"Bench {tag} customer {i}", "is_company": True}
            for i in range(count)
        ]
    )
    env["res.partner"].create(
        [
            {
                "name": f"{customer.name} site {index + 1}",
                "parent_id": customer.id,
                "type": "other",
                "is_service_site": True,
                "device_count": devices,
            }
            for customer in customers
            for index, devices in enumerate(DEVICES)
        ]
    )
    return customers


def contract_values(env, customer, model, index):
    recurrence = {
        "date_start": JAN,
        "recurring_rule_type": "monthly",
        "recurring_interval": 1,
        "recurring_invoicing_type": "post-paid",
    }
    vals = dict(
        recurrence,
        name=f"Bench {model} contract {index}",
        partner_id=customer.id,
        contract_type="sale",
        pricing_model=model,
        line_recurrence=False,
        **PRICING[model],
    )
    vals["contract_line_ids"] = []
    if model in FIXED_LINES:
        name, price = FIXED_LINES[model]
        product = env.ref("helpdesk_sla_contract.product_sla_support_hour")
        vals["contract_line_ids"] = [
            (
                0,
                0,
                dict(
                    recurrence,
                    product_id=product.id,
                    name=name,
                    quantity=1.0,
                    price_unit=price,
                ),
            )
        ]
    return vals


def make_contracts(env, count, common, tag):
    """`count` contracts of the 8 pricing models in turn, with their blocks,
    tickets, timesheets and usage."""
    project, team, employee = common
    customers = make_customers(env, count, tag)
    contracts = env["contract.contract"].create(
        [
            contract_values(env, customer, PRICING_MODELS[i % 8], i)
            for i, customer in enumerate(customers)
        ]
    )
    banks = contracts.filtered(lambda c: c.pricing_model in BANK_MODELS)
    banks._sla_buy_block().write({"date": JAN})
    tickets = env["helpdesk.ticket"].create(
        [
            {
                "name": f"Printer down ({contract.name})",
                "description": "<p>It is down.</p>",
                "partner_id": contract.partner_id.id,
                "team_id": team.id,
                "project_id": project.id,
                "sla_start_date": datetime(2026, 1, 5, 9, 0),
            }
            for contract in contracts
        ]
    )
    wrong = [t for t, c in zip(tickets, contracts, strict=True) if t.contract_id != c]
    if wrong:
        raise AssertionError(f"{len(wrong)} tickets did not get their contract")
    env["account.analytic.line"].create(
        [
            {
                "name": "Work",
                "ticket_id": ticket.id,
                "project_id": project.id,
                "employee_id": employee.id,
                "date": date(2026, 1, day),
                "unit_amount": hours,
            }
            for ticket in tickets
            if ticket.contract_id.pricing_model in TIMESHEET_MODELS
            for day, hours in TIMESHEETS
        ]
    )
    backups = contracts.filtered(lambda c: c.pricing_model == "online_backup")
    env["helpdesk.sla.usage"].create(
        [
            {"contract_id": contract.id, "date": day, "quantity": quantity}
            for contract in backups
            for day, quantity in BACKUP_GB
        ]
    )
    return contracts


# ----------------------------------------------------------------------
# Checks
# ----------------------------------------------------------------------

INVOICES_BY_CONTRACT = """
SELECT cl.contract_id, m.id, m.amount_untaxed
FROM account_move m
JOIN account_move_line aml ON aml.move_id = m.id
JOIN contract_line cl ON cl.id = aml.contract_line_id
WHERE m.id > %s AND cl.contract_id IN %s
GROUP BY cl.contract_id, m.id, m.amount_untaxed
"""


def check_invoices(env, contracts, first_move_id):
    """Problems of the January invoices of `contracts` (moves after
    first_move_id), as a list of strings (empty: all as expected)."""
    cr = env.cr
    env.flush_all()
    env.invalidate_all()
    problems = []
    cr.execute(
        "SELECT count(*) FROM account_move WHERE id > %s AND move_type = 'out_invoice'",
        (first_move_id,),
    )
    n_moves = cr.fetchone()[0]
    if n_moves != len(contracts):
        problems.append(f"{n_moves} invoices for {len(contracts)} contracts")
    cr.execute(INVOICES_BY_CONTRACT, (first_move_id, tuple(contracts.ids)))
    moves = {}
    for contract_id, move_id, amount in cr.fetchall():
        moves.setdefault(contract_id, []).append((move_id, amount))
    wrong = []
    for contract in contracts:
        found = moves.get(contract.id, [])
        expected = EXPECTED[contract.pricing_model]
        if len(found) != 1 or abs(found[0][1] - expected) > 0.005:
            wrong.append(f"{contract.name}: {found} (expected {expected})")
    if wrong:
        problems.append(f"{len(wrong)} contracts invoiced wrongly, e.g. {wrong[:3]}")
    problems += check_billed_once(env, contracts)
    problems += check_next_dates(contracts)
    return problems


def count_by_model(contracts, models):
    return len(contracts.filtered(lambda c: c.pricing_model in models))


def check_billed_once(env, contracts):
    problems = []
    ids = tuple(contracts.ids)
    queries = (
        (
            "timesheet lines billed",
            "SELECT count(*) FROM account_analytic_line WHERE sla_contract_id IN %s "
            "AND sla_invoice_line_id IS NOT NULL",
            count_by_model(contracts, TIMESHEET_MODELS) * len(TIMESHEETS),
        ),
        (
            "blocks billed",
            "SELECT count(*) FROM helpdesk_sla_hour_block WHERE contract_id IN %s "
            "AND invoice_line_id IS NOT NULL",
            count_by_model(contracts, BANK_MODELS),
        ),
        (
            "usage records billed (January only)",
            "SELECT count(*) FROM helpdesk_sla_usage WHERE contract_id IN %s "
            "AND invoice_line_id IS NOT NULL",
            count_by_model(contracts, ("online_backup",)),
        ),
    )
    for label, query, expected in queries:
        env.cr.execute(query, (ids,))
        found = env.cr.fetchone()[0]
        if found != expected:
            problems.append(f"{label}: {found}, expected {expected}")
    return problems


def check_next_dates(contracts):
    wrong = contracts.filtered(
        lambda c: (
            c.recurring_next_date
            != (False if c.pricing_model == "project_fixed" else MAR)
        )
    )
    if not wrong:
        return []
    return [
        f"{len(wrong)} contracts with an unexpected next invoice date, e.g. "
        + ", ".join(f"{c.name}: {c.recurring_next_date}" for c in wrong[:3])
    ]


# ----------------------------------------------------------------------
# The invoicing run
# ----------------------------------------------------------------------


def setup_database(registry, size):
    """Warm-up contracts (one per model, invoiced at once) and the N benchmark
    contracts, committed."""
    import odoo  # noqa: PLC0415

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, SETUP_CONTEXT)
        t0 = time.perf_counter()
        common = make_common(env)
        warm = make_contracts(env, len(PRICING_MODELS), common, "warm-up")
        env.flush_all()
        cr.execute("SELECT COALESCE(max(id), 0) FROM account_move")
        first_move = cr.fetchone()[0]
        plain = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        warm.with_env(plain)._recurring_create_invoice(FEB)
        problems = check_invoices(plain, warm.with_env(plain), first_move)
        if problems:
            log("    !! warm-up invoices: " + "; ".join(problems))
        contracts = make_contracts(env, size, common, f"n{size}")
        env.flush_all()
        cr.commit()
        return {"setup_s": time.perf_counter() - t0, "ids": contracts.ids}


def invoicing_run(env, query_stats=None):
    """One cron run at 2026-02-01 (flush included): seconds, queries, SQL time.
    With query_stats (a dict), the count and time of each statement (its first
    words) are added to it."""
    with benchlib.measured(env.cr, query_stats) as result:
        env["contract.contract"]._cron_recurring_create(FEB)
        env.flush_all()
    return result


def bench_size(registry, size, repeat, profile):
    """Set-up, then `repeat` invoicing runs (each checked and rolled back; the
    fastest is kept), then with profile one more under cProfile."""
    import odoo  # noqa: PLC0415

    setup = setup_database(registry, size)
    log(f"    set-up ({size} contracts + 8 warm-up) in {setup['setup_s']:.1f} s")
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        contracts = env["contract.contract"].browse(setup["ids"])
        due = env["contract.contract"].search_count(
            [("recurring_next_date", "<=", FEB)]
        )
        cr.execute("SELECT COALESCE(max(id), 0) FROM account_move")
        first_move = cr.fetchone()[0]
        runs = []
        for _run in range(repeat):
            run = invoicing_run(env)
            run["problems"] = check_invoices(env, contracts, first_move)
            cr.rollback()
            env.invalidate_all()
            runs.append(run)
        result = dict(min(runs, key=lambda run: run["s"]))
        result.update(
            n=size,
            due=due,
            setup_s=setup["setup_s"],
            rss=benchlib.peak_rss_mb(),
            all_s=[run["s"] for run in runs],
            all_queries=sorted({run["queries"] for run in runs}),
            problems=sorted({p for run in runs for p in run["problems"]}),
        )
        if profile:
            result["profile"] = profile_run(env)
    result["s_per_contract"] = result["s"] / size
    result["q_per_contract"] = result["queries"] / size
    return result


def profile_run(env):
    """(seconds, cProfile listing, slowest SQL statements) of one more run."""
    query_stats = {}
    run, text = benchlib.profiled(
        lambda: invoicing_run(env, query_stats), 15, f"{benchlib.MODULE}/models", 10
    )
    env.cr.rollback()
    env.invalidate_all()
    return run["s"], text, benchlib.top_queries(query_stats)


def report_size(item):
    log(
        f"    invoicing run: {item['s']:.2f} s for {item['n']} contracts "
        f"({item['due']} due), {item['s_per_contract'] * 1000:.1f} ms and "
        f"{item['q_per_contract']:.1f} SQL queries per contract "
        f"({item['queries']} queries, {item['sql_s']:.2f} s of them in SQL); "
        f"peak RSS {item['rss']:.0f} MB"
    )
    log(
        "    fastest of "
        + ", ".join(f"{seconds:.2f}" for seconds in item["all_s"])
        + " s; queries per run: "
        + ", ".join(str(count) for count in item["all_queries"])
    )
    if item["problems"]:
        for problem in item["problems"]:
            log(f"    !! {problem}")
    else:
        log(
            f"    checked: {item['n']} invoices, one per contract, with the "
            "expected untaxed totals; every timesheet line, block and January "
            "usage billed once; next invoice dates moved on"
        )
    if "profile" in item:
        seconds, text, queries = item["profile"]
        benchlib.log_profile(
            f"cProfile of a second run ({seconds:.2f} s under the profiler)",
            text,
            queries,
        )


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def parse_args():
    parser = benchlib.argument_parser(
        __doc__,
        keep_help="keep the benchmark databases "
        "(set-up committed, invoicing rolled back)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="invoicing runs per size (rolled back in between; the fastest counts)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="rerun the largest invoicing run under cProfile (top 15 cumulative)",
    )
    return parser.parse_args()


def main():
    args = parse_args()

    results, pg_version, total = benchlib.run_sizes(
        args,
        DB_PREFIX,
        "contract invoicing benchmark",
        lambda registry, size, profile: bench_size(
            registry, size, args.repeat, profile
        ),
        report_size,
    )
    print_summary(results, args, pg_version, total)
    if any(item["problems"] for item in results):
        raise SystemExit(1)


def print_summary(results, args, pg_version, total):
    small, large = results
    time_ratio = large["s_per_contract"] / small["s_per_contract"]
    query_ratio = large["q_per_contract"] / small["q_per_contract"]
    lines = [
        *benchlib.summary_head("bench_contracts.py", args, pg_version, total),
        "",
        "One `_cron_recurring_create(2026-02-01)` over N contracts, all due, the 8 "
        "pricing models in turn (flush included):",
        "",
        "| Contracts | Seconds | ms / contract | SQL queries | Queries / contract "
        "| of it in SQL | Invoices OK |",
        "|---:|---:|---:|---:|---:|---:|---|",
    ]
    for item in results:
        lines.append(
            f"| {item['n']:,} | {item['s']:.2f} | {item['s_per_contract'] * 1000:.1f} "
            f"| {item['queries']:,} | {item['q_per_contract']:.1f} "
            f"| {item['sql_s']:.2f} s | {'yes' if not item['problems'] else 'NO'} |"
        )
    lines += [
        f"| {large['n']:,} / {small['n']:,} | x{large['s'] / small['s']:.1f} "
        f"| x{time_ratio:.2f} | x{large['queries'] / small['queries']:.1f} "
        f"| x{query_ratio:.2f} | | |",
        "",
        f"Growth {small['n']:,} -> {large['n']:,} contracts: time per contract "
        f"x{time_ratio:.2f}, queries per contract x{query_ratio:.2f} "
        "(linear growth: both ~1).",
        "=" * 78,
    ]
    log("\n".join(lines))


if __name__ == "__main__":
    main()
