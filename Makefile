# helpdesk_sla_contract: `make test` and `make run` do all set-up (see README.md).
PYTHON ?= python3
export PYTHON

.PHONY: test run setup lint format bench clean

test:
	$(PYTHON) scripts/run_tests.py

run:
	bash scripts/run_odoo.sh

setup:
	bash scripts/setup_python.sh

lint:
	SLA_LINT_ONLY=1 $(PYTHON) scripts/run_tests.py

format:
	$(PYTHON) -m ruff format . && $(PYTHON) -m ruff check --fix .

bench:
	bash scripts/bench.sh

clean:
	bash scripts/pg.sh stop || true
	rm -rf build .pg
