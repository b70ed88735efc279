"""Ordering new products: the cart, its prices and promo codes, and the checkout.

A cart holds intentions (hosting tier and years, a domain to register or transfer, a
server model); prices are computed here, from the catalogue, every time. The checkout
goes through the same payment path as renewals (checkout.place_and_pay): the order form,
the domain names held for it and the promo code use are written before any charge, the
products are created only once it is paid, and a refused card takes it all back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.billing import invoices as billing
from o2portal.billing.checkout import PaymentOutcome, place_and_pay
from o2portal.billing.models import Invoice, Order, OrderLine
from o2portal.billing.order_forms import write_order_form
from o2portal.billing.payments import PaymentChoice
from o2portal.catalog import pricing
from o2portal.catalog.models import HostingOffer, PromoCode, ServerModel, TldPrice
from o2portal.catalog.pricing import PricedLine
from o2portal.core import clock, money
from o2portal.core.db import read_session
from o2portal.core.errors import InvalidInput
from o2portal.core.paging import Page, paginate
from o2portal.integrations.providers import ProviderDown
from o2portal.integrations.registrar import DomainNotRegistered, DomainTaken
from o2portal.products import domain_holds
from o2portal.products.certificates import certificate_request
from o2portal.products.domain_names import check_domain_name, supported_tlds
from o2portal.products.models import Product, ProductStatus

MAX_ITEMS = 20
MAX_DOMAIN_YEARS = 10
MAX_HOSTING_YEARS = 3


@dataclass
class CartItem:
    """One thing the customer wants. Only identifiers and choices: never a price."""

    kind: str  # hosting | domain | server | ssl
    code: str = ""  # hosting tier, server model or certificate offer
    years: int = 1
    domain: str = ""  # the domain (ASCII) to register/transfer, or the hosting's main domain
    action: str = ""  # domain: register | transfer; hosting: register | existing (free domain)
    auth_code: str = ""
    csr: str = ""  # ssl: the CSR pasted, or "" for a key made by the portal
    organization: str = ""  # ssl OV: the organisation named in the certificate

    def key(self) -> tuple:
        return (self.kind, self.code, self.domain)


@dataclass
class CartQuote:
    lines: list[PricedLine]
    totals: money.Totals
    vat_rate_bp: int
    vat_mention: str | None
    promo: PromoCode | None = None


# ---------------------------------------------------------------- domain search


@dataclass
class DomainSearch:
    name: str  # ASCII
    display: str  # Unicode
    available: bool
    register_cents: int
    transfer_cents: int
    # "" (not here), "yours" (in the searcher's account) or "other" (another customer's):
    # a name managed here is never offered for transfer.
    managed_here: str = ""


def _holder_here(session: Session, ascii_name: str) -> int | None:
    """The customer whose account manages this domain name here, if any."""
    return session.exec(
        select(Product.customer_id).where(
            Product.kind == "domain",
            Product.name == ascii_name,
            col(Product.status) != ProductStatus.RELEASED,
        )
    ).first()


def search_domain(raw: str, customer_id: int | None = None) -> DomainSearch:
    """Check the name and ask the registrar; raises InvalidInput {"domain": …}."""
    with read_session() as session:
        name = check_domain_name(raw, supported_tlds(session))
        price = session.exec(select(TldPrice).where(TldPrice.tld == name.tld)).one()
        holder = _holder_here(session, name.ascii)
        try:
            available = holder is None and domain_holds.is_available(session, name.ascii)
        except ProviderDown:
            raise InvalidInput({"domain": "error.registrar_unavailable"}) from None
    managed = "" if holder is None else "yours" if holder == customer_id else "other"
    return DomainSearch(
        name.ascii, name.unicode, available, price.register_cents, price.transfer_cents, managed
    )


# ---------------------------------------------------------------- promo codes


def usable_promo(session: Session, code: str) -> PromoCode:
    """A promo code that may be used now; raises InvalidInput {"promo": …}."""
    text = (code or "").strip().upper()[:40]
    if not text:
        raise InvalidInput({"promo": "error.required"})
    promo = session.exec(select(PromoCode).where(PromoCode.code == text)).first()
    now = clock.now()
    if promo is None or not promo.active:
        raise InvalidInput({"promo": "error.promo_unknown"})
    if promo.valid_from is not None and now < promo.valid_from:
        raise InvalidInput({"promo": "error.promo_not_yet"})
    if promo.valid_until is not None and now > promo.valid_until:
        raise InvalidInput({"promo": "error.promo_expired"})
    if promo.max_uses is not None and promo.used_count >= promo.max_uses:
        raise InvalidInput({"promo": "error.promo_exhausted"})
    return promo


# ---------------------------------------------------------------- prices


def _price_item(session: Session, customer: Customer, item: CartItem) -> list[PricedLine]:
    if item.kind == "hosting":
        offer = session.exec(
            select(HostingOffer).where(HostingOffer.code == item.code, col(HostingOffer.active))
        ).first()
        if offer is None or not 1 <= item.years <= MAX_HOSTING_YEARS:
            raise InvalidInput({"cart": "error.cart_item_invalid"})
        name = check_domain_name(item.domain, supported_tlds(session))
        lines = [pricing.hosting_line(offer, name.unicode, name.ascii, item.years)]
        if item.action == "register":
            tld = session.exec(select(TldPrice).where(TldPrice.tld == name.tld)).one()
            if not tld.free_with_hosting:
                raise InvalidInput({"cart": "error.free_domain_extension"})
            lines.append(pricing.free_domain_line(name.unicode, name.ascii, name.tld))
        elif item.action == "existing":
            owned = session.exec(
                select(Product.id).where(
                    Product.customer_id == customer.id,
                    Product.kind == "domain",
                    Product.name == name.ascii,
                    col(Product.status).in_((ProductStatus.ACTIVE, ProductStatus.EXPIRED)),
                )
            ).first()
            if owned is None:
                raise InvalidInput({"cart": "error.domain_not_yours"})
        else:
            raise InvalidInput({"cart": "error.cart_item_invalid"})
        return lines
    if item.kind == "domain":
        name = check_domain_name(item.domain, supported_tlds(session))
        tld = session.exec(select(TldPrice).where(TldPrice.tld == name.tld)).one()
        if item.action == "register":
            if not 1 <= item.years <= MAX_DOMAIN_YEARS:
                raise InvalidInput({"cart": "error.cart_item_invalid"})
            return [pricing.registration_line(tld, name.unicode, name.ascii, item.years)]
        if item.action == "transfer":
            if _holder_here(session, name.ascii) is not None:
                # Already managed here: that is a change of holder, not a transfer in.
                raise InvalidInput({"cart": f"error.transfer_already_here|{name.ascii}"})
            if not re.fullmatch(r"\S{6,64}", item.auth_code or ""):
                raise InvalidInput({"auth_code": "error.auth_code_invalid"})
            return [pricing.transfer_line(tld, name.unicode, name.ascii, item.auth_code)]
        raise InvalidInput({"cart": "error.cart_item_invalid"})
    if item.kind == "server":
        model = session.exec(
            select(ServerModel).where(ServerModel.code == item.code, col(ServerModel.active))
        ).first()
        if model is None:
            raise InvalidInput({"cart": "error.cart_item_invalid"})
        hostname = f"srv-{customer.id}-{model.code}.o2portal.example"
        return [pricing.server_line(model, hostname)]
    if item.kind == "ssl":
        request = certificate_request(
            session, customer, item.code, item.domain, item.csr, item.organization
        )
        return [pricing.certificate_line(request.offer, request.display, request.details)]
    raise InvalidInput({"cart": "error.cart_item_invalid"})


def _same_name(raw: str, tlds: set[str]) -> str:
    """The name as registries know it, so that "Doublon.FR" and "doublon.fr" are one."""
    try:
        return check_domain_name(raw, tlds).ascii
    except InvalidInput:
        return (raw or "").strip().lower()


def quote_cart(
    session: Session, customer: Customer, items: list[CartItem], promo_code: str = ""
) -> CartQuote:
    if not items:
        raise InvalidInput({"cart": "error.cart_empty"})
    if len(items) > MAX_ITEMS:
        raise InvalidInput({"cart": "error.cart_full"})
    tlds = supported_tlds(session)
    names = [
        _same_name(i.domain, tlds) for i in items if i.kind == "domain" or i.action == "register"
    ]
    if len(names) != len(set(names)):
        raise InvalidInput({"cart": "error.cart_duplicate"})
    lines = [line for item in items for line in _price_item(session, customer, item)]
    promo = usable_promo(session, promo_code) if promo_code else None
    subtotal = sum(line.total_ht_cents for line in lines)
    if promo is not None:
        lines.append(pricing.discount_line(promo, subtotal))
    rule = billing.vat_rule(customer)
    totals = money.totals_for([line.total_ht_cents for line in lines], rule.rate_bp)
    return CartQuote(lines, totals, rule.rate_bp, rule.mention, promo)


def price_cart(customer_id: int, items: list[CartItem], promo_code: str = "") -> CartQuote:
    with read_session() as session:
        return quote_cart(session, session.get(Customer, customer_id), items, promo_code)


# ---------------------------------------------------------------- checkout


def checkout(
    *,
    customer_id: int,
    items: list[CartItem],
    promo_code: str,
    choice: PaymentChoice,
    key: str,
    terms_accepted: bool,
    withdrawal_waived: bool,
    expected_ttc_cents: int | None = None,
    ip: str | None = None,
) -> PaymentOutcome:
    """Order and pay the cart. The quote is made again inside the transaction (prices of
    the moment, availability, promo limits); domain names are held for this order form
    so that two buyers cannot both be charged for one name."""
    if not terms_accepted:
        raise InvalidInput({"terms": "error.terms_required"})

    def build(session: Session, customer: Customer, order_key: str) -> Order:
        if customer.account_type == "particulier" and not withdrawal_waived:
            raise InvalidInput({"withdrawal": "error.withdrawal_required"})
        quote = quote_cart(session, customer, items, promo_code)
        if expected_ttc_cents is not None and quote.totals.ttc != expected_ttc_cents:
            raise InvalidInput({"cart": "error.price_changed"})
        order = write_order_form(
            session,
            customer,
            kind="order",
            key=order_key,
            lines=quote.lines,
            totals=quote.totals,
            vat_rate_bp=quote.vat_rate_bp,
            vat_mention=quote.vat_mention,
            promo=quote.promo,
            withdrawal_waived=withdrawal_waived,
        )
        hold_names(session, quote.lines, order.id)
        if quote.promo is not None:
            _use_promo(session, quote.promo)
        session.flush()
        return order

    return place_and_pay(customer_id=customer_id, key=key, choice=choice, build=build, ip=ip)


def _use_promo(session: Session, promo: PromoCode) -> None:
    """Count one use, in one conditional UPDATE: two checkouts at once cannot both take
    the last use (a check followed by `used_count += 1` would let both through)."""
    taken = session.execute(
        update(PromoCode)
        .where(
            PromoCode.id == promo.id,
            or_(col(PromoCode.max_uses).is_(None), PromoCode.used_count < PromoCode.max_uses),
        )
        .values(used_count=PromoCode.used_count + 1)
    )
    if taken.rowcount != 1:
        raise InvalidInput({"promo": "error.promo_exhausted"})
    session.expire(promo, ["used_count"])


def hold_names(session: Session, lines: list[PricedLine], order_id: int) -> None:
    """Hold the domain names to register or transfer for this order form, so that two
    buyers cannot both be charged for one name; InvalidInput {"cart": …} otherwise."""
    for line in lines:
        if line.action in ("register", "transfer"):
            _hold(session, line, order_id)


def _hold(session: Session, line: PricedLine, order_id: int) -> None:
    name = line.item_code
    if line.action == "transfer" and _holder_here(session, name) is not None:
        # Already managed here (since the cart was priced): a change of holder instead.
        raise InvalidInput({"cart": f"error.transfer_already_here|{name}"})
    try:
        domain_holds.hold(session, name, order_id, transfer=line.action == "transfer")
    except DomainTaken:
        raise InvalidInput({"cart": f"error.domain_taken|{name}"}) from None
    except DomainNotRegistered:
        raise InvalidInput({"cart": f"error.transfer_not_registered|{name}"}) from None
    except ProviderDown:
        raise InvalidInput({"cart": "error.registrar_unavailable"}) from None


HISTORY_PAGE_SIZE = 10


def customer_order_page(customer_id: int, page: int = 1) -> Page:
    """One page of the customer's order forms, newest first; each row is (the order form,
    the id of its invoice or None), in one query (and one to count them)."""
    with read_session() as session:
        return paginate(
            session,
            select(Order, Invoice.id)
            .outerjoin(Invoice, col(Invoice.order_id) == col(Order.id))
            .where(Order.customer_id == customer_id)
            .order_by(col(Order.created_at).desc(), col(Order.id).desc()),
            page,
            size=HISTORY_PAGE_SIZE,
            count=select(func.count()).select_from(Order).where(Order.customer_id == customer_id),
        )


_ACTION_KIND = {
    "hosting": "hosting",
    "server": "server",
    "register": "domain",
    "transfer": "domain",
    "ssl": "ssl",
}


def order_kinds(order_ids: list[int]) -> dict[int, list[str]]:
    """What each new order form bought (hosting, domain, server, ssl), in one query."""
    if not order_ids:
        return {}
    with read_session() as session:
        rows = session.exec(
            select(OrderLine.order_id, OrderLine.action)
            .where(col(OrderLine.order_id).in_(order_ids))
            .order_by(col(OrderLine.id))
        ).all()
    kinds: dict[int, list[str]] = {}
    for order_id, action in rows:
        kind = _ACTION_KIND.get(action)
        if kind and kind not in kinds.setdefault(order_id, []):
            kinds[order_id].append(kind)
    return kinds
