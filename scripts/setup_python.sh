#!/usr/bin/env bash
# Prepares the Python in use (python3, or $PYTHON) for the tests and `make run`:
#  1. Odoo 18: kept when it already imports; otherwise installed from ODOO_SOURCE
#     (a folder or a URL of an Odoo 18.0 source; default: the official nightly tarball).
#  2. The OCA addons we depend on and the test/lint tools, from PyPI.
# Writes build/odoo-status: "ok" or "skip: <reason>". Never fails because Odoo is missing:
# the test command then runs the pure-Python tests and linters only.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-python3}
BUILD=$ROOT/build
STATUS=$BUILD/odoo-status
DEFAULT_SOURCE=https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz
SOURCE=${ODOO_SOURCE:-$DEFAULT_SOURCE}
CACHE=${ODOO_SOURCE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/helpdesk_sla_contract}
PIP=("$PY" -m pip install --disable-pip-version-check -q)
mkdir -p "$BUILD"

odoo_ok() {
    "$PY" -c 'import odoo.release, sys; sys.exit(odoo.release.version_info[0] != 18)' 2>/dev/null
}

skip() { echo "skip: $*" >"$STATUS"; echo "setup: Odoo not available: $*" >&2; }

install_odoo() {
    local src=$SOURCE
    if [[ "$src" =~ ^(https?|ftp|file):// ]]; then
        local archive=$CACHE/odoo-source.tar.gz dest=$CACHE/odoo-18.0
        mkdir -p "$CACHE"
        echo "setup: downloading Odoo 18.0 source from $src" >&2
        if ! "$PY" - "$src" "$archive" <<'PYEOF'
import shutil, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=60) as resp, open(sys.argv[2], "wb") as out:
    shutil.copyfileobj(resp, out)
PYEOF
        then
            skip "could not download ODOO_SOURCE=$src (set ODOO_SOURCE to an Odoo 18.0 source folder or URL)"
            return 1
        fi
        rm -rf "$dest" && mkdir -p "$dest"
        tar -xzf "$archive" -C "$dest" --strip-components=1 || { skip "bad archive $src"; return 1; }
        src=$dest
    fi
    if [ ! -f "$src/odoo/release.py" ]; then
        skip "ODOO_SOURCE=$src is not an Odoo source folder (no odoo/release.py)"
        return 1
    fi
    echo "setup: installing Odoo from $src into $("$PY" -c 'import sys; print(sys.prefix)')" >&2
    local req=$BUILD/odoo-requirements.txt
    # cbor2 5.4.2 does not build on this Python; python-ldap needs LDAP headers and is optional.
    sed -e 's/^cbor2==5\.4\.2.*/cbor2==5.4.6/' -e '/^python-ldap/d' "$src/requirements.txt" >"$req"
    "${PIP[@]}" "setuptools<70" wheel \
        && "${PIP[@]}" --no-build-isolation -r "$req" \
        && "${PIP[@]}" --no-build-isolation --config-settings editable_mode=compat -e "$src" \
        || { skip "installing Odoo from $src failed"; return 1; }
}

if ! odoo_ok; then
    install_odoo || true
fi

# Tools needed with or without Odoo.
"${PIP[@]}" -r "$ROOT/requirements-test.txt" || echo "setup: could not install requirements-test.txt" >&2

if odoo_ok; then
    # The OCA addons require `odoo==18.0.*` from pip metadata; an Odoo without it gets --no-deps.
    if ! "${PIP[@]}" -r "$ROOT/requirements.txt"; then
        "${PIP[@]}" --no-deps -r "$ROOT/requirements.txt" || { skip "could not install the OCA addons (requirements.txt)"; exit 0; }
    fi
    echo ok >"$STATUS"
elif [ ! -s "$STATUS" ] || ! grep -q '^skip' "$STATUS"; then
    skip "python3 cannot import odoo 18"
fi
exit 0
