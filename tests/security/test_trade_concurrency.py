"""A change of holder under concurrency (products/trades.py): two accepts of one offer (two
tabs, a double click on two workers), an accept racing the old holder's renewal, and two
offers of one product at once. Threads start together on a Barrier and go through the real
rules; with O2PORTAL_TEST_DB=postgresql these are real parallel transactions, which the
row locks must serialize."""

from __future__ import annotations

import pytest
from sqlmodel import select

from o2portal.billing.models import Order, OrderLine
from o2portal.billing.payments import PaymentChoice
from o2portal.billing.renewals import renew_product
from o2portal.core.db import read_session
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.products import trades
from o2portal.products.models import HolderChange, Product
from tests.security.test_billing_concurrency import (
    new_customer,
    new_products,
    run_together,
    shop,  # noqa: F401 - a fixture
)
from tests.unit.helpers import actor, count

ROUNDS = 5


@pytest.fixture
def parties(shop):  # noqa: F811 - the fixture imported above
    holder = new_customer("marie@example.com")
    recipient = new_customer("paul@example.com")
    other = new_customer("lea@example.com")
    return holder, recipient, other


def _owner(product_id: int) -> int:
    with read_session() as session:
        return session.get(Product, product_id).customer_id


def test_two_accepts_at_once_move_the_product_once(parties):
    holder, recipient, _ = parties
    for product_id, _expiry in new_products(holder, ROUNDS):
        change_id = trades.offer_product(actor(holder), product_id, "paul@example.com")
        results = run_together(
            [lambda c=change_id: trades.accept_offer(actor(recipient), c) for _ in range(2)]
        )
        assert sorted(type(r).__name__ for r in results) == ["InvalidInput", "int"]
        (refused,) = [r for r in results if isinstance(r, InvalidInput)]
        assert refused.errors == {"offer": "trade.error_closed"}
        assert _owner(product_id) == recipient
    with read_session() as session:
        moves = session.exec(
            select(AuditEvent.id).where(AuditEvent.action == "product.holder_changed")
        ).all()
    assert len(moves) == 2 * ROUNDS  # one event in each customer's log, per product


def test_an_accept_racing_the_old_holders_renewal_never_both_win(parties):
    holder, recipient, _ = parties
    outcomes = set()
    for product_id, expiry in new_products(holder, ROUNDS):
        change_id = trades.offer_product(actor(holder), product_id, "paul@example.com")
        accept = lambda c=change_id: trades.accept_offer(actor(recipient), c)  # noqa: E731
        renew = lambda p=product_id, e=expiry: renew_product(  # noqa: E731
            customer_id=holder,
            product_id=p,
            years=1,
            expected_expiry=e,
            choice=PaymentChoice("transfer"),
            key=f"race-{p}-transfer-renewal",
        )
        accepted, renewed = run_together([accept, renew])
        with read_session() as session:
            forms = session.exec(
                select(Order)
                .join(OrderLine, OrderLine.order_id == Order.id)
                .where(OrderLine.product_id == product_id)
            ).all()
            status = session.get(HolderChange, change_id).status
        if isinstance(renewed, NotAllowed):
            # The accept took the product first: the old holder's renewal found it gone.
            assert accepted == product_id and _owner(product_id) == recipient
            assert status == "accepted" and forms == []
            outcomes.add("accept first")
        else:
            # The renewal's order form (a transfer awaited) came first: no change of hands.
            assert renewed.status == "pending"
            assert isinstance(accepted, InvalidInput)
            assert accepted.errors == {"offer": "trade.blocked_offline_payment"}
            assert _owner(product_id) == holder and status == "offered"
            assert len(forms) == 1
            outcomes.add("renewal first")
        # Whichever won, the old holder's forms are theirs, nobody else's.
        assert all(form.customer_id == holder for form in forms)
    assert outcomes  # at least one round decided


def test_two_offers_of_one_product_at_once_make_one(parties):
    holder, _, _ = parties
    for product_id, _expiry in new_products(holder, ROUNDS):
        results = run_together(
            [
                lambda p=product_id, e=email: trades.offer_product(actor(holder), p, e)
                for email in ("paul@example.com", "lea@example.com")
            ]
        )
        assert sorted(type(r).__name__ for r in results) == ["InvalidInput", "int"]
        (refused,) = [r for r in results if isinstance(r, InvalidInput)]
        assert refused.errors == {"email": "trade.error_pending"}
    assert count(HolderChange) == ROUNDS
