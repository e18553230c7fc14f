"""Translation checks (scripts/i18n_checks.py): placeholders, markup, .po files."""

import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from i18n_checks import (  # noqa: E402
    compare,
    markup,
    normalize_pot,
    parse_po,
    placeholders,
    po_problems,
)

POT = r"""# Translation of Odoo Server.
msgid ""
msgstr ""
"POT-Creation-Date: 2026-12-01 16:38+0000\n"
"PO-Revision-Date: 2026-12-01 16:38+0000\n"

#. module: helpdesk_sla_contract
#: code:addons/helpdesk_sla_contract/models/helpdesk_ticket_escalation.py:0
msgid "SLA breached: the %(kind)s deadline %(deadline)s (UTC) was missed."
msgstr ""

#. module: helpdesk_sla_contract
#: model_terms:ir.ui.view,arch_db:helpdesk_sla_contract.report_sla_agreement_document
msgid "SLA credits"
msgstr ""

#. module: helpdesk_sla_contract
#: model_terms:mail.template,body_html:helpdesk_sla_contract.mail_template
msgid ""
"Hello <t t-out=\"object.partner_id.name or ''\">customer</t>,\n"
"<strong>thanks</strong>"
msgstr ""
"""

GOOD_PO = r"""msgid ""
msgstr ""
"Language: de\n"

msgid "SLA breached: the %(kind)s deadline %(deadline)s (UTC) was missed."
msgstr "SLA verletzt: die %(kind)s-Frist %(deadline)s (UTC) wurde verpasst."

msgid "SLA credits"
msgstr "SLA-Gutschriften"

msgid ""
"Hello <t t-out=\"object.partner_id.name or ''\">customer</t>,\n"
"<strong>thanks</strong>"
msgstr ""
"<strong>Danke</strong>, "
"<t t-out=\"object.partner_id.name or ''\">Kunde</t>"

#~ msgid "Old"
#~ msgstr "Alt"
"""


def test_placeholders_are_a_multiset():
    assert placeholders("%s and %s, %(name)s, {count} {{ object.name }}, 100 %%") == {
        "%s": 2,
        "%(name)s": 1,
        "{count}": 1,
        "{{ object.name }}": 1,
        "%%": 1,
    }
    # A percent sign before a word is text, in any language.
    assert not placeholders("% of the fee")
    assert not placeholders("% der Gebühr, 5 % des Entgelts")


def test_compare_placeholders():
    msgid = "%(credit)s is already on %(move)s."
    assert compare(msgid, "%(move)s trägt bereits %(credit)s.") == []
    assert compare(msgid, "%(credit)s ist schon auf %(mov)s.") == [
        "placeholders differ: missing %(move)s; unexpected %(mov)s"
    ]
    assert compare("%s tickets", "%s %s Tickets")
    assert compare("{name} left", "{nom} est parti")
    assert compare("{{ object.name }}", "{{ object.nom }}")
    # Untranslated: nothing to compare (the .po check reports it).
    assert compare("%s tickets", "") == []


def test_compare_markup_keeps_qweb_expressions():
    msgid = 'Due <strong t-out="deadline">01/01</strong> <br/>'
    assert compare(msgid, '<br/> Fällig <strong t-out="deadline">01.01.</strong>') == []
    assert compare(msgid, 'Fällig <b t-out="deadline">01.01.</b><br/>') == [
        "markup differ: missing <strong>, <strong t-out=deadline>; "
        "unexpected <b>, <b t-out=deadline>"
    ]
    assert compare(msgid, 'Fällig <strong t-out="date">01.01.</strong><br/>')
    assert compare(msgid, 'Fällig <strong t-out="deadline">01.01.</strong>')
    assert markup('<t t-if="a"><span class="x">b</span></t>') == {
        "<t>": 1,
        "<t t-if=a>": 1,
        "<span>": 1,
    }


@given(st.text(alphabet=st.characters(blacklist_characters="%{}<>")))
def test_plain_text_has_nothing_to_keep(text):
    assert compare("Plain text", text or "x") == []


@given(st.lists(st.sampled_from(["%s", "%(a)s", "{b}", "{{ c }}", "<i>", "<br/>"])))
def test_any_order_of_the_same_placeholders_is_fine(tokens):
    msgid = " ".join(tokens)
    assert compare(msgid, " - ".join(reversed(tokens))) == []


def test_parse_po():
    entries = parse_po(GOOD_PO)
    assert [e["msgid"][:11] for e in entries] == [
        "SLA breache",
        "SLA credits",
        "Hello <t t-",
    ]
    assert entries[2]["msgstr"].startswith("<strong>Danke</strong>, <t t-out=")
    pot = parse_po(POT)
    assert pot[0]["references"] == [
        "code:addons/helpdesk_sla_contract/models/helpdesk_ticket_escalation.py:0"
    ]


def test_po_problems():
    assert po_problems(POT, GOOD_PO) == []
    missing = GOOD_PO.replace('msgid "SLA credits"\nmsgstr "SLA-Gutschriften"\n', "")
    assert po_problems(POT, missing) == ["missing: 'SLA credits'"]
    fuzzy = GOOD_PO.replace('msgid "SLA credits"', '#, fuzzy\nmsgid "SLA credits"')
    assert po_problems(POT, fuzzy) == ["fuzzy: 'SLA credits'"]
    empty = GOOD_PO.replace('msgstr "SLA-Gutschriften"', 'msgstr ""')
    assert po_problems(POT, empty) == ["untranslated: 'SLA credits'"]
    broken = GOOD_PO.replace("%(deadline)s (UTC) wurde", "%(date)s (UTC) wurde")
    assert po_problems(POT, broken) == [
        "placeholders differ: missing %(deadline)s; unexpected %(date)s: "
        "'SLA breached: the %(kind)s deadline %(deadline)s (UTC) was missed.'"
    ]


def test_normalize_pot_ignores_dates_and_build_references():
    other = POT.replace("2026-12-01 16:38", "2027-01-02 10:00").replace(
        "#: code:addons/helpdesk_sla_contract/models/helpdesk_ticket_escalation.py:0",
        "#: code:addons/helpdesk_sla_contract/models/helpdesk_ticket_escalation.py:0\n"
        "#: code:/x/build/addons/helpdesk_sla_contract/models/helpdesk_ticket.py:0",
    )
    assert normalize_pot(other) == normalize_pot(POT)
    assert normalize_pot(POT.replace("SLA credits", "SLA credit")) != normalize_pot(POT)
