# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A monitored service's downtime as its monitoring alerts report it."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..lib import alert_payloads


class HelpdeskSlaService(models.Model):
    _inherit = "helpdesk.sla.service"

    code = fields.Char(
        index="btree_not_null",
        copy=False,
        help="Names the service in monitoring alerts: the generic webhook's "
        "`service` and Alertmanager's label `sla_service` (its id works too).",
    )
    alert_source_ids = fields.Many2many(
        "helpdesk.sla.alert.source",
        "helpdesk_sla_alert_source_service_rel",
        "service_id",
        "source_id",
        string="Alert sources",
        groups="helpdesk_sla_contract.group_sla_manager",
    )
    alert_locked_date = fields.Datetime(
        readonly=True,
        copy=False,
        help="Last time an alert changed the service's downtime.",
    )

    _sql_constraints = [
        (
            "code_contract_unique",
            "UNIQUE(contract_id, code)",
            "A contract's services have distinct codes.",
        ),
    ]

    def _sla_alert_lock(self):
        """Serialize alert deliveries per service. Row lock (raw SQL: the ORM
        has no SELECT ... FOR UPDATE), taken in id order so two workers never
        deadlock, then a write of the row: under REPEATABLE READ, a worker
        whose snapshot predates another's commit on the same service fails
        with a serialization error and Odoo replays its request on a fresh
        snapshot, so no worker reconciles from stale events."""
        self.env.cr.execute(
            "SELECT id FROM helpdesk_sla_service WHERE id IN %s ORDER BY id FOR UPDATE",
            [tuple(self.ids)],
        )
        self.write({"alert_locked_date": fields.Datetime.now()})

    def _sla_alert_reconcile(self, since):
        """Make the service's alert incidents from `since` on equal to the
        outages its alert events give (events before are already settled)."""
        self.ensure_one()
        start = self._sla_alert_region_start(since)
        events = self.env["helpdesk.sla.alert.event"].search_fetch(
            [("service_id", "=", self.id), ("at", ">=", start)],
            ["stream", "status", "at", "cause", "source_id"],
            order="at, id",
        )
        incidents = self.env["helpdesk.sla.incident"].search(
            [
                ("service_id", "=", self.id),
                ("alert_source_id", "!=", False),
                # Alert incidents are disjoint: those before `start` end
                # before it.
                ("date_start", ">=", start),
            ],
            order="date_start, id",
        )
        wanted = alert_payloads.outages(
            (event.stream, event.status, event.at) for event in events
        )
        unused = list(incidents)
        for outage_start, outage_end in wanted:
            overlapping = [
                incident
                for incident in unused
                if (outage_end is None or incident.date_start <= outage_end)
                and (not incident.date_end or incident.date_end >= outage_start)
            ]
            for incident in overlapping:
                unused.remove(incident)
            first_event = next(
                event
                for event in events
                if event.at >= outage_start and event.status == "down"
            )
            self._sla_alert_apply(overlapping, outage_start, outage_end, first_event)
        self._sla_alert_drop(self.env["helpdesk.sla.incident"].union(*unused))

    def _sla_alert_region_start(self, since):
        """The start of the alert outage that `since` falls in (its events are
        replayed with the new ones), else `since`."""
        containing = self.env["helpdesk.sla.incident"].search(
            [
                ("service_id", "=", self.id),
                ("alert_source_id", "!=", False),
                ("date_start", "<=", since),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", since),
            ],
            order="date_start",
            limit=1,
        )
        return min(containing.date_start, since) if containing else since

    def _sla_alert_apply(self, incidents, start, end, first_event):
        """One outage: update the incident already recording it (merging any
        others it now overlaps), or record it and open its ticket."""
        kind = "planned" if self._sla_in_announced_maintenance(start) else "unplanned"
        if not incidents:
            incident = self.env["helpdesk.sla.incident"].create(
                {
                    "service_id": self.id,
                    "date_start": start,
                    "date_end": end,
                    "kind": kind,
                    "cause": first_event.cause or False,
                    "alert_source_id": first_event.source_id.id,
                }
            )
            first_event.source_id._sla_open_outage_ticket(incident)
            if end:
                incident._sla_alert_post_end()
            return
        keep, extras = incidents[0], incidents[1:]
        was_open = not keep.date_end
        if keep.date_start != start or keep.date_end != end or keep.kind != kind:
            keep.write({"date_start": start, "date_end": end, "kind": kind})
        tickets = [extra.ticket_id for extra in extras if extra.ticket_id]
        if tickets and not keep.ticket_id:
            keep.ticket_id = tickets[0]
        self._sla_alert_drop(
            self.env["helpdesk.sla.incident"].union(*extras), merged_into=keep
        )
        if was_open and end:
            keep._sla_alert_post_end()

    def _sla_alert_drop(self, incidents, merged_into=None):
        """Incidents merged into another one (or no longer backed by events):
        deleted, unless a credit was computed from them (kept as they are;
        the uptime computation merges overlaps). A ticket left without
        downtime says so and no longer reports an outage."""
        for incident in incidents:
            ticket = incident.ticket_id
            try:
                with self.env.cr.savepoint():
                    incident.unlink()
            except (UserError, AccessError):
                continue
            if ticket and not ticket.incident_ids:
                ticket._sla_alert_unflag(merged_into)

    def _sla_in_announced_maintenance(self, moment):
        windows = self.env["helpdesk.sla.maintenance"].search(
            [
                ("service_ids", "in", self.ids),
                ("date_start", "<=", moment),
                ("date_end", ">", moment),
                ("announced_date", "!=", False),
            ]
        )
        return any(windows.mapped("announced_in_time"))

    @api.model
    def _sla_alert_resolve(self, sources, reference):
        """The services a payload names (id or code) among the sources': more
        than one when services of several contracts share the code."""
        services = sources.service_ids
        text = str(reference).strip()
        found = services.filtered(lambda service: service.code == text)
        # isdigit() is true of '²' too, and int() refuses over 4300 digits.
        if not found and text.isascii() and text.isdigit() and len(text) < 19:
            found = services.filtered(lambda service: service.id == int(text))
        return found
