/** @odoo-module **/
// Copyright 2026 helpdesk_sla_contract developers
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

const tours = registry.category("web_tour.tours");

// The SLA dashboard counts, and a tile opens the list it counts.
tours.add("helpdesk_sla_dashboard_tour", {
    url: "/web#action=helpdesk_sla_contract.helpdesk_sla_dashboard_client_action",
    steps: () => [
        {
            content: "The dashboard shows this month's breaches (one at least)",
            trigger: ".o_sla_dashboard .o_sla_tile_breached .o_sla_tile_value",
        },
        {
            content: "Compliance tiles and the uptime table are there",
            trigger: ".o_sla_dashboard .o_sla_tile_response_compliance",
        },
        {
            content: "Open the breaches of this month",
            trigger: ".o_sla_tile_breached",
            run: "click",
        },
        {
            content: "The filtered breach list opens, named after the tile",
            trigger: ".o_breadcrumb:contains('Breached this month')",
        },
        {
            trigger: ".o_list_view .o_data_row",
        },
    ],
});

// Helpdesk › Configuration › Business Hours stays in Helpdesk.
tours.add("helpdesk_sla_business_hours_tour", {
    url: "/web#action=helpdesk_sla_contract.action_helpdesk_sla_business_hours",
    steps: () => [
        {
            content: "Still in the Helpdesk app",
            trigger: ".o_main_navbar .o_menu_brand:contains('Helpdesk')",
        },
        {
            content: "Open the 24/7 calendar",
            trigger: ".o_list_view .o_data_row td:contains('24/7')",
            run: "click",
        },
        {
            content: "Its form can apply it to open tickets",
            trigger: ".o_form_view button[name='action_sla_apply_to_open_tickets']",
        },
        {
            content: "Public holidays are edited here",
            trigger: ".o_notebook .nav-link:contains('Public holidays')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='global_leave_ids'] .o_field_x2many_list_row_add",
        },
    ],
});

// Finance reads a fixed-fee contract: its pricing, nothing of other models.
tours.add("helpdesk_sla_contract_pricing_tour", {
    steps: () => [
        {
            content: "The pricing tab",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Pricing')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='pricing_model'] :contains('Fixed fee')",
        },
        {
            content: "No field of another pricing model, no empty prepaid bank",
            trigger:
                ".o_form_view:not(:has(.o_field_widget[name='block_hours'])):not(:has(.o_field_widget[name='hourly_rate'])):not(:has(.o_field_widget[name='bank_total'])):not(:has(.o_horizontal_separator:contains('Prepaid bank')))",
        },
        {
            content: "Nothing to consume on a fixed fee",
            trigger: ".o_notebook:not(:has(.nav-link:contains('Consumption')))",
        },
        {
            content: "One Send menu",
            trigger: ".o_form_statusbar .o_sla_send_menu",
            run: "click",
        },
        {
            trigger: ".o_sla_send_agreement",
        },
        {
            trigger: ".o_sla_send_contract",
        },
    ],
});
