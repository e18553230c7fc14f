# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Part (e) of bench_sla.py: installing the module on a helpdesk that already
holds N open tickets.

A database with the module's dependencies gets N open tickets inserted with
SQL (several teams, customers, open stages and priorities, created over the
past weeks so that most are overdue), then:

1. ``-i helpdesk_sla_contract`` with Odoo's CLI (what an administrator runs;
   the ORM computes the new stored fields of every ticket at the install);
2. the configuration an administrator makes next, in-process: a policy per team
   for two teams and the company's default policy for the rest, then "Apply to
   open tickets" (every open ticket's policy and clock computed);
3. the SLA check (``_cron_check_sla`` as ``ir.cron`` calls it, until nothing
   remains) records the breaches: those due before the installation silently
   (no notes, activities or notifications).

The goal is the whole of it in under 10 minutes, every clock computed and the
old breaches recorded without a word.
"""

import os
import subprocess
import time
from datetime import UTC, datetime

from benchlib import ROOT, log, log_failed_install, odoo_install_command

N_TEAMS = 4
N_CUSTOMERS = 60

INSERT_OPEN_TICKETS = """
INSERT INTO helpdesk_ticket (
    number, name, description, company_id, stage_id, unattended, priority,
    kanban_state, active, sequence, team_id, partner_id, commercial_partner_id,
    last_stage_update, create_uid, write_uid, create_date, write_date)
SELECT 'INST' || g, 'Existing ticket ' || g, '<p>existing</p>', %(company)s,
    (%(stages)s::int[])[1 + g %% cardinality(%(stages)s::int[])], false,
    ((g * 7) %% 4)::text, 'normal', true, 10,
    (%(teams)s::int[])[1 + g %% cardinality(%(teams)s::int[])],
    (%(customers)s::int[])[1 + (g * 13) %% cardinality(%(customers)s::int[])],
    (%(customers)s::int[])[1 + (g * 13) %% cardinality(%(customers)s::int[])],
    created, 1, 1, created, created
