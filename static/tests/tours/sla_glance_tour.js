/** @odoo-module **/
import { registry } from "@web/core/registry";

const TICKET = "Glance tour ticket";

// An agent sees the countdown on the kanban card, in the list and in the
// form header, and a new ticket previews its deadline before it is saved.
registry.category("web_tour.tours").add("sla_glance_backend_tour", {
    steps: () => [
        {
            content: "The kanban card counts down the response",
            trigger: `.o_kanban_record:contains("${TICKET}") .o_sla_countdown.o_sla_state_running:contains("Response due in")`,
        },
        {
            content: "and shows the resolution's state",
            trigger: `.o_kanban_record:contains("${TICKET}") .o_sla_clock[data-kind=resolution]:contains("Resolution: running")`,
        },
        {
            content: "Switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The list's SLA column counts down too",
            trigger: `.o_data_row:contains("${TICKET}") .o_sla_countdown:contains("Response due in")`,
        },
        {
            content: "Open the ticket",
            trigger: `.o_data_row:contains("${TICKET}") .o_data_cell[name=name]`,
            run: "click",
        },
        {
            content: "The form header names the other clock (the countdown is the response's)",
            trigger: `.o_form_view .o_sla_clock[data-kind=resolution]:contains("Resolution: running")`,
        },
        {
            content: "and does not repeat the response's state",
            trigger: `.o_form_view .o_sla_glance:not(:has(.o_sla_clock[data-kind=response]))`,
        },
        {
            trigger: `.o_form_view .o_sla_countdown:contains("Response due in")`,
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "A new ticket",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            content: "Its deadline is previewed for its priority (Medium: 4 h)",
            trigger: `.o_form_view .o_sla_countdown:contains("Response due in 4 h")`,
        },
        {
            content: "Make it critical",
            trigger: ".o_field_widget[name=priority] .o_priority_star:last",
            run: "click",
        },
        {
            content: "The preview follows before saving (Critical: 15 min)",
            trigger: `.o_form_view .o_sla_countdown:contains("Response due in 15 min")`,
        },
        {
            trigger: `.o_form_view .o_sla_clock[data-kind=resolution]:contains("Resolution: running")`,
        },
        {
            content: "Leave without saving",
            trigger: ".o_form_button_cancel",
            run: "click",
        },
        {
            content: "Discarded: back on the list, nothing saved",
            trigger: ".o_list_view .o_data_row",
        },
    ],
});

// A customer sees the same countdown in the portal's ticket list.
registry.category("web_tour.tours").add("sla_glance_portal_tour", {
    steps: () => [
        {
            trigger: `th[name=th_sla]:contains("SLA")`,
        },
        {
            trigger: `tr:contains("${TICKET}") td.o_portal_ticket_sla .o_sla_countdown.o_sla_state_running:contains("Response due in")`,
        },
    ],
});
