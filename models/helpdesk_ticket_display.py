# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tickets: the SLA at a glance (display only, never stored): what the
countdown widget ticks on, and the same countdown as text for the portal,
notes and PDFs (lib/sla_display.py computes both)."""

from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.tools.misc import babel_locale_parse, format_date, get_lang

from ..lib import sla_clock, sla_display
from ..lib.epoch import from_epoch, to_epoch

# How far around now and the deadline the working blocks are looked up.
BLOCK_MARGIN = timedelta(days=8)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    sla_glance = fields.Json(
        string="SLA countdown",
        compute="_compute_sla_glance",
        help="The next SLA target that matters (the response until it is met, "
        "then the resolution), as the countdown widget shows it.",
    )

    @api.depends(
        "sla_policy_id",
        "sla_calendar_id",
        "priority",
        "sla_start_date",
        "sla_response_status",
        "sla_resolution_status",
        "sla_response_deadline",
        "sla_resolution_deadline",
        "sla_first_response_date",
        "sla_resolved_date",
    )
    def _compute_sla_glance(self):
        now = fields.Datetime.now()
        tickets = self.sudo()
        targets = tickets._sla_targets()
        for ticket, ticket_sudo in zip(self, tickets, strict=True):
            ticket.sla_glance = ticket_sudo._sla_glance(now, targets)

    def _sla_glance(self, now, targets):
        """The glance of this ticket as of `now` (see lib/sla_display.py):
        {'next': kind, 'response': clock, 'resolution': clock}, or False."""
        self.ensure_one()
        item = self._sla_clock_input(now, targets)
        if item is None or not self.sla_response_deadline:
            return False
        deadlines = (self.sla_response_deadline, self.sla_resolution_deadline)
        schedule = self.sla_calendar_id._sla_schedule(
            min(self.sla_start_date or now, now) - BLOCK_MARGIN,
            max(*deadlines, now) + BLOCK_MARGIN,
        )
        responded = bool(self.sla_first_response_date or self.sla_resolved_date)
        clocks = {
            sla_display.RESPONSE: self._sla_glance_clock(
                schedule,
                item,
                item.target[0],
                self.sla_response_status,
                responded,
                self.sla_response_deadline,
            ),
            sla_display.RESOLUTION: self._sla_glance_clock(
                schedule,
                item,
                item.target[1],
                self.sla_resolution_status,
                bool(self.sla_resolved_date),
                self.sla_resolution_deadline,
            ),
        }
        kind = sla_display.next_target(
            (self.sla_response_status, responded),
            (self.sla_resolution_status, bool(self.sla_resolved_date)),
        )
        if not kind:
            return False
        return dict(clocks, next=kind)

    def _sla_glance_clock(self, schedule, item, target, state, done, deadline):
        """One target's clock for the countdown (instants in epoch seconds)."""
        deadline_s = to_epoch(deadline)
        now_s = item.now
        open_target = not done and state not in (sla_display.PAUSED, False)
        late = None
        # Past the deadline before the SLA check stored "breached": the
        # lateness is known all the same (the kanban and lists show it).
        past_due = deadline_s is not None and deadline_s <= now_s
        if open_target and (
            state == sla_display.BREACHED
            or (past_due and state in sla_display.OPEN_STATES)
        ):
            late = sla_clock.active_seconds(schedule, deadline_s, now_s, item.pauses)
        warning_at = None
        if open_target and state == sla_display.RUNNING:
            warning_at = sla_clock.warning_instant(
                schedule, item.start, target, item.warning, item.pauses
            )
        work_until = None
        if open_target and schedule.is_working(now_s):
            work_until = sla_display.block_around(schedule.intervals, now_s)[1]
        return {
            "state": state or False,
            "done": done,
            "deadline": deadline_s,
            "warning_at": warning_at,
            "deadline_block": sla_display.block_around(schedule.intervals, deadline_s),
            "computed_at": now_s,
            "late": late,
            "work_until": work_until,
        }

    # ------------------------------------------------------------------
    # The same countdown as text (portal, notes, PDFs)
    # ------------------------------------------------------------------

    def _sla_countdown(self, tz=None, kind=None):
        """(state, text) of the next target (or of `kind`) now, the deadline
        read in `tz` (the viewer's or customer's zone); (False, '') without
        SLA."""
        self.ensure_one()
        glance = self.sla_glance
        kind = kind or (glance and glance["next"])
        if not glance or not glance.get(kind):
            return False, ""
        now = fields.Datetime.now()
        state, mode, value = sla_display.countdown(glance[kind], to_epoch(now))
        moment = None
        if mode == "at":
            moment = self._sla_moment_text(from_epoch(value), now, tz)
        text = sla_display.countdown_text(kind, mode, value, moment, _=self.env._)
        return state, text

    def _sla_clock_badge(self, kind):
        """(live state, 'Response: breached' / 'Resolution: at risk')."""
        state, _text = self._sla_countdown(kind=kind)
        if not state:
            return False, ""
        labels = {
            sla_display.RUNNING: self.env._("running"),
            sla_display.PAUSED: self.env._("paused"),
            sla_display.AT_RISK: self.env._("at risk"),
            sla_display.MET: self.env._("met"),
            sla_display.BREACHED: self.env._("breached"),
        }
        if kind == sla_display.RESPONSE:
            return state, self.env._("Response: %(state)s", state=labels[state])
        return state, self.env._("Resolution: %(state)s", state=labels[state])

    def _sla_format_moment(self, moment, tz=None, lang_code=None):
        """A date-time for people: the language's long date and short time,
        no seconds, with the zone named ("December 2, 2026, 9:15 AM
        (Europe/Berlin)"); in the customer's zone by default."""
        self.ensure_one()
        if not moment:
            return ""
        return self._sla_moment_formatter()(
            moment,
            tz or self._sla_customer_tz(),
            lang_code or self.partner_id.lang or self.env.lang,
        )

    @api.model
    def _sla_moment_formatter(self):
        """format(moment, zone, lang_code): the text of _sla_format_moment, the
        frame in this environment's language; each language's babel locale
        resolved once (as Odoo's format_date and format_time resolve it), so
        that a batch of notes builds one formatter."""
        locales = {}

        def format_moment(moment, zone, lang_code):
            if not moment:
                return ""
            if lang_code not in locales:
                lang = get_lang(self.env, lang_code)
                locales[lang_code] = babel_locale_parse(lang.code)
            date_text, time_text = sla_display.moment_parts(
                moment, zone, locales[lang_code]
            )
            return self.env._(
                "%(date)s, %(time)s (%(zone)s)",
                date=date_text,
                time=time_text,
                zone=zone,
            )

        return format_moment

    def _sla_deadline_formatter(self):
        """text(ticket, moment, lang=None): ticket._sla_format_moment(moment)
        in the language `lang` (None: this environment's, the date in the
        customer's), for a batch of notes on these tickets: each ticket's
        zone and each language's formatter resolved once."""
        zones, formatters = {}, {}

        def text(ticket, moment, lang=None):
            if ticket.id not in zones:
                zones[ticket.id] = ticket._sla_customer_tz()
            if lang not in formatters:
                env = self.with_context(lang=lang).env if lang else self.env
                formatters[lang] = self.with_env(env)._sla_moment_formatter()
            return formatters[lang](
                moment,
                zones[ticket.id],
                lang or ticket.partner_id.lang or self.env.lang,
            )

        return text

    def _sla_moment_text(self, moment, now, tz=None):
        """A deadline as people read it: '14:00' today, '09:15 tomorrow',
        'Mon 09:15' within a week, else the date in the language's format;
        no seconds, in `tz` (the user's by default)."""
        zone = pytz.timezone(tz or self.env.user.tz or "UTC")
        local = pytz.utc.localize(moment).astimezone(zone)
        today = pytz.utc.localize(now).astimezone(zone).date()
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        time_format = (lang.time_format or "%H:%M:%S").replace(":%S", "")
        time_text = local.strftime(time_format)
        word = sla_display.day_word(local.date(), today)
        if word == "today":
            return time_text
        if word == "tomorrow":
            return self.env._("%(time)s tomorrow", time=time_text)
        if word == "week":
            day = format_date(self.env, local.date(), date_format="EEE")
            return self.env._("%(day)s %(time)s", day=day, time=time_text)
        return "{} {}".format(local.strftime(lang.date_format or "%m/%d/%Y"), time_text)
