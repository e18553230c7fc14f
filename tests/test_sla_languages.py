# Copyright 2026 helpdesk_sla_contract developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a customer receives is in the customer's language: agreement and
performance report PDFs, the report's e-mail, the out-of-hours reply, the SLA
credits on the invoice, the portal pages; and the digests of breaches and
warnings in each recipient's. Checked for a German and a Polish customer with
the words i18n/de.po and i18n/pl.po give (whatever wording the translators
chose), dates and numbers as those languages write them."""

import functools
import os
import re
from datetime import date, datetime

from babel.dates import format_date as babel_date
from babel.messages.pofile import read_po
from freezegun import freeze_time
from lxml import html

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import format_date

from .common import berlin
from .test_sla_reporting import ReportingCase
from .test_sla_reports import PDF_TOOLS, pdf_text

I18N = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n")
LANGS = {"de_DE": "de", "pl_PL": "pl"}
# QWeb attributes whose element's content is replaced when rendered.
DYNAMIC = ("t-out", "t-esc", "t-field", "t-raw")


@functools.cache
def catalog(lang):
    path = os.path.join(I18N, f"{LANGS[lang]}.po")
    if not os.path.exists(path):
        raise AssertionError(f"i18n/{LANGS[lang]}.po is missing: no {lang} translation")
    with open(path, "rb") as handle:
        return read_po(handle)


def tr(lang, msgid):
    """The translation i18n/<lang>.po gives for msgid (fails when it has none)."""
    message = catalog(lang).get(msgid)
    if message is None or not message.string or message.fuzzy:
        raise AssertionError(f"i18n/{LANGS[lang]}.po does not translate {msgid!r}")
    return message.string


def flat(text):
    return " ".join((text or "").split())


def words(markup):
    """The static text of a translated term (HTML/QWeb): its longest text
    node that the rendering keeps as is."""
    root = html.fragment_fromstring(markup, create_parent="div")
    texts = []
    for element in root.iter():
        if not any(attr in element.attrib for attr in DYNAMIC):
            texts.append(element.text or "")
        texts.append(element.tail or "")
    return max((flat(text) for text in texts), key=len)


def text_of(body):
    return flat(html.fromstring(f"<div>{body}</div>").text_content())


def speak_languages(env):
    """German and Polish active, with this module's translations loaded."""
    for code in LANGS:
        env["res.lang"]._activate_lang(code)
    env["ir.module.module"]._load_module_terms(
        ["helpdesk_sla_contract"], list(LANGS), overwrite=True
    )


