#!/usr/bin/env python3
# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Monitoring alert webhook benchmark of helpdesk_sla_contract (Odoo 18).

Run from the repository root:

    python3 bench/bench_alerts.py            # 300 services, bursts of 1 000
    python3 bench/bench_alerts.py --quick    # 60 services, bursts of 200

One throw-away database (bench_alerts_<pid>, this module without demo data) is
created with Odoo's CLI on the private PostgreSQL of scripts/pg.sh, and dropped
at the end (unless --keep). In it: one contract with N services (codes svc-0..),
one generic alert source over them. A burst is generic down/up deliveries (3
outages per service on average, a repeated down per outage, a quarter of the
deliveries sent twice, all shuffled: many ups arrive before their downs),
delivered by two threads at once - each delivery its own committed transaction,
replayed on serialization failures as Odoo's HTTP workers do
(`_sla_receive()`, the controller's whole work but the HTTP parsing). Measured:
deliveries per second (wall clock, both threads), SQL queries per delivery,
serialization retries. Checked: the incidents equal the outages a sequential
replay of the burst's events gives (no duplicate, no lost resolve).

Three bursts: on an empty history, after 20 000 older outages (incidents and
their events) were added, and after 60 000: queries per delivery must stay
flat (the goal: the third burst within 1.2x the first) and deliveries/s too.
"""

import functools
import json
import os
import random
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
from benchlib import SETUP_CONTEXT, log  # noqa: E402

DB_PREFIX = "bench_alerts_"
HISTORY_START = datetime(2024, 1, 1)


def make_burst(services, deliveries, start, seed):
    """About `deliveries` generic deliveries on `services` services from `start`."""
    rnd = random.Random(seed)
    bodies = []
    outages_needed = max(1, int(deliveries * 0.75 / 3))
    clock = {index: start for index in range(services)}
    for number in range(outages_needed):
        index = rnd.randrange(services)
        down = clock[index] + timedelta(minutes=rnd.randint(5, 120))
        up = down + timedelta(minutes=rnd.randint(1, 60))
        clock[index] = up
        for status, at in (
            ("down", down),
            ("down", down + timedelta(minutes=1)),
            ("up", up),
        ):
            bodies.append(
                {
                    "service": f"svc-{index}",
                    "status": status,
                    "at": at.isoformat() + "Z",
                    "id": f"{seed}-{number}-{status}-{at.isoformat()}",
                }
            )
    bodies += rnd.sample(bodies, len(bodies) // 4)
    rnd.shuffle(bodies)
    return bodies[:deliveries] if len(bodies) > deliveries else bodies


def setup(registry, services):
    from odoo import SUPERUSER_ID, Command, api  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, SETUP_CONTEXT)
        partner = env["res.partner"].create({"name": "Bench Ltd", "is_company": True})
        contract = env["contract.contract"].create(
            {
                "name": "Bench hosting",
                "partner_id": partner.id,
                "contract_type": "sale",
                "line_recurrence": False,
                "recurring_rule_type": "monthly",
                "date_start": HISTORY_START.date(),
            }
        )
        records = env["helpdesk.sla.service"].create(
            [
                {"name": f"Service {i}", "code": f"svc-{i}", "contract_id": contract.id}
                for i in range(services)
            ]
        )
        source = env["helpdesk.sla.alert.source"].create(
            {
                "name": "Bench",
                "kind": "generic",
                "service_ids": [Command.set(records.ids)],
            }
        )
        token = source.action_sla_new_token()["params"]["token"]
        cr.commit()
        return source.id, records.ids, token


def add_history(registry, source_id, service_ids, count, seed):
    """`count` closed outages before the bursts, with their events (as if
    delivered), spread over the services."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    rnd = random.Random(seed)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, SETUP_CONTEXT)
        per_service = count // len(service_ids)
        incidents, events = [], []
        for service_id in service_ids:
            cr.execute(
                "SELECT max(date_end) FROM helpdesk_sla_incident WHERE service_id = %s",
                [service_id],
            )
            clock = cr.fetchone()[0] or HISTORY_START
            for _n in range(per_service):
                down = clock + timedelta(minutes=rnd.randint(30, 240))
                up = down + timedelta(minutes=rnd.randint(1, 20))
                clock = up
                incidents.append(
                    {
                        "service_id": service_id,
                        "date_start": down,
                        "date_end": up,
                        "alert_source_id": source_id,
                    }
                )
                for status, at in (("down", down), ("up", up)):
                    events.append(
                        {
                            "source_id": source_id,
                            "service_id": service_id,
                            "key": f"h-{service_id}-{status}-{at.isoformat()}",
                            "stream": f"{source_id}:generic",
                            "status": status,
                            "at": at,
                        }
                    )
        env["helpdesk.sla.incident"].create(incidents)
        env["helpdesk.sla.alert.event"].create(events)
        cr.commit()
        cr.execute("SELECT max(date_end) FROM helpdesk_sla_incident")
        return cr.fetchone()[0]


def _receive(env, token, payload, tries):
    tries[0] += 1
    return env["helpdesk.sla.alert.source"]._sla_receive("generic", token, payload)


def deliver_all(registry, token, bodies, threads=2):
    """Deliver every body once, spread over `threads` threads (each body goes
    to one worker: a real burst). Returns (seconds, queries, retries, statuses)."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415
    from odoo.service.model import retrying  # noqa: PLC0415

    stats = {"queries": 0, "tries": 0, "statuses": [], "errors": []}
    lock = threading.Lock()

    def worker(chunk):
        thread = threading.current_thread()
        for body in chunk:
            thread.query_count, thread.query_time = 0, 0.0
            tries = [0]
            try:
                with registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    receive = functools.partial(
                        _receive, env, token, json.dumps(body).encode(), tries
                    )
                    status, _answer = retrying(receive, env)
                    cr.commit()
            except Exception as exc:  # noqa: BLE001
                with lock:
                    stats["errors"].append(repr(exc))
                continue
            with lock:
                stats["queries"] += getattr(thread, "query_count", 0)
                stats["tries"] += tries[0] - 1
                stats["statuses"].append(status)

    chunks = [bodies[i::threads] for i in range(threads)]
    started = time.perf_counter()
    workers = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return time.perf_counter() - started, stats


def check(registry, service_ids, source_id, since):
    """The incidents since `since` against the outages of the events."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    from odoo.addons.helpdesk_sla_contract.lib.alert_payloads import (  # noqa: PLC0415
        outages,
    )

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        events = env["helpdesk.sla.alert.event"].search(
            [("service_id", "in", service_ids), ("at", ">=", since)]
        )
        expected = set()
        by_service = {}
        for event in events:
            by_service.setdefault(event.service_id.id, set()).add(
                (event.stream, event.status, event.at)
            )
        for service_id, items in by_service.items():
            expected |= {(service_id, s, e or False) for s, e in outages(items)}
        incidents = env["helpdesk.sla.incident"].search(
            [("service_id", "in", service_ids), ("date_start", ">=", since)]
        )
        found = [(i.service_id.id, i.date_start, i.date_end) for i in incidents]
        return set(found) == expected and len(found) == len(set(found))


