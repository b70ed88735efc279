"""Ma fiche in a real browser: phone, email change by link, the second factor at sign-in,
recovery codes, sessions, the data export and account deletion."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pyotp
from playwright.sync_api import Page, expect
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.core.db import read_session
from tests.e2e.conftest import (
    ARTIFACTS,
    DEMO_PASSWORD,
    FRESH_PASSWORD,
    fresh_customer,
    log_in,
    wait_signed_in,
)

PASSWORD = FRESH_PASSWORD
LINK = re.compile(r"(http://localhost:\d+/[\w\-/]+\?token=[\w\-]+)")


def stored(email: str) -> Customer | None:
    with read_session() as session:
        return session.exec(select(Customer).where(Customer.email == email)).first()


def ready(page: Page) -> None:
    page.locator("#o2-hydrated").wait_for(state="attached")


def open_profile(page: Page, email: str, tab: str | None = None) -> None:
    log_in(page, email, PASSWORD, next_path="/profile")
    page.wait_for_url(re.compile(r"/profile/?$"))
    wait_signed_in(page)
    if tab:
        page.locator(f"#tab-{tab}").click()


def link_in(mail) -> str:
    match = LINK.search(mail.get_content())
    assert match, mail.get_content()
    return match.group(1)


def log_out(page: Page) -> None:
    page.locator("#logout").click()
    page.wait_for_url(re.compile(r"/login/?\?msg=bye"))


def test_phone_bad_numbers_refused_good_one_saved_and_formatted(page: Page):
    email = fresh_customer("tel")
    open_profile(page, email)
    expect(page.locator("#value-phone")).to_have_text("06 12 34 56 78")
    page.locator("#details-edit").click()
    for bad in ("12345", "06 12 34", "+33 1 23", "téléphone"):
        page.locator("#phone").fill(bad)
        page.locator("#details-save").click()
        expect(page.locator("#phone-error")).to_contain_text("n'est pas valide")
        assert stored(email).phone == "+33612345678"
    page.locator("#phone").fill("")
    page.locator("#details-save").click()
    expect(page.locator("#phone-error")).to_have_text("Ce champ est obligatoire.")

    page.locator("#phone").fill("+33798765432")
    page.locator("#details-save").click()
    expect(page.locator("#details-message")).to_have_text("Vos coordonnées sont enregistrées.")
    expect(page.locator("#value-phone")).to_have_text("07 98 76 54 32")
    assert stored(email).phone == "+33798765432"
    page.reload()
    expect(page.locator("#value-phone")).to_have_text("07 98 76 54 32")


def test_email_change_link_then_new_address_in_force_and_old_one_told(page: Page, smtp):
    old = fresh_customer("ancien")
    new = f"nouveau.{uuid.uuid4().hex[:8]}@exemple.fr"
    open_profile(page, old)
    expect(page.locator("#current-email")).to_have_text(old)
    page.locator("#new_email").fill(new)
    page.locator("#email_password").fill("pas-le-bon-mot-de-passe")
    page.locator("#email-change-submit").click()
    expect(page.locator("#email_password-error")).to_have_text("Mot de passe incorrect.")
    page.locator("#email_password").fill(PASSWORD)
    page.locator("#email-change-submit").click()
    expect(page.locator("#email-message")).to_contain_text(new)
    expect(page.locator("#pending-email")).to_have_text(new)

    link_mail = smtp.wait_for(lambda m: m["To"] == new)
    assert link_mail["Subject"] == "Confirmez votre nouvelle adresse email"
    notice = smtp.wait_for(lambda m: m["To"] == old and "Demande de changement" in m["Subject"])
    assert new in notice.get_content()
    # Until the link is opened, the old address is the one in force.
    assert stored(old) is not None and stored(new) is None

    page.goto(link_in(link_mail))
    expect(page.locator("#confirm-ok")).to_be_visible()
    assert stored(new) is not None and stored(old) is None
    told = smtp.wait_for(
        lambda m: m["To"] == old and m["Subject"] == "Votre adresse email a été modifiée"
    )
    assert new in told.get_content()

    page.goto("/profile")
    expect(page.locator("#current-email")).to_have_text(new)
    expect(page.locator("#email-state")).to_have_text("Confirmée")
    expect(page.locator("#email-pending")).to_have_count(0)
    log_out(page)
    log_in(page, old, PASSWORD)
    expect(page.locator("#login-error")).to_be_visible()
    log_in(page, new, PASSWORD)
    wait_signed_in(page)
    # The link was single-use.
    page.goto(link_in(link_mail))
    expect(page.locator("#confirm-bad")).to_be_visible()


def test_a_taken_address_answers_as_a_free_one_and_its_owner_is_told(page: Page, smtp):
    owner = fresh_customer("titulaire")
    asker = fresh_customer("curieux")
    open_profile(page, asker)
    page.locator("#new_email").fill(owner.upper())
    page.locator("#email_password").fill("pas-le-bon-mot-de-passe")
    page.locator("#email-change-submit").click()
    expect(page.locator("#email_password-error")).to_have_text("Mot de passe incorrect.")
    expect(page.locator("#new_email-error")).to_have_count(0)
    page.locator("#email_password").fill(PASSWORD)
    page.locator("#email-change-submit").click()
    expect(page.locator("#email-message")).to_contain_text(owner)
    expect(page.locator("#pending-email")).to_have_text(owner)
    expect(page.locator("#new_email-error")).to_have_count(0)

    told = smtp.wait_for(lambda m: m["To"] == owner and "vers la vôtre" in m["Subject"])
    assert asker not in told.get_content()
    notice = smtp.wait_for(lambda m: m["To"] == asker and "Demande de changement" in m["Subject"])
    assert owner in notice.get_content()
    # No confirmation link went anywhere, and both accounts keep their address.
    assert not [
        m for m in smtp.messages if "Confirmez votre nouvelle" in m["Subject"] and m["To"] == owner
    ]
    assert stored(owner) is not None and stored(asker) is not None


def enable_two_factor(page: Page) -> tuple[str, list[str]]:
    page.locator("#totp-start").click()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    expect(page.locator("#totp-qr")).to_be_visible()
    # A good code alone is not enough: the current password is asked for.
    page.locator("#totp_code").fill(pyotp.TOTP(secret).now())
    page.locator("#totp-confirm").click()
    expect(page.locator("#setup_password-error")).to_be_visible()
    page.locator("#setup_password").fill(PASSWORD)
    page.locator("#totp_code").fill("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.locator("#totp-confirm").click()
    expect(page.locator("#totp_code-error")).to_be_visible()
    page.locator("#setup_password").fill(PASSWORD)
    page.locator("#totp_code").fill(pyotp.TOTP(secret).now())
    page.locator("#totp-confirm").click()
    expect(page.locator("#recovery-codes code")).to_have_count(10)
    codes = page.locator("#recovery-codes code").all_inner_texts()
    page.locator("#codes-saved").click()
    expect(page.locator("#recovery-codes")).to_have_count(0)
    expect(page.locator("#totp-status")).to_have_text("Activée")
    expect(page.locator("#codes-left")).to_have_text("10")
    return secret, codes


def sign_in_with_code(page: Page, email: str, code: str) -> None:
    log_in(page, email, PASSWORD)
    page.wait_for_url(re.compile(r"/two-factor"))
    ready(page)
    page.locator("#code").fill(code)
    page.get_by_role("button", name="Vérifier").click()


def test_two_factor_at_sign_in_with_a_wrong_code_refused_and_recovery_code_once(page: Page, smtp):
    email = fresh_customer("totp")
    open_profile(page, email, tab="security")
    secret, codes = enable_two_factor(page)
    smtp.wait_for(lambda m: m["To"] == email and "activée" in m["Subject"])
    log_out(page)

    # The password alone leads to the code page, and nothing else opens.
    log_in(page, email, PASSWORD)
    page.wait_for_url(re.compile(r"/two-factor/?\?next="))
    ready(page)
    page.goto("/profile")
    page.wait_for_url(re.compile(r"/login/?\?next="))

    wrong = "123456" if pyotp.TOTP(secret).now() != "123456" else "654321"
    sign_in_with_code(page, email, wrong)
    expect(page.locator("#code-error")).to_have_text("Code incorrect ou déjà utilisé.")
    assert "/two-factor" in page.url
    page.locator("#code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url(re.compile(r"/$"))
    wait_signed_in(page)
    log_out(page)

    # A recovery code works once.
    sign_in_with_code(page, email, codes[0])
    page.wait_for_url(re.compile(r"/$"))
    wait_signed_in(page)
    smtp.wait_for(lambda m: m["To"] == email and "code de secours" in m["Subject"])
    page.goto("/profile")
    page.locator("#tab-security").click()
    expect(page.locator("#codes-left")).to_have_text("9")
    log_out(page)
    sign_in_with_code(page, email, codes[0])
    expect(page.locator("#code-error")).to_have_text("Code incorrect ou déjà utilisé.")
    page.locator("#code").fill(codes[1])
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url(re.compile(r"/$"))
    wait_signed_in(page)


def test_log_out_everywhere_else_and_password_change(new_context, smtp):
    email = fresh_customer("sessions")
    elsewhere = new_context().new_page()
    log_in(elsewhere, email, PASSWORD)
    wait_signed_in(elsewhere)
    page = new_context().new_page()
    open_profile(page, email, tab="security")
    expect(page.locator("#sessions .o2-session")).to_have_count(2)
    page.locator("#end-other-sessions").click()
    expect(page.locator("#sessions-message")).to_have_text("Sessions fermées : 1.")
    expect(page.locator("#sessions .o2-session")).to_have_count(1)
    elsewhere.goto("/services")
    elsewhere.wait_for_url(re.compile(r"/login/?\?next="))
    expect(page.locator("#sign-ins")).to_contain_text("Acceptée")

    log_in(elsewhere, email, PASSWORD)
    wait_signed_in(elsewhere)
    page.locator("#current_password").fill(PASSWORD)
    page.locator("#password").fill("Nouveau-profil-2026")
    page.locator("#password_confirm").fill("Nouveau-profil-2026")
    page.locator("#password-submit").click()
    expect(page.locator("#password-message")).to_contain_text("mot de passe est changé")
    expect(page.locator("#current_password")).to_have_value("")
    elsewhere.goto("/services")
    elsewhere.wait_for_url(re.compile(r"/login/?\?next="))
    page.goto("/services")
    wait_signed_in(page)
    smtp.wait_for(lambda m: m["To"] == email and "mot de passe a été modifié" in m["Subject"])


def test_data_export_downloads_my_data_only(page: Page):
    email = fresh_customer("export")
    open_profile(page, email, tab="data")
    with page.expect_download() as download:
        page.locator("#export-link").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["account"]["email"] == email
    assert data["account"]["city"] == "Toulouse"
    text = json.dumps(data, ensure_ascii=False)
    assert "client@o2portal.example" not in text and "Dupont" not in text
    assert "$2b$" not in text


def test_deletion_refused_while_products_are_active(page: Page):
    log_in(page, "client@o2portal.example", next_path="/profile")
    page.wait_for_url(re.compile(r"/profile/?$"))
    page.locator("#tab-data").click()
    expect(page.locator("#delete-blockers")).to_contain_text("actif")
    page.locator("#delete_password").fill(DEMO_PASSWORD)
    page.locator("#delete_confirm").check()
    page.locator("#delete-submit").click()
    expect(page.locator("#delete-error")).to_contain_text("encore actif")
    assert stored("client@o2portal.example").deleted_at is None


def test_deletion_of_an_account_with_nothing_left(page: Page, smtp):
    email = fresh_customer("adieu")
    open_profile(page, email, tab="data")
    expect(page.locator("#delete-blockers")).to_have_count(0)
    page.locator("#delete_password").fill(PASSWORD)
    page.locator("#delete-submit").click()
    expect(page.locator("#delete_confirm-error")).to_be_visible()
    page.locator("#delete_confirm").check()
    page.locator("#delete-submit").click()
    page.wait_for_url(re.compile(r"/login/?\?msg=deleted"))
    expect(page.get_by_text("Votre compte est supprimé")).to_be_visible()
    assert stored(email) is None
    smtp.wait_for(lambda m: m["To"] == email and "supprimé" in m["Subject"])
    log_in(page, email, PASSWORD)
    expect(page.locator("#login-error")).to_be_visible()


def test_profile_fits_a_phone_screen(new_context):
    context = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    email = fresh_customer("mobile")
    log_in(page, email, PASSWORD, next_path="/profile")
    page.wait_for_url(re.compile(r"/profile/?$"))
    ready(page)
    expect(page.locator("#details-edit")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    for tab in ("details", "security", "data"):
        page.locator(f"#tab-{tab}").click()
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / f"phone-profile-{tab}.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (tab, width)
    page.locator("#tab-details").click()
    page.locator("#details-edit").click()
    expect(page.locator("#phone")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
