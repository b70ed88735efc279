"""Mail texts as template files per language (o2portal/mail/templates/{fr,en}): every kind
renders in both languages, a wrong placeholder or value is refused, the files come in
twins, and customers get their mail in their own language (real database)."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime, timedelta
from fnmatch import fnmatch
from pathlib import Path

import pytest

import o2portal
from o2portal.accounts import signup
from o2portal.accounts.models import Customer
from o2portal.billing.payments import CardDetails, PaymentChoice
from o2portal.billing.renewals import renew_product
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.formatting import day, money
from o2portal.core.settings import get_settings
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import (
    COMMON,
    KINDS,
    LANGUAGES,
    PARTS,
    Amount,
    Part,
    TemplateError,
    check,
    kinds,
    placeholders,
    render,
    render_part,
    variables,
)
from o2portal.products import reminders
from o2portal.products.models import Product
from o2portal.support.queue import add_staff_reply
from o2portal.support.tickets import open_ticket
from tests.unit.helpers import actor, get_customer, outbox, signup_form, update_customer

TEMPLATES = Path(o2portal.__file__).parent / "mail" / "templates"
LINK = "https://portal.example/x?token=abc123"
EXPIRY = date(2027, 3, 15)

# A sample value for every name a kind or part declares.
SAMPLES = {
    "first_name": "Marie",
    "email": "marie@example.com",
    "verify_link": LINK,
    "reset_link": LINK,
    "set_password_link": LINK,
    "confirm_link": LINK,
    "minutes": 60,
    "hours": 24,
    "new_email": "marie.new@example.com",
    "left": 7,
    "number": "F2027-000042",
    "invoice_number": "F2027-000042",
    "reference": "BC-000042",
    "total": Amount(23040),
    "price": Amount(23040),
    "how_to_pay": Part(
        "order_form_transfer",
        reference="BC-000042",
        holder="O2Portal SAS",
        iban="FR76 3000 6000 0112 3456 7890 189",
        bic="AGRIFRPP",
        bank="Banque de démonstration",
    ),
    "products": [
        Part("order_confirmation_line", name="exemple.fr", until=EXPIRY),
        Part("order_confirmation_line", name="exemple.com", until=EXPIRY),
    ],
    "days": 15,
    "product_name": "exemple.fr",
    "product": Part("reminder_hosting", name="exemple.fr"),
    "expiry": EXPIRY,
    "charge_day": date(2027, 3, 8),
    "plan": Part("reminder_plan_manual"),
    "reason": Part("auto_renew_impossible", error="carte expirée"),
    "renew_link": "https://portal.example/services/7#renew",
    "ticket_id": 4242,
    "ticket_subject": "Erreur 500 sur la boutique",
    "department": "technique",
    "priority": "haute",
    "waited": "4 h 05",
    "customer_name": "Marie Dupont",
    "customer_email": "marie@example.com",
    "message": "Depuis ce matin,\n\nla page d'accueil renvoie une erreur 500.",
    "attachments": Part("attachments", files="error_log, wp-config.php"),
    "awaiting": Part("ticket_awaiting"),
    "admin_link": "https://portal.example/admin/tickets/4242",
    "ticket_link": "https://portal.example/tickets/4242",
    "job": "auto_renew",
    "failures": 3,
    "since": "04/01/2027 06:00",
    "holder_name": "Boulangerie Martin",
    "contact_name": "Agence Web Dupont",
    "role": "contact technique",
    "action": "a changé les serveurs DNS (ns1.exemple.net, ns2.exemple.net)",
    "contacts_link": "https://portal.example/contacts",
    "summary": "Hébergement Cloud pour boulangerie-martin.fr (1 an)",
    "news": "acceptée",
    "detail": "Claire Martin a accepté votre commande.",
    "from_name": "Dupont Conseil",
    "other_name": "Paul Martin",
    "expires": date(2027, 3, 20),
    "trades_link": "https://portal.example/trades",
    "product_link": "https://portal.example/services/7",
    "records": [
        Part("certificate_record", record_name="_o2portal-challenge.exemple.fr", value="tOk3n"),
        Part("certificate_record", record_name="_o2portal-challenge.autre.fr", value="t0ken2"),
    ],
    # part values
    "name": "exemple.fr",
    "until": EXPIRY,
    "files": "error_log, wp-config.php",
    "error": "carte expirée",
    "holder": "O2Portal SAS",
    "iban": "FR76 3000 6000 0112 3456 7890 189",
    "bic": "AGRIFRPP",
    "bank": "Banque de démonstration",
    "payee": "O2Portal SAS",
    "address": "12 rue de l'Hébergement\n63000 Clermont-Ferrand",
    "record_name": "_o2portal-challenge.exemple.fr",
    "opens": date(2027, 2, 13),
    "value": "tOk3n",
}


def values_for(name: str, *, part: bool = False) -> dict:
    return {key: SAMPLES[key] for key in (PARTS if part else KINDS)[name]}


def written(value, language: str) -> str:
    """How a sample value must appear in a mail in `language`."""
    if isinstance(value, Amount):
        return money(value.cents, language)
    if isinstance(value, date):
        return day(value, language)
    if isinstance(value, Part):
        return render_part(value.name, language, **value.values)
    if isinstance(value, list):
        return "\n".join(written(item, language) for item in value)
    return str(value)


def template_files(language: str) -> set[str]:
    folder = TEMPLATES / language
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.txt")}


# ---------------------------------------------------------------- every kind, both languages


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_renders_with_every_value_in_place(kind, language):
    subject, body = render(kind, language, **values_for(kind))
    assert subject.strip() and "\n" not in subject
    assert body.endswith("\n") and "\n\n\n" not in body
    assert "$" not in subject + body
    for name in placeholders(kind, language) - COMMON:
        assert written(SAMPLES[name], language) in subject + body, name
    if "first_name" in KINDS[kind]:
        greeting = "Bonjour Marie," if language == "fr" else "Hello Marie,"
        assert body.startswith(greeting)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_english_text_is_a_translation_not_a_copy(kind):
    french = render(kind, "fr", **values_for(kind))
    english = render(kind, "en", **values_for(kind))
    assert french[1] != english[1]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(PARTS))
def test_every_part_renders(name, language):
    text = render_part(name, language, **values_for(name, part=True))
    assert text.strip() and not text.endswith("\n") and "$" not in text


def test_amounts_dates_and_links_in_each_language():
    values = values_for("reminder_days")
    values.update(days=15, plan=Part("reminder_plan_auto"))
    subject, body = render("reminder_days", "fr", **values)
    assert subject == "exemple.fr expire le 15 mars 2027 (dans 15 jours)"
    assert "L'hébergement exemple.fr expire le 15 mars 2027, dans 15 jours." in body
    assert "Renouvellement pour 1 an : 230,40\xa0€ TTC." in body
    assert "Le renouvellement automatique est activé" in body
    subject, body = render("reminder_days", "en", **values)
    assert subject == "exemple.fr expires on 15 Mar 2027 (in 15 days)"
    assert "The hosting account exemple.fr expires on 15 Mar 2027, in 15 days." in body
    assert "Renewal for 1 year: €230.40 incl. VAT." in body
    assert "Automatic renewal is on" in body
    subject, _ = render("reminder_one_day", "fr", **values)
    assert subject == "exemple.fr expire le 15 mars 2027 (dans 1 jour)"
    # The settings' address, without a doubled slash.
    _, body = render("invoice", "en", **values_for("invoice"))
    assert get_settings().base_url.rstrip("/") + "/invoices" in body


def test_an_empty_optional_paragraph_is_left_out():
    values = values_for("ticket_reply")
    values.update(attachments="", awaiting="")
    _, body = render("ticket_reply", "fr", **values)
    assert "Pièces jointes" not in body and "Nous attendons" not in body
    assert f"{SAMPLES['message']}\n\nVoir le ticket et répondre" in body
    values.update(attachments=Part("attachments", files="a.log"), awaiting=Part("ticket_awaiting"))
    _, body = render("ticket_reply", "fr", **values)
    assert (
        f"{SAMPLES['message']}\n\nPièces jointes : a.log\n\n"
        "Nous attendons votre retour pour avancer : répondez depuis votre espace client.\n\n"
        "Voir le ticket et répondre"
    ) in body


def test_a_value_is_never_read_as_a_template():
    values = values_for("ticket_reply")
    values["message"] = "Prix : 5 $ ou ${first_name} ou $$ {first_name}"
    _, body = render("ticket_reply", "en", **values)
    assert "Prix : 5 $ ou ${first_name} ou $$ {first_name}" in body


# ---------------------------------------------------------------- refusals


def test_a_missing_value_is_refused():
    with pytest.raises(TemplateError, match="no value given for verify_link"):
        render("welcome", "fr", first_name="Marie", email="marie@example.com")


def test_an_unknown_value_is_refused():
    with pytest.raises(TemplateError, match="unknown value frist_name"):
        render("totp_enabled", "en", first_name="Marie", frist_name="Marie")


def test_a_setting_cannot_be_passed_as_a_value():
    with pytest.raises(TemplateError, match="portal_url"):
        render("totp_enabled", "fr", first_name="Marie", portal_url="https://evil.example")


def test_an_unknown_placeholder_in_a_template_is_refused():
    with pytest.raises(TemplateError, match=r"unknown placeholder \$\{frist_name\}"):
        check("welcome", "Bienvenue\n\nBonjour ${frist_name},\n")
    with pytest.raises(TemplateError, match=r"unknown placeholder \$\{password\}"):
        check("welcome", "Votre mot de passe : ${password}\n\nBonjour,\n")
    with pytest.raises(TemplateError, match=r"unknown placeholder \$\{first_name\}"):
        check("attachments", "Pièces jointes de ${first_name} : ${files}", part=True)


def test_a_malformed_template_is_refused():
    with pytest.raises(TemplateError, match="dollar"):
        check("invoice", "Votre facture\n\nPrix : 5 $ 20\n")
    with pytest.raises(TemplateError, match="second line blank"):
        check("invoice", "Votre facture\nBonjour ${first_name}\n")
    with pytest.raises(TemplateError, match="subject"):
        check("invoice", "\n\nBonjour\n")


def test_a_well_formed_template_lists_its_placeholders():
    text = "Facture ${number}\n\nBonjour ${first_name}, $$5 : ${portal_url}/invoices\n"
    assert check("invoice", text) == {"number", "first_name", "portal_url"}
    assert placeholders("welcome") == {"first_name", "email", "verify_link", "portal_url"}
    assert variables("welcome") == {"first_name", "email", "verify_link"} | COMMON


def test_unknown_kinds_and_values_that_are_no_text_are_refused():
    with pytest.raises(TemplateError, match="unknown mail kind 'welcom'"):
        render("welcom", "fr", first_name="Marie")
    with pytest.raises(TemplateError, match="unknown mail part"):
        render_part("../fr/welcome", "fr")
    with pytest.raises(TemplateError, match="NoneType"):
        render("totp_enabled", "fr", first_name=None)
    with pytest.raises(TemplateError, match="yes/no"):
        render("recovery_code_used", "fr", first_name="Marie", left=True)


@pytest.mark.parametrize("language", ["de", "", None, "EN", "../fr"])
def test_an_unknown_language_falls_back_to_french(language):
    assert render("welcome", language, **values_for("welcome")) == render(
        "welcome", "fr", **values_for("welcome")
    )


# ---------------------------------------------------------------- the files


def test_every_french_file_has_its_english_twin_with_the_same_placeholders():
    french, english = template_files("fr"), template_files("en")
    assert french == english
    for relative in sorted(french):
        part = relative.startswith("parts/")
        name = relative.removeprefix("parts/").removesuffix(".txt")
        assert placeholders(name, "fr", part=part) == placeholders(name, "en", part=part), name


def test_the_files_are_exactly_the_declared_kinds_and_parts():
    expected = {f"{k}.txt" for k in KINDS} | {f"parts/{p}.txt" for p in PARTS}
    assert template_files("fr") == expected
    assert kinds() == sorted(KINDS)
    for relative in sorted(expected):
        part = relative.startswith("parts/")
        name = relative.removeprefix("parts/").removesuffix(".txt")
        text = (TEMPLATES / "fr" / relative).read_text(encoding="utf-8")
        assert check(name, text, part=part) == placeholders(name, "fr", part=part)


def test_the_template_files_ship_with_the_package():
    pyproject = Path(o2portal.__file__).parent.parent / "pyproject.toml"
    globs = tomllib.loads(pyproject.read_text())["tool"]["setuptools"]["package-data"]["o2portal"]
    package = Path(o2portal.__file__).parent
    for path in TEMPLATES.rglob("*.txt"):
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch(relative, glob) for glob in globs), relative


# ---------------------------------------------------------------- in the customer's language

T0 = datetime(2026, 5, 12, 10, 0, tzinfo=UTC)
TODAY = date(2026, 5, 12)  # T0 in Paris


@pytest.fixture
def shop(db):
    """The catalogue, and the clock frozen on a May morning of 2026 for the whole test."""
    with clock.frozen_at(T0):
        with transaction() as session:
            ensure_catalogue(session)
        yield


def sign_up(email: str, language: str) -> Customer:
    form = signup_form(email=email, first_name="Emma", last_name="Stone")
    return signup.sign_up(form, ip="192.0.2.10", language=language)


def add_hosting(customer_id: int, name: str, expires_in: int) -> int:
    with transaction() as session:
        product = Product(
            customer_id=customer_id,
            kind="hosting",
            name=name,
            offer_code="cloud",
            start_date=TODAY - timedelta(days=300),
            expiry_date=TODAY + timedelta(days=expires_in),
        )
        session.add(product)
        session.flush()
        return product.id


def test_the_welcome_mail_is_in_the_language_chosen_at_sign_up(shop):
    english = sign_up("emma@example.co.uk", "en")
    french = sign_up("emma@example.fr", "fr")
    mails = {m.customer_id: m for m in outbox("welcome")}
    mail = mails[english.id]
    assert mail.subject == "Your o2portal customer account"
    assert mail.body_text.startswith("Hello Emma,\n")
    assert "Login: emma@example.co.uk" in mail.body_text
    assert "/verify-email?token=" in mail.body_text
    assert "Bonjour" not in mail.body_text
    assert mails[french.id].subject == "Votre compte client o2portal"
    assert mails[french.id].body_text.startswith("Bonjour Emma,\n")


def test_an_english_customer_gets_an_english_reminder(shop):
    customer = sign_up("emma@example.co.uk", "en")
    product_id = add_hosting(customer.id, "emma-site.co.uk", expires_in=15)
    assert reminders.send_due_reminders()["sent"] == 1
    [mail] = outbox("reminder")
    expiry = TODAY + timedelta(days=15)
    assert mail.subject == f"emma-site.co.uk expires on {day(expiry, 'en')} (in 15 days)"
    assert "The hosting account emma-site.co.uk expires on" in mail.body_text
    assert "Renewal for 1 year: €230.40 incl. VAT." in mail.body_text  # 192 € HT + 20 %
    assert f"/services/{product_id}#renew" in mail.body_text
    assert mail.to_addr == "emma@example.co.uk" and mail.customer_id == customer.id


def test_an_english_customer_gets_an_english_invoice_mail(shop):
    customer = sign_up("emma@example.co.uk", "en")
    product_id = add_hosting(customer.id, "emma-site.co.uk", expires_in=40)
    with read_session() as session:
        expiry = session.get(Product, product_id).expiry_date
    outcome = renew_product(
        customer_id=customer.id,
        product_id=product_id,
        years=1,
        expected_expiry=expiry,
        choice=PaymentChoice("card", CardDetails("4242424242424242", 12, 2030, "123", "E S")),
        key="renew-emma-0001",
    )
    assert outcome.status == "paid"
    [mail] = outbox("invoice")
    assert mail.subject == f"Your invoice {outcome.invoice_number}"
    assert mail.body_text.startswith("Hello Emma,\n")
    assert "Thank you for your payment of €230.40 incl. VAT." in mail.body_text
    assert "/invoices" in mail.body_text


def test_mail_to_support_stays_french_and_the_reply_is_in_the_customers_language(shop):
    customer = sign_up("emma@example.co.uk", "en")
    staff = sign_up("staff@o2portal.example", "en")
    update_customer(staff.id, role="support")
    ticket_id = open_ticket(
        customer.id,
        subject="Error 500",
        department="technique",
        priority="haute",
        product_id=None,
        body="My home page says error 500.",
    )
    [to_support] = outbox("ticket_new")
    assert to_support.to_addr == get_settings().support_email
    assert to_support.body_text.startswith(f"Nouveau ticket #{ticket_id} — technique")
    add_staff_reply(actor(staff.id), ticket_id, "Please try again.", await_customer=True)
    [reply] = outbox("ticket_reply")
    assert reply.subject == f"[Ticket #{ticket_id}] Support replied: Error 500"
    assert "Please try again." in reply.body_text
    assert "We need your answer to move forward" in reply.body_text


def test_a_language_without_texts_gets_french(shop):
    customer = sign_up("emma@example.de", "en")
    update_customer(customer.id, language="de")
    with transaction() as session:
        person = session.get(Customer, customer.id)
        mailer.queue_for_customer(session, person, "totp_enabled")
    [mail] = outbox("totp_enabled")
    assert mail.subject == "Double authentification activée"
    assert mail.body_text.startswith("Bonjour Emma,\n")
    assert get_customer(customer.id).language == "de"  # kept as it is; only mail falls back
