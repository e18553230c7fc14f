# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import Counter

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..lib import sla_stats
from .helpdesk_sla_target import sla_priority_selection

TARGET_KINDS = ("response", "resolution")
# What a customer may see: decided credits only.
SHOWN_CREDIT_STATES = ("approved", "applied")
# The counts of a row of the table by priority, summed in the totals.
COUNTED = ("count", "resp_met", "resp_breached", "res_met", "res_breached")


def _kind_total(counts, kind):
    """Sum of a (priority, kind) Counter over the priorities."""
    return sum(
        count for (_priority, of_kind), count in counts.items() if of_kind == kind
    )


class HelpdeskSlaPerformanceReport(models.Model):
    """The figures of a contract's SLA performance report.

    One rule for every figure: a response or resolution target counts in the
    period that holds its deadline, breached when a breach was recorded
    (with the contract and priority of breach time), met when its ticket met
    it. The summary, the table by priority, the breach table and the trend
    are all counted that way, so they always agree."""

    _inherit = "helpdesk.sla.performance.report"

    @api.model
    def _sla_period_breaches(self, contract, start, end):
        """The breaches of a contract due in [start, end) (datetimes)."""
        return (
            self.env["helpdesk.sla.breach"]
            .sudo()
            .search(
                [
                    ("contract_id", "=", contract.id),
                    ("deadline", ">=", start),
                    ("deadline", "<", end),
                ],
                order="deadline, id",
            )
        )

    @api.model
    def _sla_target_counts(self, contract, start, end, breaches):
        """(met, breached) Counters by (priority, kind) of the targets due in
        [start, end): met from the tickets (without a recorded breach of that
        kind), breached from `breaches`."""
        tickets = self.env["helpdesk.ticket"].sudo()
        met = Counter()
        for kind in TARGET_KINDS:
            groups = tickets._read_group(
                [
                    ("contract_id", "=", contract.id),
                    (f"sla_{kind}_status", "=", "met"),
                    (f"sla_{kind}_breach_recorded", "=", False),
                    (f"sla_{kind}_deadline", ">=", start),
                    (f"sla_{kind}_deadline", "<", end),
                ],
                ["priority"],
                ["__count"],
            )
            for priority, count in groups:
                met[(priority, kind)] += count
        breached = Counter((breach.priority, breach.kind) for breach in breaches)
        return met, breached

    @api.model
    def _sla_priority_rows(self, contract, period_start, period_end, met, breached):
        """Rows of the table by priority (most urgent first) and their totals."""
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("contract_id", "=", contract.id),
                    ("sla_start_date", ">=", period_start),
                    ("sla_start_date", "<", period_end),
                ]
            )
        )
        rows = []
        totals = Counter()
        # Labels in the report's language (the customer's), as on tickets.
        for priority, label in sla_priority_selection(self):
            row = {
                "priority": priority,
                "label": label,
                "count": len(tickets.filtered(lambda t, p=priority: t.priority == p)),
                "resp_met": met[(priority, "response")],
                "resp_breached": breached[(priority, "response")],
                "res_met": met[(priority, "resolution")],
                "res_breached": breached[(priority, "resolution")],
            }
            totals.update({key: row[key] for key in COUNTED})
            row["response_pct"] = sla_stats.compliance_percent(
                row["resp_met"], row["resp_breached"]
            )
            row["resolution_pct"] = sla_stats.compliance_percent(
                row["res_met"], row["res_breached"]
            )
            rows.append(row)
        return rows, totals

    @api.model
    def _sla_period_credits(self, contract, period_start, period_end):
        """The decided credits of the periods inside [start, end): a month's
        report shows the month's credits, a quarter's also its months'."""
        return (
            self.env["helpdesk.sla.credit"]
            .sudo()
            .search(
                [
                    ("contract_id", "=", contract.id),
                    ("period_start", ">=", period_start),
                    ("period_end", "<=", period_end),
                    ("state", "in", SHOWN_CREDIT_STATES),
                ]
            )
        )

    @api.model
    def _sla_build_data(self, contract, period_start, period_end, period_kind="month"):
        """Figures of the SLA performance report of a period [start, end)."""
        start_dt = fields.Datetime.to_datetime(period_start)
        end_dt = fields.Datetime.to_datetime(period_end)
        breaches = self._sla_period_breaches(contract, start_dt, end_dt)
        met, breached = self._sla_target_counts(contract, start_dt, end_dt, breaches)
        priorities, totals = self._sla_priority_rows(
            contract, period_start, period_end, met, breached
        )
        services = []
        for service in contract.sudo().service_ids.filtered("active"):
            uptime, down, _incidents = service._sla_uptime(start_dt, end_dt)
            services.append(
                {
                    "service": service,
                    "name": service.name,
                    "target": service.uptime_target,
                    "uptime": uptime,
                    "downtime_minutes": down,
                    "met": uptime >= service.uptime_target,
                }
            )
        credits_ = self._sla_period_credits(contract, period_start, period_end)
        return {
            "contract": contract,
            "period_start": period_start,
            "period_end": period_end,
            "period_last_day": period_end - relativedelta(days=1),
            "priorities": priorities,
            "ticket_count": totals["count"],
            "response_pct": sla_stats.compliance_percent(
                totals["resp_met"], totals["resp_breached"]
            ),
            "resolution_pct": sla_stats.compliance_percent(
                totals["res_met"], totals["res_breached"]
            ),
            "breaches": breaches,
            "services": services,
            "credits": credits_,
            "credit_total": sum(credits_.mapped("amount")),
            "trend": self._sla_trend(contract, period_start, period_kind),
        }

    @api.model
    def _sla_trend(self, contract, period_start, period_kind="month", periods=6):
        """Resolution compliance (counted as in the report) and worst uptime
        over the last periods (oldest first), with bar heights for the chart."""
        months = 3 if period_kind == "quarter" else 1
        rows = []
        for back in range(periods - 1, -1, -1):
            start = period_start - relativedelta(months=months * back)
            end = start + relativedelta(months=months)
            start_dt = fields.Datetime.to_datetime(start)
            end_dt = fields.Datetime.to_datetime(end)
            met, breached = self._sla_target_counts(
                contract,
                start_dt,
                end_dt,
                self._sla_period_breaches(contract, start_dt, end_dt),
            )
            uptimes = [
                service._sla_uptime(start_dt, end_dt)[0]
                for service in contract.sudo().service_ids.filtered("active")
            ]
            rows.append(
                {
                    "label": self.env["helpdesk.sla.penalty.rule"]._sla_period_label(
                        contract, start, end, period_kind
                    ),
                    "resolution_pct": sla_stats.compliance_percent(
                        _kind_total(met, "resolution"),
                        _kind_total(breached, "resolution"),
                    ),
                    "uptime": min(uptimes) if uptimes else None,
                }
            )
        heights = sla_stats.bar_heights(
            [row["resolution_pct"] for row in rows], top=100.0
        )
        for row, height in zip(rows, heights, strict=True):
            row["height"] = height
        return rows
