"""Translations: the template up to date with the code, every .po complete.

    check_i18n.py --conf build/odoo-test.conf --db sla_test   (make test)
    check_i18n.py --write                                     (make pot)
    check_i18n.py                                             (.po files only)

With a database (`--conf`/`--db`), the template is exported again from it
(`odoo --i18n-export --modules=helpdesk_sla_contract`) and compared with
i18n/helpdesk_sla_contract.pot, ignoring the header dates and the references
through the checkout's build/ link. `--write` installs the module in a fresh
database `sla_pot` of the project's cluster, writes that export as the
template (normalised the same way) and merges it into every .po (msgmerge).
Then each i18n/*.po is checked: no entry of the template missing, fuzzy or
untranslated, placeholders and QWeb markup kept (scripts/i18n_checks.py), and
`msgfmt --check` accepts it. Exits 1 on any problem, listing them.
"""

import argparse
import difflib
import glob
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from i18n_checks import drop_build_references, normalize_pot, po_problems  # noqa: E402

ROOT = os.path.dirname(HERE)
ADDON = "helpdesk_sla_contract"
POT = os.path.join(ROOT, "i18n", f"{ADDON}.pot")
PY = os.environ.get("PYTHON", sys.executable)
# Problems listed per .po before "... and N more".
SHOWN = 40


# Not part of the addon: the export must not read them (build/ holds the
# build/addons link back to the checkout and the wheel test's copy of an older
# build of the module, whose strings would leak into the template).
# Dot-folders (.git, .pg) too.
NOT_SHIPPED = ("build", "dist", "__pycache__", "node_modules")


def clean_addons_conf(conf, tmp):
    """A copy of `conf` whose addons path finds the addon in a clean copy of
    the checkout (tmp/addons/helpdesk_sla_contract) instead of build/addons:
    Odoo's export walks the addon's folder, following links."""
    addons = os.path.join(tmp, "addons")
    shutil.copytree(
        ROOT,
        os.path.join(addons, ADDON),
        ignore=lambda _folder, names: [
            name for name in names if name in NOT_SHIPPED or name.startswith(".")
        ],
    )
    lines = []
    with open(conf, encoding="utf-8") as handle:
        for line in handle.read().splitlines():
            if line.replace(" ", "").startswith("addons_path="):
                key, _sep, value = line.partition("=")
                paths = [
                    path.strip()
                    for path in value.split(",")
                    if not os.path.isdir(os.path.join(path.strip(), ADDON))
                ]
                line = f"{key}= {','.join([addons] + paths)}"
            lines.append(line)
    clean = os.path.join(tmp, "odoo.conf")
    with open(clean, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return clean


def export_pot(conf, db_name, env=None):
    """The template as Odoo exports it from the database."""
    with tempfile.TemporaryDirectory() as tmp:
        conf = clean_addons_conf(conf, tmp)
        out = os.path.join(tmp, f"{ADDON}.pot")
        cmd = [PY, "-m", "odoo", "-c", conf, "-d", db_name]
        cmd += [f"--modules={ADDON}", f"--i18n-export={out}", "--stop-after-init"]
        cmd += ["--log-level=warn", "--no-http"]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
        if proc.returncode or not os.path.exists(out):
            raise RuntimeError("export failed:\n" + proc.stdout + proc.stderr)
        with open(out, encoding="utf-8") as handle:
            return handle.read()


def pot_problems(exported):
    exported = normalize_pot(exported)
    with open(POT, encoding="utf-8") as handle:
        current = normalize_pot(handle.read())
    if current == exported:
        return []
    diff = list(
        difflib.unified_diff(
            current.splitlines(),
            exported.splitlines(),
            "i18n/" + os.path.basename(POT),
            "exported from the code",
            lineterm="",
        )
    )
    name = os.path.basename(POT)
    return [f"i18n/{name} is out of date with the code (run `make pot`):"] + diff[:80]


def po_files():
    return sorted(glob.glob(os.path.join(ROOT, "i18n", "*.po")))


def check_po_files():
    with open(POT, encoding="utf-8") as handle:
        pot = handle.read()
    problems = []
    for path in po_files():
        name = os.path.relpath(path, ROOT)
        with open(path, encoding="utf-8") as handle:
            found = po_problems(pot, handle.read())
        problems += [f"{name}: {problem}" for problem in found[:SHOWN]]
        if len(found) > SHOWN:
            problems.append(f"{name}: ... and {len(found) - SHOWN} more")
        proc = subprocess.run(
            ["msgfmt", "--check", "-o", os.devnull, path],
            capture_output=True,
            text=True,
        )
        if proc.returncode:
            problems.append(f"{name}: msgfmt --check fails:\n{proc.stderr.strip()}")
    return problems


def write_pot():
    """`make pot`: install in a fresh database, export, merge into the .po."""
    import run_tests  # noqa: PLC0415

    env = run_tests.pg_env()
    started_here = not any(os.environ.get(k) for k in ("PGHOST", "PGPORT", "PGUSER"))
    try:
        addons = subprocess.run(
            [PY, os.path.join(HERE, "addons_path.py")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        db_name = "sla_pot"
        conf = run_tests.write_odoo_conf(env, db_name, addons)
        run_tests.drop_database(env, db_name)
        cmd = [PY, "-m", "odoo", "-c", conf, "-d", db_name, "-i", ADDON]
        cmd += ["--stop-after-init", "--log-level=warn", "--no-http"]
        subprocess.run(cmd, env=env, cwd=ROOT, check=True)
        exported = export_pot(conf, db_name, env)
    finally:
        if started_here:
            subprocess.run([os.path.join(HERE, "pg.sh"), "stop"], check=False)
    with open(POT, "w", encoding="utf-8") as handle:
        handle.write(drop_build_references(exported))
    for path in po_files():
        subprocess.run(
            ["msgmerge", "--quiet", "--update", "--backup=none", path, POT],
            check=True,
        )
    print(f"wrote {os.path.relpath(POT, ROOT)}; merged into {len(po_files())} .po")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conf", help="Odoo configuration file of the database")
    parser.add_argument("--db", help="a database with the module installed")
    parser.add_argument("--write", action="store_true", help="regenerate (make pot)")
    args = parser.parse_args()
    if args.write:
        write_pot()
    problems = []
    if args.conf and args.db:
        problems += pot_problems(export_pot(args.conf, args.db))
    problems += check_po_files()
    for problem in problems:
        print(problem)
    checked = "template and " if args.conf and args.db else ""
    print(
        f"i18n: {checked}{len(po_files())} .po file(s) checked, "
        f"{'problems above' if problems else 'all fine'}"
    )
    # make pot regenerates: what is left to translate is for the translators.
    return 1 if problems and not args.write else 0


if __name__ == "__main__":
    sys.exit(main())
