"""Billing rules (SPEC.md "Money" and "Invoices"): VAT, totals in integer cents, the
gap-free yearly numbering of invoices and credit notes, account credit."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.billing import invoices as billing
from o2portal.billing.invoices import (
    OUTSIDE_EU_MENTION,
    REVERSE_CHARGE_MENTION,
    change_credit,
    issue_credit_note,
    issue_invoice,
    vat_rule,
)
from o2portal.billing.models import (
    CreditLedgerEntry,
    CreditNote,
    Invoice,
    InvoiceLine,
    NumberSequence,
    Order,
    OrderLine,
)
from o2portal.billing.payments import CardDetails, PaymentChoice
from o2portal.billing.renewals import quote_renewal, renew_product
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.money import totals_for, vat_cents
from o2portal.products.models import Product
from tests.unit.helpers import count, get_customer

# A moment well inside 2026 in Paris.
T0 = datetime(2026, 5, 12, 10, 0, tzinfo=UTC)
# 23:30 UTC on 31 December 2026 is already 00:30 on 1 January 2027 in Paris.
NEW_YEAR_EVE_UTC = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)


# ---------------------------------------------------------------- VAT


def _customer_obj(country="FR", account_type="particulier", vat_number=None) -> Customer:
    return Customer(
        email="x@example.com",
        password_hash="x",
        first_name="A",
        last_name="B",
        phone="+33612345678",
        address_line1="1 rue",
        postal_code="75001",
        city="Paris",
        country=country,
        account_type=account_type,
        vat_number=vat_number,
    )


@pytest.mark.parametrize(
    ("country", "account_type", "vat_number", "rate", "mention"),
    [
        # French customers pay 20 %, consumer or business, with or without a VAT number.
        ("FR", "particulier", None, 2000, None),
        ("FR", "entreprise", "FR40303265045", 2000, None),
        ("FR", "association", None, 2000, None),
        # EU business with a valid VAT number of its own country: reverse charge.
        ("BE", "entreprise", "BE0776091951", 0, REVERSE_CHARGE_MENTION),
        ("BE", "entreprise", "be 0776.091.951", 0, REVERSE_CHARGE_MENTION),
        ("DE", "entreprise", "DE136695976", 0, REVERSE_CHARGE_MENTION),
        ("IT", "association", "IT00743110157", 0, REVERSE_CHARGE_MENTION),
        ("GR", "entreprise", "EL094259216", 0, REVERSE_CHARGE_MENTION),  # Greece writes EL
        ("be", "entreprise", "BE0776091951", 0, REVERSE_CHARGE_MENTION),
        # EU business whose (valid) VAT number belongs to another country: 20 %.
        ("BE", "entreprise", "DE136695976", 2000, None),
        ("DE", "entreprise", "BE0776091951", 2000, None),
        ("BE", "entreprise", "FR40303265045", 2000, None),
        # EU business with an invalid or missing VAT number: 20 %.
        ("BE", "entreprise", "BE0776091952", 2000, None),
        ("BE", "entreprise", None, 2000, None),
        ("BE", "entreprise", "", 2000, None),
        # EU consumer: French VAT, even with a valid-looking number.
        ("BE", "particulier", None, 2000, None),
        ("DE", "particulier", "DE136695976", 2000, None),
        # Outside the EU: no VAT, with its mention, consumer or business.
        ("CH", "particulier", None, 0, OUTSIDE_EU_MENTION),
        ("US", "entreprise", None, 0, OUTSIDE_EU_MENTION),
        ("GB", "entreprise", "GB980780684", 0, OUTSIDE_EU_MENTION),
    ],
)
def test_vat_rule(country, account_type, vat_number, rate, mention):
    rule = vat_rule(_customer_obj(country, account_type, vat_number))
    assert rule.rate_bp == rate
    assert rule.mention == mention


def test_vat_rule_defaults_to_france_without_country():
    assert vat_rule(_customer_obj(country=None)).rate_bp == 2000


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


cents = st.integers(min_value=-(10**11), max_value=10**11)


@given(cents)
def test_vat_at_20_percent_is_a_fifth_rounded_half_up(ht):
    vat = vat_cents(ht, 2000)
    assert type(vat) is int
    assert vat == _half_up(Decimal(ht) / 5)


@given(cents, st.integers(min_value=0, max_value=10000))
def test_vat_at_any_rate_is_rounded_half_up(ht, rate_bp):
    vat = vat_cents(ht, rate_bp)
    assert type(vat) is int
    # Half away from zero, so that a credit note is the exact opposite of an invoice.
    assert vat == _half_up(Decimal(ht) * rate_bp / 10000)
    assert vat_cents(-ht, rate_bp) == -vat


@pytest.mark.parametrize(
    ("ht", "rate_bp", "vat"),
    [(1, 2000, 0), (2, 2000, 0), (3, 2000, 1), (8400, 2000, 1680), (25, 2000, 5),
     (5, 1000, 1), (15, 1000, 2), (4, 1000, 0), (25, 550, 1), (-3, 2000, -1)],
)  # fmt: skip
def test_vat_examples(ht, rate_bp, vat):
    assert vat_cents(ht, rate_bp) == vat


@given(
    st.lists(st.integers(min_value=0, max_value=10**9), max_size=20),
    st.sampled_from([0, 2000]),
)
def test_totals_always_add_up_in_integers(lines, rate_bp):
    totals = totals_for(lines, rate_bp)
    assert all(type(v) is int for v in (totals.ht, totals.vat, totals.ttc))
    assert totals.ht == sum(lines)
    assert totals.vat == vat_cents(sum(lines), rate_bp)
    assert totals.ttc == totals.ht + totals.vat


# ---------------------------------------------------------------- fixtures on the database


@pytest.fixture
def billing_db(db):
    with transaction() as session:
        ensure_catalogue(session)


def _new_customer(email="marie@example.com", **fields) -> int:
    values = {
        "email": email,
        "password_hash": "not-a-login",
        "first_name": "Marie",
        "last_name": "Dupont",
        "phone": "+33612345678",
        "address_line1": "14 rue des Carmes",
        "postal_code": "45000",
        "city": "Orléans",
        "country": "FR",
    }
    values.update(fields)
    with transaction() as session:
        customer = Customer(**values)
        session.add(customer)
        session.flush()
        return customer.id


def _unpaid_order(customer_id: int, line_totals: list[int], rate_bp: int = 2000) -> int:
    """An order form of `line_totals` (cents HT), written as renewals.py would."""
    totals = totals_for(line_totals, rate_bp)
    with transaction() as session:
        order = Order(
            customer_id=customer_id,
            kind="order",
            status="unpaid",
            idempotency_key=f"test-order-{count(Order)}-{sum(line_totals)}-{len(line_totals)}",
            total_ht_cents=totals.ht,
            total_vat_cents=totals.vat,
            total_ttc_cents=totals.ttc,
            vat_rate_bp=rate_bp,
            created_at=clock.now(),
        )
        session.add(order)
        session.flush()
        for i, total in enumerate(line_totals):
            session.add(
                OrderLine(
                    order_id=order.id,
                    action="register",
                    description=f"Ligne {i + 1}",
                    item_code=f"item-{i}",
                    quantity=1,
                    unit_price_ht_cents=total,
                    total_ht_cents=total,
                    vat_rate_bp=rate_bp,
                )
            )
        return order.id


def _invoice(customer_id: int, line_totals: list[int], paid_at: datetime) -> Invoice:
    order_id = _unpaid_order(customer_id, line_totals)
    with transaction() as session:
        return issue_invoice(session, session.get(Order, order_id), method="card", paid_at=paid_at)


def _sequence(kind: str, year: int) -> int | None:
    with read_session() as session:
        row = session.get(NumberSequence, (kind, year))
        return row.last_number if row else None


# ---------------------------------------------------------------- invoice numbering


def test_invoices_are_numbered_consecutively_per_year(billing_db):
    customer_id = _new_customer()
    numbers = [
        _invoice(customer_id, [1000 * (i + 1)], T0 + timedelta(minutes=i)).number for i in range(5)
    ]
    assert numbers == [f"F2026-{n:06d}" for n in range(1, 6)]
    # Another year has its own sequence, starting at 1.
    assert _invoice(customer_id, [500], datetime(2027, 2, 1, 9, tzinfo=UTC)).number == (
        "F2027-000001"
    )
    assert _invoice(customer_id, [500], T0 + timedelta(days=1)).number == "F2026-000006"
    assert _sequence("F", 2026) == 6
    assert _sequence("F", 2027) == 1


def test_invoice_year_is_the_paris_year_of_payment(billing_db):
    customer_id = _new_customer()
    # 22:30 UTC on 31 December is 23:30 in Paris: still 2026.
    late_2026 = _invoice(customer_id, [1000], datetime(2026, 12, 31, 22, 30, tzinfo=UTC))
    assert (late_2026.number, late_2026.year) == ("F2026-000001", 2026)
    # 23:30 UTC is 00:30 on 1 January in Paris: 2027.
    early_2027 = _invoice(customer_id, [1000], NEW_YEAR_EVE_UTC)
    assert (early_2027.number, early_2027.year, early_2027.sequence) == ("F2027-000001", 2027, 1)


def test_payment_at_new_year_in_paris_gets_next_years_number(billing_db):
    """Through the real payment path, with the clock frozen on New Year's Eve (UTC)."""
    customer_id = _new_customer()
    with clock.frozen_at(NEW_YEAR_EVE_UTC):
        assert clock.today() == date(2027, 1, 1)
        with transaction() as session:
            product = Product(
                customer_id=customer_id,
                kind="hosting",
                name="exemple.fr",
                offer_code="grow",
                start_date=date(2026, 2, 1),
                expiry_date=date(2027, 2, 1),
            )
            session.add(product)
            session.flush()
            product_id = product.id
        outcome = renew_product(
            customer_id=customer_id,
            product_id=product_id,
            years=1,
            expected_expiry=date(2027, 2, 1),
            choice=PaymentChoice("card", CardDetails("4242424242424242", 12, 2030, "123", "M D")),
            key="new-year-renewal-1",
        )
    assert outcome.status == "paid"
    assert outcome.invoice_number == "F2027-000001"
    with read_session() as session:
        invoice = session.exec(select(Invoice)).one()
    assert invoice.year == 2027
    assert _sequence("F", 2026) is None


