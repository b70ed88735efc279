"""Paying an order form: one path for renewals, orders and unpaid order forms.

A card payment runs in three steps so that no database lock is held while the gateway
answers: (1) one transaction checks everything, writes the order form and a payment
"processing"; (2) the gateway charges; (3) one transaction turns the payment into an
invoice and applies the order (or, on a refusal, takes back what step 1 wrote). The
idempotency key makes a second click or a replay land on the same order form, and an
order form never has two payments processing at once.

`cancel_stale_order_forms` (billing/order_forms.py) is imported here as `name as name`
for billing/scheduled.py, which still names it through this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from o2portal.accounts.models import Customer, SavedCard
from o2portal.billing import invoices as billing
from o2portal.billing.fulfilment import RENEWAL_ACTIONS, complete_order, expiries
from o2portal.billing.models import Order, OrderLine, Payment
from o2portal.billing.order_forms import cancel_stale_order_forms as cancel_stale_order_forms
from o2portal.billing.payments import (
    METHODS,
    OFFLINE_METHODS,
    ChargeResult,
    PaymentChoice,
    card_gateway,
    processing_payment,
)
from o2portal.catalog.models import PromoCode
from o2portal.core import audit, clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.permissions import Actor
from o2portal.core.receipts import clean_key
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import Amount, Part
from o2portal.products import provisioning
from o2portal.products.expiry import renewal_dates
from o2portal.products.models import Product

RENEWABLE_STATUSES = ("active", "expired", "suspended")


@dataclass
class PaymentOutcome:
    status: str  # paid | pending | declined | retry | refused
    order_id: int | None = None
    invoice_number: str | None = None
    message_key: str | None = None
    new_expiries: dict[int, date] | None = None


def _paid(session: Session, order: Order, invoice) -> PaymentOutcome:
    """What the customer is shown once the order form is paid: the invoice's number and
    the products' new expiry dates."""
    return PaymentOutcome("paid", order.id, invoice.number, "pay.done", expiries(session, order))


# build(session, customer, idempotency_key) writes the order form and its lines.
BuildOrder = Callable[[Session, Customer, str], Order]


def place_and_pay(
    *, customer_id: int, key: str, choice: PaymentChoice, build: BuildOrder, ip: str | None = None
) -> PaymentOutcome:
    """Write a new order form with `build` and pay it. On a card refusal nothing stays.

    The key comes with the form the customer submitted: a second submission of that form
    (a double click, a replayed event, a reconnecting socket) reads the first outcome."""
    key = _clean_key(key)
    replay = replayed_outcome(customer_id, key)
    if replay is not None:
        return replay
    _check_choice(choice)
    try:
        with transaction() as session:
            existing = session.exec(select(Order).where(Order.idempotency_key == key)).first()
            if existing is not None:
                return _replay(session, existing, customer_id)
            customer = _customer(session, customer_id)
            order = build(session, customer, key)
            audit.about(session, "order.created", order, actor=customer, ip=ip)
            started = _start_payment(session, order, customer, choice, key, ip)
    except (IntegrityError, InvalidInput):
        # The same key submitted at the same moment from another socket: it won the race
        # (its order form holds the key, or its payment made this one's checks refuse).
        replay = replayed_outcome(customer_id, key)
        if replay is None:
            raise
        return replay
    if isinstance(started, PaymentOutcome):
        return started
    return _charge_and_finish(started, choice, discard_order=True, ip=ip)


def replayed_outcome(customer_id: int, key: str) -> PaymentOutcome | None:
    """The outcome of the order form already made with this key, if any."""
    with read_session() as session:
        existing = session.exec(select(Order).where(Order.idempotency_key == key)).first()
        return None if existing is None else _replay(session, existing, customer_id)


def _replay(session: Session, order: Order, customer_id: int) -> PaymentOutcome:
    if order.customer_id != customer_id:
        raise NotAllowed("idempotency key of another customer")
    return outcome_of(session, order)


def pay_order(
    *,
    customer_id: int,
    order_id: int,
    choice: PaymentChoice,
    key: str,
    expected_ttc_cents: int | None = None,
    ip: str | None = None,
) -> PaymentOutcome:
    """Pay an existing unpaid order form of the customer's. On a refusal it stays unpaid.
    `expected_ttc_cents`: the amount the customer saw on the form they submitted."""
    key = _clean_key(key)
    with transaction() as session:
        order = session.exec(select(Order).where(Order.id == order_id).with_for_update()).first()
        if order is None or order.customer_id != customer_id:
            raise NotAllowed("order of another customer")
        if order.status != "unpaid":
            return outcome_of(session, order)
        _check_choice(choice)
        if expected_ttc_cents is not None and expected_ttc_cents != order.total_ttc_cents:
            raise InvalidInput({"method": "error.form_stale"})
        customer = _customer(session, customer_id)
        if _product_payment_processing(session, order):
            return PaymentOutcome("pending", order.id, message_key="error.payment_in_progress")
        _check_still_renewable(session, order)
        started = _start_payment(session, order, customer, choice, key, ip)
    if isinstance(started, PaymentOutcome):
        return started
    return _charge_and_finish(started, choice, discard_order=False, ip=ip)


