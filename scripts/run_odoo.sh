#!/usr/bin/env bash
# `make run`: a demo database with the module and its demo data, Odoo on
# http://localhost:8069 (admin/admin) until Ctrl-C.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-python3}
bash "$ROOT/scripts/setup_system.sh"
bash "$ROOT/scripts/setup_python.sh"
if [ "$(cat "$ROOT/build/odoo-status" 2>/dev/null)" != ok ]; then
    echo "make run needs Odoo 18: $(cat "$ROOT/build/odoo-status")" >&2
    exit 1
fi
eval "$("$ROOT/scripts/pg.sh" start)"
trap '"$ROOT/scripts/pg.sh" stop' EXIT
DB=${SLA_DEMO_DB:-sla_demo}
ADDONS=$("$PY" "$ROOT/scripts/addons_path.py")
ARGS=(--addons-path="$ADDONS" --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER"
      --data-dir="$ROOT/build/data" -d "$DB" --db-filter="^$DB\$" --http-port="${SLA_HTTP_PORT:-8069}")
if ! psql -d "$DB" -tAc "SELECT 1 FROM ir_module_module WHERE name='helpdesk_sla_contract' AND state='installed'" 2>/dev/null | grep -q 1; then
    "$PY" -m odoo "${ARGS[@]}" -i helpdesk_sla_contract --stop-after-init
    # The admin user's password is "admin" (Odoo's default for demo databases).
fi
echo "Odoo on http://localhost:${SLA_HTTP_PORT:-8069} (admin/admin), Ctrl-C to stop"
"$PY" -m odoo "${ARGS[@]}"
