"""Orders for a client and administrative contacts, from the outside: a stranger, a
technical contact and a revoked administrative contact get nothing of a client's proposal,
order form or renewal (forged ids through the handlers, the doors and the routes, and
forged frames over the websocket, each refused in one log line and changing nothing); an
administrative contact at work never gets the holder's invoices, order forms, cards or
details."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from o2portal.accounts.models import Customer, UserSession
from o2portal.accounts.passwords import new_token, token_hash
from o2portal.billing import client_orders
from o2portal.billing.checkout import pay_order
from o2portal.billing.documents import offline_payment
from o2portal.billing.models import ClientOrder, Invoice, Order, Payment
from o2portal.billing.orders import CartItem
from o2portal.billing.payments import CardDetails, PaymentChoice
from o2portal.billing.renewals import quote_renewal, renew_product
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.products import contacts
from o2portal.products.models import Product
from o2portal.web.customer.contacts.client_orders_state import ClientOrdersState
from o2portal.web.customer.invoices.state import InvoicesState
from o2portal.web.customer.services.product_state import ProductState
from tests.security.frames import frame_name, one_line_each, send_frames
from tests.security.test_contact_access import _get
from tests.state.conftest import as_page_sends, make_state, run
from tests.state.test_billing_handlers import CARD

GOOD = CardDetails("4242424242424242", 12, 2031, "123", "Bob Test")


@pytest.fixture
def world(people):
    """Alice (a webmaster) proposed an order to Bob, who accepted it; Bob's hosting
    account has Alice as administrative contact, a paid renewal of Bob's and a renewal
    form Alice left to pay by transfer; Carol is a third customer."""
    alice, bob = people["customer"]["alice"], people["customer"]["bob"]
    with transaction() as session:
        ensure_catalogue(session)
        carol = Customer(
            email="carol@example.fr",
            password_hash="not-a-login",
            first_name="Carol",
            last_name="Test",
            phone="+33612345678",
            address_line1="3 rue Basse",
            postal_code="69001",
            city="Lyon",
        )
        session.add(carol)
        session.flush()
        token = new_token()
        session.add(
            UserSession(
                customer_id=carol.id,
                token_hash=token_hash(token),
                created_at=clock.now(),
                expires_at=clock.now() + timedelta(days=1),
            )
        )
        product = Product(
            customer_id=bob.id,
            kind="hosting",
            name="bob-hebergement.fr",
            offer_code="grow",
            start_date=clock.today() - timedelta(days=300),
            expiry_date=clock.today() + timedelta(days=40),
        )
        session.add(product)
        session.flush()
        carol_id, product_id = carol.id, product.id
    people["token"]["carol"] = token
    items = [CartItem("hosting", code="cloud", years=1, domain="bob-neuf.fr", action="register")]
    proposal = client_orders.propose(alice.id, items, "bob@example.fr", key="access-proposal-1")
    order = client_orders.accept(bob.id, proposal, terms_accepted=True, withdrawal_waived=True)
    link = contacts.invite(bob.id, product_id, "alice@example.fr", "administrative")
    contacts.answer(alice.id, link, True)

    def renewal(who: int, choice: PaymentChoice, key: str):
        with read_session() as session:
            expiry = session.get(Product, product_id).expiry_date
        return renew_product(
            customer_id=who,
            product_id=product_id,
            years=1,
            expected_expiry=expiry,
            choice=choice,
            key=key,
        )

    paid = renewal(bob.id, PaymentChoice("card", card=GOOD), "bob-renews-0001")
    left = renewal(alice.id, PaymentChoice("transfer"), "alice-renews-0001")
    assert paid.status == "paid" and left.status == "pending"
    with read_session() as session:
        invoice = session.exec(select(Invoice).where(Invoice.number == paid.invoice_number)).one()
    return {
        "alice": alice.id,
        "bob": bob.id,
        "carol": carol_id,
        "proposal": proposal,
        "order": order,
        "product": product_id,
        "link": link,
        "invoice": invoice,
        "left": left.order_id,
    }


def _state(people, who: str, cls=ClientOrdersState, path: str = "/contacts"):
    state = make_state(cls, token=people["token"][who], path=path)
    run(state, "load")
    return state


def _payments() -> int:
    with read_session() as session:
        return len(session.exec(select(Payment)).all())


def _forged_payment(state, order_id: int, ttc: int = 1000) -> dict:
    state.seen_order, state.seen_ttc = str(order_id), str(ttc)
    state._arm()
    return as_page_sends(state, CARD)


def _nothing_of_theirs(people, world, who: str) -> None:
    """What `who` never gets of Bob's proposal, order forms and renewal."""
    before = _payments()
    with read_session() as session:
        status = session.get(ClientOrder, world["proposal"]).status
    me = world[who]
    page = _state(people, who)
    for handler in ("refuse", "cancel", "revoke", "choose"):
        run(page, handler, str(world["proposal"]))
        assert page.message == ""
    assert page.selected == ""
    run(page, "accept", {"proposal": str(world["proposal"]), "seen_ttc": "100", "terms": "on"})
    assert page.message == "" and page.notice
    with read_session() as session:
        order = session.get(Order, world["order"])
        ttc = order.total_ttc_cents
    for order_id in (world["order"], world["left"]):
        run(page, "pay", _forged_payment(page, order_id, ttc))
        assert page.pay_ok is False
        with pytest.raises((NotAllowed, InvalidInput)):
            pay_order(
                customer_id=me,
                order_id=order_id,
                choice=PaymentChoice("card", card=GOOD),
                key=f"forged-{who}-{order_id}",
            )
        assert offline_payment(me, order_id) is None or who == "alice"
    invoices = _state(people, who, InvoicesState, "/invoices")
    assert invoices.unpaid == []
    run(invoices, "choose", str(world["order"]))
    assert invoices.selected == ""
    with read_session() as session:
        assert session.get(ClientOrder, world["proposal"]).status == status
        assert session.get(Order, world["order"]).status == "unpaid"
    assert _payments() == before


