"""Payments (SPEC.md "Payment"): the card form, the local test gateway and its three
documented test cards, saved-card tokens, and that no full card number is ever stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text
from sqlmodel import select

from o2portal.accounts.models import Customer, SavedCard
from o2portal.billing.models import Payment
from o2portal.billing.payments import CardDetails, PaymentChoice
from o2portal.billing.renewals import renew_product
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core import clock
from o2portal.core.db import get_engine, read_session, transaction
from o2portal.core.errors import InvalidInput
from o2portal.integrations.gateway import (
    TEST_CARDS,
    LocalTestGateway,
    card_gateway,
    clean_card,
    vault_test_card,
)
from o2portal.integrations.models import GatewayCard, GatewayCharge
from o2portal.products.models import Product
from tests.unit.helpers import count, rows

SUCCEEDS = "4242424242424242"
DECLINED = "4000000000000002"
RETRY = "4000000000000119"
T0 = datetime(2026, 5, 12, 10, 0, tzinfo=UTC)  # May 2026 in Paris


def _form(**overrides) -> dict[str, str]:
    values = {
        "card_number": "4242 4242 4242 4242",
        "card_expiry": "12/29",
        "card_cvc": "123",
        "card_holder": "Marie Dupont",
    }
    values.update(overrides)
    return values


def _errors(form: dict[str, str]) -> dict[str, str]:
    with clock.frozen_at(T0), pytest.raises(InvalidInput) as caught:
        clean_card(form)
    return caught.value.errors


# ---------------------------------------------------------------- clean_card


def test_clean_card_accepts_a_valid_card():
    with clock.frozen_at(T0):
        card = clean_card(_form(card_number=" 4242-4242 4242-4242 ", card_holder="  Marie  "))
    assert card == CardDetails(SUCCEEDS, 12, 2029, "123", "Marie")


@pytest.mark.parametrize(
    ("expiry", "month", "year"),
    [("05/26", 5, 2026), ("5/2026", 5, 2026), (" 01 / 30 ", 1, 2030), ("12/2046", 12, 2046)],
)
def test_clean_card_expiry_formats(expiry, month, year):
    """The current month still counts; up to 20 years ahead."""
    with clock.frozen_at(T0):
        card = clean_card(_form(card_expiry=expiry))
    assert (card.exp_month, card.exp_year) == (month, year)


def test_clean_card_accepts_a_four_digit_cvc():
    with clock.frozen_at(T0):
        assert clean_card(_form(card_cvc=" 1234 ")).cvc == "1234"


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("card_number", "4242 4242 4242 4241", "error.card_number"),  # bad Luhn
        ("card_number", "4242 4242 4242 424a", "error.card_number"),
        ("card_number", "42", "error.card_number"),
        ("card_number", "4" * 25, "error.card_number"),
        ("card_number", "", "error.required"),
        ("card_number", "  - ", "error.required"),
        ("card_expiry", "04/26", "error.card_expiry"),  # last month
        ("card_expiry", "12/25", "error.card_expiry"),
        ("card_expiry", "13/27", "error.card_expiry"),
        ("card_expiry", "00/27", "error.card_expiry"),
        ("card_expiry", "12/2047", "error.card_expiry"),  # more than 20 years ahead
        ("card_expiry", "1227", "error.card_expiry"),
        ("card_expiry", "", "error.card_expiry"),
        ("card_cvc", "12", "error.card_cvc"),
        ("card_cvc", "12345", "error.card_cvc"),
        ("card_cvc", "12a", "error.card_cvc"),
        ("card_cvc", "", "error.card_cvc"),
        ("card_holder", "", "error.required"),
        ("card_holder", "    ", "error.required"),
    ],
)
def test_clean_card_errors_are_keyed_by_field(field, value, key):
    assert _errors(_form(**{field: value})) == {field: key}


def test_clean_card_reports_every_bad_field_at_once():
    errors = _errors(
        {"card_number": "1234 5678 9012 3456", "card_expiry": "01/20", "card_cvc": "x"}
    )
    assert errors == {
        "card_number": "error.card_number",
        "card_expiry": "error.card_expiry",
        "card_cvc": "error.card_cvc",
        "card_holder": "error.required",
    }


def test_clean_card_survives_huge_input():
    errors = _errors(_form(card_number="4" * 100_000, card_expiry="1" * 100_000))
    assert set(errors) == {"card_number", "card_expiry"}


# ---------------------------------------------------------------- the test gateway


def _card(number: str) -> CardDetails:
    return CardDetails(number, 12, 2030, "123", "Marie Dupont")


def _charges(reference: str | None = None) -> list[GatewayCharge]:
    with read_session() as session:
        query = select(GatewayCharge).order_by(GatewayCharge.id)
        if reference is not None:
            query = query.where(GatewayCharge.reference == reference)
        return list(session.exec(query).all())


# The gateway's own behaviour (tokens, replays, the retry card, timeouts) is tested in
# test_gateway.py; here, what the portal does with it.


def test_the_test_cards_are_documented():
    assert TEST_CARDS == {
        SUCCEEDS: "succeeds",
        DECLINED: "declined",
        RETRY: "retry",
        "4000000000000036": "lost",
    }
    assert isinstance(card_gateway(), LocalTestGateway)


def test_an_unknown_valid_number_is_declined(db):
    gateway = card_gateway()
    token = gateway.tokenize(_card("5555555555554444"))
    assert token.brand == "Mastercard"
    result = gateway.charge(reference="ref-unknown-card", amount_cents=500, token=token.token)
    assert result.status == "declined"


def test_vaulted_test_cards_keep_their_behaviour(db):
    with transaction() as session:
        declined = vault_test_card(session, DECLINED, 1, 2031)
        retry = vault_test_card(session, RETRY, 1, 2031)
    gateway = card_gateway()
    assert gateway.charge(reference="ref-tok-d", amount_cents=100, token=declined).status == (
        "declined"
    )
    assert gateway.charge(reference="ref-tok-r", amount_cents=100, token=retry).status == "retry"
    assert gateway.charge(reference="ref-tok-r2", amount_cents=100, token=retry).status == (
        "succeeded"
    )


def test_an_unknown_token_is_declined_and_nothing_is_charged(db):
    result = card_gateway().charge(
        reference="ref-no-token", amount_cents=100, token="tok_test_nope"
    )
    assert (result.status, result.message_key, result.charge_ref) == (
        "declined",
        "error.card_unknown",
        None,
    )
    assert count(GatewayCharge) == 0


# ---------------------------------------------------------------- no card number at rest


def test_no_full_card_number_is_ever_stored(db):
    """Charge every test card (saving the good one) through the gateway and through a real
    renewal, then read every text value of every table, and the database files."""
    with transaction() as session:
        ensure_catalogue(session)
        customer = Customer(
            email="marie@example.com",
            password_hash="x",
            first_name="Marie",
            last_name="Dupont",
            phone="+33612345678",
            address_line1="14 rue des Carmes",
            postal_code="45000",
            city="Orléans",
        )
        session.add(customer)
        session.flush()
        today = clock.today()
        product = Product(
            customer_id=customer.id,
            kind="hosting",
            name="dupont.fr",
            offer_code="grow",
            start_date=today - timedelta(days=300),
            expiry_date=today + timedelta(days=65),
        )
        session.add(product)
        session.flush()
        customer_id, product_id, expiry = customer.id, product.id, product.expiry_date

    def renew(number: str, key: str, save: bool = False):
        nonlocal expiry
        outcome = renew_product(
            customer_id=customer_id,
            product_id=product_id,
            years=1,
            expected_expiry=expiry,
            choice=PaymentChoice("card", _card(number), save_card=save),
            key=key,
        )
        if outcome.new_expiries:
            expiry = outcome.new_expiries[product_id]
        return outcome

    assert renew(DECLINED, "scan-declined-1").status == "declined"
    assert renew(RETRY, "scan-retry-1").status == "retry"
    assert renew(RETRY, "scan-retry-1").status == "retry"  # the same key: the same answer
    assert renew(RETRY, "scan-retry-2").status == "paid"
    assert renew(SUCCEEDS, "scan-success-1", save=True).status == "paid"
    with read_session() as session:
        saved = session.exec(select(SavedCard)).one()
    outcome = renew_product(
        customer_id=customer_id,
        product_id=product_id,
        years=1,
        expected_expiry=expiry,
        choice=PaymentChoice("saved_card", saved_card_id=saved.id),
        key="scan-saved-1",
    )
    assert outcome.status == "paid"
    assert count(GatewayCard) == 4  # each card typed is tokenized once per payment
    assert count(SavedCard) == 1
    # Refusals are kept, with the card's last digits.
    assert [(p.status, p.card_last4) for p in rows(Payment)] == [
        ("declined", "0002"),
        ("declined", "0119"),
        ("succeeded", "0119"),
        ("succeeded", "4242"),
        ("succeeded", "4242"),
    ]

    numbers = (SUCCEEDS, DECLINED, RETRY)
    with read_session() as session:
        tables = sa_inspect(session.get_bind()).get_table_names()
        assert {"gateway_card", "gateway_charge", "saved_card", "payment"} <= set(tables)
        for table in tables:
            for row in session.exec(text(f'SELECT * FROM "{table}"')).all():
                for value in row:
                    digits = "".join(ch for ch in str(value) if ch.isdigit())
                    for number in numbers:
                        assert number not in digits, f"card number in {table}: {row}"
    if get_engine().dialect.name != "sqlite":
        return  # the rows are what PostgreSQL keeps; its files are the server's
    path = get_engine().url.database
    for suffix in ("", "-wal"):
        try:
            with open(path + suffix, "rb") as handle:
                content = handle.read()
        except FileNotFoundError:
            continue
        for number in numbers:
            assert number.encode() not in content
