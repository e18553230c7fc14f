# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What an approved or applied uptime credit was computed from keeps what it
counted in the credit's period: downtime and maintenance windows (no model
here). The credit, the invoice and the customer's performance report then
agree; to change that period, finance resets the credit to draft first.

The system (monitoring alerts, outage tickets: superuser) records what
happened and is not held by this."""

from odoo import fields
from odoo.exceptions import UserError

DECIDED_STATES = ("approved", "applied")


def inside(interval, period):
    """The part of an interval (start, end or None while ongoing) inside a
    period (start, end), or None."""
    first = max(interval[0], period[0])
    last = min(interval[1] or period[1], period[1])
    return (first, last) if first < last else None


def credit_period(credit):
    """(start, end) of a credit's period, naive UTC datetimes, as the uptime
    of its period is measured."""
    return (
        fields.Datetime.to_datetime(credit.period_start),
        fields.Datetime.to_datetime(credit.period_end),
    )


def measured_services(credit):
    """The services whose uptime the credit's rule measures: the contract's
    (the rule's, or all) measured over the credit's kind of period, as
    helpdesk.sla.penalty.rule._sla_evaluate_uptime picks them (archived ones
    too: they may have been measured before)."""
    rule = credit.rule_id
    return (rule.service_ids or credit.contract_id.service_ids).filtered(
        lambda service: (
            service.contract_id == credit.contract_id
            and service.measurement_period == credit.period_kind
        )
    )


def decided_uptime_credits(services, start, end):
    """Approved or applied uptime credits that measure one of `services` and
    whose period overlaps [start, end) (end None: still ongoing)."""
    services = services.sudo()
    if not services or not start:
        return services.env["helpdesk.sla.credit"].sudo()
    domain = [
        ("contract_id", "in", services.contract_id.ids),
        ("state", "in", DECIDED_STATES),
        ("rule_id.kind", "=", "uptime"),
        ("period_end", ">", start.date()),
    ]
    if end:
        domain.append(("period_start", "<=", end.date()))
    found = (
        services.env["helpdesk.sla.credit"]
        .sudo()
        .with_context(active_test=False)
        .search(domain)
    )
    return found.filtered(lambda credit: measured_services(credit) & services)


def check_decided_credits(record, before, after, counted_in):
    """Refuse (UserError) a change of `record` from state `before` to `after`
    (None: no such record) that changes what it counts in the period of an
    approved or applied uptime credit: `counted_in(state, credit)`. A state
    starts with (services, start, end or None)."""
    states = [state for state in (before, after) if state]
    services = record.env["helpdesk.sla.service"]
    for state in states:
        services |= state[0]
    start = min(state[1] for state in states)
    ends = [state[2] for state in states]
    end = max(ends) if all(ends) else None
    for credit in decided_uptime_credits(services, start, end):
        if counted_in(before, credit) != counted_in(after, credit):
            _refuse_change(record, credit)


def _refuse_change(record, credit):
    raise UserError(
        record.env._(
            "%(record)s falls in the period of the SLA credit %(credit)s, approved "
            "or applied: the uptime that credit was computed from cannot change. "
            "Reset the credit to draft first (an applied one: remove it from its "
            "invoice).",
            record=record.display_name,
            credit=credit.display_name,
        )
    )