def outcome_of(session: Session, order: Order) -> PaymentOutcome:
    """What a replayed request answers: the order form as it stands."""
    if order.status == "paid":
        invoice = billing.invoice_of_order(session, order.id)
        return PaymentOutcome(
            "paid",
            order.id,
            invoice.number if invoice else None,
            "pay.done",
            expiries(session, order),
        )
    if processing_payment(session, order.id) is not None:
        return PaymentOutcome("pending", order.id, message_key="error.payment_in_progress")
    return PaymentOutcome("pending", order.id, message_key="pay.pending_offline")


def _check_choice(choice: PaymentChoice) -> None:
    if choice.method not in METHODS:
        raise InvalidInput({"method": "error.choice_invalid"})
    if choice.method == "card" and choice.card is None:
        raise InvalidInput({"card_number": "error.required"})


def _clean_key(key: str) -> str:
    try:
        return clean_key(key)
    except InvalidInput:
        raise InvalidInput({"method": "error.form_stale"}) from None


def _customer(session: Session, customer_id: int) -> Customer:
    """The paying customer, locked for the rest of the payment's first step: a customer's
    payments take their turn (their credit balance, their products' renewals), and the
    lock is taken before any row that refers to the customer is written, so that two
    payments never deadlock on the foreign key's own lock (FOR NO KEY UPDATE)."""
    customer = session.exec(
        select(Customer).where(Customer.id == customer_id).with_for_update(key_share=True)
    ).first()
    if customer is None or customer.disabled_at is not None:
        raise NotAllowed("no such customer")
    return customer


def _product_payment_processing(session: Session, order: Order) -> bool:
    """A payment processing for this order form or for another one about the same product
    (a renewal in a second tab): paying now would renew and charge twice."""
    product_ids = select(OrderLine.product_id).where(
        OrderLine.order_id == order.id, col(OrderLine.product_id).is_not(None)
    )
    return (
        session.exec(
            select(Payment.id)
            .join(OrderLine, col(OrderLine.order_id) == col(Payment.order_id))
            .where(Payment.status == "processing", col(OrderLine.product_id).in_(product_ids))
        ).first()
        is not None
    )


def _check_still_renewable(session: Session, order: Order) -> None:
    """An order form waits for its payment, and meanwhile a domain may be released or an
    account terminated: refuse before any money moves, not once the card is charged."""
    lines = session.exec(
        select(OrderLine).where(
            OrderLine.order_id == order.id, col(OrderLine.action).in_(RENEWAL_ACTIONS)
        )
    ).all()
    for line in lines:
        product = session.get(Product, line.product_id) if line.product_id else None
        if product is None:
            continue
        if (
            product.status not in RENEWABLE_STATUSES
            or renewal_dates(product.kind, product.expiry_date, line.years, clock.today()) is None
        ):
            raise InvalidInput({"years": "error.not_renewable"})


@dataclass
class _Started:
    payment_id: int
    order_id: int
    customer_id: int
    amount_cents: int
    key: str
    token: str | None


def _start_payment(
    session: Session,
    order: Order,
    customer: Customer,
    choice: PaymentChoice,
    key: str,
    ip: str | None,
) -> PaymentOutcome | _Started:
    if processing_payment(session, order.id) is not None:
        return PaymentOutcome("pending", order.id, message_key="error.payment_in_progress")
    if choice.method in OFFLINE_METHODS:
        order.payment_method = choice.method
        session.add(order)
        _notify_order_form(session, customer, order)
        return PaymentOutcome("pending", order.id, message_key=f"pay.pending_{choice.method}")
    if choice.method == "credit":
        if customer.credit_balance_cents < order.total_ttc_cents:
            raise InvalidInput({"method": "error.credit_insufficient"})
        payment = _payment(session, order, "credit", key, "succeeded")
        billing.change_credit(
            session,
            customer.id,
            -order.total_ttc_cents,
            f"Règlement {billing.order_reference(order)}",
            payment_id=payment.id,
        )
        invoice = complete_order(session, order, "credit", ip=ip)
        return _paid(session, order, invoice)
    token = None
    if choice.method == "saved_card":
        card = session.get(SavedCard, choice.saved_card_id or 0)
        if card is None or card.customer_id != customer.id or card.removed_at is not None:
            raise InvalidInput({"method": "error.card_unknown"})
        token = card.gateway_token
    payment = _payment(session, order, "card", key, "processing")
    return _Started(payment.id, order.id, customer.id, order.total_ttc_cents, key, token)


