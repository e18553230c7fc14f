"""Print the Odoo addons path for this checkout, comma-separated.

Odoo names an addon after its folder, so build/addons/helpdesk_sla_contract links to the
checkout whatever the checkout folder is called.
"""

import os
import sys

ADDON = "helpdesk_sla_contract"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    link_dir = os.path.join(ROOT, "build", "addons")
    os.makedirs(link_dir, exist_ok=True)
    link = os.path.join(link_dir, ADDON)
    if os.path.islink(link) and os.readlink(link) != ROOT:
        os.unlink(link)
    if not os.path.lexists(link):
        os.symlink(ROOT, link)
    paths = [link_dir]
    import odoo.addons  # noqa: PLC0415

    for path in odoo.addons.__path__:
        paths.append(path)
        # A git-layout source keeps most addons beside the package, in <source>/addons.
        extra = os.path.join(os.path.dirname(os.path.dirname(path)), "addons")
        if os.path.isdir(os.path.join(extra, "web")):
            paths.append(extra)
    seen = []
    for path in paths:
        real = os.path.realpath(path)
        if real not in [os.path.realpath(p) for p in seen] and real != os.path.realpath(
            ROOT
        ):
            seen.append(path)
    print(",".join(seen))


if __name__ == "__main__":
    sys.exit(main())
