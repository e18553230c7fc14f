# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue #12 point 5 (OCA layout): the Apps page is formatted HTML, demo
record ids end in `_demo`, and an upgrade renames the old demo ids."""

import ast
import importlib.util
import os
import re

from odoo.tests.common import TransactionCase

ADDON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE = "helpdesk_sla_contract"


def load_demo_migration():
    path = os.path.join(
        ADDON_DIR, "migrations", "18.0.1.1.0", "pre-migrate_demo_ids.py"
    )
    spec = importlib.util.spec_from_file_location("sla_demo_ids_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def demo_record_ids():
    with open(os.path.join(ADDON_DIR, "__manifest__.py")) as handle:
        manifest = ast.literal_eval(handle.read())
    ids = []
    for relpath in manifest["demo"]:
        with open(os.path.join(ADDON_DIR, relpath)) as handle:
            ids += re.findall(r'<record id="([^"]+)"', handle.read())
    return ids


class TestSlaLayout(TransactionCase):
    def test_apps_page_is_html(self):
        module = self.env["ir.module.module"].search([("name", "=", MODULE)])
        page = module.description_html
        for title in ("Description", "Configuration", "Usage", "Changelog"):
            self.assertIn(f"<h2>{title}</h2>", page)
        self.assertIn("<h3>18.0.1.1.0</h3>", page)
        # Markdown rendered, not shown as text.
        self.assertNotIn("## ", page)
        self.assertNotIn("**", page)

    def test_demo_ids_end_in_demo(self):
        ids = demo_record_ids()
        self.assertTrue(ids)
        self.assertEqual([xmlid for xmlid in ids if not xmlid.endswith("_demo")], [])
        old_ids = load_demo_migration().OLD_DEMO_IDS
        self.assertLessEqual({f"{xmlid}_demo" for xmlid in old_ids}, set(ids))

    def test_upgrade_renames_old_demo_ids(self):
        policy = self.env.ref(f"{MODULE}.sla_policy_premium_demo")
        # As 18.0.1.0.0 left it.
        self.env.cr.execute(
            "UPDATE ir_model_data SET name = 'sla_policy_premium' "
            "WHERE module = %s AND name = 'sla_policy_premium_demo'",
            [MODULE],
        )
        self.env.registry.clear_cache()
        load_demo_migration().migrate(self.env.cr, "18.0.1.0.0")
        self.env.registry.clear_cache()
        self.assertEqual(self.env.ref(f"{MODULE}.sla_policy_premium_demo"), policy)
        self.assertFalse(
            self.env.ref(f"{MODULE}.sla_policy_premium", raise_if_not_found=False)
        )
