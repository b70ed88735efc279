"""Bank transfer and cheque: staff records the payment; issued invoices never change."""

from __future__ import annotations

import pytest
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.billing.checkout import record_offline_payment
from o2portal.billing.models import Invoice, Order, OrderLine, Payment
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.demo.seed import seed_demo
from o2portal.products.models import Product
from tests.unit.helpers import actor


def _people():
    with read_session() as session:
        by_email = {c.email: c for c in session.exec(select(Customer)).all()}
        order = session.exec(
            select(Order).where(
                Order.customer_id == by_email["client@o2portal.example"].id,
                Order.status == "unpaid",
            )
        ).one()
        line = session.exec(select(OrderLine).where(OrderLine.order_id == order.id)).one()
        product = session.get(Product, line.product_id)
    return by_email, order, product


def test_staff_marks_a_transfer_paid_and_the_invoice_is_issued(db):
    seed_demo()
    people, order, product = _people()
    outcome = record_offline_payment(
        staff=actor(people["admin@o2portal.example"]),
        order_id=order.id,
        method="transfer",
        reference="VIR 2026-11-26 DUPONT",
    )
    assert outcome.status == "paid"
    assert outcome.invoice_number.startswith("F")
    with read_session() as session:
        assert session.get(Order, order.id).status == "paid"
        payment = session.exec(select(Payment).where(Payment.order_id == order.id)).one()
        assert payment.recorded_by_id == people["admin@o2portal.example"].id
        assert payment.method == "transfer"
        assert session.get(Product, product.id).expiry_date > product.expiry_date
    # Recording it twice changes nothing more.
    again = record_offline_payment(
        staff=actor(people["admin@o2portal.example"]), order_id=order.id, method="transfer"
    )
    assert again.invoice_number == outcome.invoice_number


def test_customers_cannot_record_payments(db):
    seed_demo()
    people, order, product = _people()
    with pytest.raises(NotAllowed):
        record_offline_payment(
            staff=actor(people["client@o2portal.example"]), order_id=order.id, method="cheque"
        )
    with pytest.raises(InvalidInput):
        record_offline_payment(
            staff=actor(people["admin@o2portal.example"]), order_id=order.id, method="card"
        )
    with read_session() as session:
        assert session.get(Order, order.id).status == "unpaid"
        assert session.get(Product, product.id).expiry_date == product.expiry_date


def test_an_issued_invoice_cannot_be_changed_or_deleted(db):
    seed_demo()
    with pytest.raises(ValueError, match="never changes"), transaction() as session:
        invoice = session.exec(select(Invoice)).first()
        invoice.total_ttc_cents += 100
        session.add(invoice)
    with pytest.raises(ValueError, match="never changes"), transaction() as session:
        session.delete(session.exec(select(Invoice)).first())
    with read_session() as session:
        first = session.exec(select(Invoice).order_by(Invoice.id)).first()
        assert first.number.endswith("-000001")