def main():
    parser = benchlib.argument_parser(__doc__, keep_help="keep the database")
    args = parser.parse_args()
    services, deliveries = (60, 200) if args.quick else (300, 1000)
    history_steps = (0, 20_000, 40_000) if not args.quick else (0, 2_000, 4_000)
    host, port, user = benchlib.start_postgres(args.own_cluster)
    workdir = tempfile.mkdtemp(prefix=DB_PREFIX)
    db = f"{DB_PREFIX}{os.getpid()}"
    cli_args = benchlib.odoo_cli_args(host, port, user, workdir)
    log(f"Alert webhooks: {services} services, bursts of {deliveries}, 2 threads")
    rows = []
    try:
        benchlib.create_databases([db], DB_PREFIX, cli_args, workdir)
        benchlib.configure_odoo(cli_args)
        registry, pg_version = benchlib.open_registry(db)
        source_id, service_ids, token = setup(registry, services)
        history = 0
        last = HISTORY_START
        for step, added in enumerate(history_steps):
            if added:
                last = add_history(registry, source_id, service_ids, added, step)
                history += added
            start = last + timedelta(days=1)
            bodies = make_burst(services, deliveries, start, seed=step)
            seconds, stats = deliver_all(registry, token, bodies)
            done = len(stats["statuses"])
            ok = check(registry, service_ids, source_id, start)
            row = {
                "history": history,
                "deliveries": done,
                "per_s": done / seconds,
                "queries": stats["queries"] / max(done, 1),
                "retries": stats["tries"],
                "errors": len(stats["errors"]),
                "non_200": sum(1 for s in stats["statuses"] if s != 200),
                "replay_equal": ok,
            }
            rows.append(row)
            log(
                f"  history {history:>6} outages: {row['per_s']:.0f} deliveries/s, "
                f"{row['queries']:.1f} queries/delivery, {row['retries']} retries, "
                f"{row['errors']} errors, equal to sequential replay: {ok}"
            )
            if stats["errors"]:
                log(f"  first error: {stats['errors'][0]}")
            last = max(last, start + timedelta(days=60))
    finally:
        benchlib.close_and_drop([db], DB_PREFIX, args.keep, workdir)
        if args.own_cluster and not args.keep:
            benchlib.stop_own_postgres()
    flat = rows[-1]["queries"] <= 1.2 * rows[0]["queries"]
    log("")
    log(f"PostgreSQL {pg_version}")
    log(
        f"queries/delivery {rows[0]['queries']:.1f} -> {rows[-1]['queries']:.1f} "
        f"with {rows[-1]['history']} older outages: "
        f"{'PASS' if flat else 'MISS'} (<= 1.2x)"
    )
    correct = all(
        row["replay_equal"] and row["deliveries"] and not row["errors"] for row in rows
    )
    log(f"every burst equal to its sequential replay: {'PASS' if correct else 'MISS'}")
    return 0 if flat and correct else 1


if __name__ == "__main__":
    sys.exit(main())
