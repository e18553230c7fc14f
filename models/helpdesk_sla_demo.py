# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class HelpdeskSlaDemo(models.AbstractModel):
    """Demo data that depends on the day it is loaded: tickets in every SLA
    state, an outage, a maintenance window and credits in every state."""

    _name = "helpdesk.sla.demo"
    _description = "SLA demo story"

    @api.model
    def _create_demo_story(self):
        env = self.env
        ref = env.ref
        now = fields.Datetime.now()
        tickets = env["helpdesk.ticket"]
        team = env["helpdesk.ticket.team"].search([], limit=1)
        stage_done = ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        stage_awaiting = ref("helpdesk_mgmt.helpdesk_ticket_stage_awaiting")
        azure = ref("base.res_partner_12")
        gemini_shop = ref("helpdesk_sla_contract.site_gemini_shop_demo")
        deco_site = ref("helpdesk_sla_contract.site_deco_addict_warehouse_demo")

        def ticket(name, partner, start, priority="1", **values):
            return tickets.create(
                dict(
                    {
                        "name": name,
                        "description": f"<p>{name}</p>",
                        "partner_id": partner.id,
                        "team_id": team.id,
                        "priority": priority,
                        "sla_start_date": start,
                        "user_id": ref("base.user_admin").id,
                    },
                    **values,
                )
            )

        # Running: just opened.
        ticket("Laptop will not boot", azure, now - timedelta(minutes=20))
        # Met: answered and solved in time.
        solved = ticket(
            "New starter account", azure, now - timedelta(days=3), priority="0"
        )
        solved.write(
            {"sla_first_response_date": solved.sla_start_date + timedelta(minutes=30)}
        )
        solved.stage_id = stage_done
        solved.sla_resolved_date = solved.sla_start_date + timedelta(hours=3)
        # Paused: waiting on the customer.
        waiting = ticket(
            # An hour into its 2 h response target, then paused.
            "VPN access for a supplier",
            gemini_shop,
            now - timedelta(hours=1),
        )
        waiting.stage_id = stage_awaiting
        # At risk and breached: critical tickets that ran out of time.
        ticket(
            "Warehouse scanners offline",
            deco_site,
            now - timedelta(minutes=12),
            priority="3",
        )
        ticket("Shared drive very slow", azure, now - timedelta(days=10), priority="2")
        # An outage on Azure's web hosting, still open.
        hosting = ref("helpdesk_sla_contract.service_azure_hosting_demo")
        ticket(
            "Website down",
            azure,
            now - timedelta(minutes=40),
            priority="3",
            is_outage=True,
            outage_service_id=hosting.id,
        )
        # Next weekend's announced maintenance.
        saturday = (now + relativedelta(weekday=5)).replace(
            hour=22, minute=0, second=0, microsecond=0
        )
        env["helpdesk.sla.maintenance"].create(
            {
                "name": "Hosting platform upgrade",
                "service_ids": [(6, 0, hosting.ids)],
                "date_start": saturday,
                "date_end": saturday + timedelta(hours=2),
                "announced_date": now,
            }
        )
        tickets.search([("stage_id.closed", "=", False)])._sla_recompute()
        env["helpdesk.ticket"]._cron_check_sla()
        self._create_demo_credits(hosting, now)
        return True

    def _create_demo_credits(self, hosting, now):
        """Downtime in each of the last four months, and their credits in every
        state: applied, cancelled, approved, draft."""
        env = self.env
        credit_model = env["helpdesk.sla.credit"]
        month = fields.Date.context_today(self).replace(day=1)
        states = ["draft", "approved", "cancel", "applied"]
        for back, state in enumerate(states, start=1):
            start = month - relativedelta(months=back)
            begin = fields.Datetime.to_datetime(start) + timedelta(days=9, hours=14)
            env["helpdesk.sla.incident"].create(
                {
                    "service_id": hosting.id,
                    "date_start": begin,
                    "date_end": begin + timedelta(minutes=60 * back + 30),
                    "cause": "Storage controller failure",
                }
            )
            sla_credits = credit_model._sla_compute_credits(
                hosting.contract_id, start, "month"
            )
            if state == "draft":
                continue
            sla_credits.action_approve()
            if state == "cancel":
                sla_credits.action_cancel()
            elif state == "applied":
                sla_credits._sla_create_credit_notes()
