# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import uptime as uptime_lib
from ..lib.epoch import to_epoch
from .sla_uptime_guard import (
    check_decided_credits,
    credit_period,
    inside,
    measured_services,
)

# What the uptime counts of a window (lib/uptime.py).
COUNTED_FIELDS = {"service_ids", "date_start", "date_end", "announced_date"}


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

    @api.model_create_multi
    def create(self, vals_list):
        windows = super().create(vals_list)
        if not self.env.su:
            for window in windows:
                window._sla_check_decided_credits(None, window._sla_counted_state())
        return windows

    def write(self, vals):
        # A window changed in a period whose uptime credit is decided would
        # change that credit's uptime (sla_uptime_guard).
        if self.env.su or not COUNTED_FIELDS.intersection(vals):
            return super().write(vals)
        before = {window: window._sla_counted_state() for window in self}
        res = super().write(vals)
        for window in self:
            window._sla_check_decided_credits(
                before[window], window._sla_counted_state()
            )
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_behind_decided_credit(self):
        if not self.env.su:
            for window in self:
                window._sla_check_decided_credits(window._sla_counted_state(), None)

    def _sla_counted_state(self):
        """(services, start, end, announced on) of this window."""
        self.ensure_one()
        return (self.service_ids, self.date_start, self.date_end, self.announced_date)

    def _sla_check_decided_credits(self, before, after):
        """Refuse a change from state `before` to `after` (None: no window)
        that changes what the window counts in a decided credit's period."""
        self.ensure_one()
        check_decided_credits(self, before, after, _counted_in)

    def _sla_as_tuple(self):
        self.ensure_one()
        return uptime_lib.Maintenance(
            to_epoch(self.date_start),
            to_epoch(self.date_end),
            to_epoch(self.announced_date) if self.announced_date else None,
        )


def _counted_in(state, credit):
    """What a window state counts in a credit's period, or None."""
    if not state:
        return None
    services = state[0] & measured_services(credit)
    part = inside(state[1:3], credit_period(credit))
    if not (services and part):
        return None
    # Whether it excuses downtime: announced the contract's notice before its
    # start (lib/uptime.py excused_maintenance), wherever that start is.
    notice = (credit.contract_id.maintenance_notice_hours or 0.0) * 3600.0
    excused = bool(state[3]) and (state[1] - state[3]).total_seconds() >= notice
    return (frozenset(services.ids), part, excused)
