"""Paying an order form: one path for renewals, orders and unpaid order forms.

A card payment runs in three steps so that no database lock is held while the gateway
answers: (1) one transaction checks everything, writes the order form and a payment
"processing"; (2) the gateway charges, under the payment's reference; (3) one transaction
turns the payment into an invoice and applies the order, or records the refusal. The
idempotency key makes a second click or a replay land on the same order form and the same
payment, and an order form never has two payments processing at once.

Nothing is deleted: a refused payment stays with its reason, and an order form made for
that payment is marked refused (its names and promo use released). A payment whose answer
never came (a crash, a timeout) stays processing until reconciliation.py asks the gateway.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer, SavedCard
from o2portal.billing import agents
from o2portal.billing import invoices as billing
from o2portal.billing.fulfilment import (
    check_still_renewable,
    complete_order,
    expiries,
)
from o2portal.billing.invoices import REVERSE_CHARGE_MENTION
from o2portal.billing.models import Order, OrderLine, OrderStatus, Payment, PaymentStatus
from o2portal.billing.payments import (
    METHODS,
    OFFLINE_METHODS,
    PaymentChoice,
    processing_payment,
)
from o2portal.billing.settlement import (
    PaymentOutcome as PaymentOutcome,
)
from o2portal.billing.settlement import (
    check_card_attempts,
    paid_outcome,
    payment_reference,
)
from o2portal.billing.settlement import (
    locked_payment as locked_payment,
)
from o2portal.billing.settlement import (
    refuse as refuse,
)
from o2portal.billing.settlement import (
    settle_succeeded as settle_succeeded,
)
from o2portal.core import audit, clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.formatting import formatted_iban
from o2portal.core.permissions import Actor
from o2portal.core.receipts import clean_key
from o2portal.core.stored_settings import payment_details
from o2portal.integrations.gateway import CardToken, GatewayTimeout, card_gateway
from o2portal.integrations.vat import INVALID, VatCheck, vat_checker
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import Amount, Part

# build(session, customer, idempotency_key) writes the order form and its lines.
BuildOrder = Callable[[Session, Customer, str], Order]


def place_and_pay(
    *,
    customer_id: int,
    key: str,
    choice: PaymentChoice,
    build: BuildOrder,
    ip: str | None = None,
    holder_id: int | None = None,
) -> PaymentOutcome:
    """Write a new order form with `build` and pay it. On a card refusal the form is
    marked refused (its names and promo use released) and the payment kept with its reason.

    The key comes with the form the customer submitted: a second submission of that form
    (a double click, a replayed event, a reconnecting socket) reads the first outcome.

    `holder_id`: the form is made out to this customer (build gets them), and paid by
    `customer_id` with their own means as the holder's contact (billing/agents.py; `build`
    checks their right); the outcome then names no invoice of the holder's."""
    key = _clean_key(key)
    agent = holder_id is not None and holder_id != customer_id
    replay = replayed_outcome(customer_id, key)
    if replay is not None:
        return replay
    _check_choice(choice)
    card = _tokenized(choice)
    vat = vat_checked(holder_id if agent else customer_id)
    try:
        with transaction() as session:
            existing = session.exec(select(Order).where(Order.idempotency_key == key)).first()
            if existing is not None:
                return _replay(session, existing, customer_id)
            customer = _customer(session, customer_id)
            holder = _holder(session, holder_id) if agent else customer
            order = build(session, holder, key)
            if agent:
                order.agent_id = customer.id
                session.add(order)
            record_vat_check(session, order, vat)
            audit.about(session, "order.created", order, actor=customer, ip=ip)
            started = _start_payment(session, order, customer, choice, card, key, ip)
    except (IntegrityError, InvalidInput):
        # The same key submitted at the same moment from another socket: it won the race
        # (its order form holds the key, or its payment made this one's checks refuse).
        replay = replayed_outcome(customer_id, key)
        if replay is None:
            raise
        return replay
    if isinstance(started, PaymentOutcome):
        return _seen_by(started, agent)
    return _seen_by(_charge_and_finish(started, ip=ip), agent)


def _holder(session: Session, holder_id: int) -> Customer:
    """The holder a contact pays for: read, not locked (the payer is)."""
    holder = session.get(Customer, holder_id)
    if holder is None or holder.disabled_at is not None or holder.deleted_at is not None:
        raise NotAllowed("no such holder")
    return holder


