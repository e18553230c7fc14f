# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SLA screens in a real browser (issue #13, points 5, 6 and 7). Odoo skips
these tours where Chromium is missing."""

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSlaScreenTours(HttpCase):
    def test_dashboard_tile_opens_the_filtered_list(self):
        admin = self.env.ref("base.user_admin")
        admin.groups_id += self.env.ref("helpdesk_sla_contract.group_sla_manager")
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Tour ticket", "description": "Down."}
        )
        now = fields.Datetime.now()
        self.env["helpdesk.sla.breach"].create(
            {
                "ticket_id": ticket.id,
                "kind": "response",
                "deadline": now,
                "breach_date": now,
                "company_id": ticket.company_id.id,
            }
        )
        self.start_tour("/web", "helpdesk_sla_dashboard_tour", login="admin")

    def test_business_hours_open_inside_helpdesk(self):
        admin = self.env.ref("base.user_admin")
        admin.groups_id += self.env.ref("helpdesk_sla_contract.group_sla_manager")
        self.start_tour("/web", "helpdesk_sla_business_hours_tour", login="admin")

    def test_finance_sees_only_the_chosen_pricing_model(self):
        new_test_user(
            self.env,
            login="tour_finance",
            groups="base.group_user,account.group_account_manager",
        )
        partner = self.env["res.partner"].create(
            {"name": "Tour customer", "is_company": True}
        )
        contract = self.env["contract.contract"].create(
            {
                "name": "Tour fixed fee",
                "partner_id": partner.id,
                "contract_type": "sale",
                "pricing_model": "fixed_fee",
            }
        )
        action = self.env.ref("contract.action_customer_contract")
        self.start_tour(
            f"/web#action={action.id}&model=contract.contract"
            f"&id={contract.id}&view_type=form",
            "helpdesk_sla_contract_pricing_tour",
            login="tour_finance",
        )
