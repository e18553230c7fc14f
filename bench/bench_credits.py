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

import argparse
import cProfile
import io
import os
import platform
import pstats
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date, datetime, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE = "helpdesk_sla_contract"
DB_PREFIX = "bench_credits_"
OCT = date(2026, 10, 1)
NOV = date(2026, 11, 1)
OCT_START = datetime(2026, 10, 1)
NOV_START = datetime(2026, 11, 1)
TZ = "Europe/Berlin"
SETUP_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_notrack": True,
}
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


def log(msg=""):
    print(msg, flush=True)


def peak_rss_mb():
    """Peak resident set size of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# ----------------------------------------------------------------------
# Environment: PostgreSQL, addons path, databases (as bench_contracts.py)
# ----------------------------------------------------------------------


OWN_PG_DIR = os.path.join(ROOT, "bench", ".pg")  # ignored by git (".pg/")
TEST_CONF = os.path.join(ROOT, "build", "odoo-test.conf")


def start_postgres(own_cluster):
    """Start scripts/pg.sh's cluster (shared with `make test`), or with
    own_cluster a cluster of the benchmark's own in bench/.pg."""
    if own_cluster:
        os.environ["SLA_PG_DIR"] = OWN_PG_DIR
        for key in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD"):
            os.environ.pop(key, None)
    out = subprocess.run(
        ["bash", os.path.join(ROOT, "scripts", "pg.sh"), "start"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    env = {}
    for line in out.splitlines():
        if not line.startswith("export "):
            continue
        for token in line.split()[1:]:
            key, _sep, value = token.partition("=")
            env[key] = value
    os.environ.update(env)
    return env["PGHOST"], env.get("PGPORT") or "5432", env["PGUSER"]


def stop_own_postgres():
    """Stop the --own-cluster cluster and remove it."""
    subprocess.run(
        ["bash", os.path.join(ROOT, "scripts", "pg.sh"), "stop"],
        check=False,
        env=dict(os.environ, SLA_PG_DIR=OWN_PG_DIR, PGHOST="", PGPORT="", PGUSER=""),
    )
    shutil.rmtree(OWN_PG_DIR, ignore_errors=True)


def addons_path():
    return subprocess.run(
        [sys.executable, os.path.join(ROOT, "scripts", "addons_path.py")],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.strip()


def admin_connection():
    import psycopg2  # noqa: PLC0415

    conn = psycopg2.connect(
        host=os.environ["PGHOST"],
        port=os.environ["PGPORT"],
        user=os.environ["PGUSER"],
        dbname="postgres",
    )
    conn.autocommit = True
    return conn


def drop_database(name):
    assert name.startswith(DB_PREFIX), name
    conn = admin_connection()
    try:
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        conn.close()


def create_databases(names, cli_args, workdir):
    """Create the databases with Odoo's CLI, all at once (one process each)."""
    procs = []
    for db in names:
        drop_database(db)
        log_path = os.path.join(workdir, f"{db}.log")
        cmd = [
            sys.executable,
            "-m",
            "odoo",
            *cli_args,
            "-d",
            db,
            "-i",
            MODULE,
            "--stop-after-init",
            "--without-demo=all",
            "--no-http",
            "--log-level=warn",
            f"--logfile={log_path}",
        ]
        with open(log_path, "ab") as output:
            proc = subprocess.Popen(
                cmd, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
            )
        procs.append((db, log_path, proc))
    failed = [(db, path) for db, path, proc in procs if proc.wait() != 0]
    for db, log_path in failed:
        with open(log_path, encoding="utf-8", errors="replace") as handle:
            log(f"--- {db}: installation failed, end of {log_path}:")
            log("".join(handle.readlines()[-40:]))
    if failed:
        raise SystemExit(1)


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
    cr = env.cr
    env.invalidate_all()
    thread = threading.current_thread()
    thread.query_count, thread.query_time = 0, 0.0
    if query_stats is not None:
        thread.query_hooks = [
            lambda _cr, query, _params, _start, delay: record_query(
                query_stats, query, delay
            )
        ]
    queries = cr.sql_log_count
    t0 = time.perf_counter()
    try:
        sla_credits = env["helpdesk.sla.credit"]._cron_compute_credits(today=NOV)
        env.flush_all()
    finally:
        seconds = time.perf_counter() - t0
        thread_queries, sql_s = thread.query_count, thread.query_time
        del thread.query_count, thread.query_time
        if query_stats is not None:
            del thread.query_hooks
    return {
        "s": seconds,
        "queries": cr.sql_log_count - queries,
        "thread_queries": thread_queries,
        "sql_s": sql_s,
        "returned": len(sla_credits),
    }


def record_query(stats, query, delay):
    if isinstance(query, bytes):
        query = query.decode(errors="replace")
    key = " ".join(str(query).split())[:110]
    count, total = stats.get(key, (0, 0.0))
    stats[key] = (count + 1, total + delay)


def top_queries(stats, limit=8):
    rows = sorted(stats.items(), key=lambda item: -item[1][1])[:limit]
    return "\n".join(
        f"{total:7.3f} s {count:6d} x  {key}" for key, (count, total) in rows
    )


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
    profiler = cProfile.Profile()
    profiler.enable()
    profiled = credit_run(env, query_stats)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(20)
    out.write("    ... and the functions of this module:\n")
    stats.print_stats(f"{MODULE}/(models|lib)", 12)
    return profiled["s"], out.getvalue(), top_queries(query_stats)


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
    result.update(first=first, second=second, rss=peak_rss_mb())
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
        log(f"    cProfile of the first run again ({seconds:.2f} s under it):")
        log("\n".join("      " + line for line in text.strip().splitlines()))
        log("    SQL statements taking the most time in that run:")
        log("\n".join("      " + line for line in queries.splitlines()))


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="20 and 100 contracts, for a smoke test"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the benchmark databases"
    )
    parser.add_argument(
        "--own-cluster",
        action="store_true",
        help="use a PostgreSQL cluster of the benchmark's own (bench/.pg, stopped "
        "at the end) instead of the shared one of scripts/pg.sh",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="rerun the largest first run under cProfile (top 20 cumulative)",
    )
    parser.add_argument("--seed", type=int, default=20261101)
    return parser.parse_args()


def close_and_drop(dbs, args, workdir):
    if args.keep:
        log(f"kept databases {', '.join(dbs)} and {workdir}")
        return
    try:
        import odoo  # noqa: PLC0415

        for db in dbs:
            odoo.modules.registry.Registry.delete(db)
            odoo.sql_db.close_db(db)
    except Exception as exc:  # noqa: BLE001
        log(f"(closing registries: {exc})")
    try:
        for db in dbs:
            drop_database(db)
        log(f"dropped {', '.join(dbs)}")
    except Exception as exc:  # noqa: BLE001
        log(f"!! could not drop {', '.join(dbs)}: {exc}")
    shutil.rmtree(workdir, ignore_errors=True)


def main():
    args = parse_args()
    sizes = (20, 100) if args.quick else (100, 1_000)
    started = time.perf_counter()
    host, port, user = start_postgres(args.own_cluster)
    workdir = tempfile.mkdtemp(prefix=DB_PREFIX)
    dbs = [f"{DB_PREFIX}{os.getpid()}_n{size}" for size in sizes]
    # build/odoo-test.conf (when there) for its options, overridden by ours.
    conf = (
        ["-c", TEST_CONF] if os.path.exists(TEST_CONF) and not args.own_cluster else []
    )
    cli_args = [
        *conf,
        f"--addons-path={addons_path()}",
        "--db_host",
        host,
        "--db_port",
        port,
        "--db_user",
        user,
        f"--data-dir={os.path.join(workdir, 'data')}",
    ]
    log(f"SLA credit benchmark ({'quick' if args.quick else 'full'} run)")
    log(f"PostgreSQL {host}:{port}; databases {', '.join(dbs)}")
    results = []
    pg_version = "?"
    try:
        t0 = time.perf_counter()
        create_databases(dbs, cli_args, workdir)
        log(f"databases created in {time.perf_counter() - t0:.0f} s")

        import odoo  # noqa: PLC0415

        odoo.tools.config.parse_config(
            [*cli_args, "--log-level=warn", "--no-http", "--without-demo=all"]
        )
        for size, db in zip(sizes, dbs, strict=True):
            registry = odoo.modules.registry.Registry(db)
            with registry.cursor() as cr:
                cr.execute("SHOW server_version")
                pg_version = cr.fetchone()[0]
            log(f"{size} contracts ({db}):")
            item = bench_size(
                registry, size, args.seed, args.profile and size == sizes[-1]
            )
            report_size(item)
            results.append(item)
    finally:
        close_and_drop(dbs, args, workdir)
        if args.own_cluster and not args.keep:
            stop_own_postgres()
    print_summary(results, args, pg_version, time.perf_counter() - started)
    if any(item[run]["problems"] for item in results for run in ("first", "second")):
        raise SystemExit(1)


def print_summary(results, args, pg_version, total):
    import odoo  # noqa: PLC0415

    small, large = results
    flags = " --quick" if args.quick else ""
    lines = [
        "",
        "=" * 78,
        "SUMMARY",
        "=" * 78,
        f"`python3 bench/bench_credits.py{flags}`, {datetime.now():%Y-%m-%d}: "
        f"Odoo {odoo.release.version}, Python {platform.python_version()}, "
        f"PostgreSQL {pg_version}, {os.cpu_count()} CPUs ({platform.machine()}); "
        f"whole run {total:.0f} s, peak RSS {peak_rss_mb():.0f} MB.",
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
