"""The same payment form sent twice to the handlers (a replayed event, a reconnecting
socket): one charge, one invoice, one move of the expiry, and the same outcome twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from o2portal.billing.models import Invoice, Order
from o2portal.billing.orders import CartItem, checkout
from o2portal.billing.payments import PaymentChoice
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core import clock, formatting
from o2portal.core.db import read_session, transaction
from o2portal.integrations.models import GatewayCharge
from o2portal.products.expiry import add_years
from o2portal.products.models import Product
from o2portal.web.customer.invoices.state import InvoicesState
from o2portal.web.customer.order.state import OrderState
from o2portal.web.customer.services.product_state import ProductState
from tests.state.conftest import as_page_sends, make_state, run

CARD = {
    "card_number": "4242 4242 4242 4242",
    "card_expiry": "12/30",
    "card_cvc": "123",
    "card_holder": "Alice Test",
}


def count(model, *where) -> int:
    with read_session() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


@pytest.fixture
def alice_domain(people):
    alice = people["customer"]["alice"]
    expiry = clock.today() + timedelta(days=40)
    with transaction() as session:
        ensure_catalogue(session)
        product = Product(
            customer_id=alice.id,
            kind="domain",
            name="alice-twice.fr",
            offer_code="fr",
            start_date=clock.today(),
            expiry_date=expiry,
        )
        session.add(product)
        session.flush()
        return product.id, expiry


def test_the_same_renewal_form_twice_charges_once(people, alice_domain):
    product_id, expiry = alice_domain
    state = make_state(ProductState, people["token"]["alice"], f"/services/{product_id}")
    run(state, "load")
    form = as_page_sends(state, CARD)
    run(state, "renew", dict(form))
    first = state.pay_message
    assert state.pay_ok and "Paiement accepté" in first
    assert state.pay_done is True
    # The same event again, with the same form data, as a reconnecting socket replays it.
    run(state, "renew", dict(form))
    assert (state.pay_ok, state.pay_message) == (True, first)
    # And a second browser state (another socket of the same tab) replaying it too.
    other = make_state(ProductState, people["token"]["alice"], f"/services/{product_id}")
    run(other, "load")
    run(other, "renew", dict(form))
    assert (other.pay_ok, other.pay_message) == (True, first)
    assert count(GatewayCharge) == 1
    assert count(Invoice) == 1
    assert count(Order, Order.status == "paid") == 1
    with read_session() as session:
        assert session.get(Product, product_id).expiry_date == add_years(expiry, 1)


def test_a_form_shown_before_another_tab_renewed_is_refused(people, alice_domain):
    product_id, expiry = alice_domain
    token = people["token"]["alice"]
    first_tab = make_state(ProductState, token, f"/services/{product_id}")
    second_tab = make_state(ProductState, token, f"/services/{product_id}")
    run(first_tab, "load")
    run(second_tab, "load")
    run(first_tab, "renew", as_page_sends(first_tab, CARD))
    assert first_tab.pay_ok
    run(second_tab, "renew", as_page_sends(second_tab, CARD))
    assert second_tab.pay_ok is False
    assert "vient d'être renouvelé" in second_tab.pay_message
    # The refused tab now shows the product as it is, with a fresh key for a new try.
    assert second_tab.expiry == first_tab.expiry
    assert second_tab.pay_key != first_tab.pay_key
    # And its quote is the next renewal's: from the new expiry, not the old one.
    renewed = add_years(expiry, 1)
    assert second_tab.seen_expiry == renewed.isoformat()
    assert second_tab.quote["new_expiry"] == formatting.day(add_years(renewed, 1), "fr")
    assert count(GatewayCharge) == 1
    with read_session() as session:
        assert session.get(Product, product_id).expiry_date == add_years(expiry, 1)


def test_a_form_with_another_price_or_years_than_today_is_refused(people, alice_domain):
    product_id, expiry = alice_domain
    state = make_state(ProductState, people["token"]["alice"], f"/services/{product_id}")
    run(state, "load")
    run(state, "renew", as_page_sends(state, CARD, seen_ttc="1"))
    assert state.pay_ok is False
    assert "montant a changé" in state.pay_message
    for forged in (
        {"pay_key": ""},
        {"pay_key": "x" * 200},
        {"pay_key": ["a"]},
        {"seen_expiry": "not-a-date"},
        {"seen_years": "many"},
        {"seen_ttc": None},
    ):
        run(state, "renew", as_page_sends(state, CARD, **forged))
        assert state.pay_ok is False
        assert state.pay_message or state.pay_errors, forged
    assert count(GatewayCharge) == 0
    with read_session() as session:
        assert session.get(Product, product_id).expiry_date == expiry


def test_the_same_order_form_payment_twice_charges_once(people):
    alice = people["customer"]["alice"]
    with transaction() as session:
        ensure_catalogue(session)
    order_id = checkout(
        customer_id=alice.id,
        items=[CartItem(kind="domain", domain="alice-virement.fr", action="register")],
        promo_code="",
        choice=PaymentChoice("transfer"),
        key="alice-transfer-form-1",
        terms_accepted=True,
        withdrawal_waived=True,
    ).order_id
    state = make_state(InvoicesState, people["token"]["alice"], "/invoices")
    run(state, "load")
    run(state, "choose", str(order_id))
    form = as_page_sends(state, CARD)
    run(state, "pay", dict(form))
    first = state.pay_message
    assert state.pay_ok and "Paiement accepté" in first
    # The paid form stays in its row, marked paid (nothing moves under the pointer).
    assert [r["paid"] for r in state.unpaid if r["id"] == str(order_id)] == ["Payé"]
    run(state, "pay", dict(form))
    assert (state.pay_ok, state.pay_message) == (True, first)
    assert count(GatewayCharge) == 1
    assert count(Invoice) == 1


def test_the_dashboard_link_opens_the_payment_of_that_form(people):
    alice = people["customer"]["alice"]
    with transaction() as session:
        ensure_catalogue(session)
    order_id = checkout(
        customer_id=alice.id,
        items=[CartItem(kind="domain", domain="alice-lien.fr", action="register")],
        promo_code="",
        choice=PaymentChoice("cheque"),
        key="alice-cheque-form-1",
        terms_accepted=True,
        withdrawal_waived=True,
    ).order_id
    state = make_state(InvoicesState, people["token"]["alice"], f"/invoices?pay={order_id}")
    run(state, "load")
    assert state.selected == str(order_id)
    assert state.seen_ttc and state.pay_key


def test_the_same_checkout_form_twice_orders_once(people):
    with transaction() as session:
        ensure_catalogue(session)
    state = make_state(OrderState, token=people["token"]["alice"], path="/order")
    run(state, "load")
    run(state, "set_query", "alice-deux-fois.fr")
    run(state, "search")
    run(state, "add_domain")
    form = as_page_sends(state, {**CARD, "terms": True, "withdrawal": True})
    run(state, "pay", dict(form))
    first = state.done_message
    assert "F" in first and state.cart_rows == []
    run(state, "pay", dict(form))
    assert state.done_message == first
    assert state.pay_message == "" and state.checkout_errors == {}
    assert count(GatewayCharge) == 1
    assert count(Order) == 1
    with read_session() as session:
        assert (
            len(session.exec(select(Product).where(Product.name == "alice-deux-fois.fr")).all())
            == 1
        )
    # A new order begins with a new key once something is added to the cart.
    key = state.pay_key
    run(state, "set_query", "alice-encore.fr")
    run(state, "search")
    run(state, "add_domain")
    assert state.pay_key != key and state.pay_done is False
