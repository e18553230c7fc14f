# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class HelpdeskSlaPendingMixin(models.AbstractModel):
    """Records a new ticket's SLA is computed from (targets, contract lines).

    The ORM computes the SLA of new tickets at the flush: before such a record
    changes, the tickets created earlier in the transaction get theirs, so
    that a ticket keeps the configuration of its creation."""

    _name = "helpdesk.sla.pending.mixin"
    _description = "Configuration of new tickets' SLA"

    @api.model_create_multi
    def create(self, vals_list):
        self.env["helpdesk.ticket"]._sla_compute_pending()
        return super().create(vals_list)

    def write(self, vals):
        self.env["helpdesk.ticket"]._sla_compute_pending()
        return super().write(vals)

    def unlink(self):
        self.env["helpdesk.ticket"]._sla_compute_pending()
        return super().unlink()