def test_issuing_an_invoice_twice_returns_the_same_and_takes_no_number(billing_db):
    customer_id = _new_customer()
    order_id = _unpaid_order(customer_id, [8400])
    with transaction() as session:
        first = issue_invoice(session, session.get(Order, order_id), method="card", paid_at=T0)
    with transaction() as session:
        again = issue_invoice(session, session.get(Order, order_id), method="card", paid_at=T0)
    assert again.id == first.id
    assert again.number == first.number == "F2026-000001"
    assert count(Invoice) == 1
    assert _sequence("F", 2026) == 1


def test_rolled_back_payment_gives_its_number_back(billing_db):
    customer_id = _new_customer()
    order_id = _unpaid_order(customer_id, [1000])
    with pytest.raises(RuntimeError), transaction() as session:
        issue_invoice(session, session.get(Order, order_id), method="card", paid_at=T0)
        raise RuntimeError("the payment fails after numbering")
    assert count(Invoice) == 0
    assert _sequence("F", 2026) is None
    assert _invoice(customer_id, [1000], T0).number == "F2026-000001"


def test_invoice_copies_order_lines_totals_and_snapshots(billing_db):
    customer_id = _new_customer(company_name="Photo SARL", account_type="entreprise")
    order_id = _unpaid_order(customer_id, [8400, 825, 0])
    with transaction() as session:
        invoice = issue_invoice(
            session, session.get(Order, order_id), method="transfer", paid_at=T0
        )
    with read_session() as session:
        order = session.get(Order, order_id)
        order_lines = session.exec(
            select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.id)
        ).all()
        invoice_lines = session.exec(
            select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id).order_by(InvoiceLine.id)
        ).all()
    assert (
        (invoice.total_ht_cents, invoice.total_vat_cents, invoice.total_ttc_cents)
        == (
            order.total_ht_cents,
            order.total_vat_cents,
            order.total_ttc_cents,
        )
        == (9225, 1845, 11070)
    )
    assert invoice.paid_at == invoice.issued_at
    assert invoice.payment_method == "transfer"
    assert [
        (line.description, line.quantity, line.unit_price_ht_cents, line.total_ht_cents)
        for line in invoice_lines
    ] == [
        (line.description, line.quantity, line.unit_price_ht_cents, line.total_ht_cents)
        for line in order_lines
    ]
    assert json.loads(invoice.customer_snapshot_json)["name"] == "Photo SARL"
    assert json.loads(invoice.seller_snapshot_json)["name"]


