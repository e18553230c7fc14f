# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import uptime as uptime_lib
from ..lib.epoch import to_epoch
from .sla_history import (
    refuse_unlink_behind_credits,
    refuse_unlink_unless_sla_manager,
)
from .sla_uptime_guard import (
    check_decided_credits,
    credit_period,
    inside,
    measured_services,
)

# What the uptime counts of a downtime record (lib/uptime.py): fixed, within
# its period, once a credit computed from it is approved or applied.
COUNTED_FIELDS = {
    "service_id",
    "date_start",
    "date_end",
    "customer_caused",
    "force_majeure",
}


class HelpdeskSlaIncident(models.Model):
    """Downtime of a monitored service (open while ongoing)."""

    _name = "helpdesk.sla.incident"
    _description = "Service downtime"
    _order = "date_start desc, id desc"

    name = fields.Char(compute="_compute_name", store=True, readonly=False)
    service_id = fields.Many2one(
        "helpdesk.sla.service", required=True, ondelete="cascade", index=True
    )
    contract_id = fields.Many2one(
        related="service_id.contract_id", store=True, index=True
    )
    company_id = fields.Many2one(related="service_id.company_id", store=True)
    date_start = fields.Datetime(
        string="Start", required=True, default=fields.Datetime.now
    )
    date_end = fields.Datetime(string="End", help="Empty while the outage lasts.")
    cause = fields.Text()
    kind = fields.Selection(
        [("unplanned", "Unplanned"), ("planned", "Planned")],
        default="unplanned",
        required=True,
    )
    customer_caused = fields.Boolean(
        help="Caused by the customer: does not count against the uptime."
    )
    force_majeure = fields.Boolean(
        help="Beyond anyone's control; penalty rules may exclude it."
    )
    ticket_id = fields.Many2one("helpdesk.ticket", index="btree_not_null")
    alert_source_id = fields.Many2one(
        "helpdesk.sla.alert.source",
        string="Reported by",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The monitoring alerts that open, extend and close this downtime.",
    )
    duration_minutes = fields.Float(
        string="Duration (min)", compute="_compute_duration_minutes"
    )

    @api.depends("service_id", "date_start")
    def _compute_name(self):
        for incident in self:
            if not incident.name:
                incident.name = self.env._(
                    "%(service)s down", service=incident.service_id.name or ""
                )

    @api.depends("date_start", "date_end")
    def _compute_duration_minutes(self):
        now = fields.Datetime.now()
        for incident in self:
            end = incident.date_end or now
            incident.duration_minutes = (
                max((end - incident.date_start).total_seconds(), 0) / 60.0
                if incident.date_start
                else 0.0
            )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for incident in self:
            if incident.date_end and incident.date_end < incident.date_start:
                raise ValidationError(
                    self.env._("An outage cannot end before it starts.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        incidents = super().create(vals_list)
        if not self.env.su:
            for incident in incidents:
                incident._sla_check_decided_credits(None, incident._sla_counted_state())
        return incidents

    def write(self, vals):
        # The system (monitoring alerts, outage tickets: sudo) records what
        # happened; people do not rewrite what a decided credit counted.
        if not self.env.su and COUNTED_FIELDS.intersection(vals):
            for incident in self:
                incident._sla_check_decided_credits(
                    incident._sla_counted_state(), incident._sla_counted_state(vals)
                )
        return super().write(vals)

    def _sla_counted_state(self, vals=None):
        """(service, start, end or None, customer caused, force majeure) of
        this downtime, with `vals` applied."""
        self.ensure_one()
        vals = vals or {}
        service = self.service_id
        if "service_id" in vals:
            service = service.browse(vals["service_id"])
        return (
            service,
            fields.Datetime.to_datetime(vals.get("date_start", self.date_start)),
            fields.Datetime.to_datetime(vals.get("date_end", self.date_end)),
            bool(vals.get("customer_caused", self.customer_caused)),
            bool(vals.get("force_majeure", self.force_majeure)),
        )

    def _sla_check_decided_credits(self, before, after):
        """Refuse a change of this downtime from state `before` to `after`
        (None: no downtime) that changes what it counts in the period of an
        approved or applied uptime credit (sla_uptime_guard)."""
        self.ensure_one()
        check_decided_credits(self, before, after, _counted_in)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_behind_credit(self):
        """Credits were computed from the downtime."""
        refuse_unlink_behind_credits(self, "incident_ids")
        refuse_unlink_unless_sla_manager(self)
        if not self.env.su:
            for incident in self:
                incident._sla_check_decided_credits(incident._sla_counted_state(), None)

    def _sla_as_tuple(self, until):
        self.ensure_one()
        return uptime_lib.Incident(
            to_epoch(self.date_start),
            to_epoch(self.date_end or until),
            self.customer_caused,
            self.force_majeure,
        )

    def _sla_alert_post_end(self):
        """The monitor reports the service back up: say so on the ticket."""
        for incident in self.filtered("ticket_id"):
            incident.ticket_id.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Monitoring reports %(service)s back up since %(end)s.",
                    service=incident.service_id.name,
                    end=incident.ticket_id._sla_format_moment(incident.date_end),
                ),
                subtype_xmlid="mail.mt_note",
            )


def _counted_in(state, credit):
    """What a downtime state counts in a credit's period, or None."""
    if not state or state[0] not in measured_services(credit):
        return None
    part = inside(state[1:3], credit_period(credit))
    return part and (state[0].id, part, state[3], state[4])
