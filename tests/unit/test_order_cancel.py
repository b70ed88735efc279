"""Unpaid order forms can be cancelled (by their customer or an admin, or by the job after
30 days): they can no longer be paid, and the domain names they held are free again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from o2portal.billing import staff as admin_billing
from o2portal.billing.models import Invoice, Order
from o2portal.billing.order_forms import (
    UNPAID_ORDER_DAYS,
    cancel_order_form,
    cancel_stale_order_forms,
)
from o2portal.billing.orders import CartItem, search_domain
from o2portal.billing.payments import PaymentChoice
from o2portal.core import clock
from o2portal.core.db import read_session
from o2portal.core.errors import NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.mail.models import OutboxEmail
from o2portal.products.models import Product
from tests.unit.helpers import actor
from tests.unit.test_orders_rules import count, order, person

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def transfer_order(buyer: int, name: str, key: str) -> int:
    items = [CartItem("domain", domain=name, action="register", years=1)]
    outcome = order(buyer, items, key, PaymentChoice("transfer"))
    assert outcome.status == "pending"
    return outcome.order_id


def form(order_id: int) -> Order:
    with read_session() as session:
        return session.get(Order, order_id)


def test_the_customer_cancels_an_unpaid_form_and_the_name_is_free_again(db):
    buyer, rival = person("buyer@example.fr"), person("rival@example.fr")
    admin = person("admin@example.fr", role="admin")
    order_id = transfer_order(buyer, "reserve-annule.fr", "k-cancel-1")
    assert search_domain("reserve-annule.fr").available is False

    assert cancel_order_form(actor(buyer), order_id, ip="192.0.2.1") is True
    cancelled = form(order_id)
    assert cancelled.status == "cancelled" and cancelled.cancelled_at is not None
    assert search_domain("reserve-annule.fr").available is True
    assert count(AuditEvent, AuditEvent.action == "order.cancelled") == 1
    # Cancelling again changes nothing; a transfer arriving late issues no invoice.
    assert cancel_order_form(actor(buyer), order_id) is False
    admin_billing.mark_paid(actor(admin), order_id, "transfer", "VIR-TARDIF")
    assert form(order_id).status == "cancelled"
    assert count(Invoice) == 0 and count(Product) == 0
    # The name can now be bought by someone else.
    outcome = order(
        rival,
        [CartItem("domain", domain="reserve-annule.fr", action="register")],
        "k-rival-buys-it",
    )
    assert outcome.status == "paid"


def test_nobody_else_cancels_a_customers_form(db):
    buyer, other = person("buyer@example.fr"), person("other@example.fr")
    support = person("support@example.fr", role="support")
    admin = person("admin@example.fr", role="admin")
    order_id = transfer_order(buyer, "a-moi.fr", "k-cancel-2")
    for intruder in (other, support):
        with pytest.raises(NotAllowed):
            cancel_order_form(actor(intruder), order_id)
    with pytest.raises(NotAllowed):
        cancel_order_form(actor(buyer), 999_999)
    assert form(order_id).status == "unpaid"
    assert search_domain("a-moi.fr").available is False
    assert cancel_order_form(actor(admin), order_id) is True
    assert form(order_id).status == "cancelled"


def test_a_paid_form_cannot_be_cancelled(db):
    buyer = person("buyer@example.fr")
    admin = person("admin@example.fr", role="admin")
    order_id = transfer_order(buyer, "deja-paye.fr", "k-cancel-3")
    admin_billing.mark_paid(actor(admin), order_id, "transfer", "VIR-1")
    assert cancel_order_form(actor(buyer), order_id) is False
    assert form(order_id).status == "paid"


def test_the_job_cancels_forms_left_unpaid_for_thirty_days_and_tells_the_customer(db):
    buyer = person("buyer@example.fr")
    with clock.frozen_at(T0):
        old = transfer_order(buyer, "vieux-bon.fr", "k-cancel-old")
    with clock.frozen_at(T0 + timedelta(days=5)):
        recent = transfer_order(buyer, "bon-recent.fr", "k-cancel-recent")

    with clock.frozen_at(T0 + timedelta(days=UNPAID_ORDER_DAYS - 1)):
        assert cancel_stale_order_forms() == 0
    with clock.frozen_at(T0 + timedelta(days=UNPAID_ORDER_DAYS, hours=1)):
        assert cancel_stale_order_forms() == 1
        assert cancel_stale_order_forms() == 0
    assert form(old).status == "cancelled" and form(recent).status == "unpaid"
    assert search_domain("vieux-bon.fr").available is True
    assert search_domain("bon-recent.fr").available is False
    with read_session() as session:
        mails = session.exec(select(OutboxEmail).where(OutboxEmail.kind == "order_cancelled")).all()
    assert len(mails) == 1 and "annulé" in mails[0].subject
    assert form(old).status == "cancelled"
