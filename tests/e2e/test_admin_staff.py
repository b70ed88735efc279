"""Staff accounts in a real browser: an admin opens a support account (a bad address is
answered by its field), makes it admin then support again, disables it after a
confirmation; the admin's own row offers nothing; support never reaches the page. The
second factor is required of staff: a new member's staff area opens only once theirs is
on, it cannot be turned off, and an admin resets it after a confirmation."""

from __future__ import annotations

import re
import uuid

import pyotp
from playwright.sync_api import Page, expect
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.core.db import read_session
from o2portal.mail.models import OutboxEmail
from tests.e2e.conftest import eventually, log_in, wait_signed_in

NEW_PASSWORD = "Agent-e2e-mot-de-passe-2026"


def _member(email: str) -> Customer | None:
    with read_session() as session:
        return session.exec(select(Customer).where(Customer.email == email)).first()


def test_an_admin_opens_changes_and_disables_a_staff_account(page: Page):
    email = f"agent.{uuid.uuid4().hex[:8]}@o2portal.example"
    log_in(page, "admin@o2portal.example", next_path="/admin/staff")
    form = page.locator("#staff-form")
    form.locator("#first_name").fill("Paul")
    form.locator("#last_name").fill("Petit")
    form.locator("#email").fill("pas une adresse")
    page.locator("#staff-create").click()
    expect(page.locator("#email-error")).to_be_visible()
    form.locator("#email").fill(email)
    page.locator("#staff-create").click()
    expect(page.locator("#staff-created")).to_be_visible()
    member = _member(email)
    assert member is not None and member.role == "support"
    row = page.locator("#staff-table tr", has_text=email)
    expect(row).to_contain_text("Non activée")

    page.locator(f"#role-{member.id}").click()
    expect(row).to_contain_text("Administrateur")
    assert _member(email).role == "admin"
    page.locator(f"#role-{member.id}").click()
    expect(row).to_contain_text("Support")
    page.locator(f"#disable-{member.id}").click()
    page.locator(f"#disable-{member.id}-confirm").click()
    expect(row).to_contain_text("Désactivé")
    assert _member(email).disabled_at is not None

    me = _member("admin@o2portal.example")
    own = page.locator("#staff-table tr", has_text="admin@o2portal.example")
    expect(own.get_by_role("button")).to_have_count(0)
    assert me.role == "admin"


def test_support_never_reaches_the_staff_accounts(page: Page):
    log_in(page, "support@o2portal.example", next_path="/admin/staff")
    expect(page.locator("#admins-only")).to_be_visible()
    expect(page.locator("#staff-table")).to_have_count(0)


def _mail(email: str, kind: str) -> OutboxEmail | None:
    with read_session() as session:
        return session.exec(
            select(OutboxEmail)
            .where(OutboxEmail.to_addr == email, OutboxEmail.kind == kind)
            .order_by(OutboxEmail.id.desc())
        ).first()


def test_the_staff_area_opens_once_the_second_factor_is_on_and_an_admin_resets_it(
    new_context,
):
    admin = new_context().new_page()
    email = f"agent2fa.{uuid.uuid4().hex[:8]}@o2portal.example"
    log_in(admin, "admin@o2portal.example", next_path="/admin/staff")
    form = admin.locator("#staff-form")
    form.locator("#first_name").fill("Lina")
    form.locator("#last_name").fill("Garnier")
    form.locator("#email").fill(email)
    admin.locator("#staff-create").click()
    expect(admin.locator("#staff-created")).to_be_visible()
    opened = eventually(lambda: _mail(email, "staff_account_opened"))
    assert opened is not None
    link = re.search(r"https?://\S+/reset-password\?token=\S+", opened.body_text).group(0)

    # The new member chooses a password and signs in: no code is asked yet, and the staff
    # area sends them to turn the second factor on.
    agent = new_context().new_page()
    agent.goto(link[link.index("/reset-password") :])
    agent.locator("#o2-hydrated").wait_for(state="attached")
    agent.locator("#password").fill(NEW_PASSWORD)
    agent.locator("#password_confirm").fill(NEW_PASSWORD)
    agent.get_by_role("button", name="Enregistrer le mot de passe").click()
    agent.wait_for_url(re.compile(r"/login"))
    log_in(agent, email, NEW_PASSWORD, next_path="/admin")
    agent.wait_for_url(re.compile(r"/profile/?\?tab=security"))
    wait_signed_in(agent)
    expect(agent.locator("#staff-second-factor-banner")).to_be_visible()
    expect(agent.locator("#totp-staff-needed")).to_be_visible()
    expect(agent.get_by_role("link", name="Administration")).to_have_count(0)
    agent.goto("/admin/customers")
    agent.wait_for_url(re.compile(r"/profile/?\?tab=security"))

    # They turn it on: the banner goes, the staff area opens, and it cannot be turned off.
    agent.locator("#totp-start").click()
    secret = agent.locator("#totp-secret").inner_text().replace(" ", "")
    agent.locator("#setup_password").fill(NEW_PASSWORD)
    agent.locator("#totp_code").fill(pyotp.TOTP(secret).now())
    agent.locator("#totp-confirm").click()
    expect(agent.locator("#recovery-codes")).to_be_visible()
    agent.locator("#codes-saved").click()
    expect(agent.locator("#totp-status")).to_have_text("Activée")
    expect(agent.locator("#staff-second-factor-banner")).to_have_count(0)
    expect(agent.locator("#totp-staff-keeps")).to_be_visible()
    expect(agent.locator("#disable_password")).to_have_count(0)
    agent.goto("/admin/customers")
    expect(agent.locator("#customers-table")).to_be_visible()

    # The admin resets it (asked first): the agent's session ends, the staff area is
    # closed again, and they are mailed.
    admin.reload()
    member = _member(email)
    row = admin.locator("#staff-table tr", has_text=email)
    expect(row).to_contain_text("Activée")
    admin.locator(f"#reset-2fa-{member.id}").click()
    admin.get_by_role("button", name="Le garder").click()
    expect(row).to_contain_text("Activée")
    admin.locator(f"#reset-2fa-{member.id}").click()
    admin.locator(f"#reset-2fa-{member.id}-confirm").click()
    expect(admin.locator("#staff-done")).to_contain_text("réinitialisée")
    expect(row).to_contain_text("Non activée")
    expect(admin.locator(f"#reset-2fa-{member.id}")).to_have_count(0)
    assert _member(email).totp_enabled_at is None
    assert eventually(lambda: _mail(email, "staff_second_factor_reset")) is not None
    agent.goto("/admin/customers")
    agent.wait_for_url(re.compile(r"/login"))
