# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk SLA Contract",
    "summary": "Service Level Agreements for OCA helpdesk: business-hours response "
    "and resolution targets, pauses, breaches and escalation",
    "version": "18.0.1.2.0",
    "license": "AGPL-3",
    "category": "After-Sales",
    "author": "helpdesk_sla_contract developers",
    "website": "https://github.com/helpdesk-sla-contract/helpdesk_sla_contract",
    "depends": [
        "helpdesk_mgmt",
        "helpdesk_mgmt_timesheet",
        "contract",
        "resource",
        "mail",
    ],
    "external_dependencies": {"python": ["python-dateutil"]},
    "data": [
        "security/helpdesk_sla_security.xml",
        "security/contract_security.xml",
        "security/ir.model.access.csv",
        "data/resource_calendar_data.xml",
        "data/mail_template_data.xml",
        "data/mail_template_sla_performance.xml",
        "data/product_data.xml",
        "data/ir_cron_data.xml",
        "views/resource_calendar_views.xml",
        "views/helpdesk_sla_policy_views.xml",
        "views/helpdesk_sla_breach_views.xml",
        "views/helpdesk_sla_analytics_views.xml",
        "views/helpdesk_sla_dashboard_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ticket_portal_templates.xml",
        "views/portal_sla_templates.xml",
        "views/contract_contract_helpdesk_views.xml",
        "views/contract_contract_views.xml",
        "views/res_partner_views.xml",
        "views/res_company_views.xml",
        "views/helpdesk_sla_service_views.xml",
        "views/helpdesk_sla_penalty_views.xml",
        "views/helpdesk_sla_credit_views.xml",
        "report/report_invoice.xml",
        "report/report_sla_agreement.xml",
        # Attaches the report above: loaded after it.
        "data/mail_template_sla_agreement.xml",
        "report/report_sla_performance.xml",
        "views/helpdesk_sla_performance_report_views.xml",
        "wizards/helpdesk_sla_contract_archive_views.xml",
        "wizards/helpdesk_sla_credit_compute_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "helpdesk_sla_contract/static/src/sla_dashboard/*",
            "helpdesk_sla_contract/static/src/contract_send_menu/*",
        ],
        "web.assets_tests": [
            "helpdesk_sla_contract/static/tests/tours/*",
        ],
    },
    "demo": ["demo/helpdesk_sla_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "helpdesk_sla_contract/static/src/sla_glance/**/*",
        ],
        "web.assets_frontend": [
            "helpdesk_sla_contract/static/src/sla_glance/sla_glance.scss",
        ],
        "web.assets_tests": [
            "helpdesk_sla_contract/static/tests/tours/**/*",
        ],
    },
    "post_init_hook": "post_init_hook",
}
