"""Ordering rules not covered by test_orders.py: orders paid by transfer or cheque (the
name held, nothing provisioned until staff records the payment), the withdrawal consent
and the terms, the prices of every kind of item against the catalogue, and the VAT rules.
Everything runs through the real domain functions and a real database."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlmodel import func, select

from o2portal.accounts.models import Customer
from o2portal.billing import invoices as billing
from o2portal.billing import staff as admin_billing
from o2portal.billing.models import Invoice, NumberSequence, Order, OrderLine, Payment
from o2portal.billing.orders import CartItem, checkout, price_cart, search_domain
from o2portal.billing.payments import CardDetails, PaymentChoice
from o2portal.catalog.defaults import HOSTING_OFFERS, SERVER_MODELS, TLD_PRICES, ensure_catalogue
from o2portal.catalog.models import HostingOffer, ServerModel, TldPrice
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.integrations.models import GatewayCharge, ProvisionedAccount, RegistryDomain
from o2portal.products import provisioning
from o2portal.products.expiry import add_years
from o2portal.products.models import DomainHold, Product
from tests.unit.helpers import actor

GOOD = CardDetails("4242424242424242", 12, 2031, "123", "Test")
HOSTING = {row["code"]: row for row in HOSTING_OFFERS}
TLD = {row["tld"]: row for row in TLD_PRICES}
SERVERS = {row["code"]: row for row in SERVER_MODELS}


def card() -> PaymentChoice:
    return PaymentChoice("card", card=GOOD)


def person(email: str, role: str = "customer", **fields) -> int:
    """A customer row written directly (no bcrypt), with the default catalogue."""
    with transaction() as session:
        ensure_catalogue(session)
        customer = Customer(
            email=email,
            password_hash="x",
            role=role,
            first_name="Ode",
            last_name="Ur",
            phone="+33612345678",
            address_line1="1 rue",
            postal_code="75001",
            city="Paris",
            **fields,
        )
        session.add(customer)
        session.flush()
        return customer.id


def order(customer_id, items, key, choice=None, *, terms=True, withdrawal=True, promo=""):
    return checkout(
        customer_id=customer_id,
        items=items,
        promo_code=promo,
        choice=choice or card(),
        key=key,
        terms_accepted=terms,
        withdrawal_waived=withdrawal,
    )


def count(model, *where) -> int:
    with read_session() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def products_of(customer_id: int) -> list[Product]:
    with read_session() as session:
        return list(
            session.exec(
                select(Product).where(Product.customer_id == customer_id).order_by(Product.id)
            ).all()
        )


def refused(fn, *args, **kwargs) -> dict:
    with pytest.raises(InvalidInput) as caught:
        fn(*args, **kwargs)
    return caught.value.errors


def line_totals(customer_id: int, items: list[CartItem]) -> list[int]:
    return [line.total_ht_cents for line in price_cart(customer_id, items).lines]


# ---------------------------------------------------------------- 1. transfer and cheque


@pytest.mark.parametrize("method", ["transfer", "cheque"])
def test_an_order_paid_offline_holds_the_name_until_staff_marks_it_paid(db, method):
    buyer = person("virement@example.fr")
    rival = person("rival@example.fr")
    admin = person("admin@example.fr", role="admin")
    items = [
        CartItem("hosting", code="grow", years=2, domain="attente-virement.fr", action="register")
    ]
    ordered_at = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    paid_at = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)

    with clock.frozen_at(ordered_at):
        outcome = order(buyer, items, f"k-offline-{method}", PaymentChoice(method))
    assert outcome.status == "pending"
    assert outcome.message_key == f"pay.pending_{method}"
    assert outcome.invoice_number is None
    with read_session() as session:
        form = session.get(Order, outcome.order_id)
        hold = session.exec(
            select(DomainHold).where(DomainHold.name == "attente-virement.fr")
        ).one()
    assert (form.status, form.payment_method, form.paid_at) == ("unpaid", method, None)
    assert (
        form.total_ht_cents
        == HOSTING["grow"]["first_year_cents"] + HOSTING["grow"]["renew_1y_cents"]
    )
    assert hold.order_id == form.id and hold.transfer is False
    # The registry knows nothing yet: the hold is the portal's own.
    assert count(RegistryDomain) == 0
    # Nothing is provisioned, invoiced or paid yet, and no invoice number is used.
    assert products_of(buyer) == []
    assert count(ProvisionedAccount) == 0 and count(Invoice) == 0
    assert count(NumberSequence) == 0 and count(Payment) == 0 and count(GatewayCharge) == 0

    # Meanwhile the name is not free: another customer cannot register it, nor is charged.
    assert search_domain("attente-virement.fr").available is False
    errors = refused(
        order,
        rival,
        [CartItem("domain", domain="attente-virement.fr", action="register")],
        "k-rival-0001",
    )
    assert errors == {"cart": "error.domain_taken|attente-virement.fr"}
    errors = refused(
        order,
        rival,
        [CartItem("hosting", code="cloud", domain="attente-virement.fr", action="register")],
        "k-rival-0002",
    )
    assert errors == {"cart": "error.domain_taken|attente-virement.fr"}
    assert count(GatewayCharge) == 0 and count(Order, Order.customer_id == rival) == 0

    # A customer cannot record the payment; staff (admin) can, with the bank's reference.
    with pytest.raises(NotAllowed):
        admin_billing.mark_paid(actor(buyer), form.id, method, "self-service")
    for blank in ("", "   "):
        with pytest.raises(InvalidInput) as no_reference:
            admin_billing.mark_paid(actor(admin), form.id, method, blank)
        assert no_reference.value.errors == {"reference": "error.required"}
    assert count(Payment) == 0 and count(Invoice) == 0
    with clock.frozen_at(paid_at):
        paid = admin_billing.mark_paid(actor(admin), form.id, method, "VIR-123")
    assert paid.status == "paid"
    assert paid.invoice_number == "F2026-000001"
    with read_session() as session:
        form = session.get(Order, form.id)
        invoice = session.exec(select(Invoice).where(Invoice.order_id == form.id)).one()
        payment = session.exec(select(Payment).where(Payment.order_id == form.id)).one()
        registry = session.exec(
            select(RegistryDomain).where(RegistryDomain.name == "attente-virement.fr")
        ).one()
    assert form.status == "paid" and form.payment_method == method
    assert (invoice.payment_method, invoice.total_ttc_cents) == (method, form.total_ttc_cents)
    assert (payment.method, payment.recorded_by_id, payment.gateway_ref) == (
        method,
        admin,
        "VIR-123",
    )
    # The products exist now, from the day of payment, each with its own period.
    paid_day = paid_at.astimezone(clock.PARIS).date()
    products = products_of(buyer)
    assert [(p.kind, p.name, p.start_date, p.expiry_date) for p in products] == [
        ("hosting", "attente-virement.fr", paid_day, add_years(paid_day, 2)),
        ("domain", "attente-virement.fr", paid_day, add_years(paid_day, 1)),
    ]
    assert products[0].hosting_username and products[0].hosting_server
    assert count(ProvisionedAccount) == 1
    # Registered after the payment's commit: the hold is gone, the registry holds it.
    assert count(DomainHold) == 0
    assert registry.holder_ref == f"customer:{buyer}"
    assert registry.expires_on == add_years(paid_day, 1)
    assert paid.new_expiries == {p.id: p.expiry_date for p in products}
    # Marking it paid again changes nothing: same number, no second product.
    again = admin_billing.mark_paid(actor(admin), form.id, method, "VIR-123")
    assert again.invoice_number == paid.invoice_number
    assert count(Invoice) == 1 and count(Product) == 2 and count(Payment) == 1


def test_a_released_hold_frees_the_name_for_anyone(db):
    buyer = person("lache@example.fr")
    rival = person("rival2@example.fr")
    outcome = order(
        buyer,
        [CartItem("domain", domain="relache.fr", action="register", years=3)],
        "k-hold-0001",
        PaymentChoice("cheque"),
    )
    assert outcome.status == "pending"
    assert search_domain("relache.fr").available is False
    with transaction() as session:
        provisioning.release_holds(session, outcome.order_id)
    assert count(DomainHold) == 0 and count(RegistryDomain) == 0
    assert search_domain("relache.fr").available is True
    won = order(rival, [CartItem("domain", domain="relache.fr", action="register")], "k-hold-0002")
    assert won.status == "paid"
    assert [(p.customer_id, p.name) for p in products_of(rival)] == [(rival, "relache.fr")]


def test_a_released_transfer_hold_leaves_the_name_registered_elsewhere(db):
    buyer = person("transfert-lent@example.fr")
    rival = person("transfert-rival@example.fr")
    with transaction() as session:
        session.add(RegistryDomain(name="ailleurs-lent.com", reserved=True))
    transfer = CartItem(
        "domain", domain="ailleurs-lent.com", action="transfer", auth_code="EPP-0001"
    )
    outcome = order(buyer, [transfer], "k-thold-001", PaymentChoice("transfer"))
    assert outcome.status == "pending"
    # One transfer at a time: a second one is refused while the first waits for its money.
    assert refused(order, rival, [transfer], "k-thold-002") == {
        "cart": "error.domain_taken|ailleurs-lent.com"
    }
    with transaction() as session:
        provisioning.release_holds(session, outcome.order_id)
    with read_session() as session:
        row = session.exec(
            select(RegistryDomain).where(RegistryDomain.name == "ailleurs-lent.com")
        ).one()
    # Still held by the other registrar (not free to register), but transferable again.
    assert row.reserved is True and count(DomainHold) == 0
    assert search_domain("ailleurs-lent.com").available is False
    assert order(rival, [transfer], "k-thold-003").status == "paid"


# ---------------------------------------------------------------- 2. consent and terms


@pytest.fixture
def server_cart() -> list[CartItem]:
    return [CartItem("server", code="infogere-s")]


def test_a_consumer_must_ask_to_start_before_the_withdrawal_period_ends(db, server_cart):
    consumer = person("particulier@example.fr", account_type="particulier")
    errors = refused(order, consumer, server_cart, "k-consent-1", withdrawal=False)
    assert errors == {"withdrawal": "error.withdrawal_required"}
    assert count(Order) == 0 and count(GatewayCharge) == 0 and count(Product) == 0
    outcome = order(consumer, server_cart, "k-consent-1", withdrawal=True)
    assert outcome.status == "paid"
    with read_session() as session:
        form = session.get(Order, outcome.order_id)
    assert form.withdrawal_waived_at is not None and form.terms_accepted_at is not None


@pytest.mark.parametrize("account_type", ["entreprise", "association"])
def test_a_business_need_not_give_the_withdrawal_consent(db, server_cart, account_type):
    business = person(f"{account_type}@example.fr", account_type=account_type, company_name="ACME")
    outcome = order(business, server_cart, f"k-biz-{account_type}", withdrawal=False)
    assert outcome.status == "paid"
    with read_session() as session:
        form = session.get(Order, outcome.order_id)
    assert form.withdrawal_waived_at is None and form.terms_accepted_at is not None
    assert len(products_of(business)) == 1


@pytest.mark.parametrize("account_type", ["particulier", "entreprise"])
def test_the_terms_must_be_accepted_by_everyone(db, account_type):
    buyer = person(f"cgv-{account_type}@example.fr", account_type=account_type)
    items = [CartItem("domain", domain="sans-cgv.fr", action="register")]
    errors = refused(order, buyer, items, "k-terms-001", terms=False, withdrawal=True)
    assert errors == {"terms": "error.terms_required"}
    errors = refused(order, buyer, items, "k-terms-002", PaymentChoice("transfer"), terms=False)
    assert errors == {"terms": "error.terms_required"}
    assert count(Order) == 0 and count(GatewayCharge) == 0
    assert count(RegistryDomain) == 0  # the name was not held either


# ---------------------------------------------------------------- 3. prices


def test_the_demo_catalogue_matches_the_spec(db):
    """The catalogue rows the price tests rely on, against the table of the SPEC."""
    person("catalogue@example.fr")
    with read_session() as session:
        offers = {o.code: o for o in session.exec(select(HostingOffer)).all()}
        tlds = {t.tld: t for t in session.exec(select(TldPrice)).all()}
        servers = list(session.exec(select(ServerModel)).all())
    assert {
        code: (o.first_year_cents, o.renew_1y_cents, o.renew_2y_cents, o.renew_3y_cents)
        for code, o in offers.items()
    } == {
        "grow": (3360, 8400, 16800, 25200),
        "cloud": (2112, 19200, 28800, 32400),
        "pro": (4608, 28800, 48000, 57600),
    }
    assert {"fr", "com", "net", "org", "eu", "be", "io"} <= set(tlds)
    assert min(t.register_cents for t in tlds.values()) == 825
    assert {t for t, row in tlds.items() if row.free_with_hosting} == {
        "com",
        "net",
        "org",
        "fr",
        "be",
        "eu",
    }
    assert all(14000 <= s.monthly_cents <= 30000 for s in servers) and servers


@pytest.mark.parametrize("tier", ["grow", "cloud", "pro"])
@pytest.mark.parametrize(
    ("years", "renewal_column"), [(1, None), (2, "renew_1y_cents"), (3, "renew_2y_cents")]
)
def test_hosting_is_the_first_year_price_then_the_renewal_price(db, tier, years, renewal_column):
    buyer = person("hebergement@example.fr")
    row = HOSTING[tier]
    expected = row["first_year_cents"] + (row[renewal_column] if renewal_column else 0)
    items = [CartItem("hosting", code=tier, years=years, domain="tarif.fr", action="register")]
    quote = price_cart(buyer, items)
    assert [(line.action, line.years, line.total_ht_cents) for line in quote.lines] == [
        ("hosting", years, expected),
        ("register", 1, 0),  # the free domain, for its first year only
    ]
    assert quote.totals.ht == expected
    outcome = order(buyer, items, f"k-host-{tier}-{years}")
    assert outcome.status == "paid"
    hosting, domain = products_of(buyer)
    assert hosting.expiry_date == add_years(clock.today(), years)
    assert domain.expiry_date == add_years(clock.today(), 1)
    assert hosting.offer_code == tier


def test_the_spec_prices_of_hosting_for_one_to_three_years(db):
    buyer = person("grille@example.fr")

    def ht(tier, years):
        item = CartItem("hosting", code=tier, years=years, domain="grille.fr", action="register")
        return price_cart(buyer, [item]).lines[0].total_ht_cents

    assert [ht("grow", y) for y in (1, 2, 3)] == [3360, 3360 + 8400, 3360 + 16800]
    assert [ht("cloud", y) for y in (1, 2, 3)] == [2112, 2112 + 19200, 2112 + 28800]
    assert [ht("pro", y) for y in (1, 2, 3)] == [4608, 4608 + 28800, 4608 + 48000]


@pytest.mark.parametrize("years", [0, 4, -1])
def test_hosting_years_are_one_to_three(db, years):
    buyer = person("annees@example.fr")
    item = CartItem("hosting", code="cloud", years=years, domain="annees.fr", action="register")
    assert refused(price_cart, buyer, [item]) == {"cart": "error.cart_item_invalid"}


def test_unknown_or_inactive_offers_are_refused(db):
    buyer = person("inconnu@example.fr")
    with transaction() as session:
        model = session.exec(select(ServerModel).where(ServerModel.code == "infogere-l")).one()
        model.active = False
        session.add(model)
    for item in (
        CartItem("hosting", code="platinum", domain="x-inconnu.fr", action="register"),
        CartItem("server", code="infogere-xxl"),
        CartItem("server", code="infogere-l"),
        CartItem("mystery", code="grow"),
        CartItem("hosting", code="grow", domain="x-inconnu.fr", action="steal"),
        CartItem("domain", domain="x-inconnu.fr", action="steal"),
    ):
        assert refused(price_cart, buyer, [item]) == {"cart": "error.cart_item_invalid"}, item


@pytest.mark.parametrize("tld", ["fr", "com", "net", "org", "eu", "be"])
def test_the_free_domain_may_be_one_of_six_extensions(db, tld):
    buyer = person("offert@example.fr")
    item = CartItem("hosting", code="grow", domain=f"offert.{tld}", action="register")
    free = price_cart(buyer, [item]).lines[1]
    assert (free.action, free.item_code, free.total_ht_cents) == ("register", f"offert.{tld}", 0)


@pytest.mark.parametrize("tld", ["io", "info", "ch"])
def test_other_extensions_are_not_free_with_hosting(db, tld):
    buyer = person("pas-offert@example.fr")
    item = CartItem("hosting", code="grow", domain=f"payant.{tld}", action="register")
    assert refused(price_cart, buyer, [item]) == {"cart": "error.free_domain_extension"}
    # Bought on its own, the same name costs its registration price.
    alone = CartItem("domain", domain=f"payant.{tld}", action="register")
    assert line_totals(buyer, [alone]) == [TLD[tld]["register_cents"]]


def test_hosting_on_an_existing_domain_adds_no_free_domain(db):
    buyer = person("existant@example.fr")
    order(buyer, [CartItem("domain", domain="deja-a-moi.com", action="register")], "k-exist-1")
    item = CartItem("hosting", code="pro", years=1, domain="deja-a-moi.com", action="existing")
    quote = price_cart(buyer, [item])
    assert [(line.action, line.total_ht_cents) for line in quote.lines] == [("hosting", 4608)]
    # Someone else's domain (or one nobody has) cannot be the hosting's existing domain.
    other = person("pas-a-moi@example.fr")
    assert refused(price_cart, other, [item]) == {"cart": "error.domain_not_yours"}
    nobody = CartItem("hosting", code="pro", domain="a-personne.com", action="existing")
    assert refused(price_cart, buyer, [nobody]) == {"cart": "error.domain_not_yours"}


@pytest.mark.parametrize("years", [1, 2, 5, 10])
def test_a_domain_registers_for_one_to_ten_years_at_the_yearly_price(db, years):
    buyer = person("annuel@example.fr")
    items = [CartItem("domain", domain="dix-ans.com", action="register", years=years)]
    quote = price_cart(buyer, items)
    assert [(line.years, line.total_ht_cents) for line in quote.lines] == [
        (years, TLD["com"]["register_cents"] * years)
    ]
    assert order(buyer, items, f"k-years-{years:04d}").status == "paid"
    (domain,) = products_of(buyer)
    assert domain.expiry_date == add_years(clock.today(), years)
    assert domain.offer_code == "com"
    assert json.loads(domain.nameservers_json) == provisioning.DEFAULT_NAMESERVERS


@pytest.mark.parametrize("years", [0, 11, -3, 100])
def test_domain_years_outside_one_to_ten_are_refused(db, years):
    buyer = person("hors-limite@example.fr")
    items = [CartItem("domain", domain="trop-long.fr", action="register", years=years)]
    assert refused(price_cart, buyer, items) == {"cart": "error.cart_item_invalid"}
    assert refused(order, buyer, items, f"k-badyears-{years:04d}") == {
        "cart": "error.cart_item_invalid"
    }
    assert count(Order) == 0 and count(RegistryDomain) == 0


@pytest.mark.parametrize("tld", ["fr", "com", "io"])
def test_a_transfer_costs_the_transfer_price_and_adds_one_year(db, tld):
    buyer = person("transfert@example.fr")
    name = f"vient-d-ailleurs.{tld}"
    with transaction() as session:
        session.add(RegistryDomain(name=name, reserved=True))
    items = [CartItem("domain", domain=name, action="transfer", auth_code="Abc-123/xyz")]
    quote = price_cart(buyer, items)
    assert [(line.action, line.years, line.total_ht_cents) for line in quote.lines] == [
        ("transfer", 1, TLD[tld]["transfer_cents"])
    ]
    assert order(buyer, items, f"k-transfer-{tld}").status == "paid"
    (domain,) = products_of(buyer)
    assert (domain.kind, domain.name, domain.expiry_date) == (
        "domain",
        name,
        add_years(clock.today(), 1),
    )
    with read_session() as session:
        row = session.exec(select(RegistryDomain).where(RegistryDomain.name == name)).one()
    assert row.holder_ref == f"customer:{buyer}" and row.reserved is False


@pytest.mark.parametrize(
    "auth_code", ["", "     ", "abc12", "abc 123 def", "tab\there12", "x" * 65]
)
def test_an_empty_or_malformed_auth_code_is_refused(db, auth_code):
    buyer = person("code-epp@example.fr")
    with transaction() as session:
        session.add(RegistryDomain(name="code-faux.com", reserved=True))
    items = [CartItem("domain", domain="code-faux.com", action="transfer", auth_code=auth_code)]
    assert refused(price_cart, buyer, items) == {"auth_code": "error.auth_code_invalid"}
    assert refused(order, buyer, items, "k-badcode-01") == {"auth_code": "error.auth_code_invalid"}
    assert count(Order) == 0 and count(GatewayCharge) == 0
    assert count(DomainHold) == 0


def test_a_transfer_needs_a_name_registered_elsewhere(db):
    buyer = person("transfert-vide@example.fr")
    free = CartItem("domain", domain="personne-ne-l-a.fr", action="transfer", auth_code="ABC-DEF")
    assert refused(order, buyer, [free], "k-tr-free-1") == {
        "cart": "error.transfer_not_registered|personne-ne-l-a.fr"
    }
    # A name already managed here is a change of holder, not a transfer in.
    order(buyer, [CartItem("domain", domain="deja-ici.fr", action="register")], "k-tr-here-0")
    other = person("autre-transfert@example.fr")
    here = CartItem("domain", domain="deja-ici.fr", action="transfer", auth_code="ABC-DEF")
    assert refused(order, other, [here], "k-tr-here-1") == {
        "cart": "error.transfer_already_here|deja-ici.fr"
    }
    assert count(GatewayCharge) == 1 and count(Order) == 1


@pytest.mark.parametrize("code", ["infogere-s", "infogere-m", "infogere-l"])
def test_a_managed_server_is_billed_yearly_at_twelve_times_the_monthly_price(db, code):
    buyer = person("serveur@example.fr")
    items = [CartItem("server", code=code)]
    quote = price_cart(buyer, items)
    yearly = SERVERS[code]["monthly_cents"] * 12
    assert [(line.action, line.years, line.total_ht_cents) for line in quote.lines] == [
        ("server", 1, yearly)
    ]
    assert (quote.totals.ht, quote.totals.vat, quote.totals.ttc) == (
        yearly,
        yearly // 5,
        yearly + yearly // 5,
    )
    assert order(buyer, items, f"k-server-{code}").status == "paid"
    (server,) = products_of(buyer)
    assert (server.kind, server.offer_code) == ("server", code)
    assert server.expiry_date == add_years(clock.today(), 1)
    with read_session() as session:
        line = session.exec(select(OrderLine)).one()
    assert (line.quantity, line.unit_price_ht_cents, line.total_ht_cents) == (1, yearly, yearly)


def test_two_servers_of_one_model_get_distinct_hostnames(db):
    buyer = person("deux-serveurs@example.fr")
    assert order(buyer, [CartItem("server", code="infogere-s")], "k-two-srv-1").status == "paid"
    assert order(buyer, [CartItem("server", code="infogere-s")], "k-two-srv-2").status == "paid"
    servers = products_of(buyer)
    assert len(servers) == 2
    assert servers[0].ip_address != servers[1].ip_address
    # The quoted name is srv-{customer}-{model}: the second server of a model gets -2.
    assert servers[0].name != servers[1].name


def test_a_domain_cannot_be_in_the_cart_twice_whatever_its_spelling(db):
    buyer = person("doublon@example.fr")
    assert refused(
        price_cart,
        buyer,
        [
            CartItem("hosting", code="cloud", domain="doublon.fr", action="register"),
            CartItem("domain", domain="doublon.fr", action="register"),
        ],
    ) == {"cart": "error.cart_duplicate"}
    # As typed in the hosting form and as found by the search: the same name.
    spelled = [
        CartItem("hosting", code="cloud", domain="Doublon.FR", action="register"),
        CartItem("domain", domain="doublon.fr", action="register"),
    ]
    assert refused(price_cart, buyer, spelled) == {"cart": "error.cart_duplicate"}


# ---------------------------------------------------------------- 3b. VAT and totals

VAT_CART = [
    CartItem("hosting", code="cloud", years=1, domain="tva-panier.fr", action="register"),
    CartItem("domain", domain="tva-panier.com", action="register", years=2),
    CartItem("server", code="infogere-m"),
]
VAT_CART_HT = (
    2112 + 0 + 2 * TLD["com"]["register_cents"] + SERVERS["infogere-m"]["monthly_cents"] * 12
)


def _vat_of(ht: int) -> int:
    return (ht * 2000 + 5000) // 10000


@pytest.mark.parametrize(
    ("fields", "rate_bp", "mention"),
    [
        # A French consumer, and a French business: 20 %.
        ({"account_type": "particulier", "country": "FR"}, 2000, None),
        (
            {
                "account_type": "entreprise",
                "country": "FR",
                "company_name": "ACME",
                "vat_number": "FR40303265045",
            },
            2000,
            None,
        ),
        # An EU business with a valid VAT number of its own country: reverse charge.
        (
            {
                "account_type": "entreprise",
                "country": "BE",
                "company_name": "ACME BE",
                "vat_number": "BE0403170701",
            },
            0,
            billing.REVERSE_CHARGE_MENTION,
        ),
        (
            {
                "account_type": "association",
                "country": "DE",
                "company_name": "Verein",
                "vat_number": "DE 136 695 976",
            },
            0,
            billing.REVERSE_CHARGE_MENTION,
        ),
        # An EU business without a valid number, or with another country's: French VAT.
        (
            {
                "account_type": "entreprise",
                "country": "BE",
                "company_name": "ACME BE",
                "vat_number": "BE0403170702",
            },
            2000,
            None,
        ),
        ({"account_type": "entreprise", "country": "BE", "company_name": "Sans TVA"}, 2000, None),
        (
            {
                "account_type": "entreprise",
                "country": "BE",
                "company_name": "ACME",
                "vat_number": "DE136695976",
            },
            2000,
            None,
        ),
        # An EU consumer, even one who typed a VAT number: French VAT.
        (
            {"account_type": "particulier", "country": "BE", "vat_number": "BE0403170701"},
            2000,
            None,
        ),
        # Outside the EU: none, with its mention.
        ({"account_type": "particulier", "country": "CH"}, 0, billing.OUTSIDE_EU_MENTION),
        (
            {"account_type": "entreprise", "country": "US", "company_name": "Inc"},
            0,
            billing.OUTSIDE_EU_MENTION,
        ),
    ],
    ids=[
        "fr-consumer",
        "fr-business",
        "be-business-vat",
        "de-association-vat",
        "be-business-bad-vat",
        "be-business-no-vat",
        "be-business-foreign-vat",
        "be-consumer",
        "ch-consumer",
        "us-business",
    ],
)
def test_totals_ht_vat_ttc_follow_the_vat_rules(db, fields, rate_bp, mention):
    buyer = person("tva@example.fr", **fields)
    quote = price_cart(buyer, VAT_CART)
    vat = _vat_of(VAT_CART_HT) if rate_bp else 0
    assert (quote.vat_rate_bp, quote.vat_mention) == (rate_bp, mention)
    assert (quote.totals.ht, quote.totals.vat, quote.totals.ttc) == (
        VAT_CART_HT,
        vat,
        VAT_CART_HT + vat,
    )
    # The order form, the invoice and the amount charged carry the same figures.
    outcome = order(buyer, VAT_CART, "k-vat-00001", withdrawal=True)
    assert outcome.status == "paid"
    with read_session() as session:
        form = session.get(Order, outcome.order_id)
        invoice = session.exec(select(Invoice).where(Invoice.order_id == form.id)).one()
        charge = session.exec(select(GatewayCharge)).one()
        payment = session.exec(select(Payment).where(Payment.order_id == form.id)).one()
    for document in (form, invoice):
        assert (
            document.total_ht_cents,
            document.total_vat_cents,
            document.total_ttc_cents,
            document.vat_rate_bp,
            document.vat_mention,
        ) == (VAT_CART_HT, vat, VAT_CART_HT + vat, rate_bp, mention)
    assert payment.amount_cents == VAT_CART_HT + vat
    assert charge.amount_cents == VAT_CART_HT + vat


def test_french_consumer_totals_in_euros(db):
    """One worked example, by hand: Cloud 1 year with a free .fr, and a .com for 2 years."""
    buyer = person("euros@example.fr")
    items = [
        CartItem("hosting", code="cloud", years=1, domain="en-euros.fr", action="register"),
        CartItem("domain", domain="en-euros.com", action="register", years=2),
    ]
    quote = price_cart(buyer, items)
    # 21.12 + 0 + 2 × 10.50 = 42.12 € HT; TVA 8.424 → 8.42 €; TTC 50.54 €.
    assert [line.total_ht_cents for line in quote.lines] == [2112, 0, 2100]
    assert (quote.totals.ht, quote.totals.vat, quote.totals.ttc) == (4212, 842, 5054)
    assert isinstance(quote.totals.ttc, int)


def test_the_search_says_a_name_is_managed_here_and_the_cart_refuses_its_transfer(db):
    """A name managed here is never offered for transfer: the search says so (to its
    holder: it is yours; to anyone else: a change of holder), and the cart refuses the
    transfer when it is added, before any card is typed."""
    holder = person("tient-le-nom@example.fr")
    order(holder, [CartItem("domain", domain="gere-ici.fr", action="register")], "k-here-0")
    other = person("voudrait-le-nom@example.fr")
    assert search_domain("gere-ici.fr", customer_id=holder).managed_here == "yours"
    assert search_domain("GERE-ICI.fr", customer_id=other).managed_here == "other"
    assert search_domain("google.fr", customer_id=other).managed_here == ""
    here = CartItem("domain", domain="gere-ici.fr", action="transfer", auth_code="ABC-DEF")
    assert refused(price_cart, other, [here]) == {"cart": "error.transfer_already_here|gere-ici.fr"}