def _seen_by(outcome: PaymentOutcome, agent: bool) -> PaymentOutcome:
    """What a contact who paid for the holder is told: never the number of the holder's
    invoice (it is theirs, with their name and address)."""
    if not agent or outcome.invoice_number is None:
        return outcome
    return replace(outcome, invoice_number=None, message_key="pay.done_for_holder")


def vat_checked(customer_id: int) -> VatCheck | None:
    """The check of the customer's VAT number when their orders would be reverse-charged,
    asked before any transaction (VIES is a network call); None when no reverse charge."""
    with read_session() as session:
        customer = session.get(Customer, customer_id)
        if customer is None or billing.vat_rule(customer).mention != REVERSE_CHARGE_MENTION:
            return None
        number = customer.vat_number or ""
    return vat_checker().check(number)


def record_vat_check(session: Session, order: Order, vat: VatCheck | None) -> None:
    """A reverse-charged order keeps the check it was granted on; a number the check
    refuses gets no reverse charge, and no order (the customer corrects it in Ma fiche)."""
    if vat is None or order.vat_mention != REVERSE_CHARGE_MENTION:
        return
    if vat.result == INVALID:
        raise InvalidInput({"method": "error.vat_not_confirmed"})
    order.vat_check, order.vat_checked_at = vat.result, vat.checked_at
    session.add(order)


def replayed_outcome(customer_id: int, key: str) -> PaymentOutcome | None:
    """The outcome of the order form already made with this key, if any."""
    with read_session() as session:
        existing = session.exec(select(Order).where(Order.idempotency_key == key)).first()
        return None if existing is None else _replay(session, existing, customer_id)


def _replay(session: Session, order: Order, customer_id: int) -> PaymentOutcome:
    if customer_id not in (order.customer_id, order.agent_id):
        raise NotAllowed("idempotency key of another customer")
    return _seen_by(outcome_of(session, order), order.customer_id != customer_id)


def pay_order(
    *,
    customer_id: int,
    order_id: int,
    choice: PaymentChoice,
    key: str,
    expected_ttc_cents: int | None = None,
    ip: str | None = None,
) -> PaymentOutcome:
    """Pay an existing unpaid order form of the customer's, or one they placed for its
    holder as their contact while their right lasts (billing/agents.py). On a refusal it
    stays unpaid. `expected_ttc_cents`: the amount seen on the form they submitted."""
    key = _clean_key(key)
    _check_choice(choice)
    card = _tokenized(choice)
    with transaction() as session:
        order = session.exec(select(Order).where(Order.id == order_id).with_for_update()).first()
        if order is None or customer_id not in (order.customer_id, order.agent_id):
            raise NotAllowed("order of another customer")
        agent = order.customer_id != customer_id
        earlier = _payment_of_key(session, key, order.id)
        if earlier is not None and earlier.status != PaymentStatus.SUCCEEDED:
            return _payment_outcome(session, earlier, order)
        if order.status != OrderStatus.UNPAID:
            return _seen_by(outcome_of(session, order), agent)
        if expected_ttc_cents is not None and expected_ttc_cents != order.total_ttc_cents:
            raise InvalidInput({"method": "error.form_stale"})
        customer = _customer(session, customer_id)
        if agent:
            agents.check_agent(session, order, customer_id)
        if _product_payment_processing(session, order):
            return PaymentOutcome("pending", order.id, message_key="error.payment_in_progress")
        check_still_renewable(session, order)
        started = _start_payment(session, order, customer, choice, card, key, ip)
    if isinstance(started, PaymentOutcome):
        return _seen_by(started, agent)
    return _seen_by(_charge_and_finish(started, ip=ip), agent)


def _payment_of_key(session: Session, key: str, order_id: int) -> Payment | None:
    return session.exec(
        select(Payment).where(Payment.idempotency_key == payment_reference(key, order_id))
    ).first()


