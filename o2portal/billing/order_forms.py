"""Writing an order form and its lines: the one place a new order, a renewal and an
auto-renewal turn priced lines into an unpaid order form (paid later by checkout)."""

from __future__ import annotations

import json

from sqlmodel import Session

from o2portal.accounts.models import Customer
from o2portal.billing.invoices import customer_snapshot
from o2portal.billing.models import Order, OrderLine
from o2portal.catalog.models import PromoCode
from o2portal.catalog.pricing import PricedLine
from o2portal.core import clock
from o2portal.core.money import Totals


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
        status="unpaid",
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
        session.add(
            OrderLine(
                order_id=order.id,
                action=line.action,
                product_id=product_id,
                description=line.description,
                item_code=line.item_code,
                years=line.years,
                quantity=1,
                unit_price_ht_cents=line.total_ht_cents,
                total_ht_cents=line.total_ht_cents,
                vat_rate_bp=vat_rate_bp,
                details_json=json.dumps(line.details),
            )
        )
    return order
