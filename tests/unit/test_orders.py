"""Ordering: names, availability, promo codes, and a checkout that is all or nothing."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import func, select

from o2portal.accounts.models import Customer
from o2portal.billing.models import Invoice, NumberSequence, Order, Payment
from o2portal.billing.orders import CartItem, checkout, price_cart, search_domain
from o2portal.billing.payments import CardDetails, PaymentChoice
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.catalog.models import PromoCode
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput
from o2portal.integrations.models import GatewayCharge, ProvisionedAccount, RegistryDomain
from o2portal.products.domain_names import check_domain_name
from o2portal.products.expiry import add_years
from o2portal.products.models import Product

TLDS = {"fr", "com", "net", "org", "eu", "be", "io"}
GOOD = CardDetails("4242424242424242", 12, 2031, "123", "Test")
DECLINED = CardDetails("4000000000000002", 12, 2031, "123", "Test")


def card(details=GOOD) -> PaymentChoice:
    return PaymentChoice("card", card=details)


def person(email: str) -> int:
    with transaction() as session:
        ensure_catalogue(session)
        customer = Customer(
            email=email,
            password_hash="x",
            first_name="Ode",
            last_name="Ur",
            phone="+33612345678",
            address_line1="1 rue",
            postal_code="75001",
            city="Paris",
        )
        session.add(customer)
        session.flush()
        return customer.id


def order(customer_id, items, key, choice=None, promo=""):
    return checkout(
        customer_id=customer_id,
        items=items,
        promo_code=promo,
        choice=choice or card(),
        key=key,
        terms_accepted=True,
        withdrawal_waived=True,
    )


def count(model, *where) -> int:
    with read_session() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("mon site.fr", "error.domain_spaces"),
        ("a" * 64 + ".fr", "error.domain_label_long"),
        ("exemple.zzz", "error.domain_extension"),
        ("-exemple.fr", "error.domain_hyphen"),
        ("exemple-.fr", "error.domain_hyphen"),
        ("exemple", "error.domain_no_extension"),
        ("www.exemple.fr", None),
        ("blog.exemple.fr", "error.domain_subdomain"),
        ("ex_emple.fr", "error.domain_characters"),
        ("", "error.required"),
    ],
)
def test_bad_names_are_refused_with_the_reason(raw, error):
    if error is None:
        assert check_domain_name(raw, TLDS).ascii == "exemple.fr"
        return
    with pytest.raises(InvalidInput) as caught:
        check_domain_name(raw, TLDS)
    assert caught.value.errors == {"domain": error}


def test_accented_names_use_idna():
    name = check_domain_name("Café-Crème.FR", TLDS)
    assert name.ascii == "xn--caf-crme-60ag.fr"
    assert name.unicode == "café-crème.fr"
    assert check_domain_name("a" * 63 + ".fr", TLDS).ascii == "a" * 63 + ".fr"


def test_a_registered_name_offers_transfer_not_registration(db):
    buyer = person("buyer@example.fr")
    assert search_domain("libre-encore.fr").available is True
    order(buyer, [CartItem("domain", domain="libre-encore.fr", action="register")], "k-reg-0001")
    result = search_domain("libre-encore.fr")
    assert result.available is False
    other = person("other@example.fr")
    with pytest.raises(InvalidInput) as caught:
        order(
            other, [CartItem("domain", domain="libre-encore.fr", action="register")], "k-reg-0002"
        )
    assert caught.value.errors == {"cart": "error.domain_taken|libre-encore.fr"}
    # A name held elsewhere (the reserved list stands for other registrars) transfers in.
    with transaction() as session:
        session.add(RegistryDomain(name="ailleurs.com", reserved=True))
    assert search_domain("ailleurs.com").available is False
    outcome = order(
        other,
        [CartItem("domain", domain="ailleurs.com", action="transfer", auth_code="EPP-CODE-123")],
        "k-transfer-1",
    )
    assert outcome.status == "paid"
    with read_session() as session:
        product = session.exec(select(Product).where(Product.name == "ailleurs.com")).one()
    assert product.customer_id == other and product.kind == "domain"


def _promo(**fields) -> None:
    with transaction() as session:
        session.add(PromoCode(**{"kind": "percent", "value": 1000, **fields}))


def test_promo_codes_percent_fixed_expired_and_exhausted(db):
    buyer = person("promo@example.fr")
    items = [CartItem("server", code="infogere-s")]
    now = clock.now()
    _promo(code="DIX")
    _promo(code="CINQ", kind="fixed", value=500)
    _promo(code="FINI", valid_until=now - timedelta(days=1))
    _promo(code="BIENTOT", valid_from=now + timedelta(days=1))
    _promo(code="UNEFOIS", max_uses=1)
    base = price_cart(buyer, items).totals.ht
    assert price_cart(buyer, items, "dix").totals.ht == base - (base + 5) // 10
    assert price_cart(buyer, items, "CINQ").totals.ht == base - 500
    for code, error in (
        ("FINI", "error.promo_expired"),
        ("BIENTOT", "error.promo_not_yet"),
        ("NOPE", "error.promo_unknown"),
    ):
        with pytest.raises(InvalidInput) as caught:
            price_cart(buyer, items, code)
        assert caught.value.errors == {"promo": error}
    assert order(buyer, items, "k-promo-001", promo="UNEFOIS").status == "paid"
    with pytest.raises(InvalidInput) as caught:
        price_cart(buyer, items, "UNEFOIS")
    assert caught.value.errors == {"promo": "error.promo_exhausted"}
    with pytest.raises(InvalidInput):
        order(buyer, items, "k-promo-002", promo="UNEFOIS")
    with read_session() as session:
        invoice = session.exec(select(Invoice)).one()
    assert invoice.total_ht_cents == base - (base + 5) // 10


def test_a_declined_card_keeps_the_refusal_and_creates_nothing_else(db):
    buyer = person("declined@example.fr")
    _promo(code="UNEFOIS", max_uses=1)
    items = [CartItem("hosting", code="cloud", years=1, domain="refuse.fr", action="register")]
    outcome = order(buyer, items, "k-declined-1", choice=card(DECLINED), promo="UNEFOIS")
    assert outcome.status == "declined" and outcome.message_key == "error.card_declined"
    assert count(Product) == 0 and count(Invoice) == 0 and count(ProvisionedAccount) == 0
    assert count(RegistryDomain, RegistryDomain.name == "refuse.fr") == 0
    assert count(NumberSequence) == 0
    # The refusal is kept: the order form, refused, and the payment with its reason.
    with read_session() as session:
        (form,) = session.exec(select(Order)).all()
        (payment,) = session.exec(select(Payment)).all()
        assert session.exec(select(PromoCode)).one().used_count == 0
    assert form.status == "refused" and form.cancelled_at is not None
    assert (payment.status, payment.failure_reason, payment.card_last4) == (
        "declined",
        "declined",
        "0002",
    )
    # The same key answers the same: still declined, nothing more written.
    again = order(buyer, items, "k-declined-1", promo="UNEFOIS")
    assert again.status == "declined" and count(Order) == 1 and count(Payment) == 1
    # A new attempt (a new key) with a good card goes through and takes number 1.
    assert order(buyer, items, "k-declined-2", promo="UNEFOIS").status == "paid"
    with read_session() as session:
        assert session.exec(select(Invoice)).one().number.endswith("-000001")
        assert session.exec(select(PromoCode)).one().used_count == 1


def test_hosting_with_free_domain_creates_both_products(db):
    buyer = person("cloud@example.fr")
    items = [
        CartItem("hosting", code="cloud", years=1, domain="mon-site-neuf.fr", action="register")
    ]
    quote = price_cart(buyer, items)
    assert [line.total_ht_cents for line in quote.lines] == [2112, 0]
    assert (quote.totals.ht, quote.totals.vat, quote.totals.ttc) == (2112, 422, 2534)
    outcome = order(buyer, items, "k-cloud-0001")
    assert outcome.status == "paid"
    with read_session() as session:
        products = session.exec(select(Product).order_by(Product.id)).all()
        account = session.exec(select(ProvisionedAccount)).one()
    assert [(p.kind, p.name) for p in products] == [
        ("hosting", "mon-site-neuf.fr"),
        ("domain", "mon-site-neuf.fr"),
    ]
    assert all(p.expiry_date == add_years(clock.today(), 1) for p in products)
    assert products[0].hosting_username == account.username == "monsiten"
    # A second hosting account gets another username.
    order(
        buyer,
        [CartItem("hosting", code="grow", years=2, domain="mon-site-neuf.fr", action="existing")],
        "k-cloud-0002",
    )
    with read_session() as session:
        names = [a.username for a in session.exec(select(ProvisionedAccount))]
    assert names == ["monsiten", "monsiten1"]


def test_a_replayed_checkout_creates_nothing_twice(db):
    buyer = person("replay@example.fr")
    items = [CartItem("domain", domain="rejoue.fr", action="register", years=2)]
    first = order(buyer, items, "k-replay-001")
    again = order(buyer, items, "k-replay-001")
    assert first.status == again.status == "paid"
    assert first.invoice_number == again.invoice_number
    assert count(Order) == 1 and count(Product) == 1 and count(Invoice) == 1
    assert count(GatewayCharge) == 1


def test_two_customers_racing_for_one_name(db):
    buyers = [person(f"racer{i}@example.fr") for i in range(2)]
    barrier = threading.Barrier(2)
    results: dict[int, object] = {}

    def race(buyer):
        barrier.wait()
        try:
            results[buyer] = order(
                buyer,
                [CartItem("domain", domain="convoite.fr", action="register")],
                f"k-race-{buyer:04d}",
            )
        except InvalidInput as exc:
            results[buyer] = exc

    threads = [threading.Thread(target=race, args=(b,)) for b in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [b for b, r in results.items() if not isinstance(r, Exception)]
    losers = [b for b, r in results.items() if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1
    assert results[losers[0]].errors == {"cart": "error.domain_taken|convoite.fr"}
    with read_session() as session:
        product = session.exec(select(Product).where(Product.name == "convoite.fr")).one()
        charges = session.exec(select(GatewayCharge)).all()
    assert product.customer_id == winners[0]
    assert len(charges) == 1  # the loser was never charged
    assert count(Order, Order.customer_id == losers[0]) == 0
