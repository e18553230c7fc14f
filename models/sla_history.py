# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Delete protection of what the SLA history refers to (no model here).

Policies, calendars, services, penalty rules and contracts that tickets,
breaches, incidents, credits or invoices refer to are archived, not deleted:
archiving keeps the history and stops their future use."""

from odoo.exceptions import AccessError, UserError

# How many credits a message names.
CREDITS_NAMED = 5


def count_references(records, model, fname):
    """{id of one of `records`: how many `model` records refer to it through
    the many2one `fname`}, archived ones included (they are history too)."""
    if not records:
        return {}
    groups = (
        records.env[model]
        .sudo()
        .with_context(active_test=False)
        ._read_group([(fname, "in", records.ids)], [fname], ["__count"])
    )
    return {record.id: count for record, count in groups}


def refuse_unlink_if_referenced(records, references):
    """Raise a UserError naming those of `records` that the history refers to,
    with what refers to them. `references`: [(label, {record id: count})]."""
    uses = {}
    for label, counts in references:
        for record_id, count in counts.items():
            if count:
                uses.setdefault(record_id, []).append(f"{label}: {count}")
    if not uses:
        return
    described = "; ".join(
        f"{record.display_name} ({', '.join(uses[record.id])})"
        for record in records.sudo()
        if record.id in uses
    )
    raise UserError(
        records.env._(
            "Cannot delete %(records)s: the SLA history refers to them. "
            "Archive them instead: archiving keeps the history and stops their "
            "future use.",
            records=described,
        )
    )


def refuse_unlink_behind_credits(records, fname):
    """Breaches and downtime are the basis of credits: those a credit (its
    many2many `fname`) was computed from cannot be deleted."""
    env = records.env
    sla_credits = (
        env["helpdesk.sla.credit"]
        .sudo()
        .search([(fname, "in", records.ids)], limit=CREDITS_NAMED + 1)
    )
    if sla_credits:
        names = sla_credits[:CREDITS_NAMED].mapped("display_name")
        if len(sla_credits) > CREDITS_NAMED:
            names.append("…")
        raise UserError(
            env._(
                "Cannot delete %(records)s: the SLA credits %(credits)s were "
                "computed from them.",
                records=", ".join(records.sudo().mapped("display_name")),
                credits=", ".join(names),
            )
        )


def refuse_unlink_unless_sla_manager(records):
    """Breaches and downtime records are deleted by SLA managers only."""
    env = records.env
    if not (env.su or env.user.has_group("helpdesk_sla_contract.group_sla_manager")):
        raise AccessError(
            env._("Only SLA managers can delete SLA breaches and downtime records.")
        )