class LanguagesCase(ReportingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        speak_languages(cls.env)
        cls.service = cls.env["helpdesk.sla.service"].create(
            {
                "name": "Web hosting",
                "contract_id": cls.contract.id,
                "uptime_target": 99.9,
                "monthly_fee": 1000,
            }
        )
        cls.env["helpdesk.sla.penalty.rule"].create(
            {
                "name": "Uptime credits",
                "contract_id": cls.contract.id,
                "tier_ids": [
                    Command.create({"below_percent": 99.9, "credit_percent": 10})
                ],
            }
        )
        cls.contract.date_start = date(2026, 1, 13)

    def speak(self, lang):
        """The customer, its contact and the escalation user speak lang."""
        (self.acme | self.acme_contact | self.contact).lang = lang
        self.escalation.partner_id.lang = lang

    def render(self, report_ref, records):
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        if PDF_TOOLS:
            pdf, _kind = report._render_qweb_pdf(report_ref, records.ids)
            return flat(pdf_text(pdf))
        content, _kind = report._render_qweb_html(report_ref, records.ids)
        return text_of(content.decode())

    def assert_words(self, lang, msgids, text):
        for msgid in msgids:
            self.assertIn(flat(words(tr(lang, msgid))), text, f"{lang}: {msgid}")

    def october_credit(self):
        self.env["helpdesk.sla.incident"].create(
            {
                "service_id": self.service.id,
                "date_start": datetime(2026, 10, 12, 10, 0),
                "date_end": datetime(2026, 10, 12, 12, 0),
            }
        )
        credit = self.env["helpdesk.sla.credit"]._sla_compute_credits(
            self.contract, date(2026, 10, 1)
        )
        credit.action_approve()
        return credit


class TestSlaLanguages(LanguagesCase):
    def test_agreement_pdf(self):
        for lang in LANGS:
            with self.subTest(lang=lang):
                self.speak(lang)
                text = self.render(
                    "helpdesk_sla_contract.action_report_sla_agreement", self.contract
                )
                self.assert_words(
                    lang, ["Service Level Agreement", "12. Signatures"], text
                )
                # 13 January 2026 as German and Polish write it, not 01/13/2026.
                self.assertIn("13.01.2026", text)
                self.assertNotIn("01/13/2026", text)

    def test_performance_report_pdf_and_mail(self):
        self.make_reporting_tickets()
        self.october_credit()
        report = self.env["helpdesk.sla.performance.report"]._sla_get_or_create(
            self.contract, date(2026, 10, 1), "month"
        )
        template = self.env.ref(
            "helpdesk_sla_contract.mail_template_sla_performance_report"
        )
        body_msgid = template.with_context(lang="en_US").body_html
        for lang in LANGS:
            with self.subTest(lang=lang):
                self.speak(lang)
                month = babel_date(date(2026, 10, 1), "MMMM y", locale=lang)
                text = self.render(
                    "helpdesk_sla_contract.action_report_sla_performance", report
                )
                self.assert_words(lang, ["Tickets by priority", "Breaches"], text)
                self.assertIn(month, text)
                # The uptime (99.731 %) with a decimal comma.
                self.assertIn("99,731", text)
                report._sla_send()
                message = self.contract.message_ids[0]
                self.assertEqual(
                    message.subject,
                    tr(lang, "SLA performance report {{ object.name }}").replace(
                        "{{ object.name }}", self.contract.name
                    ),
                )
                body = text_of(message.body)
                self.assertIn(flat(words(tr(lang, body_msgid))), body)
                self.assertIn(month, body)
                # A report made for this customer is named in their language.
                september = report._sla_get_or_create(
                    self.contract, date(2026, 9 if lang == "de_DE" else 8, 1), "month"
                )
                self.assertEqual(
                    september.name,
                    tr(lang, "SLA performance %(period)s: %(contract)s")
                    % {
                        "period": september._sla_period_label(),
                        "contract": self.contract.display_name,
                    },
                )

    def test_out_of_hours_reply(self):
        self.policy.out_of_hours_reply = True
        template = self.policy.out_of_hours_template_id
        body_msgid = template.with_context(lang="en_US").body_html
        for lang in LANGS:
            with self.subTest(lang=lang):
                self.speak(lang)
                # Saturday evening: work starts on Monday 30 November, 09:00.
                with freeze_time(berlin(2026, 11, 28, 20)):
                    ticket = self.make_ticket()
                subject = tr(
                    lang,
                    "{{ object.number }}: we received your request outside "
                    "our support hours",
                ).replace("{{ object.number }}", ticket.number)
                reply = ticket.message_ids.filtered(lambda m, s=subject: m.subject == s)
                self.assertEqual(len(reply), 1)
                body = text_of(reply.body)
                self.assertIn(flat(words(tr(lang, body_msgid))), body)
                self.assertIn(babel_date(date(2026, 11, 30), "long", locale=lang), body)

    def test_breach_and_warning_digests_in_the_recipients_language(self):
        Message = self.env["mail.message"]
        for lang in LANGS:
            with self.subTest(lang=lang):
                self.speak(lang)
                with freeze_time(berlin(2026, 11, 23, 9)):
                    ticket = self.make_ticket()
                before = Message.search([], order="id desc", limit=1).id
                # Tuesday 10:00: the 4 h response target (Monday 13:00) is
                # missed, the 16 h resolution (Tuesday 17:00) at 75 %.
                with freeze_time(berlin(2026, 11, 24, 15)):
                    self.env["helpdesk.ticket"]._cron_check_sla()
                self.assertEqual(ticket.sla_response_status, "breached")
                digest = Message.search(
                    [
                        ("id", ">", before),
                        ("message_type", "=", "user_notification"),
                        ("partner_ids", "in", self.escalation.partner_id.ids),
                    ]
                )
                self.assertEqual(len(digest), 1)
                self.assertEqual(
                    digest.subject,
                    tr(lang, "SLA check: %(count)s tickets need attention")
                    % {"count": 2},
                )
                body = text_of(digest.body)
                breached = tr(
                    lang,
                    "SLA breached: the %(kind)s deadline %(deadline)s was missed.",
                )
                warned = tr(
                    lang,
                    "SLA warning: %(percent)s %% of the %(kind)s time is used; due "
                    "%(deadline)s.",
                )
                for msgstr in (breached, warned):
                    # The words around the placeholders.
                    for part in re.split(r"%\(\w+\)s|%%", msgstr):
                        self.assertIn(flat(part), body)
                self.assertIn(tr(lang, "response"), body)
                # Monday 23 November 2026, as German and Polish write it.
                self.assertIn(
                    format_date(
                        self.env, date(2026, 11, 23), lang_code=lang, date_format="long"
                    ),
                    body,
                )

    def test_invoice_sla_credits(self):
        # The credit is computed for a German customer.
        self.speak("de_DE")
        credit = self.october_credit()
        self.contract._recurring_create_invoice(date(2026, 11, 1))
        move = credit.move_id
        for lang in LANGS:
            with self.subTest(lang=lang):
                self.speak(lang)
                text = self.render("account.account_invoices", move)
                self.assert_words(lang, ["SLA credits", "<span>Reason</span>"], text)
        # The credit's reason was written in the customer's language then:
        # its words and its numbers (99,73 %).
        reason = tr(
            "de_DE",
            "%(service)s: uptime %(uptime)s %% in %(period)s, below "
            "%(below)s %% → %(credit)s %%",
        )
        self.assertIn(flat(re.split(r"%\(\w+\)s", reason)[1]), flat(credit.reason))
        self.assertIn("99,73", credit.reason)
        self.assertIn("Oktober 2026", credit.reason)


@tagged("post_install", "-at_install")
class TestSlaPortalLanguages(HttpCase):
    """The portal speaks the visitor's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        speak_languages(cls.env)
        cls.env["helpdesk.sla.policy"].search([]).active = False
        policy = cls.env["helpdesk.sla.policy"].create(
            {
                "name": "Gold 24/7",
                "calendar_id": cls.env.ref(
                    "helpdesk_sla_contract.resource_calendar_24_7"
                ).id,
                "target_ids": [
                    Command.create(
                        {"priority": "1", "response_hours": 2, "resolution_hours": 8}
                    )
                ],
            }
        )
        company = cls.env["res.partner"].create({"name": "Kunde", "is_company": True})
        cls.user = new_test_user(
            cls.env, login="sla_portal_lang", groups="base.group_portal"
        )
        cls.user.partner_id.parent_id = company
        cls.contract = cls.env["contract.contract"].create(
            {
                "name": "Managed services",
                "partner_id": company.id,
                "contract_type": "sale",
                "pricing_model": "hourly",
                "hourly_rate": 90,
                "sla_policy_id": policy.id,
                "date_start": date(2026, 1, 1),
            }
        )
        cls.env["helpdesk.sla.service"].create(
            {"name": "Mail", "contract_id": cls.contract.id, "uptime_target": 99.5}
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Printer",
                "description": "<p>x</p>",
                "partner_id": cls.user.partner_id.id,
            }
        )

    def test_portal_pages(self):
        for lang in LANGS:
            with self.subTest(lang=lang):
                self.user.lang = lang
                self.authenticate("sla_portal_lang", "sla_portal_lang")
                page = self.url_open(f"/my/sla/contract/{self.contract.id}")
                self.assertEqual(page.status_code, 200)
                text = text_of(page.text)
                for msgid in ("Open tickets", "Performance reports", "Uptime since"):
                    self.assertIn(flat(tr(lang, msgid)), text, msgid)
                # The target with a decimal comma, the period's start dotted.
                self.assertIn("99,5", text)
                self.assertRegex(text, r"01\.\d\d\.20\d\d")
                page = self.url_open(f"/my/ticket/{self.ticket.id}")
                self.assertEqual(page.status_code, 200)
                self.assertIn(
                    flat(
                        words(tr(lang, '<span class="text-muted">Response due:</span>'))
                    ),
                    text_of(page.text),
                )
