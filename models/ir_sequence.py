# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from odoo.addons.base.models.ir_sequence import IrSequence as OdooIrSequence

# The code helpdesk_mgmt numbers tickets with.
TICKET_SEQUENCE_CODE = "helpdesk.ticket.sequence"
# Key in cr.precommit.data: {(environment, company id): id of the ticket
# sequence Odoo's lookup gives there, or False}. Commit, rollback and every
# flushing savepoint (cr.savepoint(), opened or closed) clear it; a
# non-flushing savepoint rolled back after a sequence was created and used
# in it is the one case it would outlive (accepted: rare, see README).
TICKET_SEQUENCE_KEY = "helpdesk_sla_contract.ticket_sequence"


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    @api.model
    def next_by_code(self, sequence_code, sequence_date=None):
        if sequence_code != TICKET_SEQUENCE_CODE or not self._sla_odoo_lookup():
            return super().next_by_code(sequence_code, sequence_date=sequence_date)
        # helpdesk_mgmt numbers every new ticket with this code: Odoo's search
        # for the sequence costs as much as all of this module's work on a
        # new ticket. The sequence is looked up once per transaction, user and
        # company instead, and forgotten when sequences change.
        self.browse().check_access("read")
        known = self.env.cr.precommit.data.setdefault(TICKET_SEQUENCE_KEY, {})
        # The company too: changing a user's company resets it on the
        # environments in use.
        key = (self.env, self.env.company.id)
        sequence_id = known.get(key)
        if sequence_id is None:
            # Odoo's lookup, same query and order.
            sequence_id = known[key] = self.search(
                [
                    ("code", "=", sequence_code),
                    ("company_id", "in", [self.env.company.id, False]),
                ],
                order="company_id",
            )[:1].id
        if not sequence_id:
            return super().next_by_code(sequence_code, sequence_date=sequence_date)
        return self.browse(sequence_id)._next(sequence_date=sequence_date)

    @api.model
    def _sla_odoo_lookup(self):
        """Whether the next_by_code this module's overrides is Odoo's own: a
        module that chooses sequences otherwise keeps its choice."""
        cls = type(self)
        known = cls.__dict__.get("_sla_odoo_next_by_code")
        if known is None:
            mro = cls.__mro__
            following = mro[mro.index(IrSequence) + 1 :]
            owner = next(klass for klass in following if "next_by_code" in vars(klass))
            known = cls._sla_odoo_next_by_code = owner is OdooIrSequence
        return known

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.cr.precommit.data.pop(TICKET_SEQUENCE_KEY, None)
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env.cr.precommit.data.pop(TICKET_SEQUENCE_KEY, None)
        return result

    def unlink(self):
        self.env.cr.precommit.data.pop(TICKET_SEQUENCE_KEY, None)
        return super().unlink()