# ---------------------------------------------------------------- credit notes


def test_credit_notes_have_their_own_sequence(billing_db):
    customer_id = _new_customer()
    first = _invoice(customer_id, [10000], T0)
    second = _invoice(customer_id, [5000], T0 + timedelta(minutes=1))
    with clock.frozen_at(T0 + timedelta(days=1)), transaction() as session:
        a1 = issue_credit_note(session, first, amount_ht_cents=1000, reason="Geste commercial")
        a2 = issue_credit_note(session, second, amount_ht_cents=5000, reason="Annulation")
    assert (a1.number, a1.sequence, a1.year) == ("A2026-000001", 1, 2026)
    assert a2.number == "A2026-000002"
    assert _sequence("A", 2026) == 2
    # Invoices kept their own numbering.
    assert _invoice(customer_id, [100], T0 + timedelta(days=2)).number == "F2026-000003"
    assert _sequence("F", 2026) == 3


def test_credit_note_year_is_the_paris_year(billing_db):
    customer_id = _new_customer()
    invoice = _invoice(customer_id, [10000], T0)
    with clock.frozen_at(NEW_YEAR_EVE_UTC), transaction() as session:
        note = issue_credit_note(session, invoice, amount_ht_cents=100, reason="x")
    assert note.number == "A2027-000001"