def _no_document_of_bob(people, world, who: str) -> None:
    for path in (
        f"/files/invoices/{world['invoice'].id}.pdf",
        f"/files/order-forms/{world['invoice'].order_id}.pdf",
        f"/files/order-forms/{world['order']}.pdf",
        f"/files/order-forms/{world['left']}.pdf",
    ):
        response = _get(path, people["token"][who])
        assert response.status_code == 404 and b"%PDF" not in response.content


def test_a_stranger_gets_nothing(people, world):
    _nothing_of_theirs(people, world, "carol")
    _no_document_of_bob(people, world, "carol")
    with pytest.raises(NotAllowed):
        quote_renewal(world["carol"], world["product"], 1)
    page = _state(people, "carol", ProductState, f"/services/{world['product']}")
    assert page.found is False and page.may_renew is False


def test_a_technical_contact_neither_renews_nor_pays(people, world):
    link = contacts.invite(world["bob"], world["product"], "carol@example.fr", "technical")
    contacts.answer(world["carol"], link, True)
    _nothing_of_theirs(people, world, "carol")
    _no_document_of_bob(people, world, "carol")
    page = _state(people, "carol", ProductState, f"/services/{world['product']}")
    assert page.found and page.contact_role == "technical"
    assert page.may_renew is False and page.renewable is False and page.cards == []
    expiry = page.expiry
    run(
        page,
        "renew",
        as_page_sends(
            page, CARD, seen_years="1", seen_expiry=clock.today().isoformat(), seen_ttc="100"
        ),
    )
    assert page.pay_ok is False
    assert _state(people, "carol", ProductState, f"/services/{world['product']}").expiry == expiry


