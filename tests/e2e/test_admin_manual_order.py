"""An admin bills a service outside the catalogue from the customer's file, in a real
browser: a bad price is answered by its field; the good form makes one order form (a
second click makes no other), mailed to the customer, whose PDF the page links to."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.billing.models import Order, OrderLine
from o2portal.core.db import read_session
from o2portal.mail.models import OutboxEmail
from tests.e2e.conftest import eventually, fresh_customer, log_in


def _orders(customer_id: int) -> list[Order]:
    with read_session() as session:
        return list(session.exec(select(Order).where(Order.customer_id == customer_id)).all())


def test_an_admin_bills_a_service_outside_the_catalogue(page: Page):
    email = fresh_customer("facture-manuelle")
    with read_session() as session:
        customer = session.exec(select(Customer).where(Customer.email == email)).one()
    log_in(page, "admin@o2portal.example", next_path=f"/admin/customers/{customer.id}")
    form = page.locator("#bill-form")
    form.locator("#description_0").fill("Migration de la boutique")
    form.locator("#quantity_0").fill("2")
    form.locator("#price_0").fill("quarante")
    page.locator("#bill-send").click()
    expect(page.locator("#price_0-error")).to_be_visible()
    assert _orders(customer.id) == []

    form.locator("#price_0").fill("40,00")
    page.locator("#bill-send").click()
    expect(page.locator("#bill-done")).to_contain_text("BC-")
    expect(page.locator("#bill-send")).to_be_disabled()
    page.locator("#bill-send").click(force=True)
    (order,) = _orders(customer.id)
    assert (order.kind, order.status, order.total_ht_cents, order.total_ttc_cents) == (
        "manual",
        "unpaid",
        8000,
        9600,
    )
    with read_session() as session:
        (line,) = session.exec(select(OrderLine).where(OrderLine.order_id == order.id)).all()
    assert (line.description, line.quantity, line.unit_price_ht_cents) == (
        "Migration de la boutique",
        2,
        4000,
    )
    expect(page.locator("#bill-pdf")).to_have_attribute(
        "href", f"/files/order-forms/{order.id}.pdf"
    )
    assert page.request.get(f"/files/order-forms/{order.id}.pdf").body().startswith(b"%PDF")

    def mailed():
        with read_session() as session:
            return session.exec(
                select(OutboxEmail).where(
                    OutboxEmail.to_addr == email, OutboxEmail.kind == "order_form"
                )
            ).first()

    assert eventually(mailed) is not None
