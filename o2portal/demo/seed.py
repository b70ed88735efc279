"""Demo data: staff, customers, their products, invoices and tickets. What it holds is
demo/specs.py; the tickets, announcement and mails demo/messages.py.

`seed_demo` is idempotent: the catalogue and FAQ are completed on every run,
the people and their history are created once (keyed on the admin's email).
Every date is relative to `clock.today()` so the demo always has products
expiring soon, one expired domain and recent invoices.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, select

from o2portal.accounts.models import Customer, SavedCard
from o2portal.accounts.passwords import hash_password
from o2portal.billing.invoices import (
    customer_snapshot,
    issue_credit_note,
    issue_invoice,
    vat_rule,
)
from o2portal.billing.models import Invoice, Order, OrderLine, Payment
from o2portal.billing.order_forms import order_line
from o2portal.catalog import pricing
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.catalog.models import HostingOffer, ServerModel
from o2portal.catalog.pricing import PriceBook, PricedLine
from o2portal.content.default_faq import ensure_faq
from o2portal.core import clock
from o2portal.core.db import transaction
from o2portal.core.money import vat_cents
from o2portal.demo.certificates import order_demo_certificate
from o2portal.demo.messages import (
    add_announcement,
    add_mail_history,
    add_support_tools,
    add_tickets,
)
from o2portal.demo.specs import (
    ADMIN_EMAIL,
    CREDIT_NOTES,
    DEMO_PASSWORD,
    DEMO_STAFF_TOTP_SECRET,
    HOSTING_QUOTAS,
    NAMESERVERS,
    ORDERS,
    PEOPLE,
    PRODUCTS,
    RESERVED_NAMES,
    DemoLogin,
    LineSpec,
    OrderSpec,
    ProductSpec,
    demo_logins,
    french_vat_number,
    morning,
)
from o2portal.integrations.gateway import vault_test_card
from o2portal.integrations.models import ProvisionedAccount, RegistryDomain
from o2portal.products.models import Product

# --- Entry point ----------------------------------------------------------------


def seed_demo() -> list[DemoLogin]:
    """Fill an empty database with the demo; running it again changes nothing."""
    with transaction() as session:
        ensure_catalogue(session)
        ensure_faq(session)
        fresh = not _already_seeded(session)
        if fresh:
            _seed_people_and_history(session)
    if fresh:
        # Through the real checkout, which runs its own transactions and tasks.
        order_demo_certificate()
    return demo_logins()


def _already_seeded(session: Session) -> bool:
    found = session.exec(select(Customer.id).where(Customer.email == ADMIN_EMAIL)).first()
    return found is not None


def _seed_people_and_history(session: Session) -> None:
    password_hash = hash_password(DEMO_PASSWORD)  # bcrypt is slow: hash once
    people = {key: _add_person(session, key, password_hash) for key in PEOPLE}
    session.flush()
    _add_saved_cards(session, people)
    _reserve_names(session)
    products = {spec.key: _add_product(session, spec, people[spec.owner]) for spec in PRODUCTS}
    session.flush()
    invoices = _add_orders(session, people, products)
    _add_credit_notes(session, people, invoices)
    add_tickets(session, people, products)
    add_support_tools(session, people)
    add_announcement(session)
    add_mail_history(session, people)
    session.flush()


# --- People ---------------------------------------------------------------------


def _add_person(session: Session, key: str, password_hash: str) -> Customer:
    _text, fields, years = PEOPLE[key]
    now = clock.now()
    joined = now - timedelta(days=365 * years + 17)
    customer = Customer(
        **fields,
        password_hash=password_hash,
        email_verified_at=joined + timedelta(minutes=12),
        terms_accepted_at=joined,
        created_at=joined,
    )
    if customer.is_staff:
        customer.totp_secret = DEMO_STAFF_TOTP_SECRET
        customer.totp_enabled_at = joined + timedelta(days=1)
    if customer.siret and not customer.vat_number:
        customer.vat_number = french_vat_number(customer.siret[:9])
    session.add(customer)
    return customer


def _add_saved_cards(session: Session, people: dict[str, Customer]) -> None:
    """Auto-renewal needs a saved card: the local test gateway's success card."""
    year = clock.today().year
    for key in ("client", "business"):
        token = vault_test_card(session, "4242424242424242", 12, year + 3)
        session.add(
            SavedCard(
                customer_id=people[key].id,
                gateway_token=token,
                brand="Visa",
                last4="4242",
                exp_month=12,
                exp_year=year + 3,
            )
        )


