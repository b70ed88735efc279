"""Product, renewal and invoice handlers called with another customer's ids: refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from o2portal.billing.models import Order, Payment
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.products.expiry import add_years
from o2portal.products.models import Product
from o2portal.web.customer.invoices.state import InvoicesState
from o2portal.web.customer.services.product_state import ProductState
from o2portal.web.customer.services.state import ServicesState
from tests.state.conftest import as_page_sends, make_state, run

CARD = {
    "card_number": "4242 4242 4242 4242",
    "card_expiry": "12/30",
    "card_cvc": "123",
    "card_holder": "Bob Test",
}


@pytest.fixture
def bob_things(people):
    bob = people["customer"]["bob"]
    with transaction() as session:
        domain = Product(
            customer_id=bob.id,
            kind="domain",
            name="bob-secret.fr",
            offer_code="fr",
            start_date=clock.today(),
            expiry_date=clock.today() + timedelta(days=40),
            auth_code="BOB-SECRET-CODE",
            nameservers_json='["ns1.bob.fr","ns2.bob.fr"]',
        )
        session.add(domain)
        session.flush()
        order = Order(
            customer_id=bob.id,
            kind="renewal",
            idempotency_key="bob-unpaid-order-0001",
            total_ht_cents=1000,
            total_vat_cents=200,
            total_ttc_cents=1200,
            vat_rate_bp=2000,
        )
        session.add(order)
        session.flush()
        return {"product": domain.id, "order": order.id, "expiry": domain.expiry_date}


def alice_on(state_cls, people, path):
    return make_state(state_cls, token=people["token"]["alice"], path=path)


def test_foreign_product_page_shows_nothing(people, bob_things):
    state = alice_on(ProductState, people, f"/services/{bob_things['product']}")
    run(state, "load")
    assert state.found is False
    assert state.name == ""
    assert state.nameservers == []
    assert state.auth_code == ""


@pytest.mark.parametrize(
    ("handler", "args"),
    [
        ("show_auth_code", ()),
        ("set_lock", (False,)),
        ("set_auto_renew", (True,)),
        ("save_nameservers", ({"ns1": "ns1.evil.fr", "ns2": "ns2.evil.fr"},)),
        ("renew", (CARD,)),
    ],
)
def test_foreign_product_handlers_refuse(people, bob_things, handler, args):
    state = alice_on(ProductState, people, f"/services/{bob_things['product']}")
    run(state, "load")
    if handler == "renew":
        # A forged form: Bob's expiry date and a price, with a key of Alice's page.
        args = (
            as_page_sends(
                state,
                CARD,
                seen_years="1",
                seen_expiry=bob_things["expiry"].isoformat(),
                seen_ttc="1200",
            ),
        )
        run(state, handler, *args)
        assert state.pay_ok is False
        assert state.pay_message != ""
    else:
        with pytest.raises(NotAllowed):
            run(state, handler, *args)
    assert state.auth_code == ""
    with read_session() as session:
        product = session.get(Product, bob_things["product"])
        assert product.expiry_date == bob_things["expiry"]
        assert product.registrar_lock is True
        assert product.auto_renew is False
        assert "evil" not in (product.nameservers_json or "")
        assert session.exec(select(func.count()).select_from(Payment)).one() == 0
        shown = session.exec(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "domain.auth_code_shown")
        ).one()
        assert shown == 0


def test_foreign_order_form_cannot_be_opened_or_paid(people, bob_things):
    state = alice_on(InvoicesState, people, "/invoices")
    run(state, "load")
    run(state, "choose", str(bob_things["order"]))
    assert state.selected == ""
    # Even with a forged form naming Bob's order form, paying it is refused.
    run(
        state,
        "pay",
        as_page_sends(
            state,
            CARD,
            seen_order=str(bob_things["order"]),
            seen_ttc="1200",
            pay_key="forced-key-0000000001",
        ),
    )
    assert state.pay_ok is False
    assert state.pay_message != ""
    with read_session() as session:
        assert session.get(Order, bob_things["order"]).status == "unpaid"
        assert session.exec(select(func.count()).select_from(Payment)).one() == 0


def test_own_product_loads_and_renews(people):
    alice = people["customer"]["alice"]
    with transaction() as session:
        session.add(
            Product(
                customer_id=alice.id,
                kind="domain",
                name="alice-site.fr",
                offer_code="fr",
                start_date=clock.today(),
                expiry_date=clock.today() + timedelta(days=40),
            )
        )
    from o2portal.catalog.defaults import ensure_catalogue

    with transaction() as session:
        ensure_catalogue(session)
        product_id = session.exec(select(Product.id).where(Product.name == "alice-site.fr")).one()
    state = alice_on(ProductState, people, f"/services/{product_id}")
    run(state, "load")
    assert state.found and state.name == "alice-site.fr" and state.renewable
    run(state, "renew", as_page_sends(state, CARD))
    assert state.pay_ok, state.pay_message
    with read_session() as session:
        product = session.get(Product, product_id)
    assert product.expiry_date == add_years(clock.today() + timedelta(days=40), 1)


def test_a_thousand_products_keep_one_page_in_state(people):
    alice = people["customer"]["alice"]
    with transaction() as session:
        for i in range(1000):
            session.add(
                Product(
                    customer_id=alice.id,
                    kind="domain" if i % 3 else "hosting",
                    name=f"site-{i:04d}.fr",
                    offer_code="fr",
                    start_date=clock.today(),
                    expiry_date=clock.today() + timedelta(days=i),
                )
            )
    state = alice_on(ServicesState, people, "/services")
    run(state, "load")
    assert state.total == 1000
    assert len(state.rows) == 25
    assert state.rows[0]["name"] == "site-0000.fr"
    run(state, "next_page")
    assert state.page == 2 and state.rows[0]["name"] == "site-0025.fr"
    run(state, "set_kind", "hosting")
    assert state.total == 334 and len(state.rows) == 25
    assert all(row["kind"] == "Hébergement" for row in state.rows)
    run(state, "set_sort", "expiry_desc")
    assert state.rows[0]["name"] == "site-0999.fr"
