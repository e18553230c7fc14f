# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import psycopg2

from odoo import fields, models
from odoo.tools import mute_logger

from ..lib.alert_payloads import fit_key


class HelpdeskSlaAlertEvent(models.Model):
    """One down or up a monitor reported for a service, recorded once: the
    faithful log the service's alert downtime is computed from."""

    _name = "helpdesk.sla.alert.event"
    _description = "Monitoring alert event"
    _order = "at desc, id desc"
    _rec_name = "key"

    source_id = fields.Many2one(
        "helpdesk.sla.alert.source", required=True, ondelete="cascade", index=True
    )
    service_id = fields.Many2one(
        "helpdesk.sla.service", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="service_id.company_id", store=True)
    key = fields.Char(
        required=True, help="Identity of the event (e.g. fingerprint and start)."
    )
    stream = fields.Char(
        required=True, help="What went down or up (an alert, a monitor)."
    )
    status = fields.Selection([("down", "Down"), ("up", "Up")], required=True)
    at = fields.Datetime(required=True, index=True)
    cause = fields.Char()

    _sql_constraints = [
        (
            "key_unique",
            "UNIQUE(source_id, service_id, key)",
            "An alert event is recorded once.",
        ),
    ]

    def _sla_record(self, source, service, signal):
        """Insert-or-ignore: the unique key makes a repeated or late delivery
        a no-op (inside a savepoint, so the transaction goes on). Returns the
        new event, or an empty recordset for a repeat."""
        key = fit_key(signal.key)
        if self.search_count(
            [
                ("source_id", "=", source.id),
                ("service_id", "=", service.id),
                ("key", "=", key),
            ],
            limit=1,
        ):
            return self.browse()
        # The service is locked, so the check above is exact; the constraint
        # stays the last guard.
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=True):
                return self.create(
                    {
                        "source_id": source.id,
                        "service_id": service.id,
                        "key": key,
                        "stream": fit_key(f"{source.id}:{signal.stream}"),
                        "status": signal.status,
                        "at": signal.at,
                        "cause": (signal.cause or "")[:255] or False,
                    }
                )
        except psycopg2.errors.UniqueViolation:
            return self.browse()
