# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import uptime as uptime_lib
from ..lib.epoch import to_epoch


class HelpdeskSlaMaintenance(models.Model):
    """A maintenance window: downtime inside it does not count when it was
    announced at least the contract's notice period before it starts."""

    _name = "helpdesk.sla.maintenance"
    _description = "Maintenance window"
    _order = "date_start desc, id desc"

    name = fields.Char(required=True)
    service_ids = fields.Many2many("helpdesk.sla.service", string="Services")
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
    date_start = fields.Datetime(string="Start", required=True)
    date_end = fields.Datetime(string="End", required=True)
    announced_date = fields.Datetime(
        string="Announced on", help="Empty: not announced (the downtime counts)."
    )
    announced_in_time = fields.Boolean(compute="_compute_announced_in_time")

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for window in self:
            if window.date_end <= window.date_start:
                raise ValidationError(
                    self.env._("A maintenance window must end after it starts.")
                )

    @api.depends("announced_date", "date_start", "service_ids")
    def _compute_announced_in_time(self):
        for window in self:
            notices = window.service_ids.contract_id.mapped("maintenance_notice_hours")
            notice = max(notices) if notices else 0.0
            window.announced_in_time = bool(
                window.announced_date
                and window.date_start
                and (window.date_start - window.announced_date).total_seconds()
                >= notice * 3600
            )

    def _sla_as_tuple(self):
        self.ensure_one()
        return uptime_lib.Maintenance(
            to_epoch(self.date_start),
            to_epoch(self.date_end),
            to_epoch(self.announced_date) if self.announced_date else None,
        )
