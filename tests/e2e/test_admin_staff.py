"""Staff accounts in a real browser: an admin opens a support account (a bad address is
answered by its field), makes it admin then support again, disables it after a
confirmation; the admin's own row offers nothing; support never reaches the page."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.core.db import read_session
from tests.e2e.conftest import log_in


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
