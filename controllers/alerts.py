# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Webhooks of monitoring tools: /sla/alerts/<kind>."""

import logging
import re

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..models.helpdesk_sla_alert_source import MAX_BODY_BYTES

BODY_KEY = "helpdesk_sla_contract.alert_body"
TOKEN_IN_URL = re.compile(r"([?&]token=)[^&\s\"]*")


class TokenLogFilter(logging.Filter):
    """Masks `token=` in werkzeug's request log lines: a token sent in the URL
    (tools that cannot set a header) must not land in the server log."""

    def filter(self, record):
        if isinstance(record.args, tuple) and any(
            isinstance(arg, str) and "token=" in arg for arg in record.args
        ):
            record.args = tuple(
                TOKEN_IN_URL.sub(r"\1***", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        elif isinstance(record.msg, str) and "token=" in record.msg:
            record.msg = TOKEN_IN_URL.sub(r"\1***", record.msg)
        return True


def _install_token_log_filter():
    """Once per process, however often the module is imported."""
    werkzeug_logger = logging.getLogger("werkzeug")
    for existing in werkzeug_logger.filters:
        if isinstance(existing, TokenLogFilter):
            return existing
    log_filter = TokenLogFilter()
    werkzeug_logger.addFilter(log_filter)
    return log_filter


TOKEN_LOG_FILTER = _install_token_log_filter()


class SlaAlertWebhook(http.Controller):
    @http.route(
        "/sla/alerts/<any(alertmanager,uptime_kuma,generic):kind>",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        # auth="none" routes default to a read-only cursor: a delivery writes.
        readonly=False,
    )
    def sla_alert(self, kind, **query):
        """Authenticated by the source's token (Bearer header, preferred; or
        `token` in the URL's query string for tools that cannot set headers);
        answers JSON."""
        header = request.httprequest.headers.get("Authorization", "")
        token = header[7:].strip() if header[:7].lower() == "bearer " else ""
        # The query string only: `query` also holds form and file fields.
        url_token = request.httprequest.args.get("token")
        token = token or (url_token if isinstance(url_token, str) else "")
        sources = request.env(user=SUPERUSER_ID, su=True)["helpdesk.sla.alert.source"]
        status, answer = sources._sla_receive(kind, token, self._sla_body())
        return request.make_json_response(answer, status=status)

    def _sla_body(self):
        """The body, read once (a request replayed after a serialization
        failure reads it again from here), or None over the size limit:
        checked before reading it."""
        environ = request.httprequest.environ
        if BODY_KEY not in environ:
            length = request.httprequest.content_length
            if length is None:
                # Chunked: read up to the limit, never the whole stream.
                stream = environ.get("wsgi.input")
                terminated = stream and environ.get("wsgi.input_terminated")
                body = stream.read(MAX_BODY_BYTES + 1) if terminated else b""
            elif length > MAX_BODY_BYTES:
                body = None
            else:
                body = request.httprequest.get_data()
            environ[BODY_KEY] = (
                None if body is None or len(body) > MAX_BODY_BYTES else body
            )
        return environ[BODY_KEY]
