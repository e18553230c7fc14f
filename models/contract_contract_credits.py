# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer contracts: uptime guarantees (monitored services, incidents,
maintenance notice) and the penalty rules and credits they give."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The months a line's recurrence spans: OCA contract's own table, the one its
# monthly_recurring is computed with.
from odoo.addons.contract.models.contract_line import _MONTHS_PER_RULE


class ContractContract(models.Model):
    _inherit = "contract.contract"

    # --- Uptime guarantees and penalties -----------------------------------
    service_ids = fields.One2many(
        "helpdesk.sla.service", "contract_id", string="Monitored services"
    )
    service_count = fields.Integer(compute="_compute_credit_counts")
    incident_count = fields.Integer(compute="_compute_credit_counts")
    maintenance_notice_hours = fields.Float(
        string="Maintenance notice (hours)",
        default=48.0,
        help="Maintenance announced at least this long before it starts does not "
        "count as downtime.",
    )
    penalty_scheme_id = fields.Many2one(
        "helpdesk.sla.penalty.scheme", string="Penalty scheme"
    )
    penalty_rule_ids = fields.One2many(
        "helpdesk.sla.penalty.rule", "contract_id", string="Penalty rules"
    )
    credit_ids = fields.One2many("helpdesk.sla.credit", "contract_id", string="Credits")
    credit_count = fields.Integer(compute="_compute_credit_counts")

    def _compute_credit_counts(self):
        # sudo: counts only; helpdesk users see services but not credits.
        incidents = self.env["helpdesk.sla.incident"].sudo()
        # Undecided credits are nobody's business but finance's and the SLA
        # managers' (a portal follower may read its contract).
        may_read_credits = self.env["helpdesk.sla.credit"].has_access("read")
        for contract in self:
            contract.service_count = len(contract.sudo().service_ids)
            contract.incident_count = (
                incidents.search_count([("contract_id", "=", contract.id)])
                if contract.id
                else 0
            )
            contract.credit_count = (
                len(contract.sudo().credit_ids) if may_read_credits else 0
            )

    @api.constrains("maintenance_notice_hours")
    def _check_maintenance_notice(self):
        for contract in self:
            if contract.maintenance_notice_hours < 0:
                raise ValidationError(
                    contract.env._("A maintenance notice period cannot be negative.")
                )

    def _sla_penalty_rules(self):
        self.ensure_one()
        # An archived scheme no longer applies (its rules stay for history).
        scheme = self.penalty_scheme_id.filtered("active")
        rules = self.penalty_rule_ids | scheme.rule_ids
        return rules.filtered("active").sorted(lambda rule: (rule.sequence, rule.id))

    def _sla_monthly_fee(self):
        """Recurring fee of the contract per month (its lines' monthly amounts),
        unrounded: a quarter's fee of a quarterly line of 1000 is 1000, not
        3 x 333.33 (credits are rounded once, on their amount)."""
        self.ensure_one()
        return sum(
            self._sla_line_monthly_fee(line)
            for line in self.contract_line_ids
            if not line.display_type and not line.is_canceled
        )

    @api.model
    def _sla_line_monthly_fee(self, line):
        """A contract line's amount per month, unrounded (its stored
        monthly_recurring is rounded to the currency)."""
        months = _MONTHS_PER_RULE.get(line.recurring_rule_type, 1.0) * (
            line.recurring_interval or 1
        )
        return line.price_subtotal / months if months else 0.0

    def _sla_lock_for_credits(self):
        """Lock the contracts against a credit run in another worker; those
        already locked are left to it."""
        if not self:
            return self
        self.env.cr.execute(
            "SELECT id FROM contract_contract WHERE id IN %s "
            "FOR NO KEY UPDATE SKIP LOCKED",
            [tuple(self.ids)],
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        return self.filtered(lambda contract: contract.id in locked)

    def action_view_sla_services(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Monitored services"),
            "res_model": "helpdesk.sla.service",
            "view_mode": "list,form",
            "domain": [("contract_id", "=", self.id)],
            "context": {"default_contract_id": self.id},
        }

    def action_view_sla_incidents(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Downtime"),
            "res_model": "helpdesk.sla.incident",
            "view_mode": "list,form",
            "domain": [("contract_id", "=", self.id)],
        }

    def action_view_sla_credits(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("SLA credits"),
            "res_model": "helpdesk.sla.credit",
            "view_mode": "list,form",
            "domain": [("contract_id", "=", self.id)],
            "context": {"search_default_not_cancelled": 1},
        }
