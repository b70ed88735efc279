"""Account credit added by an admin on the customer file, in a real browser: a bad amount
is refused by its field, a good one shows the new balance once (a second click adds
nothing), and support does not see the form."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlmodel import func, select

from o2portal.accounts.models import Customer
from o2portal.billing.models import CreditLedgerEntry
from o2portal.core import formatting
from o2portal.core.db import read_session
from tests.e2e.conftest import fresh_customer, log_in


def _customer(email: str) -> Customer:
    with read_session() as session:
        return session.exec(select(Customer).where(Customer.email == email)).one()


def _entries(customer_id: int) -> int:
    with read_session() as session:
        return session.exec(
            select(func.count())
            .select_from(CreditLedgerEntry)
            .where(CreditLedgerEntry.customer_id == customer_id)
        ).one()


def test_an_admin_adds_credit_with_a_reason(page: Page):
    email = fresh_customer("credit-fiche")
    customer = _customer(email)
    log_in(page, "admin@o2portal.example", next_path=f"/admin/customers/{customer.id}")
    page.locator("#credit_amount").fill("douze euros")
    page.locator("#credit_reason").fill("Panne de messagerie du 3 décembre")
    page.locator("#credit-submit").click()
    expect(page.locator("#credit_amount-error")).to_be_visible()
    assert _entries(customer.id) == 0

    page.locator("#credit_amount").fill("12,50")
    page.locator("#credit_reason").fill("Panne de messagerie du 3 décembre")
    page.locator("#credit-submit").click()
    expect(page.locator("#admin-message")).to_contain_text(formatting.money(1250))
    expect(page.locator("#credit-submit")).to_be_disabled()
    page.locator("#credit-submit").click(force=True)
    assert _customer(email).credit_balance_cents == 1250
    assert _entries(customer.id) == 1


def test_support_does_not_see_the_credit_form(page: Page):
    email = fresh_customer("credit-support")
    customer = _customer(email)
    log_in(page, "support@o2portal.example", next_path=f"/admin/customers/{customer.id}")
    expect(page.locator("#customer-name")).to_be_visible()
    expect(page.locator("#credit-form")).to_have_count(0)
