"""`make wheel`: dist/odoo_addon_helpdesk_sla_contract-<version>-py3-none-any.whl.

Built with whool, the build backend OCA publishes its addons to PyPI with
(pyproject.toml): the distribution is named odoo-addon-<folder>, its version is
the manifest's, and its requirements come from the manifest's `depends` and
`external_dependencies` (odoo-addon-helpdesk_mgmt, odoo-addon-contract, ...,
odoo==18.0.*). whool names the wheel after the folder, so the files of this
checkout (git's tracked and new, unignored files) are copied into a folder named
helpdesk_sla_contract first, whatever the checkout is called.
"""

import glob
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDON = "helpdesk_sla_contract"
DIST = os.path.join(ROOT, "dist")
PY = os.environ.get("PYTHON", sys.executable)
# Never in the wheel (a checkout without git: no .gitignore to say so).
LOCAL = {".git", ".pg", "build", "dist", "__pycache__", ".pg-location"}


def source_files():
    """Paths (relative to ROOT) of what the wheel holds."""
    if os.path.isdir(os.path.join(ROOT, ".git")) or os.path.isfile(
        os.path.join(ROOT, ".git")
    ):
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode()
        return [
            p for p in out.split("\0") if p and os.path.isfile(os.path.join(ROOT, p))
        ]
    files = []
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in LOCAL]
        files += [os.path.relpath(os.path.join(folder, n), ROOT) for n in names]
    return [f for f in files if not f.endswith(".pyc")]


def build():
    """Build the wheel into dist/ and return its path."""
    os.makedirs(DIST, exist_ok=True)
    for old in glob.glob(os.path.join(DIST, f"odoo_addon_{ADDON}-*.whl")):
        os.unlink(old)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, ADDON)
        for path in source_files():
            os.makedirs(os.path.dirname(os.path.join(src, path)), exist_ok=True)
            shutil.copy2(os.path.join(ROOT, path), os.path.join(src, path))
        cmd = [PY, "-m", "build", "--wheel", "--outdir", DIST, src]
        if importlib.util.find_spec("whool"):
            # whool is installed (requirements-test.txt): no download.
            cmd.insert(4, "--no-isolation")
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode:
            sys.stderr.write(proc.stdout + proc.stderr)
            raise SystemExit(proc.returncode)
    (wheel,) = glob.glob(os.path.join(DIST, f"odoo_addon_{ADDON}-*.whl"))
    return wheel


if __name__ == "__main__":
    print(os.path.relpath(build(), ROOT))
