# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import uptime as uptime_lib
from ..lib.epoch import to_epoch
from .sla_history import (
    refuse_unlink_behind_credits,
    refuse_unlink_unless_sla_manager,
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


def _inside(interval, period):
    """The part of a downtime (start, end or None while ongoing) inside a
    period (start, end), or None."""
    first = max(interval[0], period[0])
    last = min(interval[1] or period[1], period[1])
    return (first, last) if first < last else None


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

    def write(self, vals):
        # The system (monitoring alerts, outage tickets: sudo) records what
        # happened; people do not rewrite what a decided credit counted.
        if not self.env.su and COUNTED_FIELDS.intersection(vals):
            self._sla_check_decided_credits(vals)
        return super().write(vals)

    def _sla_check_decided_credits(self, vals):
        decided = (
            self.env["helpdesk.sla.credit"]
            .sudo()
            .search(
                [
                    ("incident_ids", "in", self.ids),
                    ("state", "in", ("approved", "applied")),
                ]
            )
        )
        for credit in decided:
            for incident in self & credit.incident_ids:
                if incident._sla_counts_otherwise(vals, credit):
                    raise UserError(
                        self.env._(
                            "%(incident)s is the basis of the SLA credit "
                            "%(credit)s, approved or applied: what it counts in "
                            "that credit's period cannot change. Reset the credit "
                            "to draft first (an applied one: remove it from its "
                            "invoice).",
                            incident=incident.display_name,
                            credit=credit.sudo().display_name,
                        )
                    )

    def _sla_counts_otherwise(self, vals, credit):
        """Whether these values change what this downtime counts in the
        credit's period: its service, flags, or its time inside the period
        (an ongoing outage may still end after the period)."""
        self.ensure_one()
        if vals.get("service_id", self.service_id.id) != self.service_id.id or any(
            bool(vals.get(flag, self[flag])) != self[flag]
            for flag in ("customer_caused", "force_majeure")
        ):
            return True
        period = (
            fields.Datetime.to_datetime(credit.period_start),
            fields.Datetime.to_datetime(credit.period_end),
        )
        before = (self.date_start, self.date_end)
        after = (
            fields.Datetime.to_datetime(vals.get("date_start", self.date_start)),
            fields.Datetime.to_datetime(vals.get("date_end", self.date_end)),
        )
        return _inside(before, period) != _inside(after, period)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_behind_credit(self):
        """Credits were computed from the downtime."""
        refuse_unlink_behind_credits(self, "incident_ids")
        refuse_unlink_unless_sla_manager(self)

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
