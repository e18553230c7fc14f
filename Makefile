# helpdesk_sla_contract: `make test` and `make run` do all set-up (see README.md).
PYTHON ?= python3
export PYTHON

.PHONY: test run setup lint format readme pot bench bench-contracts bench-credits wheel test-wheel clean

test:
	$(PYTHON) scripts/run_tests.py

run:
	bash scripts/run_odoo.sh

setup:
	bash scripts/setup_system.sh
	bash scripts/setup_python.sh

lint:
	SLA_LINT_ONLY=1 $(PYTHON) scripts/run_tests.py

format:
	$(PYTHON) -m ruff format . && $(PYTHON) -m ruff check --fix .

# The Apps page (static/description/index.html) from readme/*.md; make test checks it.
readme:
	$(PYTHON) scripts/gen_description.py

# i18n/helpdesk_sla_contract.pot exported again from a fresh database, merged into
# every i18n/*.po (make test fails when either is stale: scripts/check_i18n.py).
pot:
	$(PYTHON) scripts/check_i18n.py --write

bench:
	$(PYTHON) bench/bench_sla.py

bench-contracts:
	$(PYTHON) bench/bench_contracts.py

bench-credits:
	$(PYTHON) bench/bench_credits.py

# odoo-addon-helpdesk_sla_contract, built with whool (pyproject.toml) from a copy of
# this checkout named helpdesk_sla_contract, into dist/ (scripts/build_wheel.py).
wheel:
	$(PYTHON) scripts/build_wheel.py

# README's "Install into your Odoo" commands, run as written in a new virtual
# environment and database (make test runs it too).
test-wheel:
	$(PYTHON) scripts/test_wheel.py

clean:
	bash scripts/pg.sh stop || true
	rm -rf build .pg
