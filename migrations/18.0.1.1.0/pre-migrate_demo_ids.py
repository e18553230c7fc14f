# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Demo record ids end in `_demo` (OCA naming, 18.0.1.1.0).

A database installed with demo data keeps its demo records under their new
ids: renamed before the update loads demo/helpdesk_sla_demo.xml, which would
otherwise create a second copy of each (the file is noupdate).
"""

import logging

_logger = logging.getLogger(__name__)

# The demo ids of 18.0.1.0.0; each is now the same id with `_demo` added.
OLD_DEMO_IDS = (
    "holiday_christmas_2026",
    "sla_policy_standard",
    "sla_policy_premium",
    "site_deco_addict_warehouse",
    "contract_deco_addict_block",
    "contract_deco_addict_block_first",
    "contract_deco_addict_escalation_1",
    "contract_deco_addict_monitoring",
    "holiday_new_year_2027",
    "holiday_easter_monday_2027",
    "site_azure_hq",
    "site_gemini_shop",
    "penalty_scheme_cloud",
    "penalty_rule_cloud_uptime",
    "contract_azure_managed",
    "service_azure_hosting",
    "service_azure_mail",
    "contract_azure_hourly",
    "contract_gemini_prepaid",
    "contract_gemini_prepaid_block",
    "contract_gemini_project",
    "contract_gemini_migration",
    "contract_gemini_backup",
    "usage_gemini_backup_last_month",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE ir_model_data old
           SET name = old.name || '_demo'
         WHERE old.module = 'helpdesk_sla_contract'
           AND old.name IN %s
           AND NOT EXISTS (
               SELECT 1 FROM ir_model_data new
                WHERE new.module = old.module AND new.name = old.name || '_demo'
           )
        """,
        [OLD_DEMO_IDS],
    )
    if cr.rowcount:
        _logger.info("Demo records: %s ids renamed to *_demo", cr.rowcount)
