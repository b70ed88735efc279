"""The customer's order forms in a real browser: cancelling an unpaid one."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.billing.models import Order
from o2portal.billing.orders import CartItem, checkout, search_domain
from o2portal.billing.payments import PaymentChoice
from o2portal.core.db import read_session
from tests.e2e.conftest import FRESH_PASSWORD, fresh_customer, log_in, wait_signed_in


def test_cancel_an_unpaid_order_form_releases_its_name(page: Page):
    email = fresh_customer("annulation")
    with read_session() as session:
        buyer = session.exec(select(Customer).where(Customer.email == email)).one()
    outcome = checkout(
        customer_id=buyer.id,
        items=[CartItem("domain", domain="annule-sa-commande.fr", action="register")],
        promo_code="",
        choice=PaymentChoice("transfer"),
        key="e2e-cancel-order-form",
        terms_accepted=True,
        withdrawal_waived=True,
    )
    assert outcome.status == "pending"
    assert search_domain("annule-sa-commande.fr").available is False

    log_in(page, email, FRESH_PASSWORD, next_path="/invoices")
    wait_signed_in(page)
    expect(page.locator("#orders-table")).to_be_visible()
    page.locator(f"#cancel-{outcome.order_id}").click()
    page.locator(f"#cancel-confirm-{outcome.order_id}").click()
    expect(page.locator("#pay-message")).to_contain_text("annulé")
    expect(page.locator(f"#pay-{outcome.order_id}")).to_have_count(0)

    with read_session() as session:
        assert session.get(Order, outcome.order_id).status == "cancelled"
    assert search_domain("annule-sa-commande.fr").available is True


def test_a_customer_with_120_invoices_pages_through_all_of_them(page: Page):
    from tests.state.test_invoice_pages import add_documents

    email = fresh_customer("cent-vingt")
    with read_session() as session:
        buyer = session.exec(select(Customer).where(Customer.email == email)).one()
    add_documents(buyer.id, 120, 0, year=2000 + buyer.id % 1000)
    log_in(page, email, FRESH_PASSWORD, next_path="/invoices")
    wait_signed_in(page)
    table = page.locator("#invoices-table")
    expect(page.locator("#invoices-indicator")).to_have_text("1 sur 5")
    seen: list[str] = []
    for number in range(1, 6):
        expect(page.locator("#invoices-indicator")).to_have_text(f"{number} sur 5")
        expect(table.locator("tbody tr")).to_have_count(25 if number < 5 else 20)
        seen += table.locator("tbody tr th, tbody tr td:first-child").all_inner_texts()
        if number < 5:
            page.locator("#invoices-next").click()
    expect(page.locator("#invoices-next")).to_be_disabled()
    numbers = {text for text in seen if text.startswith("F")}
    assert len(numbers) == 120
