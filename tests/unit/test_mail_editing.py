"""Mail texts edited by admins: the next mail uses them, bad text is refused by its field
with nothing saved, a reset goes back to the file, every change is audited."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from o2portal.accounts import staff as admin_customers
from o2portal.accounts.models import Customer
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.demo.seed import seed_demo
from o2portal.mail import editor, templating
from o2portal.mail.models import MailTemplate, OutboxEmail
from tests.security.test_billing_concurrency import run_together
from tests.unit.helpers import actor, count, update_customer


@pytest.fixture
def demo(db):
    seed_demo()
    with read_session() as session:
        return {c.email.split("@")[0]: c for c in session.exec(select(Customer)).all()}


def _last_mail(to: str) -> OutboxEmail:
    with read_session() as session:
        return session.exec(
            select(OutboxEmail).where(OutboxEmail.to_addr == to).order_by(OutboxEmail.id.desc())
        ).first()


def _events(action: str) -> list[AuditEvent]:
    with read_session() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)))


def _reset_mail_to(demo, who: str = "client") -> OutboxEmail:
    admin_customers.send_reset_link(actor(demo["support"].id), demo[who].id)
    return _last_mail(demo[who].email)


def test_an_edit_is_used_by_the_next_mail_of_that_kind_and_language_only(demo):
    admin = actor(demo["admin"].id)
    before = _reset_mail_to(demo)
    edited = editor.save_text(
        admin,
        "password_reset",
        "fr",
        "  Votre nouveau mot de passe, ${first_name}  ",
        "Bonjour ${first_name},\r\n\r\nCliquez : ${reset_link} (${minutes} min).\r\n",
    )
    assert edited is True
    mail = _reset_mail_to(demo)
    assert mail.id != before.id
    assert mail.subject == f"Votre nouveau mot de passe, {demo['client'].first_name}"
    assert mail.body_text.startswith(f"Bonjour {demo['client'].first_name},\n\nCliquez : http")
    # The English text is still the file's.
    update_customer(demo["client"].id, language="en")
    english = _reset_mail_to(demo)
    assert english.subject == templating.default_text("password_reset", "en")[0]
    [event] = _events("staff.mail_template_changed")
    details = json.loads(event.details_json)
    assert details["kind"] == "password_reset" and details["language"] == "fr"
    assert details["old"]["subject"] == templating.default_text("password_reset", "fr")[0]
    assert details["new"]["subject"] == "Votre nouveau mot de passe, ${first_name}"
    assert event.actor_id == demo["admin"].id


def test_a_value_with_template_syntax_is_put_in_as_text(demo):
    admin = actor(demo["admin"].id)
    editor.save_text(admin, "password_reset", "fr", "Pour ${first_name}", "Lien ${reset_link}")
    update_customer(demo["client"].id, first_name="${reset_link} <b>")
    mail = _reset_mail_to(demo)
    assert mail.subject == "Pour ${reset_link} <b>"


@pytest.mark.parametrize(
    ("subject", "body", "errors"),
    [
        ("Bonjour ${prenom}", "Texte", {"subject": "mailtext.unknown"}),
        ("Bonjour", "Lien ${reset_link} ${token} ${x}", {"body": "mailtext.unknown"}),
        ("Coût 5 $", "Texte", {"subject": "mailtext.dollar"}),
        ("Objet", "Bonjour ${first_name", {"body": "mailtext.dollar"}),
        ("", "Texte", {"subject": "mailtext.required"}),
        ("Objet", "  \n ", {"body": "mailtext.required"}),
        ("Ligne 1\nLigne 2", "Texte", {"subject": "mailtext.one_line"}),
        ("${x}", "${y}", {"subject": "mailtext.unknown", "body": "mailtext.unknown"}),
    ],
)
def test_a_bad_text_is_refused_by_its_field_and_nothing_is_saved(demo, subject, body, errors):
    admin = actor(demo["admin"].id)
    events = count(AuditEvent)
    with pytest.raises(editor.TextRefused) as refused:
        editor.save_text(admin, "password_reset", "fr", subject, body)
    assert refused.value.errors == errors
    with pytest.raises(editor.TextRefused):
        editor.preview(admin, "password_reset", "fr", subject, body)
    assert count(MailTemplate) == 0 and count(AuditEvent) == events


def test_the_unknown_placeholders_are_named():
    with pytest.raises(editor.TextRefused) as refused:
        editor.refuse(
            templating.problems(templating.variables("password_reset"), "Objet", "${b} ${a}")
        )
    assert refused.value.values["body"] == {"names": "${a}, ${b}"}


def test_reset_goes_back_to_the_file_and_is_audited(demo):
    admin = actor(demo["admin"].id)
    assert editor.reset_text(admin, "invoice", "en") is False
    editor.save_text(admin, "invoice", "en", "Invoice ${number}", "Total ${total}")
    assert editor.kind_text(admin, "invoice", "en").edited is True
    assert [r.edited for r in editor.list_kinds(admin) if r.kind == "invoice"] == [["en"]]
    assert editor.reset_text(admin, "invoice", "en") is True
    text = editor.kind_text(admin, "invoice", "en")
    assert not text.edited
    assert (text.subject, text.body) == templating.default_text("invoice", "en")
    assert count(MailTemplate) == 0
    [event] = _events("staff.mail_template_reset")
    details = json.loads(event.details_json)
    assert details["old"] == {"subject": "Invoice ${number}", "body": "Total ${total}"}
    assert details["new"]["subject"] == templating.default_text("invoice", "en")[0]


def test_saving_the_files_text_stores_nothing(demo):
    admin = actor(demo["admin"].id)
    subject, body = templating.default_text("welcome", "fr")
    assert editor.save_text(admin, "welcome", "fr", subject, body) is False
    assert count(MailTemplate) == 0 and _events("staff.mail_template_changed") == []


def test_every_registered_kind_is_listed_and_previews_with_sample_values(demo):
    admin = actor(demo["admin"].id)
    assert [r.kind for r in editor.list_kinds(admin)] == sorted(templating.KINDS)
    for kind in templating.KINDS:
        for language in templating.LANGUAGES:
            text = editor.kind_text(admin, kind, language)
            subject, body = editor.preview(admin, kind, language, text.subject, text.body)
            assert subject and body and "${" not in subject + body


def test_a_kind_registered_later_is_editable(demo, monkeypatch):
    admin = actor(demo["admin"].id)
    monkeypatch.setitem(templating.KINDS, "holder_change", ("first_name", "domain"))
    monkeypatch.setattr(templating, "default_text", lambda kind, lang: ("Objet", "Texte"))
    assert "holder_change" in [r.kind for r in editor.list_kinds(admin)]
    editor.save_text(admin, "holder_change", "fr", "Titulaire ${domain}", "Bonjour")
    subject, _ = editor.preview(admin, "holder_change", "fr", "Titulaire ${domain}", "Bonjour")
    assert subject == "Titulaire [domain]"


def test_a_preview_renders_the_sample_in_the_language(demo):
    admin = actor(demo["admin"].id)
    _, fr_body = editor.preview(admin, "invoice", "fr", "Facture ${number}", "Total : ${total}")
    _, en_body = editor.preview(admin, "invoice", "en", "Invoice ${number}", "Total: ${total}")
    assert fr_body == "Total : 143,88\xa0€" and en_body == "Total: €143.88"


def test_an_edit_that_no_longer_parses_falls_back_to_the_file(demo):
    with transaction() as session:
        session.add(MailTemplate(kind="password_reset", language="fr", subject="A", body="${gone}"))
    mail = _reset_mail_to(demo)
    assert mail.subject == templating.default_text("password_reset", "fr")[0]


def test_only_admins_edit(demo):
    for who in ("support", "client"):
        someone = actor(demo[who].id)
        with pytest.raises(NotAllowed):
            editor.list_kinds(someone)
        with pytest.raises(NotAllowed):
            editor.kind_text(someone, "invoice", "fr")
        with pytest.raises(NotAllowed):
            editor.save_text(someone, "invoice", "fr", "Objet", "Texte")
        with pytest.raises(NotAllowed):
            editor.reset_text(someone, "invoice", "fr")
        with pytest.raises(NotAllowed):
            editor.preview(someone, "invoice", "fr", "Objet", "Texte")
    assert count(MailTemplate) == 0


def test_unknown_kind_or_language_is_refused(demo):
    admin = actor(demo["admin"].id)
    with pytest.raises(InvalidInput):
        editor.kind_text(admin, "nope", "fr")
    with pytest.raises(InvalidInput):
        editor.save_text(admin, "invoice", "de", "Objet", "Texte")


def test_the_outbox_kinds_without_a_text_of_their_own_have_names():
    from o2portal.core.i18n import translate

    for kind in ("reminder", "campaign"):
        for language in ("fr", "en"):
            assert translate(f"mailkind.{kind}", language) != f"mailkind.{kind}"


def test_two_admins_saving_the_first_edit_of_a_text_at_once_both_succeed(demo):
    """Two admins save the first edit of the same kind and language at the same moment
    (real parallel transactions on PostgreSQL): the saves run one after the other, the
    second one updating the row the first made, never an IntegrityError; the text kept
    is the last one saved, and the trail shows both changes in their order."""
    update_customer(demo["support"].id, role="admin")
    ada, bea = actor(demo["admin"].id), actor(demo["support"].id)
    kinds = ["invoice", "welcome", "ticket_reply", "order_form", "password_reset"]
    for kind in kinds:
        results = run_together(
            [
                lambda k=kind, who=who: editor.save_text(
                    who, k, "fr", f"Objet de {who.id}", f"Texte de {who.id}"
                )
                for who in (ada, bea)
            ]
        )
        assert results == [True, True], results
        text = editor.kind_text(ada, kind, "fr")
        changes = [
            json.loads(e.details_json)
            for e in _events("staff.mail_template_changed")
            if json.loads(e.details_json)["kind"] == kind
        ]
        # The first change starts from the file, the second from the first's text.
        assert changes[0]["old"]["subject"] == templating.default_text(kind, "fr")[0]
        assert changes[1]["old"] == changes[0]["new"]
        assert {"subject": text.subject, "body": text.body} == changes[1]["new"]
    assert count(MailTemplate) == len(kinds)
