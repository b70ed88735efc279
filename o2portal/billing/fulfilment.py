"""A paid order form applied: the invoice issued with its number, renewed products
extended (and unpaid forms for the same renewal voided), new products created, the
customer told."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.billing import agents
from o2portal.billing import invoices as billing
from o2portal.billing.models import Order, OrderLine, OrderStatus
from o2portal.billing.payments import processing_payment
from o2portal.core import audit, clock
from o2portal.core.errors import InvalidInput
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import Amount, Part
from o2portal.products import provisioning
from o2portal.products.expiry import refuse_too_early, renewal_dates
from o2portal.products.models import LIVE_STATUSES, Product

RENEWAL_ACTIONS = ("renew",)


def complete_order(session: Session, order: Order, method: str, *, ip: str | None = None):
    """The order form is paid: issue the invoice (next number) and apply every line."""
    now = clock.now()
    order.status = OrderStatus.PAID
    order.paid_at = now
    order.payment_method = method
    session.add(order)
    invoice = billing.issue_invoice(session, order, method=method, paid_at=now)
    lines = session.exec(select(OrderLine).where(OrderLine.order_id == order.id)).all()
    created = []
    for line in lines:
        if line.action in RENEWAL_ACTIONS and line.product_id is not None:
            _extend(session, line, order)
        elif line.action in provisioning.NEW_PRODUCT_ACTIONS and line.product_id is None:
            created.append(provisioning.create_products(session, order, line))
    agents.after_paid(session, order, created)
    customer = session.get(Customer, order.customer_id)
    if order.kind == "order":
        mailer.queue_for_customer(
            session,
            customer,
            "order_confirmation",
            reference=billing.order_reference(order),
            invoice_number=invoice.number,
            total=Amount(invoice.total_ttc_cents),
            products=[
                Part("order_confirmation_line", name=p.name, until=p.expiry_date) for p in created
            ],
        )
    else:
        mailer.queue_for_customer(
            session,
            customer,
            "invoice",
            number=invoice.number,
            total=Amount(invoice.total_ttc_cents),
        )
    audit.about(session, "order.paid", order, ip=ip, method=method, invoice=invoice.number)
    return invoice


def _extend(session: Session, line: OrderLine, order: Order) -> None:
    product = session.exec(
        select(Product).where(Product.id == line.product_id).with_for_update()
    ).one()
    dates = renewal_dates(product.kind, product.expiry_date, line.years, clock.today())
    if dates is None:
        raise InvalidInput({"years": "error.not_renewable"})
    before = product.expiry_date
    provisioning.extend(session, product, dates.new_expiry, line.years, f"renew-line-{line.id}")
    void_renewal_forms(session, product.id, paid_order_id=order.id)
    audit.about(
        session,
        "product.renewed",
        product,
        years=line.years,
        before=before.isoformat(),
        after=product.expiry_date.isoformat(),
    )


def void_renewal_forms(
    session: Session,
    product_id: int,
    *,
    paid_order_id: int | None = None,
    reason: str = "renewed by another order",
) -> None:
    """An unpaid renewal form for only this product is void once it is renewed otherwise
    (another form paid, or staff renewing by hand), so that a late transfer or a card does
    not pay twice for the same period."""
    candidates = session.exec(
        select(Order)
        .join(OrderLine, col(OrderLine.order_id) == col(Order.id))
        .where(
            OrderLine.product_id == product_id,
            Order.status == OrderStatus.UNPAID,
            Order.id != (paid_order_id or 0),
        )
        .distinct()
    ).all()
    for other in candidates:
        products = {
            line.product_id
            for line in session.exec(select(OrderLine).where(OrderLine.order_id == other.id))
        }
        if products == {product_id} and processing_payment(session, other.id) is None:
            other.status = OrderStatus.CANCELLED
            other.cancelled_at = clock.now()
            session.add(other)
            audit.about(session, "order.cancelled", other, reason=reason)


def expiries(session: Session, order: Order) -> dict[int, date]:
    """The new expiry date of each product of the order form, by product id."""
    product_ids = [
        line.product_id
        for line in session.exec(select(OrderLine).where(OrderLine.order_id == order.id))
        if line.product_id is not None
    ]
    if not product_ids:
        return {}
    products = session.exec(select(Product).where(col(Product.id).in_(product_ids))).all()
    return {p.id: p.expiry_date for p in products}


def check_still_renewable(session: Session, order: Order) -> None:
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
        refuse_too_early(product.kind, product.expiry_date, clock.today())
        if (
            product.status not in LIVE_STATUSES
            or renewal_dates(product.kind, product.expiry_date, line.years, clock.today()) is None
        ):
            raise InvalidInput({"years": "error.not_renewable"})
