"""Money under concurrency (SPEC.md "Invoices" and "Renewal", DESIGN.md "Data and money"):
concurrent payments get gap-free invoice numbers, and a second click, a replay or a second
tab never renews twice or charges twice. Threads start together on a Barrier and go through
the real domain code and a real SQLite file."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import col, select

from o2portal.accounts.models import Customer
from o2portal.billing.checkout import pay_order
from o2portal.billing.models import (
    CreditNote,
    Invoice,
    NumberSequence,
    Order,
    OrderLine,
    Payment,
)
from o2portal.billing.payments import CardDetails, PaymentChoice
from o2portal.billing.renewals import renew_product
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput
from o2portal.demo.seed import seed_demo
from o2portal.integrations.models import GatewayCharge
from o2portal.products.expiry import add_years
from o2portal.products.models import Product
from tests.unit.helpers import count

SUCCEEDS = "4242424242424242"


def card() -> PaymentChoice:
    return PaymentChoice("card", CardDetails(SUCCEEDS, 12, clock.today().year + 4, "123", "M D"))


def run_together(calls: list[Callable[[], object]], timeout: float = 60) -> list[object]:
    """Run every call in its own thread, all released at once; an exception is a result."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:  # noqa: BLE001 - reported to the test as a result
            results[i] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a payment thread hung"
    return results


@pytest.fixture
def shop(db):
    with transaction() as session:
        ensure_catalogue(session)


def new_customer(email: str, **fields) -> int:
    with transaction() as session:
        customer = Customer(
            email=email,
            password_hash="not-a-login",
            first_name="Marie",
            last_name="Dupont",
            phone="+33612345678",
            address_line1="14 rue des Carmes",
            postal_code="45000",
            city="Orléans",
            **fields,
        )
        session.add(customer)
        session.flush()
        return customer.id


def new_products(customer_id: int, n: int, kind: str = "hosting", offer: str = "grow") -> list:
    today = clock.today()
    with transaction() as session:
        products = [
            Product(
                customer_id=customer_id,
                kind=kind,
                name=f"site-{customer_id}-{i}.fr",
                offer_code=offer,
                start_date=today - timedelta(days=300),
                expiry_date=today + timedelta(days=65 + i),
            )
            for i in range(n)
        ]
        session.add_all(products)
        session.flush()
        return [(p.id, p.expiry_date) for p in products]


def expiry_of(product_id: int):
    with read_session() as session:
        return session.get(Product, product_id).expiry_date


def unpaid_forms(customer_id: int, products: list) -> list[int]:
    """One unpaid renewal order form per product, through renew_product by transfer."""
    orders = []
    for product_id, expiry in products:
        outcome = renew_product(
            customer_id=customer_id,
            product_id=product_id,
            years=1,
            expected_expiry=expiry,
            choice=PaymentChoice("transfer"),
            key=f"form-{product_id}-transfer",
        )
        assert outcome.status == "pending"
        orders.append(outcome.order_id)
    return orders


def this_years_invoices() -> list[Invoice]:
    year = clock.now().astimezone(clock.PARIS).year
    with read_session() as session:
        return list(session.exec(select(Invoice).where(Invoice.year == year)).all())


# ---------------------------------------------------------------- (1) gap-free numbering


