"""Mail templates and mass mail in a real browser, against the running portal and its
real SMTP server: an edited text reaches the next mail of its kind; a mass mail to one
server's customers previews N and queues exactly N."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import select

from tests.e2e.conftest import eventually, fresh_customer, log_in, wait_signed_in

SHOTS = Path("/tmp/shots-mail")
WIDE = {"viewport": {"width": 1440, "height": 1000}}


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _english(email: str) -> None:
    from o2portal.accounts.models import Customer
    from o2portal.core.db import transaction

    with transaction() as session:
        customer = session.exec(select(Customer).where(Customer.email == email)).one()
        customer.language = "en"
        session.add(customer)


def _reset_english_reset_mail() -> None:
    """Whatever happened, the shared portal's English reset mail goes back to the file."""
    from o2portal.accounts.models import Customer
    from o2portal.core.db import read_session
    from o2portal.core.permissions import Actor
    from o2portal.mail import editor

    with read_session() as session:
        admin = session.exec(select(Customer).where(Customer.role == "admin")).first()
    editor.reset_text(Actor.of(admin), "password_reset", "en")


def test_an_edited_template_is_the_text_of_the_next_mail(new_context, smtp):
    email = fresh_customer("gabarit")
    _english(email)
    page = new_context(**WIDE).new_page()
    log_in(page, "admin@o2portal.example", next_path="/admin/emails/templates")
    wait_signed_in(page)
    try:
        expect(page.locator("#tpl-row-password_reset")).to_contain_text("Mot de passe oublié")
        page.locator("#edit-en-password_reset").click()
        expect(page.locator("#tpl-title")).to_contain_text("anglais")
        subject = page.locator("#tpl-subject")
        body = page.locator("#tpl-body")
        expect(subject).not_to_have_value("")
        # An unknown placeholder is refused by its field, and nothing is saved.
        subject.fill("Your new password, ${prenom}")
        page.locator("#tpl-save").click()
        expect(page.locator("#subject-error")).to_contain_text("${prenom}")
        subject.fill("Your new password, ${first_name}")
        body.fill(
            "Hello ${first_name},\n\nEDITED-E2E: choose a new password here:\n"
            "${reset_link}\n\nIt works for ${minutes} minutes."
        )
        # The preview follows the typing, with sample values.
        expect(page.locator("#tpl-preview-subject")).to_have_text("Your new password, Marie")
        expect(page.locator("#tpl-preview-body")).to_contain_text("EDITED-E2E")
        page.locator("#tpl-save").click()
        expect(page.locator("#tpl-message")).to_be_visible()
        expect(page.locator("#tpl-row-password_reset")).to_contain_text("Modifié")
        _shot(page, "admin-email-templates")

        customer = new_context().new_page()
        customer.goto("/forgot-password")
        customer.locator("#o2-hydrated").wait_for(state="attached")
        customer.locator("#email").fill(email)
        customer.get_by_role("button", name="Envoyer le lien").click()
        expect(customer.locator("#forgot-sent")).to_be_visible()
        mail = smtp.wait_for(lambda m: m["To"] == email and "password" in m["Subject"], timeout=20)
        assert mail["Subject"] == "Your new password, Camille"
        text = smtp.text_of(mail)
        assert text.startswith("Hello Camille,\n\nEDITED-E2E: choose a new password here:\nhttp")
        assert "/reset-password?token=" in text

        # Reset, after a confirmation: the table says it is the original again.
        page.locator("#tpl-reset").click()
        page.locator("#tpl-reset-confirm").click()
        expect(page.locator("#tpl-message")).to_contain_text("rétabli")
        expect(page.locator("#tpl-row-password_reset")).not_to_contain_text("Modifié")
    finally:
        _reset_english_reset_mail()


def _hosted_on(server: str, email: str, products: int, failing: bool = False) -> None:
    from o2portal.accounts.models import Customer
    from o2portal.core import clock
    from o2portal.core.db import transaction
    from o2portal.products.models import Product

    with transaction() as session:
        customer = session.exec(select(Customer).where(Customer.email == email)).one()
        if failing:
            customer.email_failing_at = clock.now()
            customer.email_failing_reason = "550 5.1.1 no such user"
            session.add(customer)
        for n in range(products):
            session.add(
                Product(
                    customer_id=customer.id,
                    kind="hosting",
                    name=f"site{n}-{customer.id}.fr",
                    offer_code="grow",
                    hosting_server=server,
                    start_date=clock.today(),
                    expiry_date=clock.today() + timedelta(days=300),
                )
            )