FROM (
    -- created over the past `spread` seconds (Knuth's multiplicative hash)
    SELECT g, %(now)s - make_interval(secs => (g::bigint * 2654435761 %% %(spread)s))
        AS created
    FROM generate_series(1, %(n)s) AS g
) AS spread
"""


def helpdesk_with_tickets(registry, n_tickets, spread_days=42):
    """Teams, customers and N open tickets in a database without the module
    (committed). Returns the seconds of the insert."""
    import odoo  # noqa: PLC0415

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        teams = env["helpdesk.ticket.team"].create(
            [{"name": f"Existing team {i}"} for i in range(N_TEAMS)]
        )
        customers = env["res.partner"].create(
            [
                {"name": f"Existing customer {i}", "is_company": True}
                for i in range(N_CUSTOMERS)
            ]
        )
        stages = env["helpdesk.ticket.stage"].search([("closed", "=", False)])
        now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        t0 = time.perf_counter()
        cr.execute(
            INSERT_OPEN_TICKETS,
            {
                "company": env.company.id,
                "stages": stages.ids,
                "teams": teams.ids,
                "customers": customers.ids,
                "now": now,
                "spread": spread_days * 86400,
                "n": n_tickets,
            },
        )
        cr.execute("ANALYZE helpdesk_ticket")
        cr.commit()
        return time.perf_counter() - t0


def install_module(cli_args, workdir, db, module):
    """`odoo -i module` on db with Odoo's CLI; returns (seconds, peak RSS of
    the process in MB). Exits when the installation fails."""
    log_path = os.path.join(workdir, f"{db}_install.log")
    cmd = odoo_install_command(cli_args, db, module, log_path, "info")
    t0 = time.perf_counter()
    with open(log_path, "ab") as output:
        # /usr/bin/time is not everywhere: the child's peak RSS from wait4().
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        log_failed_install(db, log_path)
        raise SystemExit(1)
    return seconds, usage.ru_maxrss / 1024.0


def configure_and_apply(env, make_calendar, make_policy, profiled=None):
    """What an administrator does after the install: a policy for two of the
    teams, the company's default policy for the others, then "Apply to open
    tickets". Returns the seconds of the apply (committed) and, with
    `profiled`, its profile."""
    from odoo import Command  # noqa: PLC0415

    calendar = make_calendar(env, [], name="Existing helpdesk business hours")
    teams = env["helpdesk.ticket.team"].search(
        [("name", "like", "Existing team")], order="id"
    )
    for sequence, team in enumerate(teams[:2], start=1):
        policy = make_policy(env, calendar, team_ids=[Command.set(team.ids)])
        policy.write({"name": f"{team.name} SLA", "sequence": sequence})
    default = make_policy(env, calendar)
    env.company.sla_default_policy_id = default
    env.cr.commit()

    def apply():
        default.action_apply_to_open_tickets()
        env.flush_all()
        env.cr.commit()

    t0 = time.perf_counter()
    profile = profiled(apply) if profiled else apply()
    return time.perf_counter() - t0, profile


def install_facts(cr, install_start):
    """What the installation left: tickets, clocks, breaches and what was said
    about the breaches due before the installation."""
    cr.execute(
        """SELECT count(*),
                  count(*) FILTER (WHERE sla_policy_id IS NOT NULL),
                  count(*) FILTER (WHERE sla_resolution_deadline IS NOT NULL
                                     AND sla_resolution_status IS NOT NULL),
                  count(*) FILTER (WHERE sla_resolution_status = 'breached')
           FROM helpdesk_ticket"""
    )
    tickets, with_policy, with_clock, breached = cr.fetchone()
    cr.execute(
        """SELECT count(*), count(*) FILTER (WHERE deadline < %s)
           FROM helpdesk_sla_breach""",
        (install_start,),
    )
    breaches, old_breaches = cr.fetchone()
    # Notes, activities and notifications about tickets whose deadlines are
    # all older than the installation: there must be none.
    cr.execute(
        """WITH old AS (
               SELECT id AS ticket_id FROM helpdesk_ticket
               WHERE sla_response_deadline < %s AND sla_resolution_deadline < %s)
           SELECT (SELECT count(*) FROM mail_message m JOIN old
                     ON m.model = 'helpdesk.ticket' AND m.res_id = old.ticket_id),
                  (SELECT count(*) FROM mail_activity a JOIN old
                     ON a.res_model = 'helpdesk.ticket' AND a.res_id = old.ticket_id),
                  (SELECT count(*) FROM mail_message
                    WHERE message_type = 'user_notification')""",
        (install_start, install_start),
    )
    notes, activities, digests = cr.fetchone()
    return {
        "tickets": tickets,
        "with_policy": with_policy,
        "with_clock": with_clock,
        "breached": breached,
        "breaches": breaches,
        "old_breaches": old_breaches,
        "old_notes": notes,
        "old_activities": activities,
        "digests": digests,
    }


def bench_install(
    cli_args, workdir, db, n_tickets, make_calendar, make_policy, run_cron, profiled
):
    """(e): returns the timings of the three steps and install_facts() (with
    `profiled`, the profile of the apply)."""
    import odoo  # noqa: PLC0415

    registry = odoo.modules.registry.Registry(db)
    insert_s = helpdesk_with_tickets(registry, n_tickets)
    log(f"      {n_tickets} open tickets inserted in {insert_s:.1f} s")
    odoo.modules.registry.Registry.delete(db)
    odoo.sql_db.close_db(db)
    install_start = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    install_s, install_rss = install_module(
        cli_args, workdir, db, "helpdesk_sla_contract"
    )
    log(
        f"      -i helpdesk_sla_contract: {install_s:.1f} s (peak {install_rss:.0f} MB)"
    )
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        escalation_start = env["helpdesk.ticket"]._sla_escalation_start()
        apply_s, profile = configure_and_apply(
            env, make_calendar, make_policy, profiled
        )
        log(
            f"      policies configured, applied to the open tickets in {apply_s:.1f} s"
        )
        checks = {}
        check_profile = (
            profiled(lambda: checks.update(result=run_cron(env)))
            if profiled
            else checks.update(result=run_cron(env))
        )
        check_s, per_call, _done, problems = checks["result"]
        log(
            f"      SLA check: {check_s:.1f} s in {len(per_call)} calls"
            + (f"; !! progress: {problems[:3]}" if problems else "")
        )
        facts = install_facts(cr, escalation_start or install_start)
    odoo.modules.registry.Registry.delete(db)
    odoo.sql_db.close_db(db)
    return {
        "n": n_tickets,
        "install_s": install_s,
        "install_rss": install_rss,
        "apply_s": apply_s,
        "check_s": check_s,
        "check_calls": len(per_call),
        "problems": problems,
        "total_s": install_s + apply_s + check_s,
        "escalation_start": escalation_start,
        **({"profile": profile, "check_profile": check_profile} if profile else {}),
        **facts,
    }
