#!/usr/bin/env bash
# Private PostgreSQL cluster for tests and `make run`, from the machine's own binaries.
#   scripts/pg.sh start   -> starts (initialising if needed) and prints shell exports
#   scripts/pg.sh stop    -> stops the cluster this script started
# When any of PGHOST/PGPORT/PGUSER is set, an existing server is used and nothing is started.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGROOT=${SLA_PG_DIR:-$ROOT/.pg}
DATA=$PGROOT/data
RUN=$PGROOT/run
LOG=$PGROOT/postgres.log
PORT_FILE=$PGROOT/port
ROLE=${SLA_PG_ROLE:-odoo}

external() { [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ]; }

find_bin() {
    local name=$1 dir
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$dir/$name" ] && { echo "$dir/$name"; return; }
    done
    echo "PostgreSQL binary '$name' not found (install the Debian package postgresql)" >&2
    exit 1
}

# initdb/pg_ctl refuse to run as root: run them as the `postgres` system user then.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u "${SLA_PG_OS_USER:-postgres}" -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    if external; then
        echo "export PGHOST=${PGHOST:-} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-} PGPASSWORD=${PGPASSWORD:-}"
        return
    fi
    local initdb pg_ctl psql port
    initdb=$(find_bin initdb); pg_ctl=$(find_bin pg_ctl); psql=$(find_bin psql)
    mkdir -p "$PGROOT" "$RUN"
    if [ "$(id -u)" = 0 ] && ! runuser -u "${SLA_PG_OS_USER:-postgres}" -- test -x "$PGROOT"; then
        # The checkout is not reachable by the postgres user (e.g. under /root):
        # keep the cluster in a folder of its own, named after the checkout.
        PGROOT=${TMPDIR:-/tmp}/helpdesk_sla_pg_$(printf '%s' "$ROOT" | md5sum | cut -c1-8)
        DATA=$PGROOT/data RUN=$PGROOT/run LOG=$PGROOT/postgres.log PORT_FILE=$PGROOT/port
        mkdir -p "$PGROOT" "$RUN"
        echo "$PGROOT" >"$ROOT/.pg-location" 2>/dev/null || true
    fi
    if [ "$(id -u)" = 0 ]; then
        chown "${SLA_PG_OS_USER:-postgres}" "$PGROOT" "$RUN"
        [ -d "$DATA" ] && chown -R "${SLA_PG_OS_USER:-postgres}" "$DATA"
    fi
    if [ ! -s "$DATA/PG_VERSION" ]; then
        as_owner "$initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 >"$PGROOT/initdb.log" 2>&1 \
            || { cat "$PGROOT/initdb.log" >&2; exit 1; }
    fi
    if as_owner "$pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        port=$(cat "$PORT_FILE")
    else
        port=${SLA_PG_PORT:-$(free_port)}
        as_owner "$pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start \
            -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$RUN -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            >/dev/null || { cat "$LOG" >&2; exit 1; }
        echo "$port" >"$PORT_FILE"
    fi
    # Odoo refuses to connect as `postgres`: use a dedicated login role.
    "$psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtAc \
        "SELECT 1 FROM pg_roles WHERE rolname='$ROLE'" | grep -q 1 \
        || "$psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc \
            "CREATE ROLE $ROLE LOGIN CREATEDB SUPERUSER" >/dev/null
    echo "export PGHOST=127.0.0.1 PGPORT=$port PGUSER=$ROLE PGPASSWORD="
}

stop() {
    external && return 0
    if [ -s "$ROOT/.pg-location" ]; then
        PGROOT=$(cat "$ROOT/.pg-location"); DATA=$PGROOT/data
    fi
    [ -d "$DATA" ] || return 0
    local pg_ctl; pg_ctl=$(find_bin pg_ctl)
    as_owner "$pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
