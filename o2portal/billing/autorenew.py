"""Auto-renewal: the order form at D-15, the charge at D-7 (account credit if it covers the
amount, else the saved card). A failed charge tells the customer and turns auto-renewal
off for the product, which falls back to manual renewal."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from sqlmodel import col, select

from o2portal.accounts.models import Customer, SavedCard
from o2portal.billing import invoices as billing
from o2portal.billing.checkout import pay_order, place_order_form
from o2portal.billing.models import Order, OrderStatus
from o2portal.billing.payments import PaymentChoice
from o2portal.billing.renewals import renewal_builder
from o2portal.core import audit, clock
from o2portal.core.batches import JOB_BATCH, ItemFailures
from o2portal.core.clock import catch_up_days
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import Amount, Part, link, render_part
from o2portal.products.models import Product, ProductStatus

ORDER_DAYS_BEFORE = 15
CHARGE_DAYS_BEFORE = 7


def order_key(product: Product) -> str:
    return f"auto:{product.id}:{product.expiry_date.isoformat()}"


BATCH = JOB_BATCH


def _due(today: date, days_before: int, window: int) -> Iterator[Product]:
    """The active auto-renewed products of customers still enabled that reach the step in
    the window, read 100 at a time in id order (the job never holds them all)."""
    newest = today + timedelta(days=days_before)
    oldest = newest - timedelta(days=window - 1)
    after = 0
    while True:
        with read_session() as session:
            batch = session.exec(
                select(Product)
                .join(Customer, Customer.id == Product.customer_id)
                .where(
                    Product.status == ProductStatus.ACTIVE,
                    Product.expiry_date >= max(oldest, today),
                    Product.expiry_date <= newest,
                    col(Product.auto_renew).is_(True),
                    col(Customer.disabled_at).is_(None),
                    col(Customer.deleted_at).is_(None),
                    Product.id > after,
                )
                .order_by(Product.id)
                .limit(BATCH)
            ).all()
        yield from batch
        if len(batch) < BATCH:
            return
        after = batch[-1].id


def ensure_order_form(product: Product) -> tuple[Order, bool]:
    build = renewal_builder(product.customer_id, product.id, 1, product.expiry_date)
    order, created = place_order_form(
        customer_id=product.customer_id, key=order_key(product), build=build
    )
    if created:
        with transaction() as session:
            customer = session.get(Customer, product.customer_id)
            charge_day = product.expiry_date - timedelta(days=CHARGE_DAYS_BEFORE)
            mailer.queue_for_customer(
                session,
                customer,
                "auto_renew_order",
                product_name=product.name,
                reference=billing.order_reference(order),
                total=Amount(order.total_ttc_cents),
                charge_day=max(charge_day, clock.today()),
            )
    return order, created


def _choice(customer: Customer, order: Order) -> PaymentChoice | None:
    if customer.credit_balance_cents >= order.total_ttc_cents:
        return PaymentChoice("credit")
    with read_session() as session:
        card = session.exec(
            select(SavedCard)
            .where(SavedCard.customer_id == customer.id, col(SavedCard.removed_at).is_(None))
            .order_by(col(SavedCard.id).desc())
        ).first()
    return PaymentChoice("saved_card", saved_card_id=card.id) if card else None


def charge(product: Product) -> str:
    """Pay the product's auto-renewal form: 'paid', 'already', 'pending' or 'failed'."""
    order, _created = ensure_order_form(product)
    if order.status == OrderStatus.PAID:
        return "already"
    if order.status != OrderStatus.UNPAID:
        return "failed"
    with read_session() as session:
        customer = session.get(Customer, product.customer_id)
    choice = _choice(customer, order)
    reason = Part("auto_renew_no_means")
    if choice is not None:
        try:
            outcome = pay_order(
                customer_id=customer.id,
                order_id=order.id,
                choice=choice,
                key=f"autopay:{order.id}",
            )
            if outcome.status == "retry":
                # A temporary refusal: one more try at once, as a new charge (the gateway
                # answers the same reference the same way).
                outcome = pay_order(
                    customer_id=customer.id,
                    order_id=order.id,
                    choice=choice,
                    key=f"autopay:{order.id}:retry",
                )
        except (InvalidInput, NotAllowed) as exc:
            reason = Part("auto_renew_impossible", error=str(exc))
        else:
            if outcome.status == "paid":
                return "paid"
            if outcome.status == "pending":
                # The gateway's answer is awaited: reconciliation settles it; nothing to
                # tell the customer yet, and the next run finds the payment processing.
                return "pending"
            reason = Part(
                "auto_renew_declined" if outcome.status == "declined" else "auto_renew_unavailable"
            )
    _fall_back_to_manual(product, order, reason)
    return "failed"


def _fall_back_to_manual(product: Product, order: Order, reason: Part) -> None:
    """`reason` is told to the customer in their language, and kept in French in the
    audit log."""
    with transaction() as session:
        current = session.get(Product, product.id)
        current.auto_renew = False
        session.add(current)
        customer = session.get(Customer, product.customer_id)
        mailer.queue_for_customer(
            session,
            customer,
            "auto_renew_failed",
            product_name=product.name,
            reference=billing.order_reference(order),
            reason=reason,
            renew_link=link(f"/services/{product.id}#renew"),
        )
        audit.record(
            session,
            "product.auto_renew_failed",
            customer_id=customer.id,
            target_type="product",
            target_id=product.id,
            reason=render_part(reason.name, "fr", **reason.values),
            order=order.id,
        )


def run_auto_renewals(last_run: date | None = None) -> dict:
    """The job: forms for what reaches D-15, charges for what reaches D-7."""
    today = clock.today()
    window = catch_up_days(last_run) if last_run else 1
    failures = ItemFailures()
    forms = 0
    for product in _due(today, ORDER_DAYS_BEFORE, window):
        with failures.item(f"auto-renewal form of product {product.id}"):
            forms += ensure_order_form(product)[1]
    results = {"paid": 0, "already": 0, "pending": 0, "failed": 0}
    for product in _due(today, CHARGE_DAYS_BEFORE, window):
        with failures.item(f"auto-renewal charge of product {product.id}"):
            results[charge(product)] += 1
    return {"forms": forms, **results, **failures.summary()}
