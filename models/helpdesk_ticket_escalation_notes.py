# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tickets: the notes, activities and digests of SLA warnings and breaches
(who hears of them, and what they read, in their language)."""

from collections import defaultdict

from markupsafe import Markup

from odoo import fields, models

# Notes listed in one recipient's digest of an SLA check.
DIGEST_LINES = 50


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def _sla_escalation_partners(self):
        self.ensure_one()
        users = self.sla_policy_id.escalation_user_ids | self.team_id.user_id
        return users.partner_id

    def _sla_escalation_recipients(self):
        """{(policy id, team id): _sla_escalation_partners()} of these tickets,
        each pair looked up once for a batch of notes."""
        recipients = {}
        for ticket in self:
            key = (ticket.sla_policy_id.id, ticket.team_id.id)
            if key not in recipients:
                recipients[key] = ticket._sla_escalation_partners()
        return recipients

    def _sla_kind_label(self, kind):
        return (
            self.env._("response") if kind == "response" else self.env._("resolution")
        )

    def _sla_warning_activity(self, kind, deadline_text):
        """Values of the assignee's to-do activity for a warning (None without
        assignee), as activity_schedule() would create it; deadline_text: see
        _sla_deadline_formatter()."""
        self.ensure_one()
        if not self.user_id or self.env.context.get("mail_activity_automation_skip"):
            return None
        deadline = self[f"sla_{kind}_deadline"]
        label = self._sla_kind_label(kind)
        activity_type = (
            self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
            or self._default_activity_type()
        )
        return {
            "activity_type_id": activity_type.id,
            "summary": self.env._("SLA %(kind)s due soon", kind=label),
            "automated": True,
            "note": self.env._(
                "The %(kind)s deadline of this ticket is %(deadline)s.",
                kind=label,
                deadline=deadline_text(self, deadline),
            ),
            "date_deadline": fields.Date.context_today(self, deadline),
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "user_id": self.user_id.id,
        }

    def _sla_warning_note(self, kind, deadline_text, escalation):
        """(ticket, text, partner ids) of the note of a warning; text(lang) is
        the note in a language (None: the chatter's); deadline_text: see
        _sla_deadline_formatter(); escalation: _sla_escalation_partners()."""
        self.ensure_one()
        deadline = self[f"sla_{kind}_deadline"]
        percent = self.sla_policy_id.warning_percent

        def text(lang=None):
            env = self.with_context(lang=lang).env if lang else self.env
            ticket = self.with_env(env)
            return env._(
                "SLA warning: %(percent)s %% of the %(kind)s time is used; due "
                "%(deadline)s.",
                percent=percent,
                kind=ticket._sla_kind_label(kind),
                deadline=deadline_text(self, deadline, lang),
            )

        return self, text, escalation.ids

    def _sla_breach_note(self, breach, deadline_text, escalation):
        """(ticket, text, partner ids) of the note of a breach (see
        _sla_warning_note)."""
        self.ensure_one()
        partners = escalation | self.user_id.partner_id
        kind, deadline = breach.kind, breach.deadline

        def text(lang=None):
            env = self.with_context(lang=lang).env if lang else self.env
            ticket = self.with_env(env)
            return env._(
                "SLA breached: the %(kind)s deadline %(deadline)s was missed.",
                kind=ticket._sla_kind_label(kind),
                deadline=deadline_text(self, deadline, lang),
            )

        return self, text, partners.ids

    def _sla_post_notes(self, posts):
        """Log the internal notes [(ticket, text, partner ids)] of warnings and
        breaches on the tickets, in this order, then send each recipient one
        digest of them: Odoo's batch log notifies no one, so a backlog of
        breaches costs one notification per recipient, not one per ticket. The
        notes name no recipients (the digest is what reaches them)."""
        pending = posts
        while pending:
            # One note per ticket and call: a ticket's second note goes in the
            # next round (after its first).
            bodies, later = {}, []
            for post in pending:
                if post[0].id in bodies:
                    later.append(post)
                else:
                    bodies[post[0].id] = post[1]()
            self.browse(list(bodies))._message_log_batch(bodies)
            pending = later
        self._sla_send_digests(posts)

    def _sla_send_digests(self, posts):
        """One inbox/e-mail notification per recipient listing the notes of
        this SLA check that concern them (the first DIGEST_LINES of them), in
        the recipient's language."""
        by_partner = defaultdict(list)
        for index, (_ticket, _text, partner_ids) in enumerate(posts):
            for partner_id in partner_ids:
                by_partner[partner_id].append(index)
        # A note's line, built once per language for all the digests.
        lines_by_lang = {}

        def line(index, lang):
            if (index, lang) not in lines_by_lang:
                ticket, text, _partner_ids = posts[index]
                lines_by_lang[index, lang] = Markup("<li>%s: %s</li>") % (
                    ticket._get_html_link(),
                    text(lang),
                )
            return lines_by_lang[index, lang]

        partners = self.env["res.partner"].browse(list(by_partner))
        for partner in partners:
            items = by_partner[partner.id]
            lang = partner.lang or self.env.lang
            env = self.with_context(lang=lang).env
            lines = Markup("").join(line(index, lang) for index in items[:DIGEST_LINES])
            more = len(items) - DIGEST_LINES
            if more > 0:
                lines += Markup("<li>%s</li>") % env._(
                    "… and %(count)s more (see SLA breaches).", count=more
                )
            # On no record (mail.thread): a digest belongs to no ticket.
            self.env["mail.thread"].message_notify(
                partner_ids=[partner.id],
                subject=env._(
                    "SLA check: %(count)s tickets need attention", count=len(items)
                ),
                body=Markup("<ul>%s</ul>") % lines,
            )
