# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared set-up of the benchmarks bench_contracts.py and bench_credits.py.

The private PostgreSQL of scripts/pg.sh (or a cluster of the benchmark's own),
throw-away databases created with Odoo's CLI and dropped at the end, in-process
registries, timing and SQL query counting, cProfile listings, the common command
line options and the head of the summary block.

The scripts import it as `benchlib` (they put their own folder on sys.path), so
that `python3 bench/bench_x.py` works from the repository root.
"""

import argparse
import contextlib
import cProfile
import io
import os
import platform
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE = "helpdesk_sla_contract"
# Ignored by git (".pg/"); SLA_BENCH_PG_DIR gives two runs at once a cluster each.
OWN_PG_DIR = os.environ.get("SLA_BENCH_PG_DIR") or os.path.join(ROOT, "bench", ".pg")
TEST_CONF = os.path.join(ROOT, "build", "odoo-test.conf")
# Context of the fixtures' create() calls: no tracking, no chatter.
SETUP_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_notrack": True,
}


def log(msg=""):
    """Print a line at once (the runs take minutes)."""
    print(msg, flush=True)


def peak_rss_mb():
    """Peak resident set size of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def benchmark_sizes(quick):
    """The two numbers of contracts measured: 20 and 100 with --quick."""
    return (20, 100) if quick else (100, 1_000)


# ----------------------------------------------------------------------
# Command line
# ----------------------------------------------------------------------


def argument_parser(doc, keep_help):
    """A parser with the options all benchmarks share (--quick, --keep,
    --own-cluster); its description is the first paragraph of `doc`."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="20 and 100 contracts, for a smoke test"
    )
    parser.add_argument("--keep", action="store_true", help=keep_help)
    parser.add_argument(
        "--own-cluster",
        action="store_true",
        help="use a PostgreSQL cluster of the benchmark's own (bench/.pg, stopped "
        "at the end) instead of the shared one of scripts/pg.sh",
    )
    return parser


# ----------------------------------------------------------------------
# Environment: PostgreSQL, addons path, databases
# ----------------------------------------------------------------------


def start_postgres(own_cluster):
    """Start scripts/pg.sh's cluster (shared with `make test`), or with
    own_cluster a cluster of the benchmark's own in bench/.pg; export its
    PG* variables and return (host, port, user)."""
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
    """The addons path of scripts/addons_path.py (Odoo, OCA, this module)."""
    return subprocess.run(
        [sys.executable, os.path.join(ROOT, "scripts", "addons_path.py")],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.strip()


def odoo_cli_args(host, port, user, workdir, conf=None):
    """Odoo command line options for the cluster, with a data dir in workdir;
    with conf, that configuration file first (the options override it)."""
    return [
        *(["-c", conf] if conf else []),
        f"--addons-path={addons_path()}",
        "--db_host",
        host,
        "--db_port",
        port,
        "--db_user",
        user,
        f"--data-dir={os.path.join(workdir, 'data')}",
    ]


def admin_connection():
    """An autocommit psycopg2 connection to the `postgres` database."""
    import psycopg2  # noqa: PLC0415

    conn = psycopg2.connect(
        host=os.environ["PGHOST"],
        port=os.environ["PGPORT"],
        user=os.environ["PGUSER"],
        dbname="postgres",
    )
    conn.autocommit = True
    return conn


def drop_database(name, prefix):
    """Drop database `name` if it exists (it must start with `prefix`)."""
    assert name.startswith(prefix), name
    conn = admin_connection()
    try:
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        conn.close()


def odoo_install_command(cli_args, db, module, log_path, log_level):
    """Odoo's CLI installing `module` on `db` without demo data or HTTP, its
    log in `log_path`."""
    return [
        sys.executable,
        "-m",
        "odoo",
        *cli_args,
        "-d",
        db,
        "-i",
        module,
        "--stop-after-init",
        "--without-demo=all",
        "--no-http",
        f"--log-level={log_level}",
        f"--logfile={log_path}",
    ]


def log_failed_install(db, log_path):
    """Print the end of the log of a failed installation on `db`."""
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        log(f"--- {db}: installation failed, end of {log_path}:")
        log("".join(handle.readlines()[-40:]))


def create_databases(names, prefix, cli_args, workdir, module=MODULE):
    """Create the databases with Odoo's CLI, all at once (one process each),
    without demo data; exit if an installation fails. `names` holds database
    names (installing `module`) or (name, module) pairs."""
    procs = []
    for spec in names:
        db, db_module = spec if isinstance(spec, tuple) else (spec, module)
        drop_database(db, prefix)
        log_path = os.path.join(workdir, f"{db}.log")
        cmd = odoo_install_command(cli_args, db, db_module, log_path, "warn")
        with open(log_path, "ab") as output:
            proc = subprocess.Popen(
                cmd, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
            )
        procs.append((db, log_path, proc))
    failed = [(db, path) for db, path, proc in procs if proc.wait() != 0]
    for db, log_path in failed:
        log_failed_install(db, log_path)
    if failed:
        raise SystemExit(1)


def configure_odoo(cli_args):
    """Load Odoo's configuration in this process, for in-process registries."""
    import odoo  # noqa: PLC0415

    odoo.tools.config.parse_config(
        [*cli_args, "--log-level=warn", "--no-http", "--without-demo=all"]
    )


def open_registry(db):
    """(registry, PostgreSQL server version) of database `db`."""
    import odoo  # noqa: PLC0415

    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        cr.execute("SHOW server_version")
        return registry, cr.fetchone()[0]


def close_and_drop(dbs, prefix, keep, workdir):
    """Close the registries of `dbs` and drop them, and remove workdir; with
    keep, only say what is kept."""
    if keep:
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
            drop_database(db, prefix)
        log(f"dropped {', '.join(dbs)}")
    except Exception as exc:  # noqa: BLE001
        log(f"!! could not drop {', '.join(dbs)}: {exc}")
    shutil.rmtree(workdir, ignore_errors=True)


def run_sizes(args, prefix, title, bench_one, report, use_test_conf=False):
    """Start PostgreSQL, create one database `<prefix><pid>_n<size>` per size,
    for each size in turn call bench_one(registry, size, profile) (profile: with
    --profile, for the largest size) and report(its result), then drop the
    databases (unless args.keep) and stop an own cluster. With use_test_conf,
    build/odoo-test.conf (when there, and not with --own-cluster) provides the
    Odoo options ours do not override.
    Returns (results, PostgreSQL version, seconds of the whole run)."""
    sizes = benchmark_sizes(args.quick)
    started = time.perf_counter()
    host, port, user = start_postgres(args.own_cluster)
    workdir = tempfile.mkdtemp(prefix=prefix)
    dbs = [f"{prefix}{os.getpid()}_n{size}" for size in sizes]
    use_conf = use_test_conf and os.path.exists(TEST_CONF) and not args.own_cluster
    cli_args = odoo_cli_args(host, port, user, workdir, TEST_CONF if use_conf else None)
    log(f"{title} ({'quick' if args.quick else 'full'} run)")
    log(f"PostgreSQL {host}:{port}; databases {', '.join(dbs)}")
    results = []
    pg_version = "?"
    try:
        t0 = time.perf_counter()
        create_databases(dbs, prefix, cli_args, workdir)
        log(f"databases created in {time.perf_counter() - t0:.0f} s")
        configure_odoo(cli_args)
        for size, db in zip(sizes, dbs, strict=True):
            registry, pg_version = open_registry(db)
            log(f"{size} contracts ({db}):")
            item = bench_one(registry, size, args.profile and size == sizes[-1])
            report(item)
            results.append(item)
    finally:
        close_and_drop(dbs, prefix, args.keep, workdir)
        if args.own_cluster and not args.keep:
            stop_own_postgres()
    return results, pg_version, time.perf_counter() - started


# ----------------------------------------------------------------------
# Measuring: time, SQL queries, cProfile
# ----------------------------------------------------------------------


@contextlib.contextmanager
def measured(cr, query_stats=None):
    """Time the block and count its SQL queries on cr. Yields a dict filled at
    the end with s (seconds), queries (cr.sql_log_count), thread_queries and
    sql_s (Odoo's per-thread count and SQL time). With query_stats (a dict),
    the count and time of each statement (its first words) are added to it."""
    thread = threading.current_thread()
    thread.query_count, thread.query_time = 0, 0.0
    if query_stats is not None:
        thread.query_hooks = [
            lambda _cr, query, _params, _start, delay: record_query(
                query_stats, query, delay
            )
        ]
    result = {}
    queries = cr.sql_log_count
    t0 = time.perf_counter()
    try:
        yield result
    finally:
        result["s"] = time.perf_counter() - t0
        result["queries"] = cr.sql_log_count - queries
        result["thread_queries"] = thread.query_count
        result["sql_s"] = thread.query_time
        del thread.query_count, thread.query_time
        if query_stats is not None:
            del thread.query_hooks


def record_query(stats, query, delay):
    """Add one execution of `query` taking `delay` seconds to stats."""
    if isinstance(query, bytes):
        query = query.decode(errors="replace")
    key = " ".join(str(query).split())[:110]
    count, total = stats.get(key, (0, 0.0))
    stats[key] = (count + 1, total + delay)


def top_queries(stats, limit=8):
    """The `limit` statements of stats that took the most time, as text."""
    rows = sorted(stats.items(), key=lambda item: -item[1][1])[:limit]
    return "\n".join(
        f"{total:7.3f} s {count:6d} x  {key}" for key, (count, total) in rows
    )


def profiled(func, top, module_paths, module_top):
    """Call func() under cProfile: (its result, listing of the `top` functions
    by cumulative time, then the `module_top` first matching module_paths, a
    regular expression on file names)."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        result = func()
    finally:
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(top)
    out.write("    ... and the functions of this module:\n")
    stats.print_stats(module_paths, module_top)
    return result, out.getvalue()


# ----------------------------------------------------------------------
# Reporting
# ----------------------------------------------------------------------


def log_profile(title, text, queries):
    """Print a cProfile listing and the slowest SQL statements, indented."""
    log(f"    {title}:")
    log("\n".join("      " + line for line in text.strip().splitlines()))
    log("    SQL statements taking the most time in that run:")
    log("\n".join("      " + line for line in queries.splitlines()))


def summary_head(script, args, pg_version, total):
    """The first lines of the SUMMARY block: the command, date and machine."""
    import odoo  # noqa: PLC0415

    flags = " --quick" if args.quick else ""
    return [
        "",
        "=" * 78,
        "SUMMARY",
        "=" * 78,
        f"`python3 bench/{script}{flags}`, {datetime.now():%Y-%m-%d}: "
        f"Odoo {odoo.release.version}, Python {platform.python_version()}, "
        f"PostgreSQL {pg_version}, {os.cpu_count()} CPUs ({platform.machine()}); "
        f"whole run {total:.0f} s, peak RSS {peak_rss_mb():.0f} MB.",
    ]
