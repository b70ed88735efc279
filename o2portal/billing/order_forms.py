"""Writing an order form and its lines: the one place a new order, a renewal and an
auto-renewal turn priced lines into an unpaid order form (paid later by checkout); and
cancelling an unpaid one, at the customer's or an admin's request or when left unpaid."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.billing.invoices import customer_snapshot, order_reference
from o2portal.billing.models import Order, OrderLine, OrderStatus
from o2portal.billing.payments import processing_payment
from o2portal.catalog.models import PromoCode
from o2portal.catalog.pricing import PricedLine
from o2portal.core import audit, clock
from o2portal.core.batches import JOB_BATCH
from o2portal.core.db import transaction
from o2portal.core.errors import NotAllowed
from o2portal.core.money import Totals
from o2portal.core.permissions import Actor, Role
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import Amount
from o2portal.products import provisioning


def write_order_form(
    session: Session,
    customer: Customer,
    *,
    kind: str,
    key: str,
    lines: list[PricedLine],
    totals: Totals,
    vat_rate_bp: int,
    vat_mention: str | None,
    product_id: int | None = None,
    promo: PromoCode | None = None,
    withdrawal_waived: bool = False,
) -> Order:
    """An unpaid order form with the customer's billing identity frozen in it, and its
    lines (each about `product_id` when it renews one)."""
    now = clock.now()
    order = Order(
        customer_id=customer.id,
        kind=kind,
        status=OrderStatus.UNPAID,
        idempotency_key=key,
        promo_code_id=promo.id if promo else None,
        discount_cents=-sum(line.total_ht_cents for line in lines if line.action == "discount"),
        total_ht_cents=totals.ht,
        total_vat_cents=totals.vat,
        total_ttc_cents=totals.ttc,
        vat_rate_bp=vat_rate_bp,
        vat_mention=vat_mention,
        billing_snapshot_json=json.dumps(customer_snapshot(customer), ensure_ascii=False),
        withdrawal_waived_at=now if withdrawal_waived else None,
        terms_accepted_at=now,
        created_at=now,
    )
    session.add(order)
    session.flush()
    for line in lines:
        row = order_line(line, vat_rate_bp, product_id=product_id)
        row.order_id = order.id
        session.add(row)
    return order


def order_line(
    line: PricedLine,
    vat_rate_bp: int,
    *,
    product_id: int | None,
    action: str | None = None,
    years: int | None = None,
) -> OrderLine:
    """An order form's line for one priced line (one unit of it), about `product_id`;
    `action` and `years` default to the line's."""
    return OrderLine(
        action=action or line.action,
        product_id=product_id,
        description=line.description,
        item_code=line.item_code,
        years=line.years if years is None else years,
        quantity=1,
        unit_price_ht_cents=line.total_ht_cents,
        total_ht_cents=line.total_ht_cents,
        vat_rate_bp=vat_rate_bp,
        details_json=json.dumps(line.details),
    )


# An unpaid order form for new products holds its domain names; left unpaid this long, it
# is cancelled and the names are free again.
UNPAID_ORDER_DAYS = 30


def cancel_order_form(
    actor: Actor, order_id: int, *, ip: str | None = None, reason: str = ""
) -> bool:
    """The customer (their own form) or an admin cancel an unpaid order form: it can no
    longer be paid, and its domain names are released. False if it was not unpaid."""
    with transaction() as session:
        order = session.exec(select(Order).where(Order.id == order_id).with_for_update()).first()
        if order is None or (order.customer_id != actor.id and actor.role != Role.ADMIN):
            raise NotAllowed("order")
        if order.status != OrderStatus.UNPAID or processing_payment(session, order.id) is not None:
            return False
        mark_cancelled(session, order, actor=actor, ip=ip, reason=reason[:300] or "asked")
        provisioning.release_holds(session, order.id)
        return True


def mark_cancelled(session: Session, order: Order, *, actor, ip, reason: str) -> None:
    order.status, order.cancelled_at = OrderStatus.CANCELLED, clock.now()
    session.add(order)
    audit.about(session, "order.cancelled", order, actor=actor, ip=ip, reason=reason)


def cancel_stale_order_forms(now=None, batch: int = JOB_BATCH) -> int:
    """New-product order forms unpaid for UNPAID_ORDER_DAYS: cancelled, names released,
    the customer told. Reads only unpaid forms (indexed status)."""
    now = now or clock.now()
    cutoff = now - timedelta(days=UNPAID_ORDER_DAYS)
    cancelled = 0
    with transaction() as session:
        stale = session.exec(
            select(Order)
            .where(
                Order.status == OrderStatus.UNPAID,
                Order.kind == "order",
                col(Order.created_at) <= cutoff,
            )
            .order_by(col(Order.id))
            .limit(batch)
        ).all()
        for order in stale:
            if processing_payment(session, order.id) is not None:
                continue
            mark_cancelled(session, order, actor=None, ip=None, reason="unpaid_timeout")
            provisioning.release_holds(session, order.id)
            mailer.queue_for_account(
                session,
                order.customer_id,
                "order_cancelled",
                reference=order_reference(order),
                total=Amount(order.total_ttc_cents),
                days=UNPAID_ORDER_DAYS,
            )
            cancelled += 1
    return cancelled
