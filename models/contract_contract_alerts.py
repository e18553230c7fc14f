# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer contracts: the alerts of consumption (prepaid bank levels, project
budget), sent when a timesheet crosses them and checked again every hour."""

from markupsafe import Markup

from odoo import api, models
from odoo.tools import float_compare, float_round

from ..lib import prepaid_bank
from .contract_contract_pricing import BANK_MODELS


class ContractContract(models.Model):
    _inherit = "contract.contract"

    @api.model
    def _cron_check_consumption_alerts(self):
        """The alerts a timesheet's own check missed: two timesheets logged at
        once on two tickets of a contract each see the other's hours missing
        (their transactions' snapshots), each below a level that both cross
        together. Sent once: the level reached is stored."""
        contracts = self.sudo().search(
            [
                "|",
                ("pricing_model", "in", BANK_MODELS),
                "&",
                "&",
                ("pricing_model", "=", "project_hourly"),
                ("budget_hours", ">", 0),
                ("budget_warned", "=", False),
            ]
        )
        contracts._sla_check_consumption_alerts()

    def _sla_check_consumption_alerts(self):
        for contract in self:
            if contract.pricing_model in BANK_MODELS:
                contract._sla_check_bank_alerts()
            elif contract.pricing_model == "project_hourly":
                contract._sla_check_budget()

    def _sla_alert_partners(self):
        self.ensure_one()
        return (self.account_manager_id.partner_id | self.customer_contact_id).filtered(
            "email"
        )

    def _sla_send_alert(self, body):
        self.ensure_one()
        self.sudo().message_post(
            body=body,
            partner_ids=self._sla_alert_partners().ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        if self.account_manager_id:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.account_manager_id.id,
                summary=body,
            )

    def _sla_check_bank_alerts(self):
        self.ensure_one()
        bank_blocks, entries = self._sla_bank_data()
        if not bank_blocks:
            return
        # The alert levels are kept on the last block drawn (lib's order).
        current = self.env["helpdesk.sla.hour.block"].browse(
            prepaid_bank.ordered_blocks(bank_blocks)[-1].key
        )
        percent = prepaid_bank.used_percent(bank_blocks, entries, self.rollover)
        crossed = prepaid_bank.thresholds_crossed(
            current.alert_level,
            percent,
            [self.alert_threshold_low, self.alert_threshold_high],
        )
        if not crossed:
            return
        current.sudo().alert_level = crossed[-1]
        # One timesheet may cross both thresholds: each sends its alert.
        for threshold in crossed:
            self._sla_send_alert(
                Markup("<p>%s</p>")
                % self.env._(
                    "The prepaid bank of contract %(contract)s is %(percent)s %% "
                    "used (alert at %(threshold)s %%); %(left)s hours left.",
                    contract=self.display_name,
                    percent=float_round(percent, 1),
                    threshold=float_round(threshold, 1),
                    left=float_round(self.bank_remaining_hours, 2),
                )
            )

    def _sla_check_budget(self):
        self.ensure_one()
        if (
            not self.budget_hours
            or self.budget_warned
            or float_compare(self.hours_consumed, self.budget_hours, 2) < 0
        ):
            return
        self.sudo().budget_warned = True
        self._sla_send_alert(
            Markup("<p>%s</p>")
            % self.env._(
                "The project budget of contract %(contract)s is reached: "
                "%(hours)s of %(budget)s hours used.",
                contract=self.display_name,
                hours=float_round(self.hours_consumed, 2),
                budget=float_round(self.budget_hours, 2),
            )
        )
