# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import uptime as uptime_lib
from ..lib.epoch import to_epoch
from ..lib.sla_display import human_duration
from .sla_history import count_references, refuse_unlink_if_referenced

PERIOD_MONTHS = {"month": 1, "quarter": 3}


class HelpdeskSlaService(models.Model):
    """A service whose uptime a contract guarantees (e.g. web hosting 99.9 %)."""

    _name = "helpdesk.sla.service"
    _description = "Monitored service"
    _order = "contract_id, name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    contract_id = fields.Many2one(
        "contract.contract", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    partner_id = fields.Many2one(related="contract_id.partner_id", store=True)
    site_id = fields.Many2one(
        "res.partner",
        domain="[('is_service_site', '=', True), "
        "('commercial_partner_id', '=', partner_id)]",
    )
    uptime_target = fields.Float(
        string="Uptime target (%)", default=99.9, digits=(16, 3), required=True
    )
    measured_on = fields.Selection(
        [("24_7", "24/7"), ("support_hours", "The contract's support hours")],
        default="24_7",
        required=True,
    )
    measurement_period = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter")], default="month", required=True
    )
    contract_line_id = fields.Many2one(
        "contract.line",
        string="Billed by",
        domain="[('contract_id', '=', contract_id), ('display_type', '=', False)]",
        help="The contract line that bills this service: its fee is the basis of "
        "the service's credits.",
    )
    monthly_fee = fields.Monetary(
        compute="_compute_monthly_fee",
        store=True,
        readonly=False,
        help="Recurring fee of the service per month (from its contract line).",
    )
    allowed_downtime_period = fields.Float(
        string="Allowed downtime per period (min)",
        compute="_compute_allowed_downtime",
    )
    allowed_downtime_month = fields.Float(
        string="Allowed downtime per month (min)", compute="_compute_allowed_downtime"
    )
    allowed_downtime_year = fields.Float(
        string="Allowed downtime per year (h)", compute="_compute_allowed_downtime"
    )
    incident_ids = fields.One2many("helpdesk.sla.incident", "service_id")
    incident_count = fields.Integer(compute="_compute_incident_count")

    _sql_constraints = [
        (
            "uptime_target_range",
            "CHECK(uptime_target > 0 AND uptime_target <= 100)",
            "An uptime target is a percentage above 0 and at most 100.",
        ),
    ]

    @api.depends("contract_line_id.monthly_recurring")
    def _compute_monthly_fee(self):
        for service in self:
            if service.contract_line_id:
                service.monthly_fee = service.contract_line_id.monthly_recurring

    def _sla_period_fee(self, months):
        """The service's fee over `months` months: its contract line's amount,
        unrounded (a quarterly line of 1000 is 1000 a quarter, not
        3 x 333.33), unless a fee of its own was typed in."""
        self.ensure_one()
        line = self.contract_line_id
        if line and not self.currency_id.compare_amounts(
            self.monthly_fee, line.monthly_recurring
        ):
            return self.contract_id._sla_line_monthly_fee(line) * months
        return self.monthly_fee * months

    @api.depends("uptime_target", "measurement_period", "measured_on", "contract_id")
    def _compute_allowed_downtime(self):
        for service in self:
            month = uptime_lib.allowed_downtime_month_minutes(service.uptime_target)
            year = uptime_lib.allowed_downtime_year_hours(service.uptime_target)
            if service.measured_on == "support_hours":
                # Share of the week that is support time.
                share = service._sla_support_share()
                month, year = month * share, year * share
            service.allowed_downtime_month = month
            service.allowed_downtime_year = year
            service.allowed_downtime_period = month * PERIOD_MONTHS.get(
                service.measurement_period, 1
            )

    def _compute_incident_count(self):
        for service in self:
            service.incident_count = len(service.incident_ids)

    @api.constrains("site_id", "contract_id")
    def _check_site(self):
        for service in self:
            site = service.site_id
            if site and site.commercial_partner_id != (
                service.contract_id.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(site)s is not a site of %(customer)s.",
                        site=site.display_name,
                        customer=service.contract_id.commercial_partner_id.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sla_history(self):
        """Its downtime (and the outage tickets) are what uptime and credits
        were computed from."""
        refuse_unlink_if_referenced(
            self,
            [
                (
                    self.env._("downtime records"),
                    count_references(self, "helpdesk.sla.incident", "service_id"),
                ),
                (
                    self.env._("tickets"),
                    count_references(self, "helpdesk.ticket", "outage_service_id"),
                ),
            ],
        )

    def _sla_calendar(self):
        """Calendar of the service hours (False when measured 24/7)."""
        self.ensure_one()
        if self.measured_on != "support_hours":
            return self.env["resource.calendar"]
        contract = self.contract_id
        return (
            self.site_id.sla_calendar_id
            or contract.sla_calendar_id
            or contract.sla_policy_id.calendar_id
            or self.company_id.resource_calendar_id
        )

    def _sla_allowed_downtime_text(self):
        """'3 h 39 min / month, 43 h 50 min / year' for the agreement."""
        self.ensure_one()
        return self.env._(
            "%(month)s / month, %(year)s / year",
            month=human_duration(self.allowed_downtime_month / 60.0, _=self.env._),
            year=human_duration(self.allowed_downtime_year, _=self.env._),
        )

    def _sla_support_share(self):
        self.ensure_one()
        calendar = self._sla_calendar()
        if not calendar:
            return 1.0
        start = fields.Datetime.to_datetime("2026-01-05")  # a Monday, any week
        schedule = calendar._sla_schedule(start, start + relativedelta(days=7))
        return schedule.between(to_epoch(start), to_epoch(start) + 7 * 86400) / (
            7 * 86400
        )

    def _sla_uptime(
        self,
        period_start,
        period_end,
        exclude_force_majeure=False,
        exclude_customer_caused=True,
    ):
        """(uptime %, counted downtime minutes, incidents) over a period
        (naive UTC datetimes)."""
        self.ensure_one()
        # Only the period's incidents: the history grows every month.
        incidents = self.env["helpdesk.sla.incident"].search(
            [
                ("service_id", "=", self.id),
                ("date_start", "<", period_end),
                "|",
                ("date_end", "=", False),
                ("date_end", ">", period_start),
            ]
        )
        windows = self.env["helpdesk.sla.maintenance"].search(
            [
                ("service_ids", "in", self.ids),
                ("date_start", "<", period_end),
                ("date_end", ">", period_start),
            ]
        )
        calendar = self._sla_calendar()
        service_hours = None
        if calendar:
            schedule = calendar._sla_schedule(period_start, period_end)
            service_hours = schedule.intervals
        notice = (self.contract_id.maintenance_notice_hours or 0.0) * 3600.0
        uptime, down, _period = uptime_lib.uptime_percent(
            to_epoch(period_start),
            to_epoch(period_end),
            [incident._sla_as_tuple(period_end) for incident in incidents],
            [window._sla_as_tuple() for window in windows],
            notice,
            service_hours,
            exclude_force_majeure,
            exclude_customer_caused,
        )
        return uptime, down / 60.0, incidents
