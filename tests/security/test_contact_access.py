"""Delegated access, from the outside: a technical contact gets the product's page but
not the holder's invoices, order forms, renewal or transfer code; a revoked contact and a
stranger get nothing; forged ids and frames sent over the websocket change nothing and
log no traceback."""

from __future__ import annotations

import json
import logging
import warnings
from datetime import timedelta

import pytest
from sqlmodel import select

from o2portal.billing.models import Invoice
from o2portal.billing.payments import CardDetails, PaymentChoice
from o2portal.billing.renewals import quote_renewal, renew_product
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.products import contacts
from o2portal.products.contact_models import ProductContact
from o2portal.products.models import Product
from o2portal.web.customer.contacts.state import ContactsState
from o2portal.web.customer.services.product_state import ProductState
from o2portal.web.guards import SESSION_COOKIE
from o2portal.web.routes import build_routes
from tests.security.frames import frame_name, one_line_each, send_frames
from tests.security.test_billing_concurrency import run_together
from tests.state.conftest import as_page_sends, make_state, run
from tests.state.test_billing_handlers import CARD

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@pytest.fixture
def holder_things(people):
    """Alice's domain, renewed once by card (an invoice and its order form)."""
    alice = people["customer"]["alice"]
    with transaction() as session:
        ensure_catalogue(session)
        product = Product(
            customer_id=alice.id,
            kind="domain",
            name="alice-client.fr",
            offer_code="fr",
            start_date=clock.today() - timedelta(days=300),
            expiry_date=clock.today() + timedelta(days=40),
            nameservers_json=json.dumps(["ns1.o2switch.net", "ns2.o2switch.net"]),
        )
        session.add(product)
        session.flush()
        product_id, expiry = product.id, product.expiry_date
    outcome = renew_product(
        customer_id=alice.id,
        product_id=product_id,
        years=1,
        expected_expiry=expiry,
        choice=PaymentChoice("card", CardDetails("4242424242424242", 12, 2030, "123", "A T")),
        key="contact-renewal-0001",
    )
    assert outcome.status == "paid", outcome
    with read_session() as session:
        invoice = session.exec(
            select(Invoice).where(Invoice.number == outcome.invoice_number)
        ).one()
        expiry = session.get(Product, product_id).expiry_date
    return {
        "product": product_id,
        "expiry": expiry,
        "number": invoice.number,
        "paths": [
            f"/files/invoices/{invoice.id}.pdf",
            f"/files/order-forms/{invoice.order_id}.pdf",
        ],
    }


def _contact(people, holder_things) -> int:
    link_id = contacts.invite(
        people["customer"]["alice"].id, holder_things["product"], "bob@example.fr", "technical"
    )
    contacts.answer(people["customer"]["bob"].id, link_id, True)
    return link_id


