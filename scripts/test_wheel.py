"""`make test-wheel` (and `make test`): the module installs from its wheel into
an Odoo that has never seen this checkout, exactly as README.md says.

1. Runs the commands of README.md's "Install into your Odoo" block as written,
   with bash: `make wheel`, `pip install dist/...whl`, `odoo -c ... -i ...`,
   `odoo -c ... -u ...`. `pip` and `odoo` are those of a new virtual environment
   (build/wheel-venv) made with --system-site-packages: it has the machine's
   Odoo and OCA addons, and this module only from the wheel. The README's
   /etc/odoo/odoo.conf is a configuration of the project's cluster whose addons
   path leaves this checkout out, and `mydb` a new database.
2. scripts/wheel_smoke.py, with that environment's python: the module comes
   from the environment's site-packages with its data, reports, security,
   translations and static files; a ticket gets its deadlines; the agreement
   PDF renders.
"""

import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import run_tests  # noqa: E402

ROOT = run_tests.ROOT
BUILD = run_tests.BUILD
VENV = os.path.join(BUILD, "wheel-venv")
DB = "sla_wheel"
README_CONF = "/etc/odoo/odoo.conf"
README_DB = "mydb"


def readme_commands():
    """The shell block of README.md's "Install into your Odoo" section."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        text = handle.read()
    section = text.split("## Install into your Odoo", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```sh\n(.*?)```", section, re.S)
    if not match:
        raise SystemExit("README.md: no ```sh block under 'Install into your Odoo'")
    return match.group(1)


def odoo_addons_dirs():
    """Odoo's own addons folders (web, account, ...), not this checkout."""
    import odoo  # noqa: PLC0415

    source = os.path.dirname(os.path.dirname(odoo.__file__))
    dirs = [os.path.join(os.path.dirname(odoo.__file__), "addons")]
    if os.path.isdir(os.path.join(source, "addons", "web")):
        dirs.append(os.path.join(source, "addons"))
    return dirs


def write_conf(env):
    conf = os.path.join(BUILD, "wheel-odoo.conf")
    with open(conf, "w") as out:
        out.write(
            "[options]\n"
            f"addons_path = {','.join(odoo_addons_dirs())}\n"
            f"db_host = {env.get('PGHOST', '')}\n"
            f"db_port = {env.get('PGPORT', '') or 5432}\n"
            f"db_user = {env.get('PGUSER', '')}\n"
            f"db_password = {env.get('PGPASSWORD', '') or 'False'}\n"
            f"data_dir = {os.path.join(BUILD, 'wheel-data')}\n"
            "workers = 0\n"
            "max_cron_threads = 0\n"
        )
    return conf


def run_readme(conf, env):
    venv_py = os.path.join(VENV, "bin", "python")
    script = readme_commands().replace(README_CONF, conf)
    script = re.sub(rf"\b{README_DB}\b", DB, script)
    prelude = (
        "set -euo pipefail\n"
        f'pip() {{ "{venv_py}" -m pip --disable-pip-version-check "$@"; }}\n'
        f'odoo() {{ "{venv_py}" -m odoo "$@" --log-level=warn --no-http; }}\n'
    )
    print(script, flush=True)
    return subprocess.run(
        ["bash", "-c", prelude + script], cwd=ROOT, env=env
    ).returncode


def main():
    start = time.time()
    try:
        import odoo  # noqa: F401, PLC0415
    except ImportError:
        print("test-wheel skipped: python3 cannot import odoo 18")
        return 0
    shutil.rmtree(VENV, ignore_errors=True)
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", VENV],
        check=True,
    )
    env = run_tests.pg_env()
    started_here = not any(os.environ.get(k) for k in ("PGHOST", "PGPORT", "PGUSER"))
    try:
        run_tests.drop_database(env, DB)
        conf = write_conf(env)
        env["PYTHON"] = sys.executable  # `make wheel` builds with this python
        rc = run_readme(conf, env)
        if rc == 0:
            rc = subprocess.run(
                [os.path.join(VENV, "bin", "python"), "wheel_smoke.py", conf, DB],
                cwd=HERE,
                env=env,
            ).returncode
        run_tests.drop_database(env, DB)
    finally:
        if started_here:
            subprocess.run([os.path.join(HERE, "pg.sh"), "stop"], check=False)
    print(f"test-wheel: {'ok' if rc == 0 else 'FAILED'} in {time.time() - start:.0f} s")
    return rc


if __name__ == "__main__":
    sys.exit(main())