def _payment_outcome(session: Session, payment: Payment, order: Order) -> PaymentOutcome:
    """What the payment made with a key answers when that key comes again."""
    if payment.status == PaymentStatus.FAILED:
        return PaymentOutcome("failed", order.id, message_key="error.payment_lost")
    if payment.status == PaymentStatus.DECLINED:
        # The gateway's word, as it was first answered: declined, or retry (temporary).
        if payment.failure_reason == "retry":
            return PaymentOutcome("retry", order.id, message_key="error.card_retry")
        return PaymentOutcome("declined", order.id, message_key="error.card_declined")
    return outcome_of(session, order)


def outcome_of(session: Session, order: Order) -> PaymentOutcome:
    """What a replayed request answers: the order form as it stands."""
    if order.status in (OrderStatus.REFUSED, OrderStatus.CANCELLED):
        refused = session.exec(
            select(Payment)
            .where(
                Payment.order_id == order.id,
                col(Payment.status).in_((PaymentStatus.DECLINED, PaymentStatus.FAILED)),
            )
            .order_by(col(Payment.id).desc())
        ).first()
        if refused is not None:
            return _payment_outcome(session, refused, order)
        return PaymentOutcome("failed", order.id, message_key="error.form_stale")
    if order.status == OrderStatus.PAID:
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
    if choice.method == "card" and choice.card is None and not choice.token:
        raise InvalidInput({"card_number": "error.required"})


def _tokenized(choice: PaymentChoice) -> CardToken | None:
    """The card of a card payment as the gateway's token, asked before any transaction
    (the gateway is a network call): a typed card is tokenized, a browser's token looked
    up. None for the other methods."""
    if choice.method != "card":
        return None
    try:
        if choice.card is not None:
            return card_gateway().tokenize(choice.card)
        found = card_gateway().card(choice.token or "")
    except GatewayTimeout:
        raise InvalidInput({"method": "error.gateway_down"}) from None
    if found is None:
        raise InvalidInput({"card_number": "error.card_unknown"})
    return found


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
            .where(
                Payment.status == PaymentStatus.PROCESSING,
                col(OrderLine.product_id).in_(product_ids),
            )
        ).first()
        is not None
    )


@dataclass
class _Started:
    payment_id: int
    order_id: int
    customer_id: int
    amount_cents: int
    reference: str
    token: str
    # The card to keep for the customer once the charge succeeds (they ticked the box).
    save: CardToken | None


def _start_payment(
    session: Session,
    order: Order,
    customer: Customer,
    choice: PaymentChoice,
    card: CardToken | None,
    key: str,
    ip: str | None,
) -> PaymentOutcome | _Started:
    if processing_payment(session, order.id) is not None:
        return PaymentOutcome("pending", order.id, message_key="error.payment_in_progress")
    if order.total_ttc_cents == 0:
        # Nothing to pay (a 100 % promo): no card, no gateway; the invoice says 0,00 €.
        invoice = complete_order(session, order, "none", ip=ip)
        return paid_outcome(session, order, invoice)
    if choice.method == "none":
        raise InvalidInput({"method": "error.choice_invalid"})
    if choice.method in OFFLINE_METHODS:
        order.payment_method = choice.method
        session.add(order)
        notify_order_form(session, customer, order)
        if customer.id != order.customer_id:
            agents.note_left_unpaid(session, order, choice.method)
        return PaymentOutcome("pending", order.id, message_key=f"pay.pending_{choice.method}")
    if choice.method == "credit":
        if customer.credit_balance_cents < order.total_ttc_cents:
            raise InvalidInput({"method": "error.credit_insufficient"})
        payment = _payment(
            session, order, "credit", key, PaymentStatus.SUCCEEDED, ip, payer_id=customer.id
        )
        billing.change_credit(
            session,
            customer.id,
            -order.total_ttc_cents,
            f"Règlement {billing.order_reference(order)}",
            payment_id=payment.id,
        )
        invoice = complete_order(session, order, "credit", ip=ip)
        return paid_outcome(session, order, invoice)
    if choice.method == "saved_card":
        saved = session.get(SavedCard, choice.saved_card_id or 0)
        if saved is None or saved.customer_id != customer.id or saved.removed_at is not None:
            raise InvalidInput({"method": "error.card_unknown"})
        token, save = saved.gateway_token, None
    else:
        token, save = card.token, (card if choice.save_card else None)
    check_card_attempts(session, customer.id, ip)
    payment = _payment(
        session, order, "card", key, PaymentStatus.PROCESSING, ip, payer_id=customer.id
    )
    return _Started(
        payment.id,
        order.id,
        customer.id,
        order.total_ttc_cents,
        payment.idempotency_key,
        token,
        save,
    )


