"""Smoke check of the module installed from the wheel (run by test_wheel.py
with the virtual environment's python): it is the copy in that environment's
site-packages, its files arrived, a ticket gets its deadlines, the agreement
renders. Nothing is kept (rolled back).

    python wheel_smoke.py <odoo.conf> <database>
"""

import os
import subprocess
import sys

import odoo
from odoo import Command, api

ADDON = "helpdesk_sla_contract"
SHIPPED = [
    "__manifest__.py",
    "i18n/helpdesk_sla_contract.pot",
    "static/description/index.html",
    "security/ir.model.access.csv",
    "report/report_sla_agreement.xml",
    "data/ir_cron_data.xml",
    "migrations",
]


def check_files():
    import odoo.addons.helpdesk_sla_contract as addon  # noqa: PLC0415

    folder = os.path.dirname(addon.__file__)
    site = os.path.join(sys.prefix, "lib")
    assert folder.startswith(site), f"{ADDON} imported from {folder}, not {site}"
    missing = [p for p in SHIPPED if not os.path.exists(os.path.join(folder, p))]
    assert not missing, f"not in the wheel: {missing}"
    print(f"wheel smoke: {ADDON} from {folder}")


def check_database(env):
    module = env["ir.module.module"].search([("name", "=", ADDON)])
    assert module.state == "installed", module.state
    assert env["ir.model.access"].search_count(
        [("model_id.model", "=", "helpdesk.sla.policy")]
    ), "no access rights"
    assert env.ref("helpdesk_sla_contract.resource_calendar_24_7")
    cron = env.ref("helpdesk_sla_contract.ir_cron_check_sla", raise_if_not_found=False)
    assert cron, "no SLA check cron"
    policy = env["helpdesk.sla.policy"].create(
        {
            "name": "Smoke policy",
            "calendar_id": env.ref("helpdesk_sla_contract.resource_calendar_24_7").id,
            "target_ids": [
                Command.create(
                    {"priority": "1", "response_hours": 2, "resolution_hours": 8}
                )
            ],
        }
    )
    customer = env["res.partner"].create({"name": "Smoke Customer", "is_company": True})
    team = env["helpdesk.ticket.team"].create({"name": "Smoke team"})
    ticket = env["helpdesk.ticket"].create(
        {
            "name": "Smoke ticket",
            "description": "<p>Down</p>",
            "team_id": team.id,
            "partner_id": customer.id,
            "priority": "1",
        }
    )
    assert ticket.sla_policy_id, "no policy on the ticket"
    assert ticket.sla_response_deadline and ticket.sla_resolution_deadline
    print(f"wheel smoke: ticket deadlines {ticket.sla_response_deadline}")
    contract = env["contract.contract"].create(
        {
            "name": "Smoke contract",
            "partner_id": customer.id,
            "sla_policy_id": policy.id,
        }
    )
    pdf, _kind = (
        env["ir.actions.report"]
        .with_context(force_report_rendering=True)
        ._render_qweb_pdf(
            "helpdesk_sla_contract.action_report_sla_agreement", contract.ids
        )
    )
    assert pdf.startswith(b"%PDF"), "the agreement is not a PDF"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Service Level Agreement" in text and "Smoke contract" in text, text[:500]
    print("wheel smoke: agreement PDF renders")


def main(conf, db_name):
    odoo.tools.config.parse_config(["-c", conf, "-d", db_name])
    check_files()
    registry = odoo.modules.registry.Registry(db_name)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            check_database(env)
        finally:
            cr.rollback()
    print("wheel smoke: ok")


if __name__ == "__main__":
    main(*sys.argv[1:3])
