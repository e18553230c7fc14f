# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools.misc import format_date

from ..lib import sla_stats

# Decided states of an SLA clock: the compliance counts only these.
DECIDED = ("met", "breached")


class HelpdeskSlaDashboard(models.AbstractModel):
    """What needs attention now, fed to the SLA dashboard client action by one
    call: open tickets at risk, this month's breaches and compliance, uptime
    per service and credits waiting for approval. Every figure is searched
    as the user, so an agent sees the figures of the tickets they may read;
    each tile carries the action opening the list it counts."""

    _name = "helpdesk.sla.dashboard"
    _description = "SLA dashboard"

    @api.model
    def get_dashboard_data(self):
        month_start = fields.Date.context_today(self).replace(day=1)
        start = self._sla_local_midnight_utc(month_start)
        end = self._sla_local_midnight_utc(month_start + relativedelta(months=1))
        tiles = [
            self._sla_tile_at_risk(),
            self._sla_tile_breaches(start, end),
            self._sla_tile_compliance("response", start, end),
            self._sla_tile_compliance("resolution", start, end),
        ]
        credits_tile = self._sla_tile_credits()
        if credits_tile:
            tiles.append(credits_tile)
        return {
            "month": format_date(self.env, month_start, date_format="MMMM y"),
            "tiles": tiles,
            "services": self._sla_service_rows(start, min(end, fields.Datetime.now())),
        }

    def _sla_local_midnight_utc(self, day):
        """The start of `day` in the user's time zone, as naive UTC: the month
        is the user's, so are its boundaries."""
        tz_name = self.env.context.get("tz") or self.env.user.tz
        tz = pytz.timezone(tz_name if tz_name in pytz.all_timezones_set else "UTC")
        local = tz.localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _sla_company_domain(self):
        return [("company_id", "in", self.env.companies.ids)]

    def _sla_ticket_action(self, name, domain):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action.update(
            {
                "name": name,
                "display_name": name,
                "domain": domain,
                "context": {},
                "views": [(False, "list"), (False, "kanban"), (False, "form")],
                "view_mode": "list,kanban,form",
            }
        )
        return action

    def _sla_list_action(self, xmlid, name, domain):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        # display_name: the breadcrumb shows it before the name.
        action.update(
            {"name": name, "display_name": name, "domain": domain, "context": {}}
        )
        return action

    def _sla_tile_at_risk(self):
        domain = self._sla_company_domain() + [
            ("stage_id.closed", "=", False),
            "|",
            ("sla_response_status", "=", "at_risk"),
            ("sla_resolution_status", "=", "at_risk"),
        ]
        name = self.env._("Open tickets at risk")
        return {
            "key": "at_risk",
            "title": name,
            "value": self.env["helpdesk.ticket"].search_count(domain),
            "tone": "warning",
            "action": self._sla_ticket_action(name, domain),
        }

    def _sla_tile_breaches(self, start, end):
        # A breach counts in the month of its deadline (as in every report),
        # and only for tickets the user may read.
        domain = self._sla_company_domain() + [
            ("deadline", ">=", start),
            ("deadline", "<", end),
            ("ticket_id", "any", self._sla_company_domain()),
        ]
        name = self.env._("Breached this month")
        return {
            "key": "breached",
            "title": name,
            "value": self.env["helpdesk.sla.breach"].search_count(domain),
            "tone": "danger",
            "action": self._sla_list_action(
                "helpdesk_sla_contract.helpdesk_sla_breach_action", name, domain
            ),
        }

    def _sla_tile_compliance(self, kind, start, end):
        """Share of this month's decided targets (due this month) that were met;
        no figure while none is decided."""
        status, deadline = f"sla_{kind}_status", f"sla_{kind}_deadline"
        domain = self._sla_company_domain() + [
            (deadline, ">=", start),
            (deadline, "<", end),
            (status, "in", DECIDED),
        ]
        tickets = self.env["helpdesk.ticket"]
        decided = tickets.search_count(domain)
        met = tickets.search_count(domain + [(status, "=", "met")])
        name = (
            self.env._("Response compliance this month")
            if kind == "response"
            else self.env._("Resolution compliance this month")
        )
        percent = sla_stats.compliance_percent(met, decided - met)
        return {
            "key": f"{kind}_compliance",
            "title": name,
            "value": percent,
            "unit": "%",
            "detail": self.env._(
                "%(met)s of %(decided)s met", met=met, decided=decided
            ),
            "tone": "primary",
            "action": self._sla_ticket_action(name, domain),
        }

    def _sla_tile_credits(self):
        credits_ = self.env["helpdesk.sla.credit"]
        if not credits_.has_access("read"):
            return None
        domain = self._sla_company_domain() + [("state", "=", "draft")]
        name = self.env._("Credits waiting for approval")
        return {
            "key": "credits",
            "title": name,
            "value": credits_.search_count(domain),
            "tone": "info",
            "action": self._sla_list_action(
                "helpdesk_sla_contract.helpdesk_sla_credit_action", name, domain
            ),
        }

    def _sla_service_rows(self, start, end):
        """Uptime this month of the monitored services of the contracts the user
        may read (contract record rules)."""
        contracts = self.env["contract.contract"].search(
            self._sla_company_domain() + [("service_ids", "!=", False)]
        )
        # sudo: agents read a service's figures through its contract.
        services = (
            self.env["helpdesk.sla.service"]
            .sudo()
            .search([("contract_id", "in", contracts.ids)])
        )
        end = max(end, start + relativedelta(seconds=1))
        rows = []
        for service in services:
            uptime, down_minutes, _incidents = service._sla_uptime(start, end)
            rows.append(
                {
                    "id": service.id,
                    "name": service.name,
                    "contract": service.contract_id.display_name,
                    "uptime": round(uptime, 3),
                    "target": service.uptime_target,
                    "down_minutes": round(down_minutes, 1),
                    "met": uptime >= service.uptime_target,
                    "action": self._sla_list_action(
                        "helpdesk_sla_contract.helpdesk_sla_incident_action",
                        self.env._("Downtime of %(service)s", service=service.name),
                        [("service_id", "=", service.id)],
                    ),
                }
            )
        return rows
