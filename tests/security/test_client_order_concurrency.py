"""Orders for a client and administrative contacts under concurrency: one accepted order
paid at once by the webmaster twice (a double click, two tabs) and by the client; two
answers of one proposal; a revocation racing the webmaster's payment; an administrative
contact's renewal racing the holder's, and racing the revocation of their access.
Threads start together on a Barrier and go through the real rules; with
O2PORTAL_TEST_DB=postgresql these are real parallel transactions, which the row locks must
serialize."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import col, func, select

from o2portal.billing import client_orders
from o2portal.billing.checkout import pay_order
from o2portal.billing.invoices import change_credit
from o2portal.billing.models import ClientOrder, Invoice, Order, OrderLine, Payment, PaymentStatus
from o2portal.billing.orders import CartItem
from o2portal.billing.payments import PaymentChoice
from o2portal.billing.renewals import renew_product
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.integrations.models import GatewayCharge
from o2portal.products import contacts
from o2portal.products.contact_models import ContactAction, ProductContact
from o2portal.products.models import Product
from tests.security.test_billing_concurrency import (
    card,
    new_customer,
    run_together,
    shop,  # noqa: F401 - a fixture
)

ROUNDS = 4


@pytest.fixture
def parties(shop):  # noqa: F811 - the fixture imported above
    webmaster = new_customer("agence@example.com")
    client = new_customer("client@example.com")
    with transaction() as session:
        change_credit(session, webmaster, 1_000_000, "Avoir agence")
        change_credit(session, client, 1_000_000, "Avoir client")
    return webmaster, client


def _accepted(webmaster: int, client: int, n: int) -> tuple[int, int]:
    items = [CartItem("hosting", code="grow", years=1, domain=f"course-{n}.fr", action="register")]
    proposal_id = client_orders.propose(
        webmaster, items, "client@example.com", key=f"race-proposal-{n:04d}"
    )
    order_id = client_orders.accept(
        client, proposal_id, terms_accepted=True, withdrawal_waived=True
    )
    return proposal_id, order_id


def _count(model, *where) -> int:
    with read_session() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def _paid_payments(order_id: int) -> int:
    return _count(Payment, Payment.order_id == order_id, Payment.status == PaymentStatus.SUCCEEDED)


def test_one_accepted_order_paid_at_once_by_both_sides_is_paid_once(parties):
    webmaster, client = parties
    for n in range(ROUNDS):
        _proposal, order_id = _accepted(webmaster, client, n)
        charges_before = _count(GatewayCharge)

        def pay(who: int, key: str, order_id: int = order_id):
            return lambda: pay_order(customer_id=who, order_id=order_id, choice=card(), key=key)

        results = run_together(
            [
                pay(webmaster, f"tab-a-{n:04d}"),
                pay(webmaster, f"tab-a-{n:04d}"),  # the same form, clicked twice
                pay(webmaster, f"tab-b-{n:04d}"),  # a second tab
                pay(client, f"client-{n:04d}"),  # the client, at the same moment
            ]
        )
        assert not [r for r in results if isinstance(r, Exception)], results
        assert {r.status for r in results} <= {"paid", "pending"}, results
        # The webmaster's outcomes never name the client's invoice.
        assert all(r.invoice_number is None for r in results[:3])
        assert _paid_payments(order_id) == 1
        assert _count(Payment, Payment.order_id == order_id) == 1  # the others never started
        assert _count(GatewayCharge) == charges_before + 1
        assert _count(Invoice, Invoice.order_id == order_id) == 1
        with read_session() as session:
            order = session.get(Order, order_id)
            made = session.exec(select(Product).where(Product.name == f"course-{n}.fr")).all()
        assert order.status == "paid"
        assert sorted(p.kind for p in made) == ["domain", "hosting"]
        assert {p.customer_id for p in made} == {client}
        links = _count(
            ProductContact,
            ProductContact.contact_id == webmaster,
            ProductContact.role == "administrative",
        )
        assert links == 2 * (n + 1)


def test_two_answers_of_one_proposal_make_one_order_form(parties):
    webmaster, client = parties
    for n in range(ROUNDS):
        items = [CartItem("server", code="infogere-s")]
        proposal_id = client_orders.propose(
            webmaster, items, "client@example.com", key=f"twice-{n:04d}"
        )
        results = run_together(
            [
                lambda p=proposal_id: client_orders.accept(
                    client, p, terms_accepted=True, withdrawal_waived=True
                ),
                lambda p=proposal_id: client_orders.accept(
                    client, p, terms_accepted=True, withdrawal_waived=True
                ),
                lambda p=proposal_id: client_orders.cancel(webmaster, p),
            ]
        )
        kinds = Counter(type(r).__name__ for r in results)
        with read_session() as session:
            proposal = session.get(ClientOrder, proposal_id)
            forms = session.exec(
                select(Order).where(Order.idempotency_key == f"client-order:{proposal_id}")
            ).all()
        if proposal.status == "accepted":
            assert kinds == Counter({"int": 1, "InvalidInput": 2}), results
            assert len(forms) == 1 and proposal.order_id == forms[0].id
        else:
            assert proposal.status == "cancelled"
            assert kinds == Counter({"NoneType": 1, "InvalidInput": 2}), results
            assert forms == []


def test_a_revocation_racing_the_webmasters_payment_leaves_one_consistent_end(parties):
    webmaster, client = parties
    for n in range(ROUNDS):
        proposal_id, order_id = _accepted(webmaster, client, 100 + n)
        results = run_together(
            [
                lambda o=order_id, k=f"credit-{n:04d}": pay_order(
                    customer_id=webmaster, order_id=o, choice=PaymentChoice("credit"), key=k
                ),
                lambda p=proposal_id: client_orders.revoke(client, p),
            ]
        )
        paid, revoked = results
        with read_session() as session:
            status = session.get(ClientOrder, proposal_id).status
            order = session.get(Order, order_id)
            made = [
                p.id
                for p in session.exec(
                    select(Product).where(Product.name == f"course-{100 + n}.fr")
                ).all()
            ]
            granted = session.exec(
                select(ProductContact).where(col(ProductContact.product_id).in_(made or [0]))
            ).all()
        if isinstance(paid, InvalidInput):
            # The revocation came first: nothing paid, nobody made a contact.
            assert paid.errors == {"method": "error.agent_right_gone"} and revoked is None
            assert (status, order.status, made) == ("revoked", "unpaid", [])
        else:
            # The payment came first: the product is the client's, the webmaster its
            # contact, and there was no right left to take back on this order.
            assert paid.status == "paid" and isinstance(revoked, InvalidInput)
            assert (status, order.status) == ("accepted", "paid")
            assert len(made) == 2 and len(granted) == 2
        assert _paid_payments(order_id) == (0 if isinstance(paid, InvalidInput) else 1)


def _managed(webmaster: int, client: int, n: int) -> tuple[int, int]:
    today = clock.today()
    with transaction() as session:
        product = Product(
            customer_id=client,
            kind="hosting",
            name=f"gere-{n}.fr",
            offer_code="grow",
            start_date=today - timedelta(days=300),
            expiry_date=today + timedelta(days=40),
        )
        session.add(product)
        session.flush()
        product_id = product.id
    link_id = contacts.invite(client, product_id, "agence@example.com", "administrative")
    contacts.answer(webmaster, link_id, True)
    return product_id, link_id


def _renewal(who: int, product_id: int, key: str):
    with read_session() as session:
        expiry = session.get(Product, product_id).expiry_date
    return lambda: renew_product(
        customer_id=who,
        product_id=product_id,
        years=1,
        expected_expiry=expiry,
        choice=PaymentChoice("credit"),
        key=key,
    )


def test_the_contact_and_the_holder_renewing_at_once_renew_once(parties):
    webmaster, client = parties
    for n in range(ROUNDS):
        product_id, _link = _managed(webmaster, client, n)
        with read_session() as session:
            before = session.get(Product, product_id).expiry_date
        results = run_together(
            [
                _renewal(webmaster, product_id, f"contact-renews-{n:04d}"),
                _renewal(client, product_id, f"holder-renews-{n:04d}"),
            ]
        )
        paid = [r for r in results if not isinstance(r, Exception) and r.status == "paid"]
        refused = [r for r in results if isinstance(r, InvalidInput)]
        assert len(paid) == 1 and len(refused) == 1, results
        assert refused[0].errors["years"] in ("error.renewal_changed", "error.payment_in_progress")
        with read_session() as session:
            after = session.get(Product, product_id).expiry_date
            invoices = session.exec(
                select(Invoice)
                .join(Order, Order.id == Invoice.order_id)
                .where(Order.customer_id == client, Order.kind == "renewal")
            ).all()
        assert after.year == before.year + 1
        assert len(invoices) == n + 1  # each made out to the holder


def test_a_renewal_racing_the_revocation_of_the_contact(parties):
    webmaster, client = parties
    for n in range(2 * ROUNDS):  # the window is narrow: more rounds to catch a slip
        product_id, link_id = _managed(webmaster, client, 50 + n)
        results = run_together(
            [
                _renewal(webmaster, product_id, f"late-renewal-{n:04d}"),
                lambda lid=link_id: contacts.revoke(client, lid),
            ]
        )
        renewal, revoked = results
        assert revoked is None, results  # the revocation always goes through
        with read_session() as session:
            renewed = session.exec(
                select(ContactAction).where(
                    ContactAction.link_id == link_id, ContactAction.action == "renewed"
                )
            ).all()
            link = session.get(ProductContact, link_id)
            paid_at = session.exec(
                select(Order.paid_at)
                .where(Order.agent_id == webmaster, Order.paid_at.is_not(None))
                .join(OrderLine, OrderLine.order_id == Order.id)
                .where(OrderLine.product_id == product_id)
            ).first()
        if isinstance(renewal, NotAllowed):
            assert renewed == [] and paid_at is None  # revoked first: nothing renewed
        else:
            # Renewed first: the revocation waited for it, nothing of theirs came after it.
            assert renewal.status == "paid" and len(renewed) == 1
            assert paid_at <= link.revoked_at
        assert not contacts.may(webmaster, product_id, "see")
