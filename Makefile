# helpdesk_sla_contract: `make test` and `make run` do all set-up (see README.md).
PYTHON ?= python3
export PYTHON

.PHONY: test run setup lint format readme bench bench-contracts bench-credits wheel clean

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

bench:
	$(PYTHON) bench/bench_sla.py

bench-contracts:
	$(PYTHON) bench/bench_contracts.py

bench-credits:
	$(PYTHON) bench/bench_credits.py

# `pip wheel .` names the distribution after the folder: build from a clean export
# named helpdesk_sla_contract, whatever this checkout is called.
wheel:
	@tmp=$$(mktemp -d) && mkdir -p $$tmp/helpdesk_sla_contract dist \
	&& git archive HEAD | tar -x -C $$tmp/helpdesk_sla_contract \
	&& $(PYTHON) -m pip wheel --no-deps -w dist $$tmp/helpdesk_sla_contract; \
	rc=$$?; rm -rf $$tmp; exit $$rc

clean:
	bash scripts/pg.sh stop || true
	rm -rf build .pg