def _pay_fifty_forms_at_once(customer_ids: list[int]) -> list[int]:
    jobs = []
    for customer_id in customer_ids:
        products = new_products(customer_id, 50 // len(customer_ids))
        for order_id in unpaid_forms(customer_id, products):
            jobs.append((customer_id, order_id, products))
    assert len(jobs) == 50

    def pay(customer_id: int, order_id: int):
        return lambda: pay_order(
            customer_id=customer_id, order_id=order_id, choice=card(), key=f"pay-{order_id}-card"
        )

    results = run_together([pay(c, o) for c, o, _ in jobs])
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    assert [r.status for r in results] == ["paid"] * 50
    assert len({r.invoice_number for r in results}) == 50
    for _customer, _order, products in jobs[:: 50 // len(customer_ids)]:
        for product_id, expiry in products:
            assert expiry_of(product_id) == add_years(expiry, 1)
    return [r.order_id for r in results]


def test_fifty_concurrent_payments_get_consecutive_invoice_numbers(shop):
    customers = [new_customer(f"c{i}@example.com") for i in range(5)]
    _pay_fifty_forms_at_once(customers)

    invoices = this_years_invoices()
    year = clock.now().astimezone(clock.PARIS).year
    assert len(invoices) == count(Invoice) == 50
    assert sorted(i.sequence for i in invoices) == list(range(1, 51))
    assert sorted(i.number for i in invoices) == [f"F{year}-{n:06d}" for n in range(1, 51)]
    with read_session() as session:
        assert session.get(NumberSequence, ("F", year)).last_number == 50
        orders = session.exec(select(Order)).all()
        payments = session.exec(select(Payment)).all()
    assert Counter(o.status for o in orders) == {"paid": 50}
    assert Counter((p.method, p.status) for p in payments) == {("card", "succeeded"): 50}
    assert len({i.order_id for i in invoices}) == 50
    assert count(GatewayCharge) == 50


def test_concurrent_payments_continue_the_demo_sequence(db):
    seed_demo()
    already = len(this_years_invoices())
    assert already > 0
    customer_id = new_customer("concurrent@example.com")
    _pay_fifty_forms_at_once([customer_id])
    sequences = sorted(i.sequence for i in this_years_invoices())
    assert sequences == list(range(1, already + 51))


# ---------------------------------------------------------------- (2) double submit


def test_double_submit_with_the_same_key_renews_once(shop):
    customer_id = new_customer("double@example.com")
    for round_ in range(5):
        [(product_id, expiry)] = new_products(customer_id, 1)
        key = f"double-submit-{round_}"

        def submit(product_id=product_id, expiry=expiry, key=key):
            return renew_product(
                customer_id=customer_id,
                product_id=product_id,
                years=1,
                expected_expiry=expiry,
                choice=card(),
                key=key,
            )

        results = run_together([submit, submit])
        assert not [r for r in results if isinstance(r, Exception)], results
        statuses = sorted(r.status for r in results)
        assert statuses in (["paid", "paid"], ["paid", "pending"]), statuses
        assert len({r.order_id for r in results}) == 1
        assert expiry_of(product_id) == add_years(expiry, 1)
        with read_session() as session:
            [order] = session.exec(select(Order).where(Order.idempotency_key == key)).all()
            payments = session.exec(select(Payment).where(Payment.order_id == order.id)).all()
            invoices = session.exec(select(Invoice).where(Invoice.order_id == order.id)).all()
            charges = session.exec(
                select(GatewayCharge).where(GatewayCharge.reference == f"{key}:{order.id}")
            ).all()
        assert [p.status for p in payments] == ["succeeded"]
        assert len(invoices) == 1
        assert [c.outcome for c in charges] == ["succeeded"]
    assert count(Invoice) == count(Payment) == count(GatewayCharge) == 5


# ---------------------------------------------------------------- (3) two tabs


def test_two_tabs_renew_once_and_charge_once(shop):
    customer_id = new_customer("tabs@example.com")
    for round_ in range(5):
        [(product_id, expiry)] = new_products(customer_id, 1)

        def tab(name: str, product_id=product_id, expiry=expiry, round_=round_):
            return lambda: renew_product(
                customer_id=customer_id,
                product_id=product_id,
                years=1,
                expected_expiry=expiry,
                choice=card(),
                key=f"tab-{name}-{round_}-key",
            )

        results = run_together([tab("one"), tab("two")])
        paid = [r for r in results if not isinstance(r, Exception)]
        refused = [r for r in results if isinstance(r, Exception)]
        assert [r.status for r in paid] == ["paid"], results
        assert len(refused) == 1
        assert isinstance(refused[0], InvalidInput), refused
        assert refused[0].errors["years"] in ("error.renewal_changed", "error.payment_in_progress")
        assert expiry_of(product_id) == add_years(expiry, 1)
    with read_session() as session:
        charges = session.exec(select(GatewayCharge)).all()
        orders = session.exec(select(Order)).all()
    assert Counter(c.outcome for c in charges) == {"succeeded": 5}
    assert Counter(o.status for o in orders) == {"paid": 5}
    assert count(Invoice) == 5


def test_two_tabs_renewing_and_paying_the_unpaid_form_charge_once(shop):
    """Tab one renews by card while tab two pays the product's unpaid order form."""
    customer_id = new_customer("form-tabs@example.com")
    for round_ in range(5):
        products = new_products(customer_id, 1)
        [(product_id, expiry)] = products
        [form_id] = unpaid_forms(customer_id, products)

        def renew(product_id=product_id, expiry=expiry, round_=round_):
            return renew_product(
                customer_id=customer_id,
                product_id=product_id,
                years=1,
                expected_expiry=expiry,
                choice=card(),
                key=f"renew-tab-{round_}",
            )

        def pay(form_id=form_id, round_=round_):
            return pay_order(
                customer_id=customer_id, order_id=form_id, choice=card(), key=f"pay-tab-{round_}"
            )

        results = run_together([renew, pay])
        assert sum(1 for r in results if getattr(r, "status", None) == "paid") == 1, results
        for r in results:
            if isinstance(r, Exception):
                assert isinstance(r, InvalidInput), r
        assert expiry_of(product_id) == add_years(expiry, 1)
        with read_session() as session:
            order_ids = session.exec(
                select(OrderLine.order_id).where(OrderLine.product_id == product_id)
            ).all()
            payments = session.exec(
                select(Payment).where(col(Payment.order_id).in_(order_ids))
            ).all()
        assert [p.status for p in payments] == ["succeeded"]
    assert count(Invoice) == 5
    assert Counter(c.outcome for c in _charges()) == {"succeeded": 5}


def _charges() -> list[GatewayCharge]:
    with read_session() as session:
        return list(session.exec(select(GatewayCharge)).all())


# ---------------------------------------------------------------- account credit


def test_concurrent_credit_payments_never_overdraw(shop):
    """Credit for three renewals of 100.80 €, ten forms paid by credit at once."""
    customer_id = new_customer("credit@example.com", credit_balance_cents=3 * 10080 + 50)
    forms = unpaid_forms(customer_id, new_products(customer_id, 10))

    def pay(order_id: int):
        return lambda: pay_order(
            customer_id=customer_id,
            order_id=order_id,
            choice=PaymentChoice("credit"),
            key=f"credit-pay-{order_id}",
        )

    results = run_together([pay(o) for o in forms])
    paid = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert [r.status for r in paid] == ["paid"] * 3
    assert all(
        isinstance(r, InvalidInput) and r.errors == {"method": "error.credit_insufficient"}
        for r in refused
    )
    assert len(refused) == 7
    with read_session() as session:
        assert session.get(Customer, customer_id).credit_balance_cents == 50
    assert count(Invoice) == 3


# ---------------------------------------------------------------- races on shared rows


def test_fifty_parallel_checkouts_use_a_ten_use_promo_exactly_ten_times(shop):
    from o2portal.billing.orders import CartItem, checkout
    from o2portal.catalog.models import PromoCode

    with transaction() as session:
        session.add(PromoCode(code="DIXFOIS", kind="percent", value=1000, max_uses=10))
    buyers = [new_customer(f"promo{n}@example.com") for n in range(50)]

    def buy(n: int):
        return lambda: checkout(
            customer_id=buyers[n],
            items=[CartItem("server", code="infogere-s")],
            promo_code="DIXFOIS",
            choice=card(),
            key=f"promo-race-{n:04d}",
            terms_accepted=True,
            withdrawal_waived=True,
        )

    results = run_together([buy(n) for n in range(50)])
    paid = [r for r in results if not isinstance(r, Exception) and r.status == "paid"]
    refused = [r for r in results if isinstance(r, InvalidInput)]
    assert len(paid) == 10, results
    assert len(refused) == 40 and all(
        r.errors == {"promo": "error.promo_exhausted"} for r in refused
    )
    with read_session() as session:
        promo = session.exec(select(PromoCode)).one()
        with_promo = session.exec(
            select(Order).where(Order.promo_code_id == promo.id, Order.status == "paid")
        ).all()
    assert promo.used_count == 10 and len(with_promo) == 10
    assert count(GatewayCharge) == 10  # nobody refused was charged


def test_two_racing_credit_notes_never_exceed_the_invoice(shop):
    from o2portal.billing.staff import credit_invoice
    from o2portal.core.permissions import Actor

    customer_id = new_customer("avoirs@example.com")
    admin_id = new_customer("admin@example.com", role="admin")
    with read_session() as session:
        admin = Actor.of(session.get(Customer, admin_id))
    [(product_id, expiry)] = new_products(customer_id, 1)
    for round_ in range(5):
        outcome = renew_product(
            customer_id=customer_id,
            product_id=product_id,
            years=1,
            expected_expiry=expiry,
            choice=card(),
            key=f"avoir-base-{round_:04d}",
        )
        assert outcome.status == "paid"
        expiry = outcome.new_expiries[product_id]
        with read_session() as session:
            invoice = session.exec(
                select(Invoice).where(Invoice.number == outcome.invoice_number)
            ).one()
        # Each note is for 60 % of the invoice: both together would be 120 %.
        share = invoice.total_ht_cents * 6 // 10
        amount = f"{share // 100},{share % 100:02d}"

        def note(invoice_id=invoice.id, amount=amount):
            return credit_invoice(admin, invoice_id, amount, "geste", "transfer")

        results = run_together([note, note])
        with read_session() as session:
            notes = session.exec(
                select(CreditNote).where(CreditNote.invoice_id == invoice.id)
            ).all()
        assert sum(n.total_ht_cents for n in notes) <= invoice.total_ht_cents, results
        assert len(notes) == 1, results
        errors = [r for r in results if isinstance(r, InvalidInput)]
        assert [e.errors for e in errors] == [{"amount": "error.credit_too_much"}]
