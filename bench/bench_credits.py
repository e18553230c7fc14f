#!/usr/bin/env python3
# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SLA credit computation benchmark of helpdesk_sla_contract (Odoo 18).

Run from the repository root:

    python3 bench/bench_credits.py            # 100 and 1 000 contracts
    python3 bench/bench_credits.py --quick    # 20 and 100 contracts
    python3 bench/bench_credits.py --profile  # + cProfile of the largest run

Everything is set up here, as in bench/bench_sla.py and bench/bench_contracts.py:
the private PostgreSQL of scripts/pg.sh is started (and left running), one
throw-away database per size is created with Odoo's CLI
(bench_credits_<pid>_n<size>, this module without demo data), the measurements
run in-process, and the databases are dropped at the end (unless --keep).

In each database: N customers with one fixed-fee contract each (one monthly line
of 1 000, contract-level recurrence, from 2026-10-01, support hours Mon-Fri
09:00-17:00 Europe/Berlin, 48 h maintenance notice), 5 monitored services per
contract (99.9 %, billed by that line, the fifth measured on the support hours),
20 outages per contract in October 2026 (4 per service, 1-120 minutes - 1-10
for one contract in ten -, some overlapping, 2 customer-caused, one planned in
a maintenance window, one in ten contracts with an outage starting in
September), 4 maintenance windows (two
announced in time, one late, one not announced; each over the services of a
quarter of the contracts) and one penalty scheme shared by all contracts
(uptime tiers 99.9 -> 10 %, 99 -> 25 %, 95 -> 100 % of the contract fee, plus a
per-breach rule that finds no breach). Then the whole month's run,
helpdesk.sla.credit._cron_compute_credits(today=2026-11-01), is timed (flush
included) and its SQL queries counted, the credits checked (at most one per
contract, each contract's tier as computed by this script from the outages it
made, without the module's code) and committed, and the run repeated: the
second run must create, delete or change no credit (it recomputes the drafts in
place). Before the measured runs, the credits of 3 contracts are computed and
rolled back (warm-up). --profile reruns the largest first run under cProfile.
"""

import os
import random
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
from benchlib import SETUP_CONTEXT, log  # noqa: E402

DB_PREFIX = "bench_credits_"
OCT = date(2026, 10, 1)
NOV = date(2026, 11, 1)
OCT_START = datetime(2026, 10, 1)
NOV_START = datetime(2026, 11, 1)
TZ = "Europe/Berlin"
MONTHLY_FEE = 1000.0
# (name, measured_on) of each contract's 5 services.
SERVICES = (
    ("Web hosting", "24_7"),
    ("E-mail", "24_7"),
    ("Backup", "24_7"),
    ("VPN", "24_7"),
    ("Helpdesk portal", "support_hours"),
)
INCIDENTS = 20  # per contract, incident k on service k % 5
CUSTOMER_CAUSED = (3, 11)  # incidents k caused by the customer
PLANNED = 19  # incident k planned inside the contract's maintenance window
TIERS = ((99.9, 10.0), (99.0, 25.0), (95.0, 100.0))
# (start, hours, announced days before the start or None); each window covers
# the services of the contracts whose index % 4 is its own index. Saturdays.
WINDOWS = (
    (datetime(2026, 10, 3, 22, 0), 2, 7),
    (datetime(2026, 10, 10, 22, 0), 2, 3),
    (datetime(2026, 10, 17, 22, 0), 2, 1),  # late: the notice is 48 h
    (datetime(2026, 10, 24, 22, 0), 2, None),  # not announced
)


# ----------------------------------------------------------------------
# Fixtures (as tests/test_sla_credits.py's CreditCase)
# ----------------------------------------------------------------------


def make_calendar(env):
    """Mon-Fri 09:00-17:00 Europe/Berlin (tests/common.py's support hours)."""
    from odoo import Command  # noqa: PLC0415

    return env["resource.calendar"].create(
        {
            "name": "Bench support hours Berlin",
            "tz": TZ,
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


def make_scheme(env):
    """The penalty scheme all contracts share: uptime tiers on the contract fee
    and a per-breach rule (no ticket, so no breach: evaluated, never credits)."""
    from odoo import Command  # noqa: PLC0415

    return env["helpdesk.sla.penalty.scheme"].create(
        {
            "name": "Bench hosting credits",
            "rule_ids": [
                Command.create(
                    {
                        "name": "Uptime credits",
                        "sequence": 10,
                        "kind": "uptime",
                        "fee_basis": "contract",
                        "tier_ids": [
                            Command.create(
                                {"below_percent": below, "credit_percent": credit}
                            )
                            for below, credit in TIERS
                        ],
                    }
                ),
                Command.create(
                    {
                        "name": "Resolution breaches",
                        "sequence": 20,
                        "kind": "breach",
                        "breach_kind": "resolution",
                        "amount_type": "fixed",
                        "amount": 50.0,
                        "cap_percent": 20.0,
                    }
                ),
            ],
        }
    )


def contract_values(env, customer, index, calendar, scheme):
    from odoo import Command  # noqa: PLC0415

    recurrence = {
        "date_start": OCT,
        "recurring_rule_type": "monthly",
        "recurring_interval": 1,
        "recurring_invoicing_type": "post-paid",
    }
    product = env.ref("helpdesk_sla_contract.product_sla_support_services")
    return dict(
        recurrence,
        name=f"Bench hosting contract {index}",
        partner_id=customer.id,
        contract_type="sale",
        pricing_model="fixed_fee",
        line_recurrence=False,
        maintenance_notice_hours=48.0,
        sla_calendar_id=calendar.id,
        penalty_scheme_id=scheme.id,
        contract_line_ids=[
            Command.create(
                dict(
                    recurrence,
                    product_id=product.id,
                    name="Managed hosting #START# - #END#",
                    quantity=1.0,
                    price_unit=MONTHLY_FEE,
                )
            )
        ],
    )


def incident_values(rng, index, services, windows):
    """The 20 October outages of contract number `index` (its 5 services)."""
    values = []
    last_by_service = {}
    span = (NOV_START - OCT_START).total_seconds() - 3 * 3600
    for k in range(INCIDENTS):
        service = services[k % len(services)]
        # One contract in ten has only short outages (1-10 minutes).
        minutes = rng.randint(1, 10 if index % 10 == 5 else 120)
        previous = last_by_service.get(service.id)
        if k == 0 and index % 10 == 0:
            # Starts in September, ends in October: clipped to the period.
            start = OCT_START - timedelta(minutes=rng.randint(1, 60))
            minutes = rng.randint(61, 120)
        elif k == PLANNED:
            window = windows[index % len(windows)]
            start = window.date_start + timedelta(minutes=rng.randint(0, 60))
        elif previous and k % 7 == 0:
            # Overlaps the previous outage of the same service.
            start = previous[0] + (previous[1] - previous[0]) / 2
        else:
            start = OCT_START + timedelta(seconds=rng.uniform(0, span))
        start = start.replace(microsecond=0)
        end = start + timedelta(minutes=minutes)
        last_by_service[service.id] = (start, end)
        values.append(
            {
                "name": f"{service.name} down",
                "service_id": service.id,
                "date_start": start,
                "date_end": end,
                "kind": "planned" if k == PLANNED else "unplanned",
                "customer_caused": k in CUSTOMER_CAUSED,
            }
        )
    return values


def make_windows(env):
    return env["helpdesk.sla.maintenance"].create(
        [
            {
                "name": f"Bench platform maintenance {index + 1}",
                "date_start": start,
                "date_end": start + timedelta(hours=hours),
                "announced_date": (
                    start - timedelta(days=days) if days is not None else False
                ),
            }
            for index, (start, hours, days) in enumerate(WINDOWS)
        ]
    )


def make_contracts(env, count, calendar, scheme, windows, rng, tag):
    """`count` contracts with their services and October outages; the
    maintenance windows cover the services of a quarter of them each."""
    from odoo import Command  # noqa: PLC0415

    customers = env["res.partner"].create(
        [
            {"name": f"Bench {tag} customer {i}", "is_company": True}
            for i in range(count)
        ]
    )
    contracts = env["contract.contract"].create(
        [
            contract_values(env, customer, i, calendar, scheme)
            for i, customer in enumerate(customers)
        ]
    )
    services = env["helpdesk.sla.service"].create(
        [
            {
                "name": name,
                "contract_id": contract.id,
                "uptime_target": 99.9,
                "measured_on": measured_on,
                "contract_line_id": contract.contract_line_ids[0].id,
            }
            for contract in contracts
            for name, measured_on in SERVICES
        ]
    )
    by_contract = [
        services[i * len(SERVICES) : (i + 1) * len(SERVICES)] for i in range(count)
    ]
    for w, window in enumerate(windows):
        window.write(
            {
                "service_ids": [
                    Command.link(service.id)
                    for i in range(w, count, len(windows))
                    for service in by_contract[i]
                ]
            }
        )
    plans = [incident_values(rng, i, by_contract[i], windows) for i in range(count)]
    env["helpdesk.sla.incident"].create([vals for plan in plans for vals in plan])
    support = support_intervals()
    expected = {
        contract.id: expected_tier(
            plan, by_contract[i], windows[i % len(windows)], support
        )
        for i, (contract, plan) in enumerate(zip(contracts, plans, strict=True))
    }
    return contracts, expected


# ----------------------------------------------------------------------
# Expected credits, computed here without the module's code (seconds from
# 2026-10-01 00:00 UTC)
# ----------------------------------------------------------------------


def seconds(moment):
    return (moment - OCT_START).total_seconds()


def support_intervals():
    """Mon-Fri 09:00-17:00 Europe/Berlin in October 2026 (no holiday)."""
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    berlin, utc = ZoneInfo(TZ), ZoneInfo("UTC")
    days = [OCT + timedelta(days=d) for d in range((NOV - OCT).days)]
    return [
        tuple(
            seconds(
                datetime.combine(day, datetime.min.time())
                .replace(hour=hour, tzinfo=berlin)
                .astimezone(utc)
                .replace(tzinfo=None)
            )
            for hour in (9, 17)
        )
        for day in days
        if day.weekday() < 5
    ]


def merged(intervals):
    out = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def intersected(intervals, others):
    return merged(
        (max(a, c), min(b, d))
        for a, b in intervals
        for c, d in others
        if min(b, d) > max(a, c)
    )


def expected_tier(plan, services, window, support):
    """The credit % the uptime rule should give a contract (0: no credit)."""
    month = [(0.0, seconds(NOV_START))]
    excused = window.announced_date and (
        window.date_start - window.announced_date >= timedelta(hours=48)
    )
    worst = 0.0
    for service, (_name, measured_on) in zip(services, SERVICES, strict=True):
        down = merged(
            (seconds(vals["date_start"]), seconds(vals["date_end"]))
            for vals in plan
            if vals["service_id"] == service.id and not vals["customer_caused"]
        )
        hours = support if measured_on == "support_hours" else month
        down = intersected(down, hours)
        if excused:
            hole = (seconds(window.date_start), seconds(window.date_end))
            down = [
                piece
                for a, b in down
                for piece in ((a, min(b, hole[0])), (max(a, hole[1]), b))
                if piece[1] > piece[0]
            ]
        total = sum(b - a for a, b in hours)
        uptime = 100.0 * (total - sum(b - a for a, b in down)) / total
        tiers = [credit for below, credit in TIERS if uptime < below]
        worst = max([worst, *tiers])
    return worst


def setup_database(registry, size, seed):
    """The N benchmark contracts and their data, committed."""
    import odoo  # noqa: PLC0415

    rng = random.Random(seed)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, SETUP_CONTEXT)
        t0 = time.perf_counter()
        calendar = make_calendar(env)
        scheme = make_scheme(env)
        windows = make_windows(env)
        contracts, expected = make_contracts(
            env, size, calendar, scheme, windows, rng, f"n{size}"
        )
        env.flush_all()
        cr.commit()
        cr.execute(
            "SELECT count(*), count(*) FILTER (WHERE customer_caused), "
            "count(*) FILTER (WHERE kind = 'planned') FROM helpdesk_sla_incident"
        )
        incidents, customer_caused, planned = cr.fetchone()
        cr.execute("SELECT count(*) FROM helpdesk_sla_service")
        services = cr.fetchone()[0]
        wrong_fee = env["helpdesk.sla.service"].search_count(
            [("monthly_fee", "!=", MONTHLY_FEE)]
        )
        return {
            "setup_s": time.perf_counter() - t0,
            "ids": contracts.ids,
            "expected": expected,
            "services": services,
            "incidents": incidents,
            "customer_caused": customer_caused,
            "planned": planned,
            "wrong_fee": wrong_fee,
        }


# ----------------------------------------------------------------------
# The credit run
# ----------------------------------------------------------------------


def credit_run(env, query_stats=None):
    """One monthly cron run at 2026-11-01 (flush included): seconds, queries,
    SQL time, credits returned. With query_stats (a dict), the count and time of
    each statement (its first words) are added to it."""
    env.invalidate_all()
    with benchlib.measured(env.cr, query_stats) as result:
        sla_credits = env["helpdesk.sla.credit"]._cron_compute_credits(today=NOV)
        env.flush_all()
    result["returned"] = len(sla_credits)
    return result


def credit_state(cr):
    """{credit id: (contract id, amount, tier %)} of the October credits."""
    cr.execute(
        "SELECT id, contract_id, amount, tier_percent FROM helpdesk_sla_credit "
        "WHERE period_start = %s",
        (OCT,),
    )
    return {row[0]: row[1:] for row in cr.fetchall()}


def check_first_run(run, state, size, expected):
    problems = []
    got = {contract_id: tier for contract_id, _a, tier in state.values()}
    differ = [
        (contract_id, tier, got.get(contract_id, 0.0))
        for contract_id, tier in expected.items()
        if got.get(contract_id, 0.0) != tier
    ]
    if differ:
        problems.append(
            f"{len(differ)} contracts whose credit tier differs from the one "
            f"computed here, e.g. (contract, expected %, got %) {differ[:3]}"
        )
    contracts = Counter(contract_id for contract_id, _a, _t in state.values())
    if not 0 < len(state) <= size:
        problems.append(f"{len(state)} credits for {size} contracts")
    if any(count > 1 for count in contracts.values()):
        problems.append("a contract got more than one credit")
    if run["returned"] != len(state):
        problems.append(f"the cron returned {run['returned']} of {len(state)} credits")
    expected = {credit: MONTHLY_FEE * credit / 100.0 for _below, credit in TIERS}
    wrong = [
        (amount, tier)
        for _contract, amount, tier in state.values()
        if abs(expected.get(tier, -1.0) - amount) > 0.005
    ]
    if wrong:
        problems.append(f"{len(wrong)} credits with unexpected amounts: {wrong[:3]}")
    return problems


def check_second_run(run, before, after):
    problems = []
    new = set(after) - set(before)
    if new:
        problems.append(f"the second run created {len(new)} credits")
    if set(before) - set(after):
        problems.append(f"the second run deleted {len(set(before) - set(after))}")
    changed = [cid for cid in set(before) & set(after) if before[cid] != after[cid]]
    if changed:
        problems.append(f"the second run changed {len(changed)} credits")
    if run["returned"] != len(after):
        problems.append(
            f"the second run returned {run['returned']} of {len(after)} credits"
        )
    return problems


def warm_up(env, ids):
    """Compute the credits of a few contracts, then roll back: the measured run
    does not pay for the first use of the code paths in this process."""
    contracts = env["contract.contract"].browse(ids[:3])
    env["helpdesk.sla.credit"]._sla_compute_credits(contracts, OCT, "month")
    env.flush_all()
    env.cr.rollback()
    env.invalidate_all()


def profile_run(env):
    """(seconds, cProfile listing, slowest SQL statements) of a first run."""
    query_stats = {}
    run, text = benchlib.profiled(
        lambda: credit_run(env, query_stats), 20, f"{benchlib.MODULE}/(models|lib)", 12
    )
    return run["s"], text, benchlib.top_queries(query_stats)


def bench_size(registry, size, seed, profile):
    """Set-up, a first credit run (checked, committed), a second run (no new
    credit), and with profile the first run again under cProfile."""
    import odoo  # noqa: PLC0415

    setup = setup_database(registry, size, seed)
    log(
        f"    set-up in {setup['setup_s']:.1f} s: {size} contracts, "
        f"{setup['services']} services, {setup['incidents']} incidents "
        f"({setup['customer_caused']} customer-caused, {setup['planned']} planned), "
        f"{len(WINDOWS)} maintenance windows"
    )
    if setup["wrong_fee"]:
        log(f"    !! {setup['wrong_fee']} services without the {MONTHLY_FEE:g} fee")
    result = {"n": size, "setup_s": setup["setup_s"]}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        warm_up(env, setup["ids"])
        first = credit_run(env)
        state = credit_state(cr)
        first["problems"] = check_first_run(first, state, size, setup["expected"])
        first["tiers"] = Counter(tier for _c, _a, tier in state.values())
        first["credits"] = len(state)
        first["expected"] = sum(1 for tier in setup["expected"].values() if tier)
        if profile:
            cr.rollback()
            env.invalidate_all()
            result["profile"] = profile_run(env)
            state = credit_state(cr)
        cr.commit()
        second = credit_run(env)
        after = credit_state(cr)
        second["problems"] = check_second_run(second, state, after)
        second["credits"] = len(after)
        cr.commit()
    for run in (first, second):
        run["ms_per_contract"] = run["s"] * 1000 / size
        run["q_per_contract"] = run["queries"] / size
    result.update(first=first, second=second, rss=benchlib.peak_rss_mb())
    return result


def report_run(label, run, size):
    log(
        f"    {label}: {run['s']:.2f} s for {size} contracts, "
        f"{run['ms_per_contract']:.1f} ms and {run['q_per_contract']:.1f} SQL "
        f"queries per contract ({run['queries']} queries, "
        f"{run['sql_s']:.2f} s of them in SQL); {run['credits']} October credits"
    )
    for problem in run["problems"]:
        log(f"    !! {problem}")


def report_size(item):
    first, second = item["first"], item["second"]
    report_run("first run", first, item["n"])
    tiers = ", ".join(
        f"{count} at {tier:g} %" for tier, count in sorted(first["tiers"].items())
    )
    if not first["problems"]:
        log(
            f"    checked: {first['credits']} credits (0 < credits <= {item['n']}, "
            f"one per contract at most; {tiers}; amounts = tier x "
            f"{MONTHLY_FEE:g}); each contract's tier as computed here from its "
            f"outages ({first['expected']} owed a credit)"
        )
    report_run("second run", second, item["n"])
    if not second["problems"]:
        log("    checked: no credit created, deleted or changed by the second run")
    log(f"    peak RSS {item['rss']:.0f} MB")
    if "profile" in item:
        seconds, text, queries = item["profile"]
        benchlib.log_profile(
            f"cProfile of the first run again ({seconds:.2f} s under it)", text, queries
        )


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def parse_args():
    parser = benchlib.argument_parser(__doc__, keep_help="keep the benchmark databases")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="rerun the largest first run under cProfile (top 20 cumulative)",
    )
    parser.add_argument("--seed", type=int, default=20261101)
    return parser.parse_args()


def main():
    args = parse_args()

    # build/odoo-test.conf (when there) for its options, overridden by ours.
    results, pg_version, total = benchlib.run_sizes(
        args,
        DB_PREFIX,
        "SLA credit benchmark",
        lambda registry, size, profile: bench_size(registry, size, args.seed, profile),
        report_size,
        use_test_conf=True,
    )
    print_summary(results, args, pg_version, total)
    if any(item[run]["problems"] for item in results for run in ("first", "second")):
        raise SystemExit(1)


def print_summary(results, args, pg_version, total):
    small, large = results
    lines = [
        *benchlib.summary_head("bench_credits.py", args, pg_version, total),
        "",
        "The whole month's `_cron_compute_credits(today=2026-11-01)` over N "
        "contracts (5 services, 20 October outages each, one shared penalty "
        "scheme), flush included; the second run recomputes the drafts:",
        "",
        "| Contracts | Run | Seconds | ms / contract | SQL queries "
        "| Queries / contract | of it in SQL | Credits | Checks |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for item in results:
        for label in ("first", "second"):
            run = item[label]
            lines.append(
                f"| {item['n']:,} | {label} | {run['s']:.2f} "
                f"| {run['ms_per_contract']:.1f} | {run['queries']:,} "
                f"| {run['q_per_contract']:.1f} | {run['sql_s']:.2f} s "
                f"| {run['credits']:,} | {'ok' if not run['problems'] else 'FAILED'} |"
            )
    for label in ("first", "second"):
        a, b = small[label], large[label]
        lines.append(
            f"| {large['n']:,} / {small['n']:,} | {label} | x{b['s'] / a['s']:.1f} "
            f"| x{b['ms_per_contract'] / a['ms_per_contract']:.2f} "
            f"| x{b['queries'] / a['queries']:.1f} "
            f"| x{b['q_per_contract'] / a['q_per_contract']:.2f} | | | |"
        )
    lines += [
        "",
        f"Growth {small['n']:,} -> {large['n']:,} contracts (linear: per-contract "
        "figures ~x1): "
        + "; ".join(
            f"{label} run time per contract "
            f"x{large[label]['ms_per_contract'] / small[label]['ms_per_contract']:.2f}"
            f", queries per contract "
            f"x{large[label]['q_per_contract'] / small[label]['q_per_contract']:.2f}"
            for label in ("first", "second")
        )
        + ".",
        "=" * 78,
    ]
    log("\n".join(lines))


if __name__ == "__main__":
    main()