def _reserve_names(session: Session) -> None:
    for name in RESERVED_NAMES:
        if session.exec(select(RegistryDomain.id).where(RegistryDomain.name == name)).first():
            continue
        session.add(RegistryDomain(name=name, reserved=True))


# --- Products -------------------------------------------------------------------


def _add_years(day: date, years: int) -> date:
    """Same day N years later (or earlier); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _product_dates(spec: ProductSpec) -> tuple[date, date]:
    today = clock.today()
    if spec.started_days_ago is not None:
        start = today - timedelta(days=spec.started_days_ago)
        return start, _add_years(start, spec.years)
    expiry = today + timedelta(days=spec.expires_in_days or 0)
    return _add_years(expiry, -spec.years), expiry


def _add_product(session: Session, spec: ProductSpec, owner: Customer) -> Product:
    start, expiry = _product_dates(spec)
    product = Product(
        customer_id=owner.id,
        kind=spec.kind,
        name=spec.name,
        offer_code=spec.offer_code,
        status=spec.status,
        start_date=start,
        expiry_date=expiry,
        auto_renew=spec.auto_renew,
        created_at=min(morning(start), clock.now()),
    )
    if spec.kind == "hosting":
        _fill_hosting(session, product, spec)
    elif spec.kind == "domain":
        _fill_domain(session, product, owner)
    else:
        _fill_server(session, product, spec)
    session.add(product)
    return product


def _fill_hosting(session: Session, product: Product, spec: ProductSpec) -> None:
    offer = _hosting_offer(session, spec.offer_code)
    emails, databases = HOSTING_QUOTAS[spec.offer_code]
    product.hosting_username = spec.username
    product.hosting_server = spec.server
    product.quota_disk_mb = offer.disk_gb * 1024
    product.quota_email_accounts = emails
    product.quota_databases = databases
    session.add(
        ProvisionedAccount(
            username=spec.username,
            server=spec.server,
            main_domain=spec.name,
            status="active",
            created_at=product.created_at,
        )
    )


def _fill_domain(session: Session, product: Product, owner: Customer) -> None:
    product.nameservers_json = json.dumps(NAMESERVERS)
    product.registrar_lock = True
    product.auth_code = _new_auth_code()
    session.add(
        RegistryDomain(
            name=product.name,
            holder_ref=f"customer:{owner.id}",
            registered_at=product.created_at,
            expires_on=product.expiry_date,
        )
    )


def _new_auth_code() -> str:
    """A registry-style transfer code: 16 characters with a digit and punctuation."""
    return f"{secrets.token_urlsafe(12)}-{secrets.randbelow(10)}"


def _fill_server(session: Session, product: Product, spec: ProductSpec) -> None:
    model = _server_model(session, spec.offer_code)
    product.ip_address = spec.ip
    product.server_specs_json = json.dumps(
        {
            "model": model.name,
            "cpu": model.cpu,
            "ram_gb": model.ram_gb,
            "storage": model.storage,
            "bandwidth": model.bandwidth,
            "os": "Debian 12",
            "datacenter": "Clermont-Ferrand",
        },
        ensure_ascii=False,
    )


def _hosting_offer(session: Session, code: str) -> HostingOffer:
    return session.exec(select(HostingOffer).where(HostingOffer.code == code)).one()


def _server_model(session: Session, code: str) -> ServerModel:
    return session.exec(select(ServerModel).where(ServerModel.code == code)).one()


# --- Orders, invoices, payments -------------------------------------------------


@dataclass
class _Totals:
    vat_rate_bp: int
    vat_mention: str | None
    lines: list[OrderLine] = field(default_factory=list)

    @property
    def ht(self) -> int:
        return sum(line.total_ht_cents for line in self.lines)

    @property
    def vat(self) -> int:
        return vat_cents(self.ht, self.vat_rate_bp)


def _priced_line(session: Session, spec: LineSpec, product: Product, rate_bp: int) -> OrderLine:
    line = _describe(PriceBook(session), spec, product)
    return order_line(line, rate_bp, product_id=product.id, action=spec.action, years=spec.years)


def _describe(book: PriceBook, spec: LineSpec, product: Product) -> PricedLine:
    """One demo line, priced as the cart and the renewal quote price it."""
    if spec.action == "renew":
        return book.renewal_lines(product, spec.years)[0]
    if product.kind == "hosting":
        offer = book.hosting[product.offer_code]
        return pricing.hosting_line(offer, product.name, product.name, spec.years)
    if product.kind == "server":
        return pricing.server_line(book.servers[product.offer_code], product.name, spec.years)
    tld = book.tld_of(product)
    if spec.free:
        return pricing.free_domain_line(product.name, product.name, tld.tld)
    return pricing.registration_line(tld, product.name, product.name, spec.years)


def _add_orders(
    session: Session, people: dict[str, Customer], products: dict
) -> dict[tuple[str, int], Invoice]:
    """The demo's order forms; returns the invoices by (owner, days ago)."""
    # Oldest first, so that invoice numbers follow the issue dates.
    floor = _year_start() + timedelta(hours=1)
    invoices = {}
    for spec in sorted(ORDERS, key=lambda o: -o.days_ago):
        moment = clock.now() - timedelta(days=spec.days_ago)
        if spec.paid:
            # Every demo invoice belongs to this year's sequence.
            moment = max(moment, floor)
            floor = moment + timedelta(minutes=5)
        invoice = _add_order(session, spec, people, products, moment)
        if invoice is not None:
            invoices[(spec.owner, spec.days_ago)] = invoice
    return invoices


