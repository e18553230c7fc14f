"""pytest plugin for `make test`: run each addon's own tests, not those it imports.

pytest collects every TestCase class a test file's namespace holds, so a file that
imports another addon's test class (helpdesk_mgmt's `tests/test_js.py` imports
`web`'s `WebSuite`) makes pytest run that addon's tests too; with Chromium
installed that is Odoo's whole JavaScript suite. Odoo's own runner only runs the
classes a module defines. This plugin deselects, like Odoo:

- test methods defined in another module (an imported class, or methods a class
  inherits from another addon's test class);
- subclasses of `web`'s `WebSuite` when this Odoo cannot filter the JavaScript
  suite by module (no `get_hoot_filters`): helpdesk_mgmt's `TestHelpdesMgmtJs`
  would otherwise run every addon's JavaScript tests.

Loaded with `-p pytest_own_tests` (scripts/ on PYTHONPATH).
"""

import inspect

import pytest

FOREIGN_TESTS = pytest.StashKey[list]()


def _web_suite_without_module_filter():
    try:
        from odoo.addons.web.tests.test_js import WebSuite  # noqa: PLC0415
    except ImportError:
        return None
    return None if hasattr(WebSuite, "get_hoot_filters") else WebSuite


def _foreign_reason(item, web_suite):
    module = getattr(item, "module", None)
    cls = getattr(item, "cls", None)
    if module is None or cls is None:
        return None
    func = inspect.unwrap(getattr(cls, item.name, None) or item.obj)
    defined_in = getattr(func, "__module__", module.__name__)
    if defined_in != module.__name__:
        return f"defined in {defined_in}"
    if web_suite is not None and issubclass(cls, web_suite):
        return "runs the whole JavaScript suite (this Odoo cannot filter it by module)"
    return None


def pytest_collection_modifyitems(config, items):
    web_suite = _web_suite_without_module_filter()
    kept, deselected, dropped = [], [], []
    for item in items:
        reason = _foreign_reason(item, web_suite)
        if reason:
            deselected.append(item)
            dropped.append((item.nodeid, reason))
        else:
            kept.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
    config.stash[FOREIGN_TESTS] = dropped


def pytest_terminal_summary(terminalreporter, config):
    dropped = config.stash.get(FOREIGN_TESTS, [])
    if dropped:
        terminalreporter.write_line(
            f"{len(dropped)} tests not run: another addon's, imported by a test file:"
        )
        for nodeid, reason in dropped:
            terminalreporter.write_line(f"  {nodeid} ({reason})")
