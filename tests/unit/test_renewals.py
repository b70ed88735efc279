"""Renewing a product (SPEC.md "Renewal", "Invoices", "Payment"): the quote, then paying it
by card, saved card, account credit, transfer or cheque, through the real domain code and
the real database. A refused payment changes nothing; a replay never renews twice."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from o2portal.accounts.models import Customer, SavedCard
from o2portal.billing.checkout import pay_order
from o2portal.billing.models import (
    CreditLedgerEntry,
    Invoice,
    InvoiceLine,
    Order,
    OrderLine,
    Payment,
)
from o2portal.billing.payments import CardDetails, PaymentChoice
from o2portal.billing.renewals import quote_renewal, renew_product
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.demo.seed import seed_demo
from o2portal.integrations.models import GatewayCharge
from o2portal.mail.models import OutboxEmail
from o2portal.products.expiry import add_years
from o2portal.products.models import Product
from tests.unit.helpers import count, get_customer, outbox, rows

T0 = datetime(2026, 5, 12, 10, 0, tzinfo=UTC)
TODAY = date(2026, 5, 12)  # T0 in Paris
SUCCEEDS = "4242424242424242"
DECLINED = "4000000000000002"
RETRY = "4000000000000119"

# SPEC.md catalogue, renewal for 1 / 2 / 3 years, HT cents.
SPEC_HOSTING_RENEWAL = {
    "grow": (8400, 16800, 25200),
    "cloud": (19200, 28800, 32400),
    "pro": (28800, 48000, 57600),
}
# Tables whose rows must not move when a payment is refused.
MONEY_TABLES = (
    "order_form",
    "order_line",
    "payment",
    "invoice",
    "invoice_line",
    "number_sequence",
    "credit_note",
    "credit_ledger_entry",
    "customer",
    "product",
    "saved_card",
    "outbox_email",
)


@pytest.fixture
def shop(db):
    """The catalogue, with the clock frozen on a May morning of 2026 in Paris."""
    with clock.frozen_at(T0):
        with transaction() as session:
            ensure_catalogue(session)
        yield


def new_customer(email: str = "marie@example.com", **fields) -> int:
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


def new_product(
    customer_id: int,
    kind: str = "hosting",
    offer_code: str = "grow",
    *,
    expires_in: int = 65,
    name: str | None = None,
    status: str = "active",
) -> int:
    expiry = TODAY + timedelta(days=expires_in)
    with transaction() as session:
        product = Product(
            customer_id=customer_id,
            kind=kind,
            name=name or f"{kind}-{offer_code}-{count(Product)}.fr",
            offer_code=offer_code,
            status=status,
            start_date=add_years(expiry, -1),
            expiry_date=expiry,
        )
        session.add(product)
        session.flush()
        return product.id


def card(number: str = SUCCEEDS, save: bool = False) -> PaymentChoice:
    return PaymentChoice(
        "card", CardDetails(number, 12, 2030, "123", "Marie Dupont"), save_card=save
    )


def expiry_of(product_id: int) -> date:
    with read_session() as session:
        return session.get(Product, product_id).expiry_date


def renew(customer_id, product_id, *, years=1, choice=None, key="renew-key-0001", expected=None):
    return renew_product(
        customer_id=customer_id,
        product_id=product_id,
        years=years,
        expected_expiry=expected if expected is not None else expiry_of(product_id),
        choice=choice or card(),
        key=key,
        ip="192.0.2.30",
    )


def snapshot() -> dict[str, list]:
    with read_session() as session:
        return {
            table: [tuple(r) for r in session.exec(text(f'SELECT * FROM "{table}"')).all()]
            for table in MONEY_TABLES
        }


def actions() -> list[str]:
    return [event.action for event in rows(AuditEvent)]


def one(model, *where):
    with read_session() as session:
        return session.exec(select(model).where(*where)).one()


# ---------------------------------------------------------------- quotes


@pytest.mark.parametrize("tier", ["grow", "cloud", "pro"])
@pytest.mark.parametrize("years", [1, 2, 3])
def test_hosting_quote_matches_the_spec_table(shop, tier, years):
    customer_id = new_customer()
    product_id = new_product(customer_id, "hosting", tier, expires_in=40)
    quote = quote_renewal(customer_id, product_id, years)
    price = SPEC_HOSTING_RENEWAL[tier][years - 1]
    assert [(line.action, line.years, line.total_ht_cents) for line in quote.lines] == [
        ("renew", years, price)
    ]
    assert (quote.totals.ht, quote.totals.vat, quote.totals.ttc) == (
        price,
        price // 5,
        price + price // 5,
    )
    assert quote.current_expiry == TODAY + timedelta(days=40)
    assert quote.new_expiry == add_years(TODAY + timedelta(days=40), years)
    assert (quote.kind, quote.years, quote.needs_restore, quote.vat_rate_bp) == (
        "hosting",
        years,
        False,
        2000,
    )


@pytest.mark.parametrize("years", [1, 2, 3])
@pytest.mark.parametrize(("tld", "renew_cents"), [("com", 1250), ("fr", 825), ("io", 4500)])
def test_domain_quote_is_the_renew_price_per_year(shop, years, tld, renew_cents):
    customer_id = new_customer()
    product_id = new_product(customer_id, "domain", tld, expires_in=10, name=f"marie.{tld}")
    quote = quote_renewal(customer_id, product_id, years)
    assert [(line.action, line.total_ht_cents) for line in quote.lines] == [
        ("renew", renew_cents * years)
    ]
    assert quote.totals.ht == renew_cents * years
    assert quote.new_expiry == add_years(TODAY + timedelta(days=10), years)
    assert quote.needs_restore is False


def test_domain_in_grace_renews_at_the_normal_price_from_its_old_expiry(shop):
    customer_id = new_customer()
    product_id = new_product(
        customer_id, "domain", "com", expires_in=-30, name="late.com", status="expired"
    )
    quote = quote_renewal(customer_id, product_id, 2)
    assert [line.action for line in quote.lines] == ["renew"]
    assert quote.totals.ht == 2500
    assert quote.new_expiry == add_years(TODAY - timedelta(days=30), 2)


@pytest.mark.parametrize("late", [31, 40, 50])
def test_domain_in_restore_adds_the_restore_fee(shop, late):
    customer_id = new_customer()
    product_id = new_product(
        customer_id, "domain", "com", expires_in=-late, name="restore.com", status="expired"
    )
    quote = quote_renewal(customer_id, product_id, 1)
    assert quote.needs_restore is True
    assert [(line.action, line.total_ht_cents) for line in quote.lines] == [
        ("renew", 1250),
        ("restore_fee", 6500),
    ]
    assert (quote.totals.ht, quote.totals.vat, quote.totals.ttc) == (7750, 1550, 9300)
    assert quote.new_expiry == add_years(TODAY - timedelta(days=late), 1)


@pytest.mark.parametrize("years", [1, 2, 3])
@pytest.mark.parametrize(("model", "monthly"), [("infogere-s", 14900), ("infogere-m", 21900)])
def test_server_quote_is_monthly_times_twelve_times_years(shop, years, model, monthly):
    customer_id = new_customer()
    product_id = new_product(customer_id, "server", model, expires_in=100)
    quote = quote_renewal(customer_id, product_id, years)
    assert quote.totals.ht == monthly * 12 * years
    assert f"{12 * years} mois" in quote.lines[0].description
    assert quote.new_expiry == add_years(TODAY + timedelta(days=100), years)


def test_expired_hosting_quote_renews_from_today(shop):
    customer_id = new_customer()
    product_id = new_product(customer_id, "hosting", "cloud", expires_in=-12, status="suspended")
    quote = quote_renewal(customer_id, product_id, 1)
    assert quote.current_expiry == TODAY - timedelta(days=12)
    assert quote.new_expiry == add_years(TODAY, 1)
    assert quote.totals.ht == 19200


@pytest.mark.parametrize("years", [0, 4, -1, "2", 1.0, None])
def test_quote_refuses_years_outside_1_to_3(shop, years):
    customer_id = new_customer()
    product_id = new_product(customer_id)
    with pytest.raises(InvalidInput) as caught:
        quote_renewal(customer_id, product_id, years)
    assert caught.value.errors == {"years": "error.years_invalid"}


@pytest.mark.parametrize("status", ["terminated", "released", "pending"])
def test_quote_refuses_products_that_cannot_be_renewed(shop, status):
    customer_id = new_customer()
    product_id = new_product(customer_id, status=status)
    with pytest.raises(InvalidInput) as caught:
        quote_renewal(customer_id, product_id, 1)
    assert caught.value.errors == {"years": "error.not_renewable"}


def test_released_domain_cannot_be_renewed(shop):
    customer_id = new_customer(credit_balance_cents=100_000)
    product_id = new_product(
        customer_id, "domain", "com", expires_in=-60, name="gone.com", status="expired"
    )
    with pytest.raises(InvalidInput) as caught:
        quote_renewal(customer_id, product_id, 1)
    assert caught.value.errors == {"years": "error.not_renewable"}
    before = snapshot()
    for choice in (card(), PaymentChoice("credit"), PaymentChoice("transfer")):
        with pytest.raises(InvalidInput):
            renew(customer_id, product_id, choice=choice, key=f"released-{choice.method}")
    assert snapshot() == before
    assert count(GatewayCharge) == 0


# ---------------------------------------------------------------- card payment


def test_card_renewal_pays_invoices_and_extends(shop):
    customer_id = new_customer()
    product_id = new_product(customer_id, "hosting", "cloud", expires_in=40)
    quote = quote_renewal(customer_id, product_id, 2)
    outcome = renew(customer_id, product_id, years=2, key="renew-cloud-2y")

    assert outcome.status == "paid"
    assert outcome.invoice_number == "F2026-000001"
    assert outcome.message_key == "pay.done"
    assert outcome.new_expiries == {product_id: quote.new_expiry}
    assert expiry_of(product_id) == quote.new_expiry == add_years(TODAY + timedelta(days=40), 2)

    order = one(Order)
    assert (order.status, order.kind, order.payment_method, order.customer_id) == (
        "paid",
        "renewal",
        "card",
        customer_id,
    )
    assert (order.total_ht_cents, order.total_vat_cents, order.total_ttc_cents) == (
        quote.totals.ht,
        quote.totals.vat,
        quote.totals.ttc,
    )
    assert order.id == outcome.order_id
    payment = one(Payment)
    assert (payment.status, payment.method, payment.amount_cents, payment.card_last4) == (
        "succeeded",
        "card",
        quote.totals.ttc,
        "4242",
    )
    assert payment.gateway_ref == one(GatewayCharge).charge_ref
    invoice = one(Invoice)
    assert (invoice.number, invoice.order_id, invoice.payment_method) == (
        "F2026-000001",
        order.id,
        "card",
    )
    assert (invoice.total_ht_cents, invoice.total_vat_cents, invoice.total_ttc_cents) == (
        28800,
        5760,
        34560,
    )
    invoice_lines = rows(InvoiceLine)
    assert [(line.description, line.total_ht_cents) for line in invoice_lines] == [
        (line.description, line.total_ht_cents) for line in quote.lines
    ]
    [order_line] = rows(OrderLine)
    assert json.loads(order_line.details_json) == {
        "from": quote.current_expiry.isoformat(),
        "to": quote.new_expiry.isoformat(),
    }
    [mail] = outbox("invoice")
    assert mail.to_addr == "marie@example.com"
    assert "F2026-000001" in mail.subject + mail.body_text
    assert outbox("order_form") == []
    assert {"order.created", "invoice.issued", "product.renewed", "order.paid"} <= set(actions())
    assert count(GatewayCharge) == 1


def test_card_renewal_of_an_expired_hosting_reactivates_it_from_today(shop):
    customer_id = new_customer()
    product_id = new_product(customer_id, "hosting", "pro", expires_in=-5, status="suspended")
    outcome = renew(customer_id, product_id, years=3)
    assert outcome.status == "paid"
    with read_session() as session:
        product = session.get(Product, product_id)
    assert product.expiry_date == add_years(TODAY, 3)
    assert (product.status, product.suspended_at) == ("active", None)
    assert one(Invoice).total_ht_cents == 57600


def test_card_renewal_of_a_domain_in_restore_bills_the_fee(shop):
    customer_id = new_customer()
    product_id = new_product(
        customer_id, "domain", "fr", expires_in=-45, name="retour.fr", status="expired"
    )
    outcome = renew(customer_id, product_id)
    assert outcome.status == "paid"
    assert expiry_of(product_id) == add_years(TODAY - timedelta(days=45), 1)
    assert [(line.total_ht_cents) for line in rows(InvoiceLine)] == [825, 3500]
    assert one(Invoice).total_ttc_cents == (825 + 3500) * 12 // 10


def test_declined_card_is_kept_and_changes_nothing_else(shop):
    customer_id = new_customer(credit_balance_cents=1234)
    product_id = new_product(customer_id, "hosting", "grow")
    expiry = expiry_of(product_id)
    before = snapshot()
    outcome = renew(customer_id, product_id, choice=card(DECLINED), key="declined-0001")
    assert (outcome.status, outcome.invoice_number) == ("declined", None)
    assert outcome.message_key == "error.card_declined"
    after = snapshot()
    # Only the refused form and its refused payment were written: no invoice, no number.
    assert {t for t in after if after[t] != before[t]} == {"order_form", "order_line", "payment"}
    assert one(Order).status == "refused" and outcome.order_id == one(Order).id
    assert (one(Payment).status, one(Payment).failure_reason) == ("declined", "declined")
    assert count(Invoice) == 0
    assert expiry_of(product_id) == expiry
    assert get_customer(customer_id).credit_balance_cents == 1234
    refused = one(AuditEvent, AuditEvent.action == "payment.refused")
    assert refused.customer_id == customer_id
    assert json.loads(refused.details_json)["outcome"] == "declined"
    assert [c.outcome for c in rows(GatewayCharge)] == ["declined"]
    # No invoice number was used up: the next paid renewal takes number 1.
    assert renew(customer_id, product_id, key="success-0001").invoice_number == "F2026-000001"
    assert expiry_of(product_id) == add_years(expiry, 1)


def test_retry_card_is_replayed_for_the_same_request_and_succeeds_for_a_new_one(shop):
    customer_id = new_customer()
    product_id = new_product(customer_id)
    expiry = expiry_of(product_id)
    before = snapshot()
    first = renew(customer_id, product_id, choice=card(RETRY), key="retry-key-0001")
    assert (first.status, first.message_key) == ("retry", "error.card_retry")
    after = snapshot()
    assert {t for t in after if after[t] != before[t]} == {"order_form", "order_line", "payment"}
    # The same request again is answered the same (as a real gateway replays a reference).
    again = renew(customer_id, product_id, choice=card(RETRY), key="retry-key-0001")
    assert (again.status, again.order_id) == ("retry", first.order_id)
    assert snapshot() == after
    # Trying again is a new request: it goes through.
    second = renew(customer_id, product_id, choice=card(RETRY), key="retry-key-0002")
    assert (second.status, second.invoice_number) == ("paid", "F2026-000001")
    assert expiry_of(product_id) == add_years(expiry, 1)
    assert [c.outcome for c in rows(GatewayCharge)] == ["retry", "succeeded"]
    assert [(p.status, p.card_last4) for p in rows(Payment)] == [
        ("declined", "0119"),
        ("succeeded", "0119"),
    ]


def test_replay_with_the_same_key_returns_the_same_outcome(shop):
    customer_id = new_customer()
    product_id = new_product(customer_id)
    expiry = expiry_of(product_id)
    first = renew(customer_id, product_id, key="replay-key-0001")
    after_first = snapshot()
    # A second click or a replayed request, even with the date the page showed first.
    for choice in (card(), card(DECLINED), PaymentChoice("transfer")):
        again = renew(
            customer_id, product_id, choice=choice, key="replay-key-0001", expected=expiry
        )
        assert again == first
    assert snapshot() == after_first
    assert expiry_of(product_id) == add_years(expiry, 1)
    assert count(GatewayCharge) == 1
    assert len(outbox("invoice")) == 1


def test_a_second_tab_with_a_new_key_sees_the_renewal_changed(shop):
    customer_id = new_customer()
    product_id = new_product(customer_id)
    expiry = expiry_of(product_id)
    assert renew(customer_id, product_id, key="tab-one-0001").status == "paid"
    after = snapshot()
    with pytest.raises(InvalidInput) as caught:
        renew(customer_id, product_id, key="tab-two-0001", expected=expiry)
    assert caught.value.errors == {"years": "error.renewal_changed"}
    assert snapshot() == after
    assert count(GatewayCharge) == 1


def test_a_payment_in_progress_blocks_another_renewal_of_the_product(shop):
    customer_id = new_customer()
    product_id = new_product(customer_id)
    form = renew(customer_id, product_id, choice=PaymentChoice("transfer"), key="form-key-0001")
    # A card payment of that form has started and the gateway has not answered yet.
    with transaction() as session:
        session.add(
            Payment(
                order_id=form.order_id,
                customer_id=customer_id,
                method="card",
                amount_cents=10080,
                status="processing",
                idempotency_key="in-flight-0001",
                created_at=clock.now(),
            )
        )
    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        renew(customer_id, product_id, key="other-tab-0001")
    assert caught.value.errors == {"years": "error.payment_in_progress"}
    again = pay_order(
        customer_id=customer_id, order_id=form.order_id, choice=card(), key="pay-0001"
    )
    assert (again.status, again.message_key) == ("pending", "error.payment_in_progress")
    assert snapshot() == before
    assert count(GatewayCharge) == 0


# ---------------------------------------------------------------- saved card


def test_card_saved_at_payment_serves_the_next_renewal(shop):
    customer_id = new_customer()
    product_id = new_product(customer_id)
    assert renew(customer_id, product_id, choice=card(save=True), key="save-card-0001").status == (
        "paid"
    )
    saved = one(SavedCard)
    assert (saved.customer_id, saved.last4, saved.brand) == (customer_id, "4242", "Visa")
    expiry = expiry_of(product_id)
    outcome = renew(
        customer_id,
        product_id,
        choice=PaymentChoice("saved_card", saved_card_id=saved.id),
        key="use-saved-0001",
    )
    assert (outcome.status, outcome.invoice_number) == ("paid", "F2026-000002")
    assert expiry_of(product_id) == add_years(expiry, 1)
    assert count(SavedCard) == 1


def test_saved_card_of_another_customer_or_removed_is_refused(shop):
    owner = new_customer()
    other = new_customer("other@example.com")
    product_id = new_product(owner)
    assert renew(owner, product_id, choice=card(save=True), key="save-card-0002").status == "paid"
    saved = one(SavedCard)
    other_product = new_product(other)
    before = snapshot()
    for saved_card_id in (saved.id, None, 999):
        with pytest.raises(InvalidInput) as caught:
            renew(
                other,
                other_product,
                choice=PaymentChoice("saved_card", saved_card_id=saved_card_id),
                key=f"steal-card-{saved_card_id}",
            )
        assert caught.value.errors == {"method": "error.card_unknown"}
    assert snapshot() == before
    with transaction() as session:
        card_row = session.get(SavedCard, saved.id)
        card_row.removed_at = clock.now()
        session.add(card_row)
    with pytest.raises(InvalidInput):
        renew(
            owner,
            product_id,
            choice=PaymentChoice("saved_card", saved_card_id=saved.id),
            key="removed-card-1",
        )
    assert count(GatewayCharge) == 1


# ---------------------------------------------------------------- transfer, cheque, later payment


@pytest.mark.parametrize("method", ["transfer", "cheque"])
def test_offline_payment_leaves_an_unpaid_order_form(shop, method):
    customer_id = new_customer()
    product_id = new_product(customer_id, "hosting", "grow")
    expiry = expiry_of(product_id)
    outcome = renew(customer_id, product_id, choice=PaymentChoice(method), key=f"{method}-0001")
    assert (outcome.status, outcome.message_key, outcome.invoice_number) == (
        "pending",
        f"pay.pending_{method}",
        None,
    )
    order = one(Order)
    assert (order.id, order.status, order.payment_method, order.total_ttc_cents) == (
        outcome.order_id,
        "unpaid",
        method,
        10080,
    )
    assert count(Payment) == count(Invoice) == count(GatewayCharge) == 0
    assert expiry_of(product_id) == expiry
    [mail] = outbox("order_form")
    assert mail.customer_id == customer_id
    assert f"BC-{order.id:06d}" in mail.subject + mail.body_text
    assert outbox("invoice") == []
    # The same request again lands on the same form and sends nothing more.
    again = renew(customer_id, product_id, choice=PaymentChoice(method), key=f"{method}-0001")
    assert (again.status, again.order_id) == ("pending", order.id)
    assert count(Order) == 1
    assert count(OutboxEmail) == 1


def test_unpaid_order_form_paid_later_by_card(shop):
    customer_id = new_customer()
    product_id = new_product(customer_id, "domain", "com", expires_in=20, name="plus-tard.com")
    expiry = expiry_of(product_id)
    form = renew(
        customer_id, product_id, years=3, choice=PaymentChoice("transfer"), key="later-form-1"
    )
    before = snapshot()
    declined = pay_order(
        customer_id=customer_id, order_id=form.order_id, choice=card(DECLINED), key="pay-later-1"
    )
    assert (declined.status, declined.order_id) == ("declined", form.order_id)
    after = snapshot()  # the form stays unpaid; the refused payment is kept
    assert {t for t in after if after[t] != before[t]} == {"payment"}
    assert one(Order).status == "unpaid"
    paid = pay_order(
        customer_id=customer_id, order_id=form.order_id, choice=card(), key="pay-later-2"
    )
    assert (paid.status, paid.order_id, paid.invoice_number) == (
        "paid",
        form.order_id,
        "F2026-000001",
    )
    assert paid.new_expiries == {product_id: add_years(expiry, 3)}
    assert expiry_of(product_id) == add_years(expiry, 3)
    order = one(Order)
    assert (order.status, order.payment_method) == ("paid", "card")
    assert one(Payment, Payment.status == "succeeded").amount_cents == order.total_ttc_cents
    assert order.total_ttc_cents == 3750 * 12 // 10
    assert one(Invoice).total_ht_cents == 3750
    assert len(outbox("invoice")) == 1
    # Paying the paid form again answers what happened and changes nothing.
    after = snapshot()
    replay = pay_order(
        customer_id=customer_id, order_id=form.order_id, choice=card(), key="pay-later-3"
    )
    assert replay == paid
    assert snapshot() == after
    assert count(GatewayCharge) == 2  # the declined attempt and the successful one


def test_unpaid_form_paid_later_with_the_retry_card(shop):
    customer_id = new_customer()
    product_id = new_product(customer_id)
    form = renew(customer_id, product_id, choice=PaymentChoice("cheque"), key="cheque-form-1")
    first = pay_order(
        customer_id=customer_id, order_id=form.order_id, choice=card(RETRY), key="retry-pay-1"
    )
    assert (first.status, first.order_id) == ("retry", form.order_id)
    assert count(Payment) == 1
    again = pay_order(
        customer_id=customer_id, order_id=form.order_id, choice=card(RETRY), key="retry-pay-1"
    )
    assert again.status == "retry" and count(Payment) == 1
    second = pay_order(
        customer_id=customer_id, order_id=form.order_id, choice=card(RETRY), key="retry-pay-2"
    )
    assert second.status == "paid"


# ---------------------------------------------------------------- account credit


def test_account_credit_pays_and_is_debited(shop):
    customer_id = new_customer(credit_balance_cents=50_000)
    product_id = new_product(customer_id, "hosting", "grow")
    expiry = expiry_of(product_id)
    outcome = renew(customer_id, product_id, choice=PaymentChoice("credit"), key="credit-0001")
    assert (outcome.status, outcome.invoice_number) == ("paid", "F2026-000001")
    assert get_customer(customer_id).credit_balance_cents == 50_000 - 10080
    payment = one(Payment)
    assert (payment.method, payment.status, payment.amount_cents) == ("credit", "succeeded", 10080)
    entry = one(CreditLedgerEntry)
    assert (entry.amount_cents, entry.payment_id) == (-10080, payment.id)
    assert one(Invoice).payment_method == "credit"
    assert expiry_of(product_id) == add_years(expiry, 1)
    assert count(GatewayCharge) == 0
    assert len(outbox("invoice")) == 1


def test_insufficient_account_credit_is_refused_without_trace(shop):
    customer_id = new_customer(credit_balance_cents=10079)  # one cent short of 100.80 €
    product_id = new_product(customer_id, "hosting", "grow")
    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        renew(customer_id, product_id, choice=PaymentChoice("credit"), key="credit-0002")
    assert caught.value.errors == {"method": "error.credit_insufficient"}
    assert snapshot() == before
    assert get_customer(customer_id).credit_balance_cents == 10079


def test_insufficient_credit_on_an_unpaid_form_leaves_it_unpaid(shop):
    customer_id = new_customer(credit_balance_cents=100)
    product_id = new_product(customer_id)
    form = renew(customer_id, product_id, choice=PaymentChoice("transfer"), key="credit-form-1")
    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        pay_order(
            customer_id=customer_id,
            order_id=form.order_id,
            choice=PaymentChoice("credit"),
            key="credit-pay-1",
        )
    assert caught.value.errors == {"method": "error.credit_insufficient"}
    assert snapshot() == before


# ---------------------------------------------------------------- bad requests


def test_bad_payment_choices_are_refused_before_anything(shop):
    customer_id = new_customer()
    product_id = new_product(customer_id)
    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        renew(customer_id, product_id, choice=PaymentChoice("bitcoin"), key="bad-method-1")
    assert caught.value.errors == {"method": "error.choice_invalid"}
    with pytest.raises(InvalidInput) as caught:
        renew(customer_id, product_id, choice=PaymentChoice("card"), key="no-card-0001")
    assert caught.value.errors == {"card_number": "error.required"}
    for key in ("", "short", "x" * 81, "clé-accentuée", None):
        with pytest.raises(InvalidInput) as caught:
            renew(customer_id, product_id, key=key)
        assert caught.value.errors == {"method": "error.form_stale"}
    with pytest.raises(InvalidInput) as caught:
        renew(customer_id, product_id, years=4, key="four-years-1")
    assert caught.value.errors == {"years": "error.years_invalid"}
    assert snapshot() == before
    assert count(GatewayCharge) == 0


def test_disabled_customer_cannot_pay(shop):
    customer_id = new_customer(disabled_at=T0)
    product_id = new_product(customer_id)
    with pytest.raises(NotAllowed):
        renew(customer_id, product_id, key="disabled-0001")
    assert count(Order) == 0


# ---------------------------------------------------------------- another customer's objects


def test_another_customers_product_or_order_is_not_allowed(shop):
    owner = new_customer(credit_balance_cents=100_000)
    intruder = new_customer("intrus@example.com", credit_balance_cents=100_000)
    product_id = new_product(owner, "hosting", "pro")
    form = renew(owner, product_id, choice=PaymentChoice("transfer"), key="owner-form-1")
    before = snapshot()
    expiry = expiry_of(product_id)

    with pytest.raises(NotAllowed):
        quote_renewal(intruder, product_id, 1)
    with pytest.raises(NotAllowed):
        quote_renewal(intruder, 999_999, 1)
    for choice in (card(), PaymentChoice("credit"), PaymentChoice("transfer")):
        with pytest.raises(NotAllowed):
            renew(
                intruder,
                product_id,
                choice=choice,
                key=f"intruder-{choice.method}",
                expected=expiry,
            )
        with pytest.raises(NotAllowed):
            pay_order(
                customer_id=intruder,
                order_id=form.order_id,
                choice=choice,
                key=f"intruder-pay-{choice.method}",
            )
    with pytest.raises(NotAllowed):
        pay_order(customer_id=intruder, order_id=999_999, choice=card(), key="intruder-none")
    # Replaying the owner's idempotency key does not reveal or touch the owner's order.
    other_product = new_product(intruder)
    with pytest.raises(NotAllowed):
        renew(intruder, other_product, key="owner-form-1")

    after = snapshot()
    after["product"] = [row for row in after["product"] if row[0] != other_product]
    assert after == before
    assert expiry_of(product_id) == expiry
    assert count(GatewayCharge) == 0
    assert get_customer(intruder).credit_balance_cents == 100_000


# ---------------------------------------------------------------- with the demo data


@pytest.fixture
def demo(db):
    seed_demo()


def _demo_customer(email: str) -> int:
    with read_session() as session:
        return session.exec(select(Customer.id).where(Customer.email == email)).one()


def _demo_product(customer_id: int, kind: str, name: str) -> Product:
    with read_session() as session:
        return session.exec(
            select(Product).where(
                Product.customer_id == customer_id, Product.kind == kind, Product.name == name
            )
        ).one()


def _unpaid_forms_of(product_id: int) -> list[Order]:
    with read_session() as session:
        return list(
            session.exec(
                select(Order)
                .join(OrderLine, OrderLine.order_id == Order.id)
                .where(OrderLine.product_id == product_id, Order.status == "unpaid")
            ).all()
        )


def test_card_renewal_cancels_the_products_unpaid_renewal_form(demo):
    client = _demo_customer("client@o2portal.example")
    domain = _demo_product(client, "domain", "dupont-photo.fr")
    [form] = _unpaid_forms_of(domain.id)
    with read_session() as session:
        year = clock.today().year
        issued = session.exec(select(Invoice).where(Invoice.year == year)).all()
    saved = one(SavedCard, SavedCard.customer_id == client)
    outcome = renew(
        client,
        domain.id,
        choice=PaymentChoice("saved_card", saved_card_id=saved.id),
        key="demo-renew-photo-1",
    )
    assert outcome.status == "paid"
    # The demo's invoices are 1..N of the year; this one takes N + 1.
    assert sorted(i.sequence for i in issued) == list(range(1, len(issued) + 1))
    assert outcome.invoice_number == f"F{year}-{len(issued) + 1:06d}"
    assert expiry_of(domain.id) == add_years(domain.expiry_date, 1)
    with read_session() as session:
        cancelled = session.get(Order, form.id)
    assert (cancelled.status, cancelled.cancelled_at is not None) == ("cancelled", True)
    assert _unpaid_forms_of(domain.id) == []
    cancelled_events = [
        e for e in rows(AuditEvent) if e.action == "order.cancelled" and e.target_id == form.id
    ]
    assert len(cancelled_events) == 1
    # Paying the cancelled form afterwards charges nothing and renews nothing.
    charges = count(GatewayCharge)
    late = pay_order(customer_id=client, order_id=form.id, choice=card(), key="demo-late-pay-1")
    assert late.status != "paid"
    assert count(GatewayCharge) == charges
    assert expiry_of(domain.id) == add_years(domain.expiry_date, 1)


def test_renewal_keeps_an_unpaid_form_that_covers_other_products(demo):
    business = _demo_customer("entreprise@o2portal.example")
    hosting = _demo_product(business, "hosting", "atelier-lumiere.fr")
    [form] = _unpaid_forms_of(hosting.id)
    saved = one(SavedCard, SavedCard.customer_id == business)
    outcome = renew(
        business,
        hosting.id,
        choice=PaymentChoice("saved_card", saved_card_id=saved.id),
        key="demo-renew-hosting-1",
    )
    assert outcome.status == "paid"
    with read_session() as session:
        assert session.get(Order, form.id).status == "unpaid"


def test_demo_customer_cannot_pay_another_customers_demo_form(demo):
    paul = _demo_customer("paul.bernard@o2portal.example")
    client = _demo_customer("client@o2portal.example")
    domain = _demo_product(client, "domain", "dupont-photo.fr")
    [form] = _unpaid_forms_of(domain.id)
    with pytest.raises(NotAllowed):
        pay_order(customer_id=paul, order_id=form.id, choice=card(), key="paul-pays-marie")
    with pytest.raises(NotAllowed):
        quote_renewal(paul, domain.id, 1)
    assert _unpaid_forms_of(domain.id)[0].id == form.id


# ---------------------------------------------------------------- an order form paid late


def test_form_of_a_domain_released_since_is_refused_before_charging(shop):
    customer_id = new_customer()
    product_id = new_product(
        customer_id, "domain", "com", expires_in=-45, name="trop-tard.com", status="expired"
    )
    form = renew(customer_id, product_id, choice=PaymentChoice("transfer"), key="late-form-01")
    # Ten days later the domain is 55 days past its expiry: released.
    with clock.frozen_at(T0 + timedelta(days=10)):
        before = snapshot()
        for choice in (card(), PaymentChoice("credit")):
            with pytest.raises(InvalidInput) as caught:
                pay_order(
                    customer_id=customer_id,
                    order_id=form.order_id,
                    choice=choice,
                    key=f"late-pay-{choice.method}",
                )
            assert caught.value.errors == {"years": "error.not_renewable"}
        assert snapshot() == before
    assert count(GatewayCharge) == 0
    assert count(Payment) == 0


def test_form_of_a_terminated_product_is_refused_before_charging(shop):
    customer_id = new_customer()
    product_id = new_product(customer_id, "hosting", "grow", expires_in=-20, status="suspended")
    form = renew(customer_id, product_id, choice=PaymentChoice("transfer"), key="term-form-01")
    with transaction() as session:
        product = session.get(Product, product_id)
        product.status = "terminated"
        session.add(product)
    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        pay_order(customer_id=customer_id, order_id=form.order_id, choice=card(), key="term-pay-01")
    assert caught.value.errors == {"years": "error.not_renewable"}
    assert snapshot() == before
    assert count(GatewayCharge) == 0


def test_paying_a_form_while_the_product_is_renewed_in_another_tab_charges_nothing(shop):
    """Tab one renews by card (its payment is processing); tab two pays the product's
    unpaid form: it must not charge and renew a second time."""
    customer_id = new_customer()
    product_id = new_product(customer_id)
    form = renew(customer_id, product_id, choice=PaymentChoice("transfer"), key="tab-form-001")
    other = renew(customer_id, product_id, choice=PaymentChoice("cheque"), key="tab-card-001")
    with transaction() as session:
        session.add(
            Payment(
                order_id=other.order_id,
                customer_id=customer_id,
                method="card",
                amount_cents=10080,
                status="processing",
                idempotency_key="tab-card-001:processing",
                created_at=clock.now(),
            )
        )
    before = snapshot()
    for choice in (card(), PaymentChoice("credit")):
        outcome = pay_order(
            customer_id=customer_id, order_id=form.order_id, choice=choice, key="tab-pay-0001"
        )
        assert (outcome.status, outcome.message_key) == ("pending", "error.payment_in_progress")
    assert snapshot() == before
    assert count(GatewayCharge) == 0


def test_a_product_whose_offer_left_the_catalogue_says_so_instead_of_crashing(shop):
    customer = new_customer()
    product = new_product(customer, kind="hosting", offer_code="retired-offer", name="vieux.fr")
    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        quote_renewal(customer, product, 1)
    assert caught.value.errors == {"years": "error.not_renewable_online"}
    with pytest.raises(InvalidInput):
        renew(customer, product, choice=card())
    assert snapshot() == before


def test_the_callers_row_stands_for_the_holders_only_when_they_are_the_holder(shop):
    """A page passes the row its session has just read (`caller`): taken for the VAT of
    the quote when the caller holds the product, never in place of another holder's."""
    holder_id = new_customer()  # French: 20 %
    product_id = new_product(holder_id)
    outside = new_customer("sam@example.com", country="CH")  # outside the EU: no VAT
    with read_session() as session:
        holder, other = session.get(Customer, holder_id), session.get(Customer, outside)
    assert quote_renewal(holder_id, product_id, 1, caller=holder).vat_rate_bp == 2000
    holder.country = "CH"  # the row the caller's event read is the one used
    assert quote_renewal(holder_id, product_id, 1, caller=holder).vat_rate_bp == 0
    # Another customer's row, whoever it is passed for, never prices the holder's product.
    assert quote_renewal(holder_id, product_id, 1, caller=other).vat_rate_bp == 2000
    with pytest.raises(NotAllowed):
        quote_renewal(outside, product_id, 1, caller=other)


def test_a_products_own_price_rows_price_it_as_the_whole_catalogue_does(demo):
    """A quote reads only the rows that can price its product: for every product of the
    demo (each kind, domains priced by their offer or by their name's suffix, offers gone
    from the catalogue), the same lines or the same refusal as the whole price book."""
    from o2portal.catalog.pricing import PriceBook

    with transaction() as session:
        gone = session.exec(select(Product).where(Product.kind == "hosting")).first()
        gone.offer_code = "left-the-catalogue"
        owner = gone.customer_id
    new_product(owner, "domain", "zz", name="sans-offre.zz")
    new_product(owner, "domain", "", name="par-son-suffixe.fr")
    kinds = set()
    with read_session() as session:
        whole = PriceBook(session)
        for product in session.exec(select(Product)).all():
            kinds.add(product.kind)
            for years in (1, 2):
                expected = _lines_or_refusal(whole, product, years)
                assert _lines_or_refusal(PriceBook(session, product), product, years) == expected
    assert kinds >= {"hosting", "domain", "server", "ssl"}


def _lines_or_refusal(book, product, years):
    try:
        return book.renewal_lines(product, years, restore=True)
    except InvalidInput as exc:
        return exc.errors
