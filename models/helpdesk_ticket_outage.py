# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tickets that report a service outage open downtime incidents."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# What makes a ticket report an outage: flagged, with a service, not archived.
OUTAGE_REPORT_FIELDS = {"is_outage", "outage_service_id", "active"}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    is_outage = fields.Boolean(
        string="Outage",
        copy=False,
        help="The ticket reports a service outage: it opens a downtime incident "
        "on the service, closed when the ticket is closed.",
    )
    outage_service_id = fields.Many2one(
        "helpdesk.sla.service",
        string="Service down",
        copy=False,
        domain="[('contract_id', '=', contract_id)]",
    )
    outage_alert_source_id = fields.Many2one(
        "helpdesk.sla.alert.source",
        string="Opened by monitor",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        groups="helpdesk_sla_contract.group_sla_manager",
        help="The monitoring alert source that opened this ticket: its alerts "
        "alone open and end the downtime.",
    )
    incident_ids = fields.One2many(
        "helpdesk.sla.incident", "ticket_id", string="Downtime"
    )

    # ------------------------------------------------------------------
    # Outages
    # ------------------------------------------------------------------

    @api.constrains("is_outage", "outage_service_id")
    def _check_outage_service(self):
        for ticket in self:
            if ticket.is_outage and not ticket.outage_service_id:
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s reports an outage: choose the service "
                        "that is down.",
                        ticket=ticket.display_name,
                    )
                )

    def _sla_sync_outage(self):
        """An open outage ticket has an open incident on its service; closing
        the ticket ends it."""
        incidents = self.env["helpdesk.sla.incident"].sudo()
        now = fields.Datetime.now()
        reported = self._sla_reported_outages()
        for ticket in self:
            open_incidents = ticket.sudo().incident_ids.filtered(
                lambda incident: not incident.date_end
            )
            if ticket.stage_id.closed:
                # Downtime a monitor reports ends when the monitor says so.
                open_incidents.filtered(
                    lambda incident: not incident.alert_source_id
                ).write({"date_end": ticket.sla_resolved_date or now})
                continue
            service = reported[ticket.id]
            if not service:
                continue
            if (
                ticket.sudo().outage_alert_source_id
                or ticket.sudo().incident_ids.alert_source_id
            ):
                continue  # its monitor opens and ends the downtime
            if service not in open_incidents.service_id:
                # The first outage began when the ticket's clock did; a
                # reopened ticket reports the service down again from now.
                first = not ticket.sudo().incident_ids
                incidents.create(
                    {
                        "service_id": service.id,
                        "date_start": (ticket.sla_start_date if first else None) or now,
                        "ticket_id": ticket.id,
                        "cause": ticket.name,
                        "kind": "unplanned",
                    }
                )

    def _sla_reported_outages(self):
        """{ticket id: the service each ticket reports down (empty: none; an
        archived ticket reports none)}."""
        return {
            ticket.id: ticket.outage_service_id
            if ticket.is_outage and ticket.active
            else ticket.outage_service_id.browse()
            for ticket in self
        }

    def _sla_own_open_downtime(self, reported=None):
        """Open downtime these tickets opened themselves on the service they
        reported down (`reported`: {ticket id: service}, by default the one
        they report now). A monitor ends the downtime it reports; downtime
        recorded by hand on another service is not the ticket's."""
        reported = reported if reported is not None else self._sla_reported_outages()
        return self.sudo().incident_ids.filtered(
            lambda incident: (
                not incident.date_end
                and not incident.alert_source_id
                and reported.get(incident.ticket_id.id)
                and incident.service_id == reported[incident.ticket_id.id]
            )
        )

    def _sla_end_unreported_downtime(self, reported_before):
        """A ticket that no longer reports an outage of a service (unflagged,
        or another service chosen) ends the downtime it opened on it now: left
        open, it would count against the uptime for ever. `reported_before`:
        {ticket id: service} before the change."""
        now = fields.Datetime.now()
        reported_now = self._sla_reported_outages()
        stopped = self.filtered(
            lambda ticket: (
                reported_before.get(ticket.id)
                and reported_before[ticket.id] != reported_now[ticket.id]
            )
        )
        stopped._sla_own_open_downtime(reported_before).write({"date_end": now})

    def unlink(self):
        # Deleted tickets end the downtime they opened (the records stay: the
        # outage happened, and an SLA manager may correct or delete them).
        downtime = self._sla_own_open_downtime()
        res = super().unlink()
        downtime.write({"date_end": fields.Datetime.now()})
        return res

    def _sla_alert_unflag(self, merged_into=None):
        """The monitor's outage this ticket reported is gone (merged into
        another one, or no longer backed by alerts): a note says so, and the
        ticket stops reporting an outage."""
        for ticket in self:
            if merged_into and merged_into.ticket_id:
                body = self.env._(
                    "The monitor's alerts merged this outage into the one of "
                    "ticket %(ticket)s: its downtime is recorded there, this "
                    "ticket no longer reports an outage.",
                    ticket=merged_into.ticket_id.display_name,
                )
            else:
                body = self.env._(
                    "The monitor's alerts no longer report this outage: this "
                    "ticket no longer reports an outage."
                )
            ticket.message_post(
                body=body, message_type="comment", subtype_xmlid="mail.mt_note"
            )
            ticket.write({"is_outage": False})
