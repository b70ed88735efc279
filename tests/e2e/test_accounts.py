"""Sign-up, email verification, sign-in, lost password and access rules, in a real browser."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect
from sqlmodel import func, select

from o2portal.accounts.models import Customer, UserSession
from o2portal.core.db import read_session
from o2portal.core.models import AuditEvent
from tests.e2e.conftest import DEMO_PASSWORD, eventually, log_in, wait_signed_in

LINK = re.compile(r"(http://localhost:\d+/[\w\-/]+\?token=[\w\-]+)")


def ready(page: Page) -> None:
    page.locator("#o2-hydrated").wait_for(state="attached")


def fill_signup(page: Page, **values: str) -> None:
    for name, value in values.items():
        page.locator(f"#{name}").fill(value)


def good_signup(email: str) -> dict[str, str]:
    return {
        "first_name": "Léa",
        "last_name": "Martin",
        "email": email,
        "phone": "06 12 34 56 78",
        "address_line1": "3 rue des Lilas",
        "postal_code": "69003",
        "city": "Lyon",
        "password": "Un-mot-de-passe-solide",
        "password_confirm": "Un-mot-de-passe-solide",
    }


def customers_with(email: str) -> int:
    with read_session() as session:
        return session.exec(
            select(func.count()).select_from(Customer).where(Customer.email == email)
        ).one()


def refusals() -> int:
    with read_session() as session:
        return session.exec(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "admin.refused")
        ).one()


def link_in(mail) -> str:
    match = LINK.search(mail.get_content())
    assert match, mail.get_content()
    return match.group(1)


def test_signup_verify_logout_login(page: Page, smtp):
    email = f"lea.{uuid.uuid4().hex[:8]}@exemple.fr"
    page.goto("/signup")
    ready(page)
    fill_signup(page, **good_signup(email))
    page.locator("#accept_terms").check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.locator("#signup-done")).to_be_visible()

    mail = smtp.wait_for(lambda m: m["To"] == email)
    assert mail["Subject"] == "Votre compte client o2portal"
    body = mail.get_content()
    assert email in body
    assert "Un-mot-de-passe-solide" not in body

    # The link confirms the address and signs the new customer in, on the dashboard.
    page.goto(link_in(mail))
    page.wait_for_url(re.compile(r"^[^?]*://[^/]+/$"))
    wait_signed_in(page)
    expect(page.locator("#who")).to_have_text("Léa Martin")
    expect(page.locator("#email-banner")).to_have_count(0)
    with read_session() as session:
        customer = session.exec(select(Customer).where(Customer.email == email)).one()
        assert customer.email_verified_at is not None
        assert customer.phone == "+33612345678"
    # Used once: the same link again signs no one in.
    page.context.clear_cookies()
    page.goto(link_in(mail))
    expect(page.locator("#verify-bad")).to_be_visible()
    page.goto("/services")
    page.wait_for_url(re.compile(r"/login/?\?next="))

    log_in(page, email, "Un-mot-de-passe-solide")
    wait_signed_in(page)
    expect(page.locator("#who")).to_have_text("Léa Martin")

    page.locator("#logout").click()
    page.wait_for_url(re.compile(r"/login/?\?msg=bye"))
    page.goto("/services")
    page.wait_for_url(re.compile(r"/login/?\?next="))

    log_in(page, email, "Un-mot-de-passe-solide", next_path="/services")
    page.wait_for_url(re.compile(r"/services/?$"))
    expect(page.locator("#services-total")).to_have_text("0 produit(s)")


def test_signing_up_with_a_taken_address_looks_the_same_and_tells_the_owner(page: Page, smtp):
    """Sign-up does not reveal who is a customer: a taken address gets the page a new one
    gets, no second account, and its owner a mail saying someone tried."""
    email = f"deja.{uuid.uuid4().hex[:8]}@exemple.fr"
    answers = []
    for first_name in ("Léa", "Intrus"):
        page.goto("/signup")
        ready(page)
        fill_signup(page, **{**good_signup(email), "first_name": first_name})
        page.locator("#accept_terms").check()
        page.get_by_role("button", name="Créer mon compte").click()
        expect(page.locator("#signup-done")).to_be_visible()
        expect(page.locator("#email-error")).to_have_count(0)
        answers.append(page.locator("#signup-done").inner_text())
    assert answers[0] == answers[1]
    assert customers_with(email) == 1
    warning = smtp.wait_for(lambda m: m["To"] == email and "inscription" in m["Subject"])
    assert "/forgot-password" in warning.get_content()
    assert "Intrus" not in warning.get_content()


def test_wrong_password_is_refused(page: Page):
    log_in(page, "client@o2portal.example", "not-the-password")
    expect(page.locator("#login-error")).to_have_text("Adresse email ou mot de passe incorrect.")
    assert "/login" in page.url


def test_lost_password_reset_ends_other_sessions(new_context, smtp):
    email = "paul.bernard@o2portal.example"
    other = new_context().new_page()
    log_in(other, email)
    wait_signed_in(other)

    page = new_context().new_page()
    page.goto("/forgot-password")
    ready(page)
    page.locator("#email").fill(email)
    page.get_by_role("button", name="Envoyer le lien").click()
    expect(page.locator("#forgot-sent")).to_be_visible()
    mail = smtp.wait_for(lambda m: m["To"] == email and "Réinitialisation" in m["Subject"])

    page.goto(link_in(mail))
    ready(page)
    page.locator("#password").fill("Nouveau-mot-de-passe-2026")
    page.locator("#password_confirm").fill("Nouveau-mot-de-passe-2026")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    page.wait_for_url(re.compile(r"/login/?\?msg=reset"))

    # The link works once.
    page.goto(link_in(mail))
    expect(page.locator("#reset-invalid")).to_be_visible()

    log_in(page, email, DEMO_PASSWORD)
    expect(page.locator("#login-error")).to_be_visible()
    log_in(page, email, "Nouveau-mot-de-passe-2026")
    wait_signed_in(page)

    # The browser that was signed in before the reset is signed out.
    other.goto("/services")
    other.wait_for_url(re.compile(r"/login/?\?next="))


def test_anonymous_visitor_goes_to_login_and_comes_back(page: Page):
    page.goto("/services")
    page.wait_for_url(re.compile(r"/login/?\?next=/services"))
    page.locator("#email").fill("client@o2portal.example")
    page.locator("#password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/services/?$"))
    expect(page.locator("#services-table")).to_contain_text("dupont-photo.fr")


def test_customer_opening_admin_is_refused_and_audited(page: Page):
    before = refusals()
    log_in(page, "client@o2portal.example")
    wait_signed_in(page)
    page.goto("/admin")
    expect(page.locator("#access-denied")).to_be_visible()
    expect(page.locator("#outbox-table")).to_have_count(0)
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)
    assert eventually(lambda: refusals() == before + 1), refusals()


def test_staff_sees_the_admin_area(page: Page):
    log_in(page, "admin@o2portal.example", next_path="/admin")
    page.wait_for_url(re.compile(r"/admin/?$"))
    expect(page.locator("#outbox-table")).to_be_visible()
    expect(page.get_by_role("link", name="Administration").first).to_be_visible()


def test_session_token_is_useless_after_logout(new_context, base_url):
    context = new_context()
    page = context.new_page()
    log_in(page, "entreprise@o2portal.example")
    wait_signed_in(page)
    cookie = next(c for c in context.cookies() if c["name"] == "o2p_session")
    assert cookie["httpOnly"] is True
    page.locator("#logout").click()
    page.wait_for_url(re.compile(r"/login/?\?msg=bye"))
    with read_session() as session:
        rows = session.exec(select(UserSession).where(UserSession.revoked_at.is_(None))).all()
        assert all(row.token_hash != cookie["value"] for row in rows)

    # Replay the old cookie in a fresh browser: it opens nothing.
    thief = new_context()
    thief.add_cookies([{"name": "o2p_session", "value": cookie["value"], "url": base_url}])
    stolen = thief.new_page()
    stolen.goto("/services")
    stolen.wait_for_url(re.compile(r"/login/?\?next="))


def test_login_is_throttled_after_repeated_failures(page: Page):
    email = "brasserie@o2portal.example"
    for _ in range(5):
        log_in(page, email, "wrong-password-123")
        expect(page.locator("#login-error")).to_have_text(
            "Adresse email ou mot de passe incorrect."
        )
    log_in(page, email, DEMO_PASSWORD)
    expect(page.locator("#login-error")).to_contain_text("Trop de tentatives de connexion")
    assert "/login" in page.url


def test_reset_form_answers_the_same_for_unknown_emails(page: Page, smtp):
    answers = []
    for email in ("client@o2portal.example", f"nobody.{uuid.uuid4().hex[:6]}@exemple.fr"):
        page.goto("/forgot-password")
        ready(page)
        page.locator("#email").fill(email)
        page.get_by_role("button", name="Envoyer le lien").click()
        answers.append(page.locator("#forgot-sent").inner_text())
    assert answers[0] == answers[1]


def test_signup_bad_input_shows_messages_by_the_fields_and_saves_nothing(page: Page):
    page.goto("/signup")
    ready(page)
    page.get_by_role("button", name="Créer mon compte").click()
    for field in (
        "first_name",
        "last_name",
        "email",
        "phone",
        "address_line1",
        "postal_code",
        "city",
        "password",
        "accept_terms",
    ):
        expect(page.locator(f"#{field}-error")).to_be_visible()
    expect(page.locator("#first_name-error")).to_have_text("Ce champ est obligatoire.")

    email = f"bad.{uuid.uuid4().hex[:8]}@exemple.fr"
    page.locator("#account_type").select_option("entreprise")
    values = good_signup("pas-une-adresse@")
    values.update(
        phone="12345",
        postal_code="7500",
        password_confirm="Autre-mot-de-passe-0",
        first_name="x" * 150,
    )
    fill_signup(page, **values)
    page.locator("#company_name").fill("Ma Société")
    page.locator("#siret").fill("12345678901234")
    page.locator("#accept_terms").check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.locator("#email-error")).to_have_text("Cette adresse email n'est pas valide.")
    expect(page.locator("#phone-error")).to_contain_text("numéro de téléphone n'est pas valide")
    expect(page.locator("#siret-error")).to_contain_text("SIRET n'est pas valide")
    expect(page.locator("#postal_code-error")).to_contain_text("5 chiffres")
    expect(page.locator("#password_confirm-error")).to_have_text(
        "Les deux mots de passe ne sont pas identiques."
    )
    # The input refuses more than its limit; the server would refuse it too.
    assert len(page.locator("#first_name").input_value()) <= 200
    expect(page.locator("#signup-done")).to_have_count(0)

    # Now fix the email only: the other errors remain and still nothing is saved.
    page.locator("#email").fill(email)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.locator("#phone-error")).to_be_visible()
    expect(page.locator("#email-error")).to_have_count(0)
    assert customers_with(email) == 0
    assert customers_with("pas-une-adresse@") == 0


def test_reset_and_forgot_forms_refuse_bad_input(page: Page, smtp):
    page.goto("/forgot-password")
    ready(page)
    page.get_by_role("button", name="Envoyer le lien").click()
    expect(page.locator("#email-error")).to_have_text("Ce champ est obligatoire.")
    page.locator("#email").fill("pas@valide@x")
    page.get_by_role("button", name="Envoyer le lien").click()
    expect(page.locator("#email-error")).to_have_text("Cette adresse email n'est pas valide.")

    email = "client@o2portal.example"
    page.locator("#email").fill(email)
    page.get_by_role("button", name="Envoyer le lien").click()
    expect(page.locator("#forgot-sent")).to_be_visible()
    mail = smtp.wait_for(lambda m: m["To"] == email and "Réinitialisation" in m["Subject"])
    page.goto(link_in(mail))
    ready(page)
    page.locator("#password").fill("court")
    page.locator("#password_confirm").fill("court")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.locator("#password-error")).to_contain_text("au moins 10 caractères")
    page.locator("#password").fill("Assez-long-mot-de-passe")
    page.locator("#password_confirm").fill("Different-mot-de-passe")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.locator("#password_confirm-error")).to_be_visible()
    # Nothing changed: the demo password still works.
    log_in(page, email)
    wait_signed_in(page)


def test_unverified_email_shows_the_banner(page: Page):
    from o2portal.core.db import transaction

    with transaction() as session:
        customer = session.exec(
            select(Customer).where(Customer.email == "entreprise@o2portal.example")
        ).one()
        customer.email_verified_at = None
        session.add(customer)
    try:
        log_in(page, "entreprise@o2portal.example")
        wait_signed_in(page)
        expect(page.locator("#email-banner")).to_contain_text("pas encore confirmée")
    finally:
        with transaction() as session:
            customer = session.exec(
                select(Customer).where(Customer.email == "entreprise@o2portal.example")
            ).one()
            from o2portal.core import clock

            customer.email_verified_at = clock.now()
            session.add(customer)


def test_a_failing_address_shows_the_red_banner(page: Page):
    from o2portal.core import clock
    from o2portal.core.db import transaction

    def set_failing(value):
        with transaction() as session:
            customer = session.exec(
                select(Customer).where(Customer.email == "client@o2portal.example")
            ).one()
            customer.email_failing_at = value
            customer.email_failing_reason = "550 mailbox unavailable" if value else None
            session.add(customer)

    set_failing(clock.now())
    try:
        log_in(page, "client@o2portal.example")
        wait_signed_in(page)
        expect(page.locator("#email-banner")).to_contain_text("ne parviennent plus")
        # On every customer page, with the way to fix it.
        for path in ("/services", "/invoices", "/tickets", "/order"):
            page.goto(path)
            wait_signed_in(page)
            expect(page.locator("#email-banner")).to_contain_text("ne parviennent plus")
        page.locator("#email-banner").get_by_role("link", name="Corriger dans Ma fiche").click()
        page.wait_for_url(re.compile(r"/profile"))
    finally:
        set_failing(None)
