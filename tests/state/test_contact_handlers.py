"""Contacts through the event handlers, as the browser calls them: the holder invites on
/contacts (bad input by its field), the invitee accepts, then sees the product under
"Gérés pour d'autres" and on its page only what a technical contact may; the holder
revokes, and the contact's page loses the product."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.products.contact_models import ProductContact
from o2portal.products.models import Product
from o2portal.web.customer.contacts.state import ContactsState
from o2portal.web.customer.services.product_state import ProductState
from o2portal.web.customer.services.state import ServicesState
from o2portal.web.staff.customers.state import AdminCustomerState
from o2portal.web.staff.products.product_state import AdminProductState
from tests.state.conftest import make_state, run
from tests.unit.helpers import count, outbox


@pytest.fixture
def shop(people):
    """Alice's domain, with its name servers."""
    with transaction() as session:
        product = Product(
            customer_id=people["customer"]["alice"].id,
            kind="domain",
            name="alice-boutique.fr",
            offer_code="fr",
            start_date=clock.today() - timedelta(days=30),
            expiry_date=clock.today() + timedelta(days=200),
            nameservers_json=json.dumps(["ns1.o2switch.net", "ns2.o2switch.net"]),
        )
        session.add(product)
        session.flush()
        return product.id


def _page(people, who: str, state_cls=ContactsState, path: str = "/contacts"):
    state = make_state(state_cls, token=people["token"][who], path=path)
    run(state, "load")
    return state


def _invite(people, shop, email="bob@example.fr"):
    alice = _page(people, "alice")
    run(alice, "invite", {"product_id": str(shop), "email": email, "role": "technical"})
    return alice


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"email": "alice@example.fr"}, "email"),  # herself
        ({"email": "personne@example.fr"}, "email"),  # unknown
        ({"email": "pas une adresse"}, "email"),
        ({"role": "owner"}, "role"),
        ({"role": {"x": 1}}, "role"),
        ({"product_id": "0"}, "product_id"),
        ({"product_id": ["1"]}, "product_id"),
    ],
)
def test_a_bad_invitation_shows_its_message_by_the_field(people, shop, form, field):
    alice = _page(people, "alice")
    sent = {"product_id": str(shop), "email": "bob@example.fr", "role": "technical"} | form
    run(alice, "invite", sent)
    assert field in alice.errors and alice.errors[field]
    assert alice.message == ""
    assert count(ProductContact) == 0
    assert outbox("contact_invited") == []


def test_invite_accept_manage_and_revoke(people, shop):
    alice = _invite(people, shop)
    assert alice.errors == {} and alice.message
    assert [r["contact"] for r in alice.mine] == ["Bob Test"]
    assert [p["id"] for p in alice.products] == [str(shop)]

    bob = _page(people, "bob")
    (invitation,) = bob.invitations
    assert invitation["holder"] == "Alice Test" and invitation["product"] == "alice-boutique.fr"
    run(bob, "accept", invitation["id"])
    assert bob.invitations == [] and [c["product"] for c in bob.clients] == ["alice-boutique.fr"]
    # The contact sees the holder by name only, never her address.
    assert all(c["email"] == "" for c in bob.clients)

    services = _page(people, "bob", ServicesState, "/services")
    assert [m["name"] for m in services.managed] == ["alice-boutique.fr"]
    assert services.managed[0]["holder"] == "Alice Test"

    page = _page(people, "bob", ProductState, f"/services/{shop}")
    assert page.found and page.contact_role == "technical" and page.holder_name == "Alice Test"
    assert page.invoices == [] and page.renewable is False and page.quote == {}
    run(page, "save_nameservers", {"ns1": "ns1.agence.net", "ns2": "ns2.agence.net"})
    assert page.ns_errors == {} and page.ns_message
    assert page.nameservers[:2] == ["ns1.agence.net", "ns2.agence.net"]

    alice = _page(people, "alice")
    assert [a["action"] for a in alice.actions][:1] == ["a changé les serveurs DNS"]
    run(alice, "revoke", alice.mine[0]["id"])
    assert alice.message and alice.mine[0]["open"] == ""

    # The contact's open page: the next thing it sends finds the access gone.
    run(page, "save_nameservers", {"ns1": "ns1.pirate.net", "ns2": "ns2.pirate.net"})
    assert page.found is False and page.access_removed is True
    assert (page.name, page.details, page.nameservers) == ("", [], [])
    with read_session() as session:
        assert "pirate" not in session.get(Product, shop).nameservers_json
    assert _page(people, "bob", ProductState, f"/services/{shop}").found is False
    assert _page(people, "bob", ServicesState, "/services").managed == []


def test_forged_ids_on_contacts_change_nothing(people, shop):
    _invite(people, shop)
    with read_session() as session:
        (link,) = session.exec(select(ProductContact)).all()
    # Sam (support, as a customer) and Bob try Alice's side; Alice tries Bob's.
    for who, handler in (("bob", "revoke"), ("ada", "revoke"), ("alice", "accept")):
        state = _page(people, who)
        for forged in (str(link.id), "0", "-1", "1e3", "9" * 40):
            run(state, handler, forged)
            assert state.message == ""
            assert state.notice
    with read_session() as session:
        assert session.get(ProductContact, link.id).status == "invited"


def test_staff_see_both_directions_and_revoke(people, shop):
    _invite(people, shop)
    bob = _page(people, "bob")
    run(bob, "accept", bob.invitations[0]["id"])
    sam = make_state(
        AdminCustomerState,
        token=people["token"]["sam"],
        path=f"/admin/customers/{people['customer']['bob'].id}",
    )
    run(sam, "load")
    (row,) = sam.contacts
    assert row["holder"] == "Alice Test" and row["open"] == "1"
    run(sam, "revoke_contact", row["id"])
    assert sam.contacts[0]["open"] == ""
    assert [m.to_addr for m in outbox("contact_revoked")] == ["bob@example.fr"]
    # The product's history on the staff side, in words.
    product_page = make_state(
        AdminProductState, token=people["token"]["sam"], path=f"/admin/products/{shop}"
    )
    run(product_page, "load")
    said = [e["what"] for e in product_page.events]
    assert {"Contact invité", "Invitation de contact acceptée", "Accès de contact retiré"} <= set(
        said
    )
