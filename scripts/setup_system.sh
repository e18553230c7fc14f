#!/usr/bin/env bash
# Debian packages the reports need: wkhtmltopdf renders Odoo's PDF reports,
# pdftotext (poppler-utils) lets the tests read them. Installed with apt-get
# when missing and we are root (as CI is); otherwise a warning, and the PDF
# tests say they were skipped.
set -uo pipefail
missing=()
command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: missing ${missing[*]} (install the Debian packages to render PDF reports)" >&2
    exit 0
fi
echo "setup: installing ${missing[*]} (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
{ apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
    >/dev/null 2>&1 || echo "setup: could not install ${missing[*]}" >&2
exit 0
