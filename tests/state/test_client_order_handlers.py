"""Orders for a client and administrative contacts through the event handlers, as the
browser calls them: Alice (a webmaster) proposes her cart to Bob from /order (bad input
by its field, nothing saved; the same form twice, one proposal); Bob accepts on
/contacts; Alice pays it there with her own card and never sees Bob's invoice; Bob owns
the products; Alice renews one from its page as administrative contact, and Bob reads
it in his contacts' actions."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from o2portal.accounts.models import SavedCard
from o2portal.billing.models import ClientOrder, Invoice, Order, Payment
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core.db import read_session, transaction
from o2portal.core.i18n import translate
from o2portal.products.contact_models import ProductContact
from o2portal.products.models import Product
from o2portal.web.customer.contacts.client_orders_state import ClientOrdersState
from o2portal.web.customer.contacts.state import ContactsState
from o2portal.web.customer.dashboard.state import DashboardState
from o2portal.web.customer.order.state import OrderState
from o2portal.web.customer.services.product_state import ProductState
from o2portal.web.customer.services.state import ServicesState
from tests.state.conftest import as_page_sends, make_state, run
from tests.state.test_billing_handlers import CARD
from tests.unit.helpers import count, outbox


@pytest.fixture
def shop(people):
    with transaction() as session:
        ensure_catalogue(session)
    return people


def _page(people, who: str, state_cls, path: str):
    state = make_state(state_cls, token=people["token"][who], path=path)
    run(state, "load")
    return state


def _cart(people):
    """Alice's /order with a Cloud hosting account and its free domain in the cart."""
    order = _page(people, "alice", OrderState, "/order")
    run(order, "choose_tier", "cloud")
    run(order, "set_hosting_domain", "bob-boulangerie.fr")
    run(order, "add_hosting")
    assert order.hosting_error == "" and len(order.cart_rows) == 2
    run(order, "set_for_client", "client")
    assert order.for_client is True
    return order


@pytest.mark.parametrize(
    ("email", "word"),
    [
        ("alice@example.fr", "propre adresse"),  # herself
        ("personne@example.fr", "Aucun compte"),
        ("sam@example.fr", "personnel"),  # a staff account
        ("pas-une-adresse", ""),
    ],
)
def test_a_bad_client_is_refused_by_its_field_and_nothing_is_saved(shop, email, word):
    order = _cart(shop)
    run(order, "propose", {"propose_key": order.propose_key, "client_email": email})
    assert order.propose_errors.get("client_email") and word in order.propose_errors["client_email"]
    assert order.proposed_message == "" and len(order.cart_rows) == 2
    assert count(ClientOrder) == 0 and outbox("client_order_proposed") == []


def test_a_disabled_client_and_a_promo_code_are_refused(shop):
    from o2portal.core import clock

    with transaction() as session:
        bob = session.get(type(shop["customer"]["bob"]), shop["customer"]["bob"].id)
        bob.disabled_at = clock.now()
        session.add(bob)
    order = _cart(shop)
    run(order, "propose", {"propose_key": order.propose_key, "client_email": "bob@example.fr"})
    assert "désactivé" in order.propose_errors["client_email"]
    assert count(ClientOrder) == 0


