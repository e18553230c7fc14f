"""Pure tests: no odoo, no addon package.

Loads lib/ by path because the addon's __init__ imports odoo.
"""

import importlib
import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIB = HERE.parent / "lib"


def _load_lib():
    """Import lib/ as package `sla_lib` (its modules use relative imports)."""
    if "sla_lib" in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(
        "sla_lib", LIB / "__init__.py", submodule_search_locations=[str(LIB)]
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules["sla_lib"] = package
    spec.loader.exec_module(package)
    sys.modules["business_time"] = importlib.import_module("sla_lib.business_time")
    sys.modules["sla_clock"] = importlib.import_module("sla_lib.sla_clock")
    sys.modules["prepaid_bank"] = importlib.import_module("sla_lib.prepaid_bank")
    sys.modules["uptime"] = importlib.import_module("sla_lib.uptime")
    sys.modules["sla_stats"] = importlib.import_module("sla_lib.sla_stats")
    sys.modules["period_label"] = importlib.import_module("sla_lib.period_label")
    sys.modules["sla_display"] = importlib.import_module("sla_lib.sla_display")
    sys.modules["alert_payloads"] = importlib.import_module("sla_lib.alert_payloads")


_load_lib()
