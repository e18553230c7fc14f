# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

# The code helpdesk_mgmt numbers tickets with.
TICKET_SEQUENCE_CODE = "helpdesk.ticket.sequence"
# Key in cr.precommit.data (cleared at commit, at rollback, and when a
# savepoint opened with cr.savepoint(), which flushes, rolls back):
# {environment: id of the ticket sequence it uses, or False}.
TICKET_SEQUENCE_KEY = "helpdesk_sla_contract.ticket_sequence"


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    @api.model
    def next_by_code(self, sequence_code, sequence_date=None):
        if sequence_code != TICKET_SEQUENCE_CODE:
            return super().next_by_code(sequence_code, sequence_date=sequence_date)
        # helpdesk_mgmt numbers every new ticket with this code: Odoo's search
        # for the sequence costs as much as all of this module's work on a
        # new ticket. The sequence is looked up once per transaction and
        # environment (user, company) instead, and forgotten when sequences
        # change.
        self.browse().check_access("read")
        known = self.env.cr.precommit.data.setdefault(TICKET_SEQUENCE_KEY, {})
        sequence_id = known.get(self.env)
        if sequence_id is None:
            # Odoo's choice: the current company's sequence, else a shared one.
            sequence_id = known[self.env] = self.search(
                [
                    ("code", "=", sequence_code),
                    ("company_id", "in", [self.env.company.id, False]),
                ],
                order="company_id",
                limit=1,
            ).id
        if not sequence_id:
            return super().next_by_code(sequence_code, sequence_date=sequence_date)
        return self.browse(sequence_id)._next(sequence_date=sequence_date)

    @api.model_create_multi
    def create(self, vals_list):
        self.env.cr.precommit.data.pop(TICKET_SEQUENCE_KEY, None)
        return super().create(vals_list)

    def write(self, vals):
        self.env.cr.precommit.data.pop(TICKET_SEQUENCE_KEY, None)
        return super().write(vals)

    def unlink(self):
        self.env.cr.precommit.data.pop(TICKET_SEQUENCE_KEY, None)
        return super().unlink()
