"""What becomes of a card payment once its outcome is known, from the gateway's answer or
from reconciliation: settled (the order applied and invoiced, or, when it can no longer
be, the money put on the customer's account credit), or refused (kept with its reason).
Also the outcome a customer is shown, and the limit on refused card payments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer, SavedCard
from o2portal.billing import invoices as billing
from o2portal.billing.fulfilment import check_still_renewable, complete_order, expiries
from o2portal.billing.models import Order, OrderStatus, Payment, PaymentStatus
from o2portal.billing.order_forms import mark_cancelled
from o2portal.catalog.models import PromoCode
from o2portal.core import audit, clock
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.integrations.gateway import CardToken
from o2portal.products import provisioning

# Card testing: refused card payments allowed in the last hour, per account and per address.
CARD_REFUSALS_PER_CUSTOMER = 5
CARD_REFUSALS_PER_IP = 10
REFUSALS_WINDOW = timedelta(hours=1)


@dataclass
class PaymentOutcome:
    status: str  # paid | pending | declined | retry | failed | credited
    order_id: int | None = None
    invoice_number: str | None = None
    message_key: str | None = None
    new_expiries: dict[int, date] | None = None


def paid_outcome(session: Session, order: Order, invoice) -> PaymentOutcome:
    """What the customer is shown once the order form is paid: the invoice's number and
    the products' new expiry dates."""
    return PaymentOutcome("paid", order.id, invoice.number, "pay.done", expiries(session, order))


def payment_reference(key: str, order_id: int) -> str:
    """A payment's idempotency key, which is also its reference at the gateway: one per
    submitted form and order form, so that a replay reaches the same charge."""
    return f"{key}:{order_id}"[:100]


def check_card_attempts(session: Session, customer_id: int, ip: str | None) -> None:
    """Card testing: too many refused card payments in the last hour, from this account
    or this address, and the card form is refused before any charge."""
    since = clock.now() - REFUSALS_WINDOW
    refused = (
        select(func.count())
        .select_from(Payment)
        .where(
            Payment.method == "card",
            col(Payment.status).in_((PaymentStatus.DECLINED, PaymentStatus.FAILED)),
            col(Payment.created_at) >= since,
        )
    )
    by_customer = session.exec(refused.where(Payment.customer_id == customer_id)).one()
    by_ip = session.exec(refused.where(Payment.ip == ip)).one() if ip else 0
    if by_customer >= CARD_REFUSALS_PER_CUSTOMER or by_ip >= CARD_REFUSALS_PER_IP:
        raise InvalidInput({"method": "error.card_attempts"})


def locked_payment(session: Session, payment_id: int) -> Payment:
    """The payment row, locked and read fresh: whoever settles it first, the other sees it
    settled."""
    return session.exec(
        select(Payment)
        .where(Payment.id == payment_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def made_with(payment: Payment, order: Order) -> bool:
    """The order form was written for this very payment (place_and_pay), not paid later."""
    return payment.idempotency_key == payment_reference(order.idempotency_key or "", order.id)


def refuse(
    session: Session, payment: Payment, order: Order, *, status: str, reason: str, ip=None
) -> None:
    """Record a refusal, never delete it: the payment keeps its reason; an order form
    written for this payment is refused and gives back its domain names and promo use,
    while one the customer came back to pay stays unpaid."""
    now = clock.now()
    payment.status, payment.failure_reason, payment.completed_at = status, reason[:300], now
    session.add(payment)
    if made_with(payment, order) and order.status == OrderStatus.UNPAID:
        order.status, order.cancelled_at = OrderStatus.REFUSED, now
        session.add(order)
        provisioning.release_holds(session, order.id)
        if order.promo_code_id is not None:  # one conditional UPDATE, as taking it
            session.execute(
                update(PromoCode)
                .where(PromoCode.id == order.promo_code_id, PromoCode.used_count > 0)
                .values(used_count=PromoCode.used_count - 1)
            )
    audit.about(
        session,
        "payment.refused",
        order,
        ip=ip,
        outcome=status,
        reason=reason[:300],
    )


def settle_succeeded(
    session: Session,
    payment: Payment,
    order: Order,
    customer: Customer,
    charge_ref: str | None,
    last4: str | None,
    *,
    ip: str | None = None,
    save: CardToken | None = None,
) -> PaymentOutcome:
    """The money is taken: the payment succeeded, for good. The order is applied and
    invoiced; if it can no longer be (a domain released meanwhile, a form cancelled), the
    amount goes to the customer's account credit instead, never lost."""
    payment.status = PaymentStatus.SUCCEEDED
    payment.gateway_ref = charge_ref
    payment.card_last4 = last4
    payment.completed_at = clock.now()
    session.add(payment)
    if save is not None:
        session.add(
            SavedCard(
                customer_id=customer.id,
                gateway_token=save.token,
                brand=save.brand,
                last4=save.last4,
                exp_month=save.exp_month,
                exp_year=save.exp_year,
                created_at=clock.now(),
            )
        )
    if order.status == OrderStatus.UNPAID:
        try:
            with session.begin_nested():
                check_still_renewable(session, order)  # it may be long after the charge
                invoice = complete_order(session, order, "card", ip=ip)
        except (InvalidInput, NotAllowed) as exc:
            reason = str(exc)[:200]
        else:
            return paid_outcome(session, order, invoice)
    else:
        reason = f"order form {order.status}"
    billing.change_credit(
        session,
        customer.id,
        payment.amount_cents,
        f"Paiement {billing.order_reference(order)} non appliqué",
        payment_id=payment.id,
    )
    if order.status == OrderStatus.UNPAID:
        mark_cancelled(session, order, actor=None, ip=ip, reason="payment_not_applicable")
        provisioning.release_holds(session, order.id)
    audit.about(session, "payment.credited", order, ip=ip, reason=reason)
    return PaymentOutcome("credited", order.id, message_key="pay.credited")