def test_a_revoked_administrative_contact_gets_nothing(people, world):
    page = _state(people, "alice", ProductState, f"/services/{world['product']}")
    assert page.may_renew and page.renewable
    form = as_page_sends(page, CARD)
    contacts.revoke(world["bob"], world["link"])
    # Her open page, as it was: the renewal is refused and the page says why.
    run(page, "renew", form)
    assert page.pay_ok is False and page.found is False and page.access_removed is True
    # The form she left to pay by transfer can no longer be paid by her.
    orders = _state(people, "alice")
    run(orders, "pay", _forged_payment(orders, world["left"]))
    assert orders.pay_ok is False
    with pytest.raises(InvalidInput) as refused:
        pay_order(
            customer_id=world["alice"],
            order_id=world["left"],
            choice=PaymentChoice("card", card=GOOD),
            key="revoked-pays-0001",
        )
    assert refused.value.errors == {"method": "error.agent_right_gone"}
    client_orders.revoke(world["bob"], world["proposal"])
    _nothing_of_theirs(people, world, "alice")
    _no_document_of_bob(people, world, "alice")


def test_an_administrative_contact_never_sees_the_holders_money_or_details(people, world):
    _no_document_of_bob(people, world, "alice")
    page = _state(people, "alice", ProductState, f"/services/{world['product']}")
    assert page.contact_role == "administrative" and page.invoices == []
    orders = _state(people, "alice")
    run(orders, "choose", str(world["proposal"]))
    # (The orders she proposed show the address she typed herself, and nothing else.)
    for state, secrets in (
        (page, (world["invoice"].number, "bob@example.fr", "1 rue de la Paix", "75002")),
        (orders, (world["invoice"].number, "1 rue de la Paix", "75002", "BC-")),
    ):
        sent = json.dumps(state.dict(), default=str)
        for secret in secrets:
            assert secret not in sent
    found = offline_payment(world["alice"], world["left"])
    assert found is not None and found.own is False  # she pays it; its PDF is Bob's


def test_forged_frames_over_the_websocket_change_nothing(people, world, caplog):
    """Carol, who is nobody to Bob, sends by hand what the pages would send with Bob's
    and Alice's ids, and frames of the wrong shape: refused, one line each."""
    proposal, product = str(world["proposal"]), str(world["product"])
    cookie = people["token"]["carol"]
    pay_form = {
        "pay_key": uuid.uuid4().hex,
        "seen_order": str(world["order"]),
        "seen_ttc": "1000",
        "method": "credit",
    }
    crafted = [
        (frame_name(ClientOrdersState, "accept"), {"form": {"proposal": proposal, "terms": "on"}}),
        (frame_name(ClientOrdersState, "accept"), {"form": "x"}),
        (frame_name(ClientOrdersState, "refuse"), {"proposal_id": proposal}),
        (frame_name(ClientOrdersState, "cancel"), {"proposal_id": proposal}),
        (frame_name(ClientOrdersState, "revoke"), {"proposal_id": {"id": proposal}}),
        (frame_name(ClientOrdersState, "choose"), {"proposal_id": proposal}),
        (frame_name(ClientOrdersState, "pay"), {"form": pay_form}),
        (
            frame_name(ClientOrdersState, "pay"),
            {"form": pay_form | {"seen_order": str(world["left"])}},
        ),
        (frame_name(ClientOrdersState, "watch_rights"), {}),
        (
            frame_name(ProductState, "renew"),
            {"form": pay_form | {"seen_years": "1", "seen_expiry": "2030-01-01"}},
        ),
    ]
    before = _payments()
    with caplog.at_level(logging.WARNING):
        send_frames(f"/services/{product}", cookie, crafted * 2)
    refusals = set(one_line_each(caplog.records))
    assert "event refused: ClientOrdersState.accept: form is str, not dict" in refusals
    assert "event refused: ClientOrdersState.revoke: proposal_id is dict, not str" in refusals
    with read_session() as session:
        assert session.get(ClientOrder, world["proposal"]).status == "accepted"
        assert session.get(Order, world["order"]).status == "unpaid"
        assert session.get(Order, world["left"]).status == "unpaid"
    assert _payments() == before