def _get(path: str, token: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        client = TestClient(build_routes(), base_url="http://localhost:3000")
    client.cookies.set(SESSION_COOKIE, token)
    return client.get(path, follow_redirects=False)


def _refused_everything_of_the_holder(people, holder_things) -> None:
    """What Bob (contact, former contact or stranger) never gets of Alice's product."""
    bob_id, token = people["customer"]["bob"].id, people["token"]["bob"]
    for path in holder_things["paths"]:
        response = _get(path, token)
        assert response.status_code == 404 and b"%PDF" not in response.content
    with pytest.raises(NotAllowed):
        quote_renewal(bob_id, holder_things["product"], 1)
    page = make_state(ProductState, token=token, path=f"/services/{holder_things['product']}")
    run(page, "load")
    # Everything the page holds goes to the browser: none of Alice's money or identity.
    sent = json.dumps(page.dict(), default=str)
    assert holder_things["number"] not in sent and "alice@example.fr" not in sent
    assert page.invoices == [] and page.renewable is False
    run(
        page,
        "renew",
        as_page_sends(
            page,
            CARD,
            seen_years="1",
            seen_expiry=holder_things["expiry"].isoformat(),
            seen_ttc="1200",
        ),
    )
    assert page.pay_ok is False
    for handler, args in (("show_auth_code", ()), ("set_lock", (False,))):
        with pytest.raises(NotAllowed):
            run(page, handler, *args)
    with read_session() as session:
        product = session.get(Product, holder_things["product"])
        assert product.expiry_date == holder_things["expiry"]
        assert product.registrar_lock is True
    assert page.auth_code == ""


def test_a_technical_contact_gets_neither_invoices_nor_renewal(people, holder_things):
    _contact(people, holder_things)
    assert contacts.may(people["customer"]["bob"].id, holder_things["product"], "see")
    _refused_everything_of_the_holder(people, holder_things)


def test_a_revoked_contact_gets_nothing(people, holder_things):
    link_id = _contact(people, holder_things)
    contacts.revoke(people["customer"]["alice"].id, link_id)
    page = make_state(
        ProductState, token=people["token"]["bob"], path=f"/services/{holder_things['product']}"
    )
    run(page, "load")
    assert page.found is False and page.name == ""
    with pytest.raises(NotAllowed):
        run(page, "save_nameservers", {"ns1": "a.evil.fr", "ns2": "b.evil.fr"})
    _refused_everything_of_the_holder(people, holder_things)


def test_a_stranger_gets_nothing(people, holder_things):
    page = make_state(
        ProductState, token=people["token"]["bob"], path=f"/services/{holder_things['product']}"
    )
    run(page, "load")
    assert page.found is False
    with pytest.raises(NotAllowed):
        run(page, "save_nameservers", {"ns1": "a.evil.fr", "ns2": "b.evil.fr"})
    # Nor may a stranger invite anyone (himself included) on it.
    with pytest.raises(NotAllowed):
        contacts.invite(
            people["customer"]["bob"].id, holder_things["product"], "sam@example.fr", "technical"
        )
    _refused_everything_of_the_holder(people, holder_things)


def test_forged_frames_over_the_websocket_change_nothing(people, holder_things, caplog):
    """Bob, never invited, sends by hand what the pages would send with Alice's ids, and
    frames of the wrong shape: all refused, each in one line, nothing changed."""
    link_id = contacts.invite(
        people["customer"]["alice"].id, holder_things["product"], "ada@example.fr", "technical"
    )
    product = str(holder_things["product"])
    cookie = people["token"]["bob"]
    crafted = [
        (frame_name(ContactsState, "revoke"), {"link_id": str(link_id)}),
        (frame_name(ContactsState, "accept"), {"link_id": str(link_id)}),
        (frame_name(ContactsState, "refuse"), {"link_id": str(link_id)}),
        (frame_name(ContactsState, "revoke"), {"link_id": {"id": link_id}}),
        (frame_name(ContactsState, "accept"), {"link_id": link_id}),
        (
            frame_name(ContactsState, "invite"),
            {"form": {"product_id": product, "email": "bob@example.fr", "role": "technical"}},
        ),
        (frame_name(ContactsState, "invite"), {"form": "x"}),
        (
            frame_name(ProductState, "save_nameservers"),
            {"form": {"ns1": "a.evil.fr", "ns2": "b.fr"}},
        ),
        (frame_name(ProductState, "watch_access"), {}),
    ]
    # The product page's load first, as its route runs it: the page holds Alice's id.
    load = (frame_name(ProductState, "load"), {})
    with caplog.at_level(logging.WARNING):
        # A second watch_access supersedes (cancels) the first, as it should.
        send_frames(f"/services/{product}", cookie, [load, *crafted * 3])
    refusals = one_line_each(caplog.records)
    assert "refused: product of another customer" in refusals
    with read_session() as session:
        assert session.get(ProductContact, link_id).status == "invited"
        assert len(session.exec(select(ProductContact)).all()) == 1
        assert "evil" not in session.get(Product, holder_things["product"]).nameservers_json


def test_racing_invitations_make_one(people, holder_things):
    """Ten tabs invite the same account at once: one invitation, nine messages."""
    alice = people["customer"]["alice"].id
    results = run_together(
        [
            lambda: contacts.invite(alice, holder_things["product"], "bob@example.fr", "technical")
            for _ in range(10)
        ]
    )
    made = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, InvalidInput)]
    assert len(made) == 1 and len(refused) == 9, results
    assert all(r.errors == {"email": "error.contact_duplicate"} for r in refused)
    with read_session() as session:
        assert len(session.exec(select(ProductContact)).all()) == 1


def test_an_acceptance_racing_a_revocation_never_leaves_access(people, holder_things):
    """The invitee accepts while the holder withdraws the invitation: whichever comes
    first, the contact ends without access."""
    alice, bob = people["customer"]["alice"].id, people["customer"]["bob"].id
    for _ in range(5):
        link_id = contacts.invite(alice, holder_things["product"], "bob@example.fr", "technical")
        results = run_together(
            [
                lambda lid=link_id: contacts.answer(bob, lid, True),
                lambda lid=link_id: contacts.revoke(alice, lid),
            ]
        )
        assert results[1] is None, results  # the revocation always goes through
        with read_session() as session:
            assert session.get(ProductContact, link_id).status == "revoked"
        assert not contacts.may(bob, holder_things["product"], "see")
