"""Left to pay by transfer or cheque: the renewal and the /invoices payment show the bank
details or the cheque address and the reference, for the customer's own order form only."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from o2portal.billing.models import Order
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.stored_settings import default_payment_details
from o2portal.products.models import Product
from o2portal.web.customer.invoices.state import InvoicesState
from o2portal.web.customer.services.product_state import ProductState
from tests.state.conftest import as_page_sends, make_state, run
from tests.state.test_billing_handlers import bob_things  # noqa: F401  (a fixture)


def _alices_domain(people) -> int:
    with transaction() as session:
        ensure_catalogue(session)
        product = Product(
            customer_id=people["customer"]["alice"].id,
            kind="domain",
            name="alice-virement.fr",
            offer_code="fr",
            start_date=clock.today(),
            expiry_date=clock.today() + timedelta(days=40),
        )
        session.add(product)
        session.flush()
        return product.id


def test_a_renewal_by_transfer_shows_the_bank_details_and_the_reference(people):
    product_id = _alices_domain(people)
    state = make_state(ProductState, token=people["token"]["alice"], path=f"/services/{product_id}")
    run(state, "load")
    assert state.offline == {}
    run(state, "set_method", "transfer")
    run(state, "renew", as_page_sends(state, {"method": "transfer"}))
    assert state.pay_ok, state.pay_message
    with read_session() as session:
        order = session.exec(
            select(Order).where(Order.customer_id == people["customer"]["alice"].id)
        ).one()
    assert order.status == "unpaid" and order.payment_method == "transfer"
    assert state.offline["id"] == str(order.id)
    assert state.offline["reference"] == f"BC-{order.id:06d}"
    assert state.offline["method"] == "transfer"
    assert state.offline["iban"] == "FR76 3000 6000 0112 3456 7890 189"
    assert state.offline["bic"] == default_payment_details()["bic"]
    assert "9,90" in state.offline["title"]


def test_paying_an_order_form_by_cheque_on_invoices_shows_where_to_send_it(people):
    product_id = _alices_domain(people)
    page = make_state(ProductState, token=people["token"]["alice"], path=f"/services/{product_id}")
    run(page, "load")
    run(page, "set_method", "transfer")
    run(page, "renew", as_page_sends(page, {"method": "transfer"}))
    order_id = page.offline["id"]

    state = make_state(InvoicesState, token=people["token"]["alice"], path="/invoices")
    run(state, "load")
    assert state.offline == {}
    assert [r["id"] for r in state.unpaid] == [order_id]
    run(state, "choose", order_id)
    run(state, "set_method", "cheque")
    run(state, "pay", as_page_sends(state, {"method": "cheque"}))
    assert state.pay_ok, state.pay_message
    assert state.offline["method"] == "cheque"
    assert state.offline["address"] == default_payment_details()["cheque_address"]
    assert "à l'ordre de" in state.offline["how"]


def test_no_instructions_for_another_customers_order_form(people, bob_things):  # noqa: F811
    state = make_state(InvoicesState, token=people["token"]["alice"], path="/invoices")
    run(state, "load")
    run(
        state,
        "pay",
        as_page_sends(
            state,
            {"method": "transfer"},
            seen_order=str(bob_things["order"]),
            seen_ttc="1200",
            pay_key="forced-key-0000000002",
        ),
    )
    assert state.pay_ok is False
    assert state.offline == {}
