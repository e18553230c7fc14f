# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A monitoring tool that reports the downtime of services by webhook."""

import hashlib
import hmac
import json
import logging
import secrets
from datetime import datetime, time, timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import alert_payloads
from ..lib.alert_payloads import PayloadError

_logger = logging.getLogger(__name__)

TOKEN_PREFIX = "slaa_"
TOKEN_ID_LENGTH = 12  # hex characters after the prefix: the lookup key
MAX_BODY_BYTES = 256 * 1024
# A monitor's clock may run a little ahead of ours.
FUTURE_SKEW = timedelta(minutes=5)
# Older news is a mistake (a wrong clock, a replayed archive), not downtime.
OLDEST_PAST = timedelta(days=366)
# Compared against when no source has the token's id: the same work either way.
NO_HASH = hashlib.sha256(b"no source").hexdigest()


def hash_token(token):
    """Tokens are 256-bit random: a plain SHA-256 cannot be reversed."""
    return hashlib.sha256(token.encode()).hexdigest()


class HelpdeskSlaAlertSource(models.Model):
    _name = "helpdesk.sla.alert.source"
    _description = "Monitoring alert source"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(
        [
            ("alertmanager", "Prometheus Alertmanager"),
            ("uptime_kuma", "Uptime Kuma"),
            ("generic", "Generic (JSON)"),
        ],
        required=True,
        default="alertmanager",
    )
    service_ids = fields.Many2many(
        "helpdesk.sla.service",
        "helpdesk_sla_alert_source_service_rel",
        "source_id",
        "service_id",
        string="Services",
        check_company=True,
        help="The services this tool reports on. Alertmanager alerts with a "
        "label `sla_service` go to that service only; the generic webhook "
        "names its service.",
    )
    match_alertname = fields.Char(
        string="Alert name", help="Only Alertmanager alerts of this name count."
    )
    match_labels = fields.Char(
        string="Labels",
        help="Only Alertmanager alerts with these labels count, e.g. "
        "`job=web, env=prod`.",
    )
    match_monitor_id = fields.Char(
        string="Monitor id", help="Only this Uptime Kuma monitor counts."
    )
    ticket_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Open tickets in",
        check_company=True,
        help="Each new outage opens a Critical ticket in this team, for the "
        "service's contract and site. Empty: no ticket.",
    )
    token_prefix = fields.Char(
        readonly=True, copy=False, groups="helpdesk_sla_contract.group_sla_manager"
    )
    token_hash = fields.Char(
        readonly=True, copy=False, groups="helpdesk_sla_contract.group_sla_manager"
    )
    token_date = fields.Datetime(string="Token issued on", readonly=True, copy=False)
    has_token = fields.Boolean(string="Token set", compute="_compute_has_token")
    endpoint_url = fields.Char(string="Webhook URL", compute="_compute_endpoint_url")
    last_error = fields.Text(string="Last refused delivery", readonly=True, copy=False)
    last_error_date = fields.Datetime(string="Refused on", readonly=True, copy=False)
    last_delivery_date = fields.Datetime(
        string="Last delivery", compute="_compute_deliveries"
    )
    event_count = fields.Integer(
        string="Events received", compute="_compute_deliveries"
    )
    event_ids = fields.One2many("helpdesk.sla.alert.event", "source_id")

    _sql_constraints = [
        ("token_prefix_unique", "UNIQUE(token_prefix)", "Token ids are unique."),
    ]

    @api.depends("token_date")
    def _compute_has_token(self):
        for source in self:
            source.has_token = bool(source.sudo().token_hash)

    @api.depends("kind")
    def _compute_endpoint_url(self):
        for source in self:
            source.endpoint_url = f"{source.get_base_url()}/sla/alerts/{source.kind}"

    def _compute_deliveries(self):
        """From the events (not a counter on the source, which every delivery
        would write: two workers would then queue on this one row)."""
        groups = self.env["helpdesk.sla.alert.event"]._read_group(
            [("source_id", "in", self.ids)],
            ["source_id"],
            ["create_date:max", "__count"],
        )
        found = {source.id: (last, count) for source, last, count in groups}
        for source in self:
            source.last_delivery_date, source.event_count = found.get(
                source.id, (False, 0)
            )

    @api.constrains("match_labels")
    def _check_match_labels(self):
        for source in self:
            try:
                alert_payloads.parse_matchers(source.match_labels)
            except PayloadError as error:
                raise ValidationError(
                    self.env._(
                        "Labels are written key=value, separated by commas: %(error)s",
                        error=str(error),
                    )
                ) from error

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_incidents(self):
        """The downtime a source recorded names it: archive it instead."""
        incidents = self.env["helpdesk.sla.incident"].sudo()
        for source in self:
            if incidents.search_count([("alert_source_id", "=", source.id)], limit=1):
                raise UserError(
                    self.env._(
                        "The alert source %(name)s recorded downtime: archive it "
                        "instead of deleting it.",
                        name=source.name,
                    )
                )

    # ------------------------------------------------------------------
    # Tokens: SLA managers only; shown once, stored hashed
    # ------------------------------------------------------------------

    def _sla_check_manager(self):
        if not (
            self.env.su
            or self.env.user.has_group("helpdesk_sla_contract.group_sla_manager")
        ):
            raise AccessError(
                self.env._("Only SLA managers can issue or revoke alert tokens.")
            )

    def action_sla_new_token(self):
        """Issue a token (replacing any previous one) and show it once."""
        self.ensure_one()
        self._sla_check_manager()
        token_id = secrets.token_hex(TOKEN_ID_LENGTH // 2)
        token = f"{TOKEN_PREFIX}{token_id}_{secrets.token_urlsafe(32)}"
        self.sudo().write(
            {
                "token_prefix": token_id,
                "token_hash": hash_token(token),
                "token_date": fields.Datetime.now(),
            }
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("New token for %(name)s", name=self.name),
                "message": self.env._(
                    "Copy it now, it is not shown again: %(token)s — Endpoint: "
                    "%(url)s (header 'Authorization: Bearer <token>', or "
                    "?token=<token>)",
                    token=token,
                    url=self.endpoint_url,
                ),
                "sticky": True,
                "type": "warning",
                "next": {"type": "ir.actions.act_window_close"},
                "token": token,
            },
        }

    def action_sla_revoke_token(self):
        self._sla_check_manager()
        self.sudo().write(
            {"token_prefix": False, "token_hash": False, "token_date": False}
        )

    @api.model
    def _sla_authenticate(self, kind, token):
        """The active source of `kind` the token belongs to, or nothing. The
        hash comparison runs in constant time, also when no source matches."""
        sources = self.sudo().browse()
        if not isinstance(token, str):
            token = ""
        if token.startswith(TOKEN_PREFIX):
            token_id = token[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + TOKEN_ID_LENGTH]
            sources = self.sudo().search(
                [("token_prefix", "=", token_id), ("kind", "=", kind)], limit=1
            )
        expected = sources.token_hash or NO_HASH
        valid = hmac.compare_digest(expected, hash_token(token))
        return sources if valid and sources else self.sudo().browse()

    # ------------------------------------------------------------------
    # Deliveries
    # ------------------------------------------------------------------

    @api.model
    def _sla_receive(self, kind, token, body):
        """One webhook delivery -> (HTTP status, JSON answer). `body` is the
        raw body, or None when it is over the size limit (not even read)."""
        source = self._sla_authenticate(kind, token)
        if not source:
            _logger.warning("SLA alerts: delivery to /sla/alerts/%r refused", kind)
            return 401, {
                "error": "unauthorized",
                "message": "Missing, wrong or revoked token.",
            }
        try:
            plan = source._sla_plan(source._sla_parse(body))
            # A refusal while applying undoes the delivery's writes.
            with self.env.cr.savepoint():
                recorded, repeated = source._sla_apply(plan)
        except PayloadError as error:
            return source._sla_bad_request(str(error))
        except (UserError, ValidationError) as error:
            return source._sla_bad_request(error.args[0])
        return 200, {"status": "ok", "recorded": recorded, "repeated": repeated}

    def _sla_bad_request(self, message):
        """A 400 JSON answer: the tool stops retrying a delivery we refuse."""
        self._sla_log_error(message)
        return 400, {"error": "bad_request", "message": message}

    def _sla_parse(self, body):
        self.ensure_one()
        if body is None or len(body) > MAX_BODY_BYTES:
            raise PayloadError(f"the body is over the limit of {MAX_BODY_BYTES} bytes")
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise PayloadError(f"malformed JSON: {error}") from error
        except RecursionError as error:
            raise PayloadError("malformed JSON: nested too deeply") from error
        return alert_payloads.PARSERS[self.kind](payload)

    def _sla_plan(self, signals):
        """(service, signal) pairs to record; refuses the whole delivery when
        one signal names an unknown or ambiguous service, or lies in the
        future or before its service's contract."""
        self.ensure_one()
        now = fields.Datetime.now()
        latest, oldest = now + FUTURE_SKEW, now - OLDEST_PAST
        plan = []
        for signal in signals:
            if not self._sla_matches(signal):
                continue
            if signal.at > latest:
                raise PayloadError(f"{signal.at.isoformat()} (UTC) is in the future")
            if signal.at < oldest:
                raise PayloadError(
                    f"{signal.at.isoformat()} (UTC) is more than a year ago"
                )
            services = self._sla_plan_services(signal)
            for service in services:
                start = service.contract_id.date_start
                # A day of slack: the contract's date is in the customer's zone.
                if start and signal.at < datetime.combine(start, time.min) - timedelta(
                    days=1
                ):
                    raise PayloadError(
                        f"{signal.at.isoformat()} (UTC) is before the contract of "
                        f"service {service.code or service.id!r} starts"
                    )
            plan.extend((service, signal) for service in services)
        return plan

    def _sla_plan_services(self, signal):
        """The services a signal is about: the one it names, else all."""
        if signal.service is None:
            if not self.service_ids:
                raise PayloadError("the source reports on no service")
            return self.service_ids
        services = self.env["helpdesk.sla.service"]._sla_alert_resolve(
            self, signal.service
        )
        if not services:
            raise PayloadError(f"unknown service {signal.service!r}")
        if len(services) > 1:
            raise PayloadError(
                f"ambiguous service {signal.service!r}: {len(services)} services "
                "of this source have that code, use an id"
            )
        return services

    def _sla_matches(self, signal):
        if self.kind == "alertmanager":
            return alert_payloads.labels_match(
                signal.labels, self.match_alertname, self.match_labels
            )
        if self.kind == "uptime_kuma" and self.match_monitor_id:
            return signal.labels.get("monitor_id") == self.match_monitor_id.strip()
        return True

    def _sla_apply(self, plan):
        """Record the events once each, then bring the services' downtime in
        line with them, one locked service at a time."""
        self.ensure_one()
        services = self.env["helpdesk.sla.service"].union(
            *(service for service, _signal in plan)
        )
        if not services:
            return 0, 0
        services._sla_alert_lock()
        events = self.env["helpdesk.sla.alert.event"]
        recorded = repeated = 0
        since = {}
        for service, signal in plan:
            if events._sla_record(self, service, signal):
                recorded += 1
                since[service] = min(since.get(service, signal.at), signal.at)
            else:
                repeated += 1
        for service, moment in since.items():
            service._sla_alert_reconcile(moment)
        return recorded, repeated

    def _sla_log_error(self, message):
        _logger.info("SLA alerts: source %s refused a delivery: %s", self.id, message)
        self.write({"last_error": message, "last_error_date": fields.Datetime.now()})

    def _sla_open_outage_ticket(self, incident):
        """A Critical ticket for a new outage, linked to its incident."""
        self.ensure_one()
        if not self.ticket_team_id:
            return
        service = incident.service_id
        contract = service.contract_id
        self.env["helpdesk.ticket"].create(
            {
                "name": self.env._("%(service)s down", service=service.name),
                "description": incident.cause or False,
                "team_id": self.ticket_team_id.id,
                "priority": "3",
                "partner_id": contract.partner_id.id,
                "site_id": service.site_id.id,
                "contract_id": contract.id,
                "company_id": contract.company_id.id,
                "is_outage": True,
                "outage_service_id": service.id,
                "outage_alert_source_id": self.id,
                "sla_start_date": incident.date_start,
                "incident_ids": [Command.link(incident.id)],
            }
        )
