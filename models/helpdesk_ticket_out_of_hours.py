# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tickets: the out-of-hours auto-reply (when work starts, for the customer)."""

from datetime import timedelta

from odoo import api, fields, models

from ..lib.epoch import from_epoch, to_epoch


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    sla_out_of_hours_text = fields.Char(
        compute="_compute_sla_out_of_hours_text",
        help="Start of the next business period after the ticket's creation, "
        "formatted for the customer.",
    )

    # ------------------------------------------------------------------
    # Out-of-hours auto-reply
    # ------------------------------------------------------------------

    def _sla_next_business_start(self, moment=None):
        """Start of the next business period of the ticket's policy (naive UTC)."""
        self.ensure_one()
        calendar = self.sla_calendar_id
        if not calendar:
            return False
        moment = moment or fields.Datetime.now()
        schedule = calendar._sla_schedule(moment, moment + timedelta(days=62))
        start = schedule.next_work_start(to_epoch(moment))
        return from_epoch(start) if start is not None else False

    def _sla_customer_tz(self):
        self.ensure_one()
        # The contact's zone, else the site's (a site has its own time zone),
        # else the customer company's, else the helpdesk company's. Never the
        # viewer's: the note sent at creation and the portal page read later
        # by the customer must name the same zone.
        return (
            self.partner_id.tz
            or self.site_id.tz
            or self.commercial_partner_id.tz
            or self.company_id.partner_id.tz
            or self.sla_calendar_id.tz
            or "UTC"
        )

    def _sla_send_out_of_hours_reply(self):
        for ticket in self:
            # sudo: the SLA fields are the helpdesk's, whoever opens the ticket.
            policy = ticket.sudo().sla_policy_id
            if not (policy.out_of_hours_reply and policy.out_of_hours_template_id):
                continue
            moment = ticket.sla_start_date or fields.Datetime.now()
            schedule = ticket.sudo().sla_calendar_id._sla_schedule(moment, moment)
            if schedule.is_working(to_epoch(moment)):
                continue
            ticket.with_context(
                sla_auto_reply=True, sla_reply_moment=moment
            ).message_post_with_source(
                policy.out_of_hours_template_id.with_env(ticket.env),
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
            )

    @api.depends("sla_start_date", "sla_policy_id", "partner_id")
    def _compute_sla_out_of_hours_text(self):
        """When work starts, in the customer's language and time zone."""
        for ticket in self:
            start = ticket.sla_policy_id and ticket._sla_next_business_start(
                ticket.env.context.get("sla_reply_moment") or ticket.sla_start_date
            )
            # Long date, short time, zone named: no seconds.
            ticket.sla_out_of_hours_text = ticket._sla_format_moment(start)