def _add_credit_notes(
    session: Session, people: dict[str, Customer], invoices: dict[tuple[str, int], Invoice]
) -> None:
    """Credit notes as staff issue them, oldest first (their numbers follow their dates),
    never before their invoice."""
    for spec in sorted(CREDIT_NOTES, key=lambda c: -c.days_ago):
        invoice = invoices[(spec.owner, spec.order_days_ago)]
        moment = max(clock.now() - timedelta(days=spec.days_ago), invoice.issued_at)
        with clock.frozen_at(min(moment + timedelta(hours=2), clock.now())):
            issue_credit_note(
                session,
                invoice,
                amount_ht_cents=spec.amount_ht_cents,
                reason=spec.reason,
                refund_method="transfer",
                issued_by=people["admin"],
            )


def _year_start() -> datetime:
    first_day = date(clock.today().year, 1, 1)
    return datetime.combine(first_day, time(0, 0), tzinfo=clock.PARIS).astimezone(UTC)


def _add_order(
    session: Session,
    spec: OrderSpec,
    people: dict[str, Customer],
    products: dict[str, Product],
    moment: datetime,
) -> Invoice | None:
    customer = people[spec.owner]
    rule = vat_rule(customer)
    rate_bp, mention = rule.rate_bp, rule.mention
    totals = _Totals(rate_bp, mention)
    totals.lines = [
        _priced_line(session, line, products[line.product], rate_bp) for line in spec.lines
    ]
    ordered_at = moment - timedelta(days=2 if spec.method == "transfer" and spec.paid else 0)
    order = Order(
        customer_id=customer.id,
        kind=spec.kind,
        status="paid" if spec.paid else "unpaid",
        idempotency_key=f"demo-{secrets.token_hex(12)}",
        payment_method=spec.method,
        total_ht_cents=totals.ht,
        total_vat_cents=totals.vat,
        total_ttc_cents=totals.ht + totals.vat,
        vat_rate_bp=rate_bp,
        vat_mention=mention,
        billing_snapshot_json=json.dumps(customer_snapshot(customer), ensure_ascii=False),
        withdrawal_waived_at=ordered_at if customer.account_type == "particulier" else None,
        terms_accepted_at=ordered_at,
        created_at=ordered_at,
        paid_at=moment if spec.paid else None,
    )
    session.add(order)
    session.flush()
    for line in totals.lines:
        line.order_id = order.id
        session.add(line)
    if not spec.paid:
        return None
    _add_payment(session, order, people["admin"], moment)
    return issue_invoice(session, order, method=order.payment_method, paid_at=moment)


def _add_payment(session: Session, order: Order, staff: Customer, moment: datetime) -> None:
    by_card = order.payment_method == "card"
    session.add(
        Payment(
            order_id=order.id,
            customer_id=order.customer_id,
            method=order.payment_method,
            amount_cents=order.total_ttc_cents,
            status="succeeded",
            idempotency_key=f"demo-pay-{secrets.token_hex(12)}",
            gateway_ref=f"test_{secrets.token_hex(10)}" if by_card else None,
            card_last4="4242" if by_card else None,
            created_at=moment - timedelta(seconds=30),
            completed_at=moment,
            recorded_by_id=None if by_card else staff.id,
        )
    )
