# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Webhooks of monitoring tools: /sla/alerts/<kind>."""

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..models.helpdesk_sla_alert_source import MAX_BODY_BYTES

BODY_KEY = "helpdesk_sla_contract.alert_body"


class SlaAlertWebhook(http.Controller):
    @http.route(
        "/sla/alerts/<string:kind>",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def sla_alert(self, kind, **query):
        """Authenticated by the source's token (Bearer header, or `token` in
        the URL for tools that cannot set headers); answers JSON."""
        header = request.httprequest.headers.get("Authorization", "")
        token = header[7:].strip() if header[:7].lower() == "bearer " else ""
        token = token or query.get("token") or ""
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
