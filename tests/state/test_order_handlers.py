"""The order page's handlers: the cart stays after a refused card, and holds only the
caller's own domains."""

from __future__ import annotations

from sqlmodel import select

from o2portal.billing.models import Order
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.products.models import Product
from o2portal.web.customer.order.state import OrderState
from tests.state.conftest import as_page_sends, make_state, run

CARD = {
    "card_expiry": "12/30",
    "card_cvc": "123",
    "card_holder": "Alice",
    "terms": True,
    "withdrawal": True,
}


def test_declined_card_keeps_the_cart_and_a_good_one_empties_it(people):
    with transaction() as session:
        ensure_catalogue(session)
    state = make_state(OrderState, token=people["token"]["alice"], path="/order")
    run(state, "load")
    run(state, "set_query", "panier-garde.fr")
    run(state, "search")
    assert state.found["available"] == "1"
    run(state, "add_domain")
    assert len(state.cart_rows) == 1 and state.totals["ttc"]
    run(state, "pay", as_page_sends(state, {**CARD, "card_number": "4000 0000 0000 0002"}))
    assert "refusé" in state.pay_message
    assert len(state.cart_rows) == 1
    refused_key = state.pay_key
    run(state, "pay", as_page_sends(state, {**CARD, "card_number": "4242 4242 4242 4242"}))
    assert "F" in state.done_message and state.cart_rows == []
    with read_session() as session:
        statuses = session.exec(select(Order.status).order_by(Order.id)).all()
        keys = session.exec(select(Order.idempotency_key).order_by(Order.id)).all()
    # The refused form is kept; the retry was a new payment with a new key.
    assert statuses == ["refused", "paid"]
    assert keys[1] == refused_key != keys[0]


def test_hosting_on_someone_elses_domain_is_refused(people):
    bob = people["customer"]["bob"]
    with transaction() as session:
        ensure_catalogue(session)
        session.add(
            Product(
                customer_id=bob.id,
                kind="domain",
                name="bob-owns.fr",
                offer_code="fr",
                start_date=clock.today(),
                expiry_date=clock.today(),
            )
        )
    state = make_state(OrderState, token=people["token"]["alice"], path="/order")
    run(state, "load")
    assert "bob-owns.fr" not in state.my_domains
    run(state, "set_hosting_mode", "existing")
    run(state, "set_hosting_domain", "bob-owns.fr")
    run(state, "add_hosting")
    assert state.hosting_error == "Ce nom de domaine ne fait pas partie de vos comptes."
    assert state.cart_rows == []
