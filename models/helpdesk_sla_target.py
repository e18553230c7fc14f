# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib.sla_display import human_duration


def sla_priority_selection(records):
    """helpdesk_mgmt's ticket priorities, most urgent first, labelled (and
    translated, in the language of `records`) exactly as on tickets: one
    vocabulary on every SLA screen, report and portal page."""
    env = records.env
    selection = env["helpdesk.ticket"]._fields["priority"]._description_selection(env)
    return sorted(selection, key=lambda item: item[0], reverse=True)


class HelpdeskSlaTarget(models.Model):
    _name = "helpdesk.sla.target"
    _description = "SLA target per priority"
    _order = "policy_id, priority desc"

    policy_id = fields.Many2one(
        "helpdesk.sla.policy", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    priority = fields.Selection(sla_priority_selection, required=True, default="1")
    response_hours = fields.Float(
        string="Respond within",
        required=True,
        help="Business hours from the start of the clock to the first reply.",
    )
    resolution_hours = fields.Float(
        string="Resolve within",
        required=True,
        help="Business hours from the start of the clock to the resolution.",
    )
    # Targets that are whole business days read so ("3 business days").
    sla_day_hours = fields.Float(
        related="policy_id.calendar_id.hours_per_day", string="Hours per day"
    )

    definition = fields.Text(
        compute="_compute_definition",
        store=True,
        readonly=False,
        translate=True,
        help="What this priority means, as the SLA agreement states it.",
    )

    _sql_constraints = [
        (
            "policy_priority_unique",
            "UNIQUE(policy_id, priority)",
            "A policy has one target per priority.",
        ),
    ]

    # Policies cache their targets per version (_sla_target_table).
    @api.model_create_multi
    def create(self, vals_list):
        targets = super().create(vals_list)
        targets.policy_id._sla_touch()
        return targets

    def write(self, vals):
        policies = self.policy_id
        res = super().write(vals)
        (policies | self.policy_id)._sla_touch()
        return res

    def unlink(self):
        policies = self.policy_id
        res = super().unlink()
        policies._sla_touch()
        return res

    def _default_definitions(self):
        """What each priority means, as the agreement states it (editable)."""
        return {
            "3": self.env._("Site down, business stopped."),
            "2": self.env._("A main function is unavailable."),
            "1": self.env._("Minor faults."),
            "0": self.env._("Questions and small changes."),
        }

    @api.model
    def _sla_default_definition_rows(self):
        """(label, definition) of every priority, most urgent first: the
        agreement's definitions when the contract has no policy yet."""
        defaults = self._default_definitions()
        return [
            (label, defaults.get(priority, ""))
            for priority, label in sla_priority_selection(self)
        ]

    @api.depends("priority")
    def _compute_definition(self):
        defaults = self._default_definitions()
        for target in self:
            if not target.definition:
                target.definition = defaults.get(target.priority, "")

    @api.constrains("response_hours", "resolution_hours")
    def _check_hours(self):
        for target in self:
            if target.response_hours <= 0 or target.resolution_hours <= 0:
                raise ValidationError(
                    self.env._(
                        "SLA targets must be greater than zero "
                        "(policy %(policy)s, priority %(priority)s).",
                        policy=target.policy_id.display_name,
                        priority=target._priority_label(),
                    )
                )
            if target.resolution_hours < target.response_hours:
                raise ValidationError(
                    self.env._(
                        "The resolution target cannot be shorter than the response "
                        "target (policy %(policy)s, priority %(priority)s).",
                        policy=target.policy_id.display_name,
                        priority=target._priority_label(),
                    )
                )

    def _priority_label(self):
        self.ensure_one()
        return dict(self._fields["priority"]._description_selection(self.env)).get(
            self.priority, self.priority
        )

    def _sla_human_hours(self, fname, calendar=None):
        """A target as people read it ("15 min", "3 business days"): whole
        days of `calendar` (the policy's by default) when it has some."""
        self.ensure_one()
        calendar = calendar or self.policy_id.calendar_id
        return human_duration(
            self[fname], day_hours=calendar.sudo().hours_per_day, _=self.env._
        )

    @api.depends("policy_id", "priority")
    def _compute_display_name(self):
        for target in self:
            target.display_name = (
                f"{target.policy_id.display_name or ''} / {target._priority_label()}"
            )