def test_credit_notes_cannot_exceed_the_invoice_total_ht(billing_db):
    customer_id = _new_customer()
    invoice = _invoice(customer_id, [8400], T0)
    with transaction() as session:
        issue_credit_note(session, invoice, amount_ht_cents=3000, reason="part 1")
    with transaction() as session:
        issue_credit_note(session, invoice, amount_ht_cents=5000, reason="part 2")
    for too_much in (401, 8400):
        with pytest.raises(ValueError), transaction() as session:
            issue_credit_note(session, invoice, amount_ht_cents=too_much, reason="too much")
    with transaction() as session:
        last = issue_credit_note(session, invoice, amount_ht_cents=400, reason="rest")
    assert last.number == "A2026-000003"  # the refused notes took no number
    with pytest.raises(ValueError), transaction() as session:
        issue_credit_note(session, invoice, amount_ht_cents=1, reason="nothing left")
    with read_session() as session:
        notes = session.exec(select(CreditNote).where(CreditNote.invoice_id == invoice.id)).all()
    assert sum(n.total_ht_cents for n in notes) == invoice.total_ht_cents
    assert _sequence("A", 2026) == 3


def test_single_credit_note_above_the_invoice_is_refused(billing_db):
    customer_id = _new_customer()
    invoice = _invoice(customer_id, [1000], T0)
    with pytest.raises(ValueError), transaction() as session:
        issue_credit_note(session, invoice, amount_ht_cents=1001, reason="x")
    for amount in (0, -100):
        with pytest.raises(ValueError), transaction() as session:
            issue_credit_note(session, invoice, amount_ht_cents=amount, reason="x")
    assert count(CreditNote) == 0
    assert _sequence("A", 2026) is None


def test_credit_note_to_account_credit_raises_the_balance_by_its_ttc(billing_db):
    customer_id = _new_customer(credit_balance_cents=150)
    invoice = _invoice(customer_id, [8400], T0)
    with transaction() as session:
        note = issue_credit_note(session, invoice, amount_ht_cents=2501, reason="Geste")
    assert (note.total_ht_cents, note.total_vat_cents, note.total_ttc_cents) == (2501, 500, 3001)
    assert note.vat_rate_bp == invoice.vat_rate_bp == 2000
    assert note.refund_method == "credit"
    assert get_customer(customer_id).credit_balance_cents == 150 + 3001
    with read_session() as session:
        entry = session.exec(select(CreditLedgerEntry)).one()
    assert (entry.amount_cents, entry.credit_note_id, entry.customer_id) == (
        3001,
        note.id,
        customer_id,
    )
    lines = json.loads(note.lines_json)
    assert lines[0]["total_ht_cents"] == 2501
    assert invoice.number in lines[0]["description"]


def test_credit_note_refunded_otherwise_leaves_the_balance(billing_db):
    customer_id = _new_customer()
    invoice = _invoice(customer_id, [8400], T0)
    with transaction() as session:
        issue_credit_note(session, invoice, amount_ht_cents=8400, reason="x", refund_method="card")
    assert get_customer(customer_id).credit_balance_cents == 0
    assert count(CreditLedgerEntry) == 0


def test_credit_note_on_reverse_charge_invoice_has_no_vat(billing_db):
    customer_id = _new_customer(country="BE", account_type="entreprise", vat_number="BE0776091951")
    order_id = _unpaid_order(customer_id, [8400], rate_bp=0)
    with transaction() as session:
        invoice = issue_invoice(session, session.get(Order, order_id), method="card", paid_at=T0)
        note = issue_credit_note(session, invoice, amount_ht_cents=8400, reason="x")
    assert (note.total_vat_cents, note.total_ttc_cents) == (0, 8400)
    assert get_customer(customer_id).credit_balance_cents == 8400


