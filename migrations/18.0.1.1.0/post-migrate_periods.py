# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Credit periods and breach snapshots (18.0.1.1.0).

- Breaches now keep their contract and site of breach time (new columns):
  a breach a credit was computed from gets that credit's contract, the
  others their ticket's contract as it is now (the best that is known); the
  site is the ticket's. Their priority column (formerly the ticket's,
  stored) keeps its values.
- A credit's identity now includes its period kind (the ORM replaces the
  unique constraint at the update): quarter credits get their "2026-Q4"
  name.
"""

import logging
from collections import defaultdict

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def _fill_breach_snapshots(env):
    breaches = env["helpdesk.sla.breach"].search([("contract_id", "=", False)])
    credited = {}
    for credit in env["helpdesk.sla.credit"].search([("breach_ids", "!=", False)]):
        for breach in credit.breach_ids:
            credited[breach.id] = credit.contract_id.id
    groups = defaultdict(list)
    for breach in breaches:
        ticket = breach.ticket_id
        contract_id = credited.get(breach.id) or ticket.contract_id.id
        groups[(contract_id, ticket.site_id.id)].append(breach.id)
    for (contract_id, site_id), ids in groups.items():
        env["helpdesk.sla.breach"].browse(ids).write(
            {"contract_id": contract_id, "site_id": site_id}
        )
    _logger.info("SLA breaches: contract and site kept for %s", len(breaches))


def _rename_quarter_credits(env):
    sla_credits = env["helpdesk.sla.credit"].search([("period_kind", "=", "quarter")])
    env.add_to_compute(sla_credits._fields["name"], sla_credits)
    sla_credits.flush_recordset(["name"])


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _fill_breach_snapshots(env)
    _rename_quarter_credits(env)