def _campaign_mails(subject: str) -> list:
    from o2portal.core.db import read_session
    from o2portal.mail.models import OutboxEmail

    with read_session() as session:
        return list(
            session.exec(
                select(OutboxEmail).where(
                    OutboxEmail.kind == "campaign", OutboxEmail.subject == subject
                )
            )
        )


def test_a_mass_mail_to_one_servers_customers_queues_exactly_that_many(new_context, smtp):
    tag = uuid.uuid4().hex[:6]
    server = f"web-{tag}.o2portal.example"
    emails = [fresh_customer(f"masse{n}") for n in range(3)]
    for n, email in enumerate(emails):
        _hosted_on(server, email, products=2 if n == 0 else 1)  # the first counts once
    bounced = fresh_customer("masse-echec")
    _hosted_on(server, bounced, products=1, failing=True)  # left out, and said so
    page = new_context(**WIDE).new_page()
    log_in(page, "admin@o2portal.example", next_path="/admin/emails/campaigns")
    wait_signed_in(page)
    page.locator("#campaign-server").select_option(server)
    subject = f"Maintenance {tag}"
    page.locator("#subject").fill(subject + ", ${first_name}")
    page.locator("#campaign-body").fill("Bonjour ${first_name},\n\nLe serveur redémarre à 22 h.")
    page.locator("#campaign-preview").click()
    expect(page.locator("#campaign-count")).to_have_text("3")
    expect(page.locator("#campaign-failing")).to_have_text(
        "1 client(s) laissé(s) de côté : leur adresse email est en échec."
    )
    expect(page.locator("#campaign-sample-subject")).to_have_text(f"{subject}, Camille")
    _shot(page, "admin-mass-mail-preview")
    page.locator("#campaign-send").click()
    page.locator("#campaign-confirm").click()
    expect(page.locator("#campaign-message")).to_contain_text("3 email(s)")
    expect(page.locator("#campaign-send")).to_be_disabled()
    queued = _campaign_mails(f"{subject}, Camille")
    assert sorted(m.to_addr for m in queued) == sorted(emails)

    # The app's sender delivers them to the real SMTP server, each once.
    def received() -> list[str]:
        return sorted(m["To"] for m in smtp.messages if m["Subject"] == f"{subject}, Camille")

    assert eventually(lambda: received() == sorted(emails), timeout=30)
    assert received() == sorted(emails)
    row = page.locator("#campaign-table tbody tr").first
    expect(row).to_contain_text(subject)
    expect(row).to_contain_text(server)
    _shot(page, "admin-mass-mail-sent")


def test_the_mail_pages_at_1440(new_context):
    page = new_context(**WIDE).new_page()
    log_in(page, "admin@o2portal.example", next_path="/admin/emails")
    wait_signed_in(page)
    expect(page.locator("#tab-emails")).to_have_attribute("aria-current", "page")
    _shot(page, "admin-emails-tabs")
    page.locator("#tab-templates").click()
    expect(page.locator("#tpl-table")).to_contain_text("Facture")
    # A row far down the list: the editor above comes into view.
    page.locator("#edit-fr-totp_enabled").scroll_into_view_if_needed()
    page.locator("#edit-fr-totp_enabled").click()
    expect(page.locator("#tpl-title")).to_contain_text("Double authentification activée")
    expect(page.locator("#tpl-title")).to_be_in_viewport()
    page.locator("#edit-fr-invoice").click()
    expect(page.locator("#tpl-preview-body")).to_contain_text("143,88")
    _shot(page, "admin-email-template-invoice")
    page.goto("/admin/settings")
    expect(page.locator("#mass_mail_per_minute")).to_have_value("60")
    page.locator("#settings-mass-mail").scroll_into_view_if_needed()
    _shot(page, "admin-settings")


def test_support_sees_no_template_or_mass_mail_control(new_context):
    page = new_context().new_page()
    log_in(page, "support@o2portal.example", next_path="/admin/emails/templates")
    wait_signed_in(page)
    expect(page.locator("#admins-only")).to_be_visible()
    expect(page.locator("#tpl-table")).to_have_count(0)
    page.goto("/admin/emails/campaigns")
    expect(page.locator("#admins-only")).to_be_visible()
    expect(page.locator("#campaign-preview")).to_have_count(0)
