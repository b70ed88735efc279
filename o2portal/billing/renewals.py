"""Renewing a product: the quote the customer sees before paying, and the order form.

The holder renews, or their administrative contact (products/contacts.py, Right.RENEW)
with their own means: the order form and its invoice are the holder's, priced at the
holder's VAT situation (billing/agents.py says who may pay it)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlmodel import Session, select

from o2portal.accounts.models import Customer
from o2portal.billing import invoices as billing
from o2portal.billing.checkout import PaymentOutcome, place_and_pay
from o2portal.billing.models import Order, OrderLine, Payment, PaymentStatus
from o2portal.billing.order_forms import write_order_form
from o2portal.billing.payments import PaymentChoice
from o2portal.catalog.pricing import PriceBook, PricedLine
from o2portal.core import clock, money
from o2portal.core.db import read_session
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.products import contacts
from o2portal.products.contacts import Right
from o2portal.products.expiry import MAX_RENEWAL_YEARS, refuse_too_early, renewal_dates
from o2portal.products.models import LIVE_STATUSES, Product


@dataclass
class RenewalQuote:
    product_id: int
    product_name: str
    kind: str
    years: int
    current_expiry: date
    new_expiry: date
    needs_restore: bool
    vat_rate_bp: int
    vat_mention: str | None
    totals: money.Totals
    lines: list[PricedLine] = field(default_factory=list)


def _renewable_by(session: Session, customer_id: int, product_id: int, *, lock=False) -> Product:
    """The product, if `customer_id` is its holder or a contact who may renew it (locked
    with the contact's link when `lock`: a revocation comes before or after)."""
    product, _link = contacts.access(session, customer_id, product_id, Right.RENEW, lock=lock)
    return product


def build_quote(session: Session, customer: Customer, product: Product, years: int) -> RenewalQuote:
    if not isinstance(years, int) or not 1 <= years <= MAX_RENEWAL_YEARS:
        raise InvalidInput({"years": "error.years_invalid"})
    if product.status not in LIVE_STATUSES:
        raise InvalidInput({"years": "error.not_renewable"})
    refuse_too_early(product.kind, product.expiry_date, clock.today())
    dates = renewal_dates(product.kind, product.expiry_date, years, clock.today())
    if dates is None:
        raise InvalidInput({"years": "error.not_renewable"})
    lines = PriceBook(session, product).renewal_lines(product, years, dates.needs_restore)
    rule = billing.vat_rule(customer)
    return RenewalQuote(
        product_id=product.id,
        product_name=product.name,
        kind=product.kind,
        years=years,
        current_expiry=product.expiry_date,
        new_expiry=dates.new_expiry,
        needs_restore=dates.needs_restore,
        vat_rate_bp=rule.rate_bp,
        vat_mention=rule.mention,
        totals=money.totals_for([line.total_ht_cents for line in lines], rule.rate_bp),
        lines=lines,
    )


def quote_renewal(
    customer_id: int, product_id: int, years: int, *, caller: Customer | None = None
) -> RenewalQuote:
    """What renewing costs (HT, TVA, TTC) and the new expiry date, before paying: for
    the holder's VAT situation, whoever asks. `caller`: the row of `customer_id` the
    event has just read (its session's), taken for the holder's when they are the same
    instead of reading it again."""
    with read_session() as session:
        product = _renewable_by(session, customer_id, product_id)
        if caller is not None and caller.id == customer_id == product.customer_id:
            holder = caller
        else:
            holder = session.get(Customer, product.customer_id)
        return build_quote(session, holder, product, years)


def renew_product(
    *,
    customer_id: int,
    product_id: int,
    years: int,
    expected_expiry: date,
    choice: PaymentChoice,
    key: str,
    expected_ttc_cents: int | None = None,
    ip: str | None = None,
) -> PaymentOutcome:
    """Renew for `years`, at the price of the moment, if the product still expires on the
    date the customer saw (a second tab that renewed first makes this one refuse) and
    costs what they saw. The key, the date and the amount come from the submitted form:
    the same form sent twice reads the first outcome. An administrative contact pays
    with their own means; the form is made out to the holder."""
    with read_session() as session:
        holder_id = _renewable_by(session, customer_id, product_id).customer_id
    build = renewal_builder(customer_id, product_id, years, expected_expiry, expected_ttc_cents)
    return place_and_pay(
        customer_id=customer_id, key=key, choice=choice, build=build, ip=ip, holder_id=holder_id
    )


def renewal_builder(
    customer_id: int,
    product_id: int,
    years: int,
    expected_expiry: date,
    expected_ttc_cents: int | None = None,
):
    """What writes a renewal order form inside the checkout's transaction: `customer_id`
    renews (the holder, or their contact), the form is made out to `customer`, who must
    still hold the product."""

    def build(session: Session, customer: Customer, key: str) -> Order:
        product = _renewable_by(session, customer_id, product_id, lock=True)
        if product.customer_id != customer.id:
            raise NotAllowed("product of another customer")
        if product.expiry_date != expected_expiry:
            raise InvalidInput({"years": "error.renewal_changed"})
        if _renewal_in_flight(session, product.id):
            raise InvalidInput({"years": "error.payment_in_progress"})
        quote = build_quote(session, customer, product, years)
        if expected_ttc_cents is not None and quote.totals.ttc != expected_ttc_cents:
            raise InvalidInput({"years": "error.price_changed"})
        return _order_from_quote(session, customer, quote, key)

    return build


def _renewal_in_flight(session: Session, product_id: int) -> bool:
    return (
        session.exec(
            select(Payment.id)
            .join(OrderLine, OrderLine.order_id == Payment.order_id)
            .where(OrderLine.product_id == product_id, Payment.status == PaymentStatus.PROCESSING)
        ).first()
        is not None
    )


def _order_from_quote(session: Session, customer: Customer, quote: RenewalQuote, key: str) -> Order:
    period = {"from": quote.current_expiry.isoformat(), "to": quote.new_expiry.isoformat()}
    return write_order_form(
        session,
        customer,
        kind="renewal",
        key=key,
        lines=[replace(line, details=period) for line in quote.lines],
        totals=quote.totals,
        vat_rate_bp=quote.vat_rate_bp,
        vat_mention=quote.vat_mention,
        product_id=quote.product_id,
    )
