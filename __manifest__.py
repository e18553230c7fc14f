# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk SLA Contract",
    "summary": "Service Level Agreements for OCA helpdesk: business-hours response "
    "and resolution targets, pauses, breaches and escalation",
    "version": "18.0.1.0.0",
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
        "data/product_data.xml",
        "data/ir_cron_data.xml",
        "views/helpdesk_sla_policy_views.xml",
        "views/helpdesk_sla_breach_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ticket_portal_templates.xml",
        "views/contract_contract_views.xml",
        "views/res_partner_views.xml",
        "views/res_company_views.xml",
        "views/helpdesk_sla_contract_archive_views.xml",
    ],
    "demo": ["demo/helpdesk_sla_demo.xml"],
}
