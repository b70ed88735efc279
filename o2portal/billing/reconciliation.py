"""Reconciliation: a card payment left "processing" (the process died between the charge
and the invoice, or the gateway's answer never came) is settled by asking the gateway what
became of its reference. Exactly once: the payment row is locked and re-read, and only a
payment still processing is settled, so two runners, or a late answer to the original
request, find it done."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import col, select

from o2portal.accounts.models import Customer
from o2portal.billing.models import Order, Payment, PaymentStatus
from o2portal.billing.settlement import locked_payment, refuse, settle_succeeded
from o2portal.core import clock
from o2portal.core.batches import JOB_BATCH, ItemFailures
from o2portal.core.db import read_session, transaction
from o2portal.integrations.gateway import GatewayTimeout, card_gateway

# A charge answers in seconds; a payment processing longer than this lost its answer.
STALE_AFTER = timedelta(minutes=5)
BATCH = JOB_BATCH


def stale_payments(now=None) -> list[int]:
    cutoff = (now or clock.now()) - STALE_AFTER
    with read_session() as session:
        return list(
            session.exec(
                select(Payment.id)
                .where(
                    Payment.status == PaymentStatus.PROCESSING,
                    Payment.method == "card",
                    col(Payment.created_at) <= cutoff,
                )
                .order_by(col(Payment.id))
                .limit(BATCH)
            ).all()
        )


def reconcile_payment(payment_id: int) -> str:
    """completed | credited | refused | voided | already | unreachable"""
    with read_session() as session:
        reference = session.get(Payment, payment_id).idempotency_key
    try:
        result = card_gateway().status(reference)
    except GatewayTimeout:
        return "unreachable"  # the next run asks again
    with transaction() as session:
        payment = locked_payment(session, payment_id)
        if payment.status != PaymentStatus.PROCESSING:
            return "already"
        order = session.get(Order, payment.order_id)
        if result is None:
            # The gateway never received the charge: nothing was taken.
            refuse(
                session,
                payment,
                order,
                status=PaymentStatus.FAILED,
                reason="no charge at the gateway",
            )
            return "voided"
        if result.status != "succeeded":
            refuse(session, payment, order, status=PaymentStatus.DECLINED, reason=result.status)
            return "refused"
        customer = session.get(Customer, payment.customer_id)
        outcome = settle_succeeded(
            session, payment, order, customer, result.charge_ref, result.last4
        )
        return "completed" if outcome.status == "paid" else outcome.status


def reconcile_payments(_last_run: date | None = None) -> dict:
    """The job: every card payment processing for too long, asked and settled."""
    counts: dict[str, int] = {}
    failures = ItemFailures()
    for payment_id in stale_payments():
        with failures.item(f"reconciliation of payment {payment_id}"):
            outcome = reconcile_payment(payment_id)
            counts[outcome] = counts.get(outcome, 0) + 1
    return {**counts, **failures.summary()}