def test_credit_notes_never_refund_more_vat_than_the_invoice_carried(billing_db):
    """Three notes of 3 + 3 + 8394 cents HT against an invoice of 8400 HT / 1680 TVA: each
    rounded on its own they would carry 1 + 1 + 1679 = 1681 cents of VAT."""
    customer_id = _new_customer()
    invoice = _invoice(customer_id, [8400], T0)
    notes = []
    for amount in (3, 3, 8394):
        with transaction() as session:
            notes.append(issue_credit_note(session, invoice, amount_ht_cents=amount, reason="x"))
    assert sum(n.total_vat_cents for n in notes) == invoice.total_vat_cents == 1680
    assert sum(n.total_ttc_cents for n in notes) == invoice.total_ttc_cents
    assert get_customer(customer_id).credit_balance_cents == invoice.total_ttc_cents


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.integers(min_value=1, max_value=10**7),
    st.lists(st.integers(min_value=1, max_value=10**7), min_size=1, max_size=6),
    st.booleans(),
)
def test_credit_notes_add_up_to_at_most_the_invoice(billing_db, total_ht, parts, credit_all):
    """However an invoice is credited in parts, the notes hold at most its HT, its VAT and
    its TTC, all of it once it is fully credited, and each note's VAT is its own within a
    cent."""
    customer_id = _new_customer(f"p{count(Customer)}@example.com")
    invoice = _invoice(customer_id, [total_ht], T0)
    notes = []
    for part in parts:
        amount = min(part, invoice.total_ht_cents - sum(n.total_ht_cents for n in notes))
        if amount <= 0:
            break
        with transaction() as session:
            notes.append(issue_credit_note(session, invoice, amount_ht_cents=amount, reason="x"))
    rest = invoice.total_ht_cents - sum(n.total_ht_cents for n in notes)
    if credit_all and rest > 0:
        with transaction() as session:
            notes.append(issue_credit_note(session, invoice, amount_ht_cents=rest, reason="x"))
    for note in notes:
        assert note.total_ttc_cents == note.total_ht_cents + note.total_vat_cents
        assert abs(note.total_vat_cents * 10000 - note.total_ht_cents * 2000) < 10000
    assert sum(n.total_ht_cents for n in notes) <= invoice.total_ht_cents
    assert sum(n.total_vat_cents for n in notes) <= invoice.total_vat_cents
    assert sum(n.total_ttc_cents for n in notes) <= invoice.total_ttc_cents
    if sum(n.total_ht_cents for n in notes) == invoice.total_ht_cents:
        assert sum(n.total_vat_cents for n in notes) == invoice.total_vat_cents
        assert sum(n.total_ttc_cents for n in notes) == invoice.total_ttc_cents


# ---------------------------------------------------------------- account credit


def test_change_credit_never_goes_below_zero(billing_db):
    customer_id = _new_customer(credit_balance_cents=1000)
    with transaction() as session:
        assert change_credit(session, customer_id, -400, "Règlement") == 600
    with pytest.raises(ValueError), transaction() as session:
        change_credit(session, customer_id, -601, "Règlement")
    assert get_customer(customer_id).credit_balance_cents == 600
    with read_session() as session:
        entries = session.exec(select(CreditLedgerEntry)).all()
    assert [e.amount_cents for e in entries] == [-400]


def test_quote_vat_follows_the_customer(billing_db):
    """The rule reaches the price the customer sees: FR 20 %, BE business reverse charge."""
    french = _new_customer()
    belgian = _new_customer(
        "b@example.com", country="BE", account_type="entreprise", vat_number="BE0776091951"
    )
    swiss = _new_customer("c@example.com", country="CH")
    today = clock.today()
    ids = {}
    with transaction() as session:
        for owner in (french, belgian, swiss):
            product = Product(
                customer_id=owner,
                kind="hosting",
                name=f"site-{owner}.fr",
                offer_code="grow",
                start_date=today - timedelta(days=300),
                expiry_date=today + timedelta(days=65),
            )
            session.add(product)
            session.flush()
            ids[owner] = product.id
    fr = quote_renewal(french, ids[french], 1)
    be = quote_renewal(belgian, ids[belgian], 1)
    ch = quote_renewal(swiss, ids[swiss], 1)
    assert (fr.totals.ht, fr.totals.vat, fr.totals.ttc, fr.vat_mention) == (8400, 1680, 10080, None)
    assert (be.totals.ht, be.totals.vat, be.totals.ttc) == (8400, 0, 8400)
    assert be.vat_mention == REVERSE_CHARGE_MENTION
    assert (ch.totals.vat, ch.vat_mention) == (0, OUTSIDE_EU_MENTION)


def test_order_reference_is_the_order_form_number():
    order = Order(
        id=7,
        customer_id=1,
        kind="order",
        idempotency_key="k",
        total_ht_cents=0,
        total_vat_cents=0,
        total_ttc_cents=0,
        vat_rate_bp=0,
    )
    assert billing.order_reference(order) == "BC-000007"
