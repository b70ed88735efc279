"""An admin opens a customer's account by hand in a real browser: a bad field is answered
by the field and nothing is created; the good form leads to the new file and the
customer is mailed a link to choose a password. Support is not offered the form."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect
from sqlmodel import func, select

from o2portal.accounts.models import Customer
from o2portal.core.db import read_session
from o2portal.mail.models import OutboxEmail
from tests.e2e.conftest import eventually, log_in


def _customers(email: str) -> int:
    with read_session() as session:
        return session.exec(
            select(func.count()).select_from(Customer).where(Customer.email == email)
        ).one()


def test_an_admin_opens_an_account_by_hand(page: Page):
    email = f"jeanne.{uuid.uuid4().hex[:8]}@example.fr"
    log_in(page, "admin@o2portal.example", next_path="/admin/customers")
    page.locator("#new-customer").click()
    form = page.locator("#new-customer-form")
    form.locator("#account_type").select_option("entreprise")
    form.locator("#first_name").fill("Jeanne")
    form.locator("#last_name").fill("Roux")
    form.locator("#company_name").fill("Atelier Roux")
    form.locator("#siret").fill("732 829 320 00074")
    form.locator("#email").fill("pas-une-adresse")
    form.locator("#phone").fill("06 12 34 56 78")
    form.locator("#address_line1").fill("3 place Bellecour")
    form.locator("#postal_code").fill("69002")
    form.locator("#city").fill("Lyon")
    page.locator("#new-customer-create").click()
    expect(page.locator("#email-error")).to_be_visible()
    assert _customers("pas-une-adresse") == 0

    form.locator("#email").fill(email)
    page.locator("#new-customer-create").click()
    page.wait_for_url(re.compile(r"/admin/customers/\d+$"))
    expect(page.locator("#customer-name")).to_have_text("Atelier Roux")
    assert _customers(email) == 1

    def mailed():
        with read_session() as session:
            return session.exec(
                select(OutboxEmail).where(
                    OutboxEmail.to_addr == email, OutboxEmail.kind == "account_opened"
                )
            ).first()

    mail = eventually(mailed)
    assert mail is not None and "/reset-password?token=" in mail.body_text


def test_support_is_not_offered_the_form(page: Page):
    log_in(page, "support@o2portal.example", next_path="/admin/customers")
    expect(page.locator("#customers-table")).to_be_visible()
    expect(page.locator("#new-customer")).to_have_count(0)
