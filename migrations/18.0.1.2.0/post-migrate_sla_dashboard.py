# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SLA dashboard is no longer a transient model (issue #13, point 5): its
views, action and fields go with the module data; only the table of its
unsaved records stays behind, and Odoo does not drop tables of models that
became abstract."""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    # Raw SQL: a table no model maps any more cannot be reached by the ORM.
    cr.execute("DROP TABLE IF EXISTS helpdesk_sla_dashboard CASCADE")
    _logger.info("SLA: table of the former transient dashboard dropped")