def _payment(session: Session, order: Order, method: str, key: str, status: str) -> Payment:
    payment = Payment(
        order_id=order.id,
        customer_id=order.customer_id,
        method=method,
        amount_cents=order.total_ttc_cents,
        status=status,
        idempotency_key=f"{key}:{order.id}:{clock.now().timestamp()}"[:100],
        created_at=clock.now(),
        completed_at=clock.now() if status == "succeeded" else None,
    )
    session.add(payment)
    session.flush()
    return payment


def _charge_and_finish(
    started: _Started, choice: PaymentChoice, *, discard_order: bool, ip: str | None
) -> PaymentOutcome:
    result = card_gateway().charge(
        reference=started.key,
        amount_cents=started.amount_cents,
        card=choice.card if started.token is None else None,
        token=started.token,
        save=choice.save_card and started.token is None,
    )
    with transaction() as session:
        payment = session.get(Payment, started.payment_id)
        order = session.get(Order, started.order_id)
        customer = session.get(Customer, started.customer_id)
        if result.status == "succeeded":
            return _card_succeeded(session, payment, order, customer, result, ip)
        audit.about(
            session,
            "payment.refused",
            order,
            actor=customer,
            ip=ip,
            outcome=result.status,
            last4=result.last4,
        )
        session.delete(payment)
        if discard_order:
            _discard(session, order)
        return PaymentOutcome(
            result.status, None if discard_order else order.id, message_key=result.message_key
        )


def _discard(session: Session, order: Order) -> None:
    """Take back everything the order form held: domain names, the promo code use."""
    provisioning.release_holds(session, order.id)
    if order.promo_code_id is not None:
        promo = session.get(PromoCode, order.promo_code_id)
        if promo is not None and promo.used_count > 0:
            promo.used_count -= 1
            session.add(promo)
    session.exec(delete(OrderLine).where(OrderLine.order_id == order.id))
    session.delete(order)


def _card_succeeded(
    session: Session,
    payment: Payment,
    order: Order,
    customer: Customer,
    result: ChargeResult,
    ip: str | None,
) -> PaymentOutcome:
    payment.status = "succeeded"
    payment.gateway_ref = result.charge_ref
    payment.card_last4 = result.last4
    payment.completed_at = clock.now()
    session.add(payment)
    if result.token:
        session.add(
            SavedCard(
                customer_id=customer.id,
                gateway_token=result.token,
                brand=result.brand or "Carte",
                last4=result.last4 or "",
                exp_month=0,
                exp_year=0,
                created_at=clock.now(),
            )
        )
    invoice = complete_order(session, order, "card", ip=ip)
    return _paid(session, order, invoice)


def _notify_order_form(session: Session, customer: Customer, order: Order) -> None:
    reference = billing.order_reference(order)
    # Transfer unless the customer chose a cheque (the only two offline methods).
    how = "order_form_cheque" if order.payment_method == "cheque" else "order_form_transfer"
    mailer.queue_for_customer(
        session,
        customer,
        "order_form",
        reference=reference,
        total=Amount(order.total_ttc_cents),
        how_to_pay=Part(how, reference=reference),
    )


def record_offline_payment(
    *, staff: Actor, order_id: int, method: str, reference: str = "", ip: str | None = None
) -> PaymentOutcome:
    """Staff saw the bank transfer or the cheque: the order form is paid, the invoice gets
    its number and the order is applied, in one transaction. Only staff may do this."""
    if method not in OFFLINE_METHODS:
        raise InvalidInput({"method": "error.choice_invalid"})
    staff.staff()
    with transaction() as session:
        order = session.exec(select(Order).where(Order.id == order_id).with_for_update()).first()
        if order is None:
            raise NotAllowed("no such order")
        if order.status != "unpaid":
            return outcome_of(session, order)
        if processing_payment(session, order.id) is not None:
            return PaymentOutcome("pending", order.id, message_key="error.payment_in_progress")
        payment = _payment(
            session, order, method, f"offline-{order.id}-{reference}"[:60], "succeeded"
        )
        payment.recorded_by_id = staff.id
        payment.gateway_ref = reference[:100] or None
        session.add(payment)
        invoice = complete_order(session, order, method, ip=ip)
        audit.about(
            session,
            "payment.recorded",
            order,
            actor=staff,
            ip=ip,
            method=method,
            reference=reference[:100],
        )
        return _paid(session, order, invoice)


def place_order_form(*, customer_id: int, key: str, build: BuildOrder) -> tuple[Order, bool]:
    """Write an unpaid order form (no payment yet): (the form, whether it is new). The key
    makes it once only: a second call returns the form the first one wrote."""
    key = _clean_key(key)
    with transaction() as session:
        existing = session.exec(select(Order).where(Order.idempotency_key == key)).first()
        if existing is not None:
            if existing.customer_id != customer_id:
                raise NotAllowed("idempotency key of another customer")
            return existing, False
        customer = _customer(session, customer_id)
        order = build(session, customer, key)
        audit.record(
            session,
            "order.created",
            customer_id=customer.id,
            target_type="order",
            target_id=order.id,
            origin="auto_renew",
        )
        return order, True
