"""The demo seed: idempotent, coherent money, gap-free invoice numbers, SPEC prices."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.accounts.passwords import check_password
from o2portal.billing.models import Invoice, InvoiceLine, NumberSequence, Order, OrderLine, Payment
from o2portal.catalog.models import HostingOffer, ServerModel, TldPrice
from o2portal.content.models import Announcement, FaqEntry
from o2portal.core import clock
from o2portal.core.db import read_session
from o2portal.core.models import Setting
from o2portal.demo.seed import seed_demo
from o2portal.demo.specs import DEMO_PASSWORD
from o2portal.integrations.models import ProvisionedAccount, RegistryDomain
from o2portal.products.models import Product
from o2portal.support.models import Ticket, TicketMessage

COUNTED = [
    Announcement,
    Customer,
    FaqEntry,
    HostingOffer,
    Invoice,
    InvoiceLine,
    NumberSequence,
    Order,
    OrderLine,
    Payment,
    Product,
    ProvisionedAccount,
    RegistryDomain,
    ServerModel,
    Setting,
    Ticket,
    TicketMessage,
    TldPrice,
]

# SPEC.md catalogue: first year, renewal 1 / 2 / 3 years, HT cents.
SPEC_HOSTING_PRICES = {
    "grow": (3360, 8400, 16800, 25200),
    "cloud": (2112, 19200, 28800, 32400),
    "pro": (4608, 28800, 48000, 57600),
}


def _row_counts() -> dict[str, int]:
    with read_session() as session:
        return {
            model.__name__: session.exec(select(func.count()).select_from(model)).one()
            for model in COUNTED
        }


def _vat(ht: int, rate_bp: int) -> int:
    return (ht * rate_bp + 5000) // 10000


def test_second_seed_changes_nothing_and_returns_logins(db):
    first_logins = seed_demo()
    counts = _row_counts()
    second_logins = seed_demo()

    assert _row_counts() == counts
    assert first_logins == second_logins
    assert counts["Customer"] >= 5
    assert counts["Invoice"] >= 5


def test_demo_has_staff_customers_and_expiring_products(db):
    logins = seed_demo()
    today = clock.today()
    with read_session() as session:
        admin = session.exec(select(Customer).where(Customer.role == "admin")).one()
        customers = session.exec(select(Customer).where(Customer.role == "customer")).all()
        products = session.exec(select(Product)).all()

    assert admin.email == "admin@o2portal.example"
    assert {c.account_type for c in customers} >= {"particulier", "entreprise"}
    assert {c.country for c in customers} >= {"FR", "BE"}
    assert all(c.email_verified_at and c.terms_accepted_at for c in customers)
    assert any(today <= p.expiry_date <= today + timedelta(days=60) for p in products)
    assert any(p.status == "expired" and p.expiry_date < today for p in products)
    assert {p.kind for p in products} == {"hosting", "domain", "server", "ssl"}
    assert all(json.loads(p.nameservers_json) for p in products if p.kind == "domain")
    assert {login.role for login in logins} == {"admin", "support", "customer"}


def test_admin_password_matches_the_demo_password(db):
    logins = seed_demo()
    admin_login = next(login for login in logins if login.role == "admin")
    with read_session() as session:
        admin = session.exec(select(Customer).where(Customer.email == admin_login.email)).one()

    assert admin_login.password == DEMO_PASSWORD
    assert len(DEMO_PASSWORD) >= 10
    assert check_password(admin_login.password, admin.password_hash)
    assert not check_password("wrong-password", admin.password_hash)


def test_invoice_numbers_are_gap_free_from_one(db):
    seed_demo()
    year = clock.today().year
    with read_session() as session:
        invoices = session.exec(select(Invoice).order_by(Invoice.sequence)).all()
        sequence = session.get(NumberSequence, ("F", year))

    expected = [f"F{year}-{n:06d}" for n in range(1, len(invoices) + 1)]
    assert [invoice.number for invoice in invoices] == expected
    assert [invoice.year for invoice in invoices] == [year] * len(invoices)
    assert sequence.last_number == len(invoices)
    issued = [invoice.issued_at for invoice in invoices]
    assert issued == sorted(issued)


def test_invoice_totals_add_up(db):
    seed_demo()
    with read_session() as session:
        invoices = session.exec(select(Invoice)).all()
        lines = session.exec(select(InvoiceLine)).all()
        payments = session.exec(select(Payment)).all()

    paid = {p.order_id: p.amount_cents for p in payments if p.status == "succeeded"}
    for invoice in invoices:
        own_lines = [line for line in lines if line.invoice_id == invoice.id]
        lines_ht = sum(line.quantity * line.unit_price_ht_cents for line in own_lines)
        assert own_lines
        assert invoice.total_ttc_cents == invoice.total_ht_cents + invoice.total_vat_cents
        assert invoice.total_ht_cents == lines_ht
        assert invoice.total_vat_cents == _vat(lines_ht, invoice.vat_rate_bp)
        assert paid[invoice.order_id] == invoice.total_ttc_cents
        assert json.loads(invoice.seller_snapshot_json)["siret"]


def test_vat_rates_follow_the_customer(db):
    seed_demo()
    with read_session() as session:
        rows = session.exec(select(Invoice, Customer).join(Customer)).all()

    rates = {(customer.country, invoice.vat_rate_bp) for invoice, customer in rows}
    assert ("FR", 2000) in rates
    assert ("BE", 0) in rates
    for invoice, customer in rows:
        if customer.country == "BE":
            assert "Autoliquidation" in invoice.vat_mention
            assert invoice.total_vat_cents == 0


def test_unpaid_orders_have_no_invoice(db):
    seed_demo()
    with read_session() as session:
        unpaid = session.exec(select(Order).where(Order.status == "unpaid")).all()
        invoiced = set(session.exec(select(Invoice.order_id)).all())

    assert len(unpaid) >= 2
    assert all(order.payment_method == "transfer" for order in unpaid)
    assert not invoiced & {order.id for order in unpaid}


def test_faq_covers_password_and_invoice(db):
    seed_demo()
    for language, password, invoice in (
        ("fr", "mot de passe", "facture"),
        ("en", "password", "invoice"),
    ):
        with read_session() as session:
            entries = session.exec(select(FaqEntry).where(FaqEntry.language == language)).all()
        questions = [e.question.lower() for e in entries]
        assert any(password in q for q in questions)
        assert any(invoice in q for q in questions)
        assert 4 <= len({e.topic for e in entries}) <= 6


def test_hosting_prices_match_spec(db):
    seed_demo()
    with read_session() as session:
        offers = {o.code: o for o in session.exec(select(HostingOffer)).all()}
        tlds = session.exec(select(TldPrice)).all()
        servers = session.exec(select(ServerModel)).all()

    assert set(offers) == set(SPEC_HOSTING_PRICES)
    for code, prices in SPEC_HOSTING_PRICES.items():
        offer = offers[code]
        assert (
            offer.first_year_cents,
            offer.renew_1y_cents,
            offer.renew_2y_cents,
            offer.renew_3y_cents,
        ) == prices
    assert {"fr", "com", "net", "org", "eu", "be", "io"} <= {t.tld for t in tlds}
    assert min(t.register_cents for t in tlds) == 825
    assert all(14000 <= s.monthly_cents <= 30000 for s in servers)


def test_invoices_stay_in_the_current_year_early_in_january(db):
    with clock.frozen_at(datetime(2027, 1, 3, 10, 0, tzinfo=UTC)):
        seed_demo()
    with read_session() as session:
        invoices = session.exec(select(Invoice).order_by(Invoice.sequence)).all()

    assert invoices[0].number == "F2027-000001"
    assert all(invoice.issued_at.astimezone(clock.PARIS).year == 2027 for invoice in invoices)
    issued = [invoice.issued_at for invoice in invoices]
    assert issued == sorted(issued)


def test_the_demo_certificate_is_issued_with_its_key_waiting(db):
    from o2portal.products.models import SslCertificate

    seed_demo()
    with read_session() as session:
        product = session.exec(select(Product).where(Product.kind == "ssl")).one()
        row = session.exec(
            select(SslCertificate).where(SslCertificate.product_id == product.id)
        ).one()
        owner = session.get(Customer, product.customer_id)
    assert (owner.email, product.name) == ("client@o2portal.example", "www.marie-dupont.com")
    assert row.state == "issued" and row.dns_zone == "marie-dupont.com"
    assert row.certificate_pem.startswith("-----BEGIN CERTIFICATE-----")
    assert row.key_ciphertext is not None