def test_propose_accept_pay_own_and_renew(shop):
    people = shop
    order = _cart(people)
    form = {"propose_key": order.propose_key, "client_email": "bob@example.fr"}
    run(order, "propose", form)
    assert order.propose_errors == {} and "bob@example.fr" in order.proposed_message
    assert order.cart_rows == [] and order.propose_key != form["propose_key"]
    run(order, "propose", form)  # the same form again (a replay): still one proposal
    assert count(ClientOrder) == 1 and len(outbox("client_order_proposed")) == 1
    assert (count(Order), count(Payment)) == (0, 0)  # nothing charged

    dashboard = _page(people, "bob", DashboardState, "/")
    assert dashboard.client_orders_waiting == 1

    bob = _page(people, "bob", ClientOrdersState, "/contacts")
    (row,) = bob.received
    assert row["who"] == "Alice Test" and row["open"] == "1" and row["ttc"]
    assert row["email"] == ""  # no address of anyone's on the client's side
    accept = {"proposal": row["id"], "seen_ttc": row["ttc_cents"]}
    run(bob, "accept", accept)  # no consent ticked
    assert bob.answer_for == row["id"] and set(bob.answer_errors) == {"terms", "withdrawal"}
    assert count(Order) == 0
    run(bob, "accept", accept | {"terms": "on", "withdrawal": True})
    assert bob.answer_errors == {} and bob.message == translate("client_orders.accepted", "fr")
    assert bob.received[0]["status"] == "accepted" and bob.received[0]["to_pay"] == "1"

    alice = _page(people, "alice", ClientOrdersState, "/contacts")
    (sent,) = alice.sent
    assert sent["payable"] == "1" and sent["email"] == "bob@example.fr"
    run(alice, "choose", sent["id"])
    assert alice.selected == sent["id"] and alice.seen_ttc == sent["ttc_cents"]
    run(alice, "pay", as_page_sends(alice, CARD, save_card="on"))
    assert alice.pay_ok and alice.pay_message == translate("pay.done_for_holder", "fr")
    with read_session() as session:
        (invoice,) = session.exec(select(Invoice)).all()
        products = session.exec(select(Product)).all()
        cards = session.exec(select(SavedCard)).all()
    # Bob's invoice, with his identity; never shown to Alice.
    assert invoice.customer_id == people["customer"]["bob"].id
    assert json.loads(invoice.customer_snapshot_json)["name"] == "Bob Test"
    assert invoice.number not in json.dumps(alice.dict(), default=str)
    assert [c.customer_id for c in cards] == [people["customer"]["alice"].id]
    assert {p.customer_id for p in products} == {people["customer"]["bob"].id}
    alice = _page(people, "alice", ClientOrdersState, "/contacts")
    assert alice.sent[0]["status"] == "paid" and alice.sent[0]["payable"] == ""

    services = _page(people, "alice", ServicesState, "/services")
    hosting = next(m for m in services.managed if m["kind"] == "Hébergement")
    assert hosting["role"] == "contact administratif" and hosting["renew"] == "1"

    page = _page(people, "alice", ProductState, f"/services/{hosting['id']}")
    assert page.contact_role == "administrative" and page.may_renew and page.renewable
    assert page.invoices == [] and page.quote["ttc"]
    run(page, "renew", as_page_sends(page, CARD))
    assert page.pay_ok and page.pay_message == translate("pay.done_for_holder", "fr")
    with read_session() as session:
        renewal = session.exec(select(Order).where(Order.kind == "renewal")).one()
    assert renewal.customer_id == people["customer"]["bob"].id
    assert renewal.agent_id == people["customer"]["alice"].id and renewal.status == "paid"

    contacts_page = _page(people, "bob", ContactsState, "/contacts")
    said = [a["action"] for a in contacts_page.actions]
    assert "a renouvelé le produit" in said and "a payé la commande qu'il vous a proposée" in said
    assert all(a["contact"] == "Alice Test" for a in contacts_page.actions)


def test_the_client_revokes_and_the_webmasters_open_panel_closes(shop):
    people = shop
    order = _cart(people)
    run(order, "propose", {"propose_key": order.propose_key, "client_email": "bob@example.fr"})
    bob = _page(people, "bob", ClientOrdersState, "/contacts")
    row = bob.received[0]
    run(
        bob,
        "accept",
        {"proposal": row["id"], "seen_ttc": row["ttc_cents"], "terms": "on"} | {"withdrawal": "on"},
    )
    alice = _page(people, "alice", ClientOrdersState, "/contacts")
    run(alice, "choose", alice.sent[0]["id"])
    assert alice.selected
    run(bob, "revoke", row["id"])
    assert bob.message == translate("client_orders.revoked", "fr")
    # Alice's page, still open, pays with what it showed: refused, nothing charged.
    run(alice, "pay", as_page_sends(alice, CARD))
    assert not alice.pay_ok and alice.pay_message == translate("error.agent_right_gone", "fr")
    assert count(Payment) == 0
    run(alice, "load")
    assert alice.selected == "" and alice.sent[0]["status"] == "revoked"
    # Bob may still pay his form; Alice becomes nobody's contact.
    with read_session() as session:
        assert session.exec(select(ProductContact)).all() == []


def test_a_technical_contacts_product_page_has_no_renewal(shop):
    people = shop
    from o2portal.core import clock
    from o2portal.products import contacts

    with transaction() as session:
        product = Product(
            customer_id=people["customer"]["bob"].id,
            kind="hosting",
            name="bob-site.fr",
            offer_code="grow",
            start_date=clock.today() - timedelta(days=30),
            expiry_date=clock.today() + timedelta(days=60),
        )
        session.add(product)
        session.flush()
        product_id = product.id
    link = contacts.invite(
        people["customer"]["bob"].id, product_id, "alice@example.fr", "technical"
    )
    contacts.answer(people["customer"]["alice"].id, link, True)
    page = _page(people, "alice", ProductState, f"/services/{product_id}")
    assert page.contact_role == "technical" and page.may_renew is False
    assert page.renewable is False and page.quote == {} and page.cards == []
    services = _page(people, "alice", ServicesState, "/services")
    assert services.managed[0]["renew"] == ""