def _payment(
    session: Session,
    order: Order,
    method: str,
    key: str,
    status: str,
    ip: str | None = None,
    *,
    payer_id: int | None = None,
) -> Payment:
    """A payment of the order form by `payer_id` (whose means pay it: the holder, or
    their contact), the holder by default (staff recording a transfer)."""
    payment = Payment(
        order_id=order.id,
        customer_id=payer_id or order.customer_id,
        method=method,
        amount_cents=order.total_ttc_cents,
        status=status,
        idempotency_key=payment_reference(key, order.id),
        ip=(ip or "")[:64] or None,
        created_at=clock.now(),
        completed_at=clock.now() if status == PaymentStatus.SUCCEEDED else None,
    )
    session.add(payment)
    session.flush()
    return payment


def _charge_and_finish(started: _Started, *, ip: str | None) -> PaymentOutcome:
    try:
        result = card_gateway().charge(
            reference=started.reference, amount_cents=started.amount_cents, token=started.token
        )
    except GatewayTimeout:
        # The outcome is unknown: the payment stays processing, and reconciliation asks
        # the gateway for it in a few minutes. The form cannot be paid twice meanwhile.
        return PaymentOutcome("pending", started.order_id, message_key="pay.pending_gateway")
    with transaction() as session:
        payment = locked_payment(session, started.payment_id)
        order = session.get(Order, started.order_id)
        if payment.status != PaymentStatus.PROCESSING:  # reconciliation settled it first
            return _payment_outcome(session, payment, order)
        customer = session.get(Customer, started.customer_id)
        if result.status == "succeeded":
            return settle_succeeded(
                session,
                payment,
                order,
                customer,
                result.charge_ref,
                result.last4,
                ip=ip,
                save=started.save,
            )
        payment.card_last4 = result.last4
        refuse(session, payment, order, status=PaymentStatus.DECLINED, reason=result.status, ip=ip)
        return PaymentOutcome(result.status, order.id, message_key=result.message_key)


def notify_order_form(session: Session, customer: Customer, order: Order) -> None:
    reference = billing.order_reference(order)
    details = payment_details(session)
    # Transfer unless the customer chose a cheque (the only two offline methods).
    if order.payment_method == "cheque":
        how = Part(
            "order_form_cheque",
            reference=reference,
            payee=details["cheque_payee"],
            address=details["cheque_address"],
        )
    else:
        how = Part(
            "order_form_transfer",
            reference=reference,
            holder=details["holder"],
            iban=formatted_iban(details["iban"]),
            bic=details["bic"],
            bank=details["bank"],
        )
    mailer.queue_for_customer(
        session,
        customer,
        "order_form",
        reference=reference,
        total=Amount(order.total_ttc_cents),
        how_to_pay=how,
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
        if order.status != OrderStatus.UNPAID:
            return outcome_of(session, order)
        if processing_payment(session, order.id) is not None:
            return PaymentOutcome("pending", order.id, message_key="error.payment_in_progress")
        payment = _payment(
            session, order, method, f"offline-{order.id}-{reference}"[:60], PaymentStatus.SUCCEEDED
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
        return paid_outcome(session, order, invoice)


def place_order_form(*, customer_id: int, key: str, build: BuildOrder) -> tuple[Order, bool]:
    """Write an unpaid order form (no payment yet): (the form, whether it is new). The key
    makes it once only: a second call returns the form the first one wrote."""
    key = _clean_key(key)
    vat = vat_checked(customer_id)
    with transaction() as session:
        existing = session.exec(select(Order).where(Order.idempotency_key == key)).first()
        if existing is not None:
            if existing.customer_id != customer_id:
                raise NotAllowed("idempotency key of another customer")
            return existing, False
        customer = _customer(session, customer_id)
        order = build(session, customer, key)
        record_vat_check(session, order, vat)
        audit.record(
            session,
            "order.created",
            customer_id=customer.id,
            target_type="order",
            target_id=order.id,
            origin="auto_renew",
        )
        return order, True
