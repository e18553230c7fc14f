"""Pure checks of translations: placeholders and QWeb/HTML markup kept.

No Odoo, no polib: plain strings in, lists of problems out. Used by
scripts/check_i18n.py and tested in tests_pure/test_i18n_checks.py.
"""

import re
from collections import Counter

# printf-style (`%s`, `%d`, `%.2f`, `%(name)s`, `%%`). No space flag: "% of the
# fee" and the German "% der Gebühr" are text, not placeholders.
PRINTF_RE = re.compile(r"%(?:\([^)\s]+\))?[-#0+]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")
# Jinja/inline templates (`{{ object.name }}`) and str.format (`{name}`, `{0}`).
JINJA_RE = re.compile(r"\{\{.*?\}\}", re.S)
FORMAT_RE = re.compile(r"(?<!\{)\{[A-Za-z_0-9][A-Za-z_0-9.]*(?:![rsa])?\}(?!\})")
# An opening or self-closing tag and its attributes.
TAG_RE = re.compile(
    r"<([A-Za-z][\w.-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'))?)*)\s*/?>"
)
ATTR_RE = re.compile(r"([^\s=>/]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'))?")


def placeholders(text):
    """The placeholders of a message, as a multiset."""
    found = Counter(PRINTF_RE.findall(text))
    found.update(JINJA_RE.findall(text))
    found.update(FORMAT_RE.findall(JINJA_RE.sub("", text)))
    return found


def markup(text):
    """The tags of a message and their QWeb (`t-`) attributes, as a multiset.

    Translators may reword the text and move tags, never drop, add or change
    a tag or the expression of a `t-out`/`t-if`/...
    """
    found = Counter()
    for tag, attrs in TAG_RE.findall(text):
        found[f"<{tag}>"] += 1
        for name, value in ATTR_RE.findall(attrs):
            if name.startswith("t-"):
                found[f"<{tag} {name}={value.strip(chr(34) + chr(39))}>"] += 1
    return found


def _describe(counter):
    return ", ".join(
        f"{key} x{count}" if count > 1 else key for key, count in counter.items()
    )


def compare(msgid, msgstr):
    """Problems of one translation: [] when placeholders and markup are kept."""
    if not msgstr:
        return []
    problems = []
    for label, extract in (("placeholders", placeholders), ("markup", markup)):
        expected, got = extract(msgid), extract(msgstr)
        if expected != got:
            missing, extra = expected - got, got - expected
            detail = []
            if missing:
                detail.append("missing " + _describe(missing))
            if extra:
                detail.append("unexpected " + _describe(extra))
            problems.append(f"{label} differ: " + "; ".join(detail))
    return problems


# The header dates and the references through the checkout's build/ link
# change with every export: the rest of the template must not.
HEADER_DATE_RE = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): [^"]*\\n"$', re.M)


def drop_build_references(text):
    """A .pot as `make pot` writes it: no reference through build/ (the export
    follows the build/addons link back to the checkout)."""
    lines = [
        line
        for line in text.splitlines()
        if not (line.startswith("#: ") and "/build/" in line)
    ]
    return "\n".join(lines) + "\n"


def normalize_pot(text):
    """A .pot to compare with another export: no build/ reference, the header
    dates blanked."""
    return HEADER_DATE_RE.sub(r'"\1: \\n"', drop_build_references(text))


# --- .po files ---------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(line):
    body = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def parse_po(text):
    """The entries of a .po/.pot: dicts with msgctxt, msgid, msgstr (the first
    plural form for plurals), fuzzy, references. Obsolete (`#~`) entries and
    the header are left out."""
    entries, entry, field = [], None, None

    def close():
        if entry is not None and entry.get("msgid"):
            entries.append(entry)

    for raw in text.splitlines() + [""]:
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                close()
                entry, field = None, None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid": "", "msgstr": "", "fuzzy": False}
            entry["references"] = []
        if line.startswith("#,"):
            entry["fuzzy"] |= "fuzzy" in line[2:].replace(",", " ").split()
        elif line.startswith("#:"):
            entry["references"] += line[2:].split()
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if field:
                entry[field] += _unquote(line)
        else:
            keyword = line.split(None, 1)[0]
            field = {
                "msgctxt": "msgctxt",
                "msgid": "msgid",
                "msgid_plural": "msgid_plural",
                "msgstr": "msgstr",
                "msgstr[0]": "msgstr",
            }.get(keyword)
            if field:
                entry[field] = _unquote(line)
    close()
    return entries


def po_problems(pot_text, po_text):
    """Problems of a translation against the template: missing, fuzzy or
    untranslated entries, broken placeholders or markup."""
    translated = {(e["msgctxt"], e["msgid"]): e for e in parse_po(po_text)}
    problems = []
    for term in parse_po(pot_text):
        key = (term["msgctxt"], term["msgid"])
        short = term["msgid"][:70].replace("\n", " ")
        entry = translated.get(key)
        if entry is None:
            problems.append(f"missing: {short!r}")
        elif entry["fuzzy"]:
            problems.append(f"fuzzy: {short!r}")
        elif not entry["msgstr"]:
            problems.append(f"untranslated: {short!r}")
        else:
            problems += [
                f"{problem}: {short!r}"
                for problem in compare(term["msgid"], entry["msgstr"])
            ]
    return problems
