"""One pricing module: the cart, the renewal quote, the reminders and the demo all price
through catalog/pricing.py, with the catalogue of SPEC.md."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.billing.models import OrderLine
from o2portal.billing.orders import CartItem, price_cart
from o2portal.billing.renewals import quote_renewal
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.catalog.models import HostingOffer, PromoCode
from o2portal.catalog.pricing import PriceBook, discount_cents, hosting_price
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.demo.seed import seed_demo
from o2portal.products.models import Product

# SPEC.md's catalogue, HT cents: (first year, renewal 1 y, 2 y, 3 y)
HOSTING = {
    "grow": (3360, 8400, 16800, 25200),
    "cloud": (2112, 19200, 28800, 32400),
    "pro": (4608, 28800, 48000, 57600),
}


@pytest.fixture
def shop(db):
    with transaction() as session:
        ensure_catalogue(session)
        customer = Customer(
            email="prix@exemple.fr",
            password_hash="$2b$04$" + "x" * 53,
            first_name="Prix",
            last_name="Test",
            phone="+33612345678",
            address_line1="1 rue des Prix",
            postal_code="75001",
            city="Paris",
        )
        session.add(customer)
        session.flush()
        return customer.id


def _product(customer_id: int, kind: str, name: str, offer: str) -> int:
    with transaction() as session:
        product = Product(
            customer_id=customer_id,
            kind=kind,
            name=name,
            offer_code=offer,
            start_date=clock.today(),
            expiry_date=clock.today() + timedelta(days=100),
        )
        session.add(product)
        session.flush()
        return product.id


@pytest.mark.parametrize("code", sorted(HOSTING))
def test_hosting_first_order_and_renewals_follow_the_catalogue(shop, code):
    first, *renew = HOSTING[code]
    with read_session() as session:
        offer = session.exec(select(HostingOffer).where(HostingOffer.code == code)).one()
    assert [hosting_price(offer, years) for years in (1, 2, 3)] == [
        first,
        first + renew[0],
        first + renew[1],
    ]
    for years in (1, 2, 3):
        cart = price_cart(
            shop,
            [CartItem(kind="hosting", code=code, years=years, domain="prix.fr", action="register")],
        )
        assert cart.totals.ht == hosting_price(offer, years)
    product_id = _product(shop, "hosting", f"{code}.fr", code)
    for years in (1, 2, 3):
        assert quote_renewal(shop, product_id, years).totals.ht == renew[years - 1]


def test_a_renewal_quote_and_a_reminder_quote_the_same_one_year_price(shop):
    ids = [
        _product(shop, "hosting", "site.fr", "cloud"),
        _product(shop, "domain", "site.com", "com"),
        _product(shop, "server", "srv.o2portal.example", "infogere-s"),
    ]
    with read_session() as session:
        book = PriceBook(session)
        for product_id in ids:
            product = session.get(Product, product_id)
            assert book.one_year_renewal(product) == quote_renewal(shop, product_id, 1).totals.ht


def test_promo_codes_take_off_a_percentage_or_an_amount_never_more(db):
    percent = PromoCode(code="P", kind="percent", value=1000)  # 10 %
    fixed = PromoCode(code="F", kind="fixed", value=5000)
    assert discount_cents(percent, 12345) == 1235  # half up
    assert discount_cents(fixed, 12345) == 5000
    assert discount_cents(fixed, 3000) == 3000
    assert discount_cents(PromoCode(code="A", kind="percent", value=10000), 999) == 999


def test_the_demo_invoices_are_priced_by_the_same_module(db):
    seed_demo()
    with read_session() as session:
        book = PriceBook(session)
        lines = session.exec(select(OrderLine).where(OrderLine.action == "renew")).all()
        assert lines
        for line in lines:
            product = session.get(Product, line.product_id)
            expected = book.renewal_lines(product, line.years)[0]
            assert (line.description, line.total_ht_cents) == (
                expected.description,
                expected.total_ht_cents,
            )
