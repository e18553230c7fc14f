# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager

from odoo import api, models

from .helpdesk_ticket import STAGE_FACTS_KEY

# Key in cr.precommit.data, set only while _sla_memo_applicable_stages() runs:
# {(team ids, environment, company id): ids of the team's applicable stages}.
APPLICABLE_STAGES_KEY = "helpdesk_sla_contract.applicable_stages"


class HelpdeskTicketTeam(models.Model):
    _name = "helpdesk.ticket.team"
    _inherit = ["helpdesk.ticket.team", "helpdesk.sla.condition.mixin"]
    _sla_condition_field = "team_ids"

    # Ticket creation looks up the first stage of each team once per
    # transaction (helpdesk.ticket._sla_stage_facts): forget it when teams
    # come, go or change company.
    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        self._sla_forget_stages()
        return teams

    def write(self, vals):
        result = super().write(vals)
        if "company_id" in vals:
            self._sla_forget_stages()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_forget_stage_facts(self):
        self._sla_forget_stages()

    @api.model
    def _sla_forget_stages(self):
        """Forget what is known of stages in this transaction (stages or teams
        change)."""
        data = self.env.cr.precommit.data
        data.pop(STAGE_FACTS_KEY, None)
        if APPLICABLE_STAGES_KEY in data:
            data[APPLICABLE_STAGES_KEY] = {}

    @api.model
    @contextmanager
    def _sla_memo_applicable_stages(self):
        """Within this block, _get_applicable_stages() searches each team's
        stages once. helpdesk_mgmt searches them for every ticket it gives a
        stage (one query per new ticket, as much as all of this module's work
        on a new ticket); the answer only changes when stages or teams do,
        which empties the memo (_sla_forget_stages)."""
        data = self.env.cr.precommit.data
        if APPLICABLE_STAGES_KEY in data:  # nested: the outer block owns it
            yield
            return
        data[APPLICABLE_STAGES_KEY] = {}
        try:
            yield
        finally:
            data.pop(APPLICABLE_STAGES_KEY, None)

    def _get_applicable_stages(self):
        memo = self.env.cr.precommit.data.get(APPLICABLE_STAGES_KEY)
        if memo is None:
            return super()._get_applicable_stages()
        # Everything the search depends on besides the stages: the team, and
        # the environment (user, companies, context: record rules, the
        # domain, archived records) with its company (changing a user's
        # company resets it on the environments in use).
        key = (self._ids, self.env, self.env.company.id)
        stage_ids = memo.get(key)
        if stage_ids is None:
            stages = super()._get_applicable_stages()
            memo[key] = stages._ids
            return stages
        return self.env["helpdesk.ticket.stage"].browse(stage_ids)
