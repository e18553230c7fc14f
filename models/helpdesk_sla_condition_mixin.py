# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .sla_history import count_references, refuse_unlink_if_referenced


class HelpdeskSlaConditionMixin(models.AbstractModel):
    """Records SLA policies name (teams, categories, tags, customers in their
    conditions; stages they pause in).

    Policies cache what they name, and archived records drop out of it:
    archiving or deleting a record a policy names clears that cache."""

    _name = "helpdesk.sla.condition.mixin"
    _description = "Named in SLA policy conditions"
    # The helpdesk.sla.policy many2many field that names these records.
    _sla_condition_field = None
    # Whether the policy covers only the records it names there (so that
    # deleting the last one would make it cover everything).
    _sla_condition_narrows = True

    def _sla_clear_if_named(self):
        """The policies naming these records no longer use what they cached."""
        if not self._sla_condition_field:
            return
        self.env["helpdesk.sla.policy"].sudo().with_context(active_test=False).search(
            [(self._sla_condition_field, "in", self.ids)]
        )._sla_touch()

    def write(self, vals):
        res = super().write(vals)
        if "active" in vals:
            self._sla_clear_if_named()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_clear_sla_conditions(self):
        if self._sla_condition_field and self._sla_condition_narrows:
            # Archived, they still keep their policies to them.
            refuse_unlink_if_referenced(
                self,
                [
                    (
                        self.env._("SLA policies"),
                        count_references(
                            self, "helpdesk.sla.policy", self._sla_condition_field
                        ),
                    )
                ],
            )
        self._sla_clear_if_named()
