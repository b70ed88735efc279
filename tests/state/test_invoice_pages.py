"""/invoices shows every document, page by page: 120 invoices and 30 credit notes."""

from __future__ import annotations

from datetime import timedelta

from o2portal.billing.models import CreditNote, Invoice, Order
from o2portal.core import clock
from o2portal.core.db import transaction
from o2portal.web.customer.invoices.state import InvoicesState
from tests.state.conftest import make_state, run


def add_documents(customer_id: int, invoices: int, credit_notes: int, year: int = 2026) -> None:
    """Paid orders with their invoices (and credit notes), as the pay path leaves them."""
    start = clock.now() - timedelta(days=invoices + 1)
    with transaction() as session:
        for n in range(1, invoices + 1):
            moment = start + timedelta(days=n)
            order = Order(
                customer_id=customer_id,
                kind="renewal",
                status="paid",
                idempotency_key=f"pages-{customer_id}-{n}",
                payment_method="card",
                total_ht_cents=1000 + n,
                total_vat_cents=200,
                total_ttc_cents=1200 + n,
                vat_rate_bp=2000,
                created_at=moment,
                paid_at=moment,
            )
            session.add(order)
            session.flush()
            invoice = Invoice(
                number=f"F{year}-{n:06d}",
                year=year,
                sequence=n,
                order_id=order.id,
                customer_id=customer_id,
                issued_at=moment,
                paid_at=moment,
                payment_method="card",
                total_ht_cents=1000 + n,
                total_vat_cents=200,
                total_ttc_cents=1200 + n,
                vat_rate_bp=2000,
                seller_snapshot_json="{}",
                customer_snapshot_json="{}",
            )
            session.add(invoice)
            session.flush()
            if n <= credit_notes:
                session.add(
                    CreditNote(
                        number=f"A{year}-{n:06d}",
                        year=year,
                        sequence=n,
                        invoice_id=invoice.id,
                        customer_id=customer_id,
                        issued_at=moment,
                        reason="geste",
                        refund_method="credit",
                        total_ht_cents=100,
                        total_vat_cents=20,
                        total_ttc_cents=120,
                        vat_rate_bp=2000,
                    )
                )


def test_a_customer_with_120_invoices_sees_all_of_them_by_page(people):
    alice = people["customer"]["alice"]
    add_documents(alice.id, 120, 30)
    add_documents(people["customer"]["bob"].id, 3, 0, year=2025)  # never shown to Alice
    state = make_state(InvoicesState, token=people["token"]["alice"], path="/invoices")
    run(state, "load")
    assert (state.page, state.pages, state.total) == (1, 5, 120)
    seen = []
    while True:
        seen += [row["number"] for row in state.invoices]
        if state.page == state.pages:
            break
        run(state, "next_page")
    assert len(seen) == len(set(seen)) == 120
    assert seen[0] == "F2026-000120" and seen[-1] == "F2026-000001"  # newest first
    run(state, "previous_page")
    assert state.page == 4
    # The credit notes have their pages too.
    assert (state.cn_page, state.cn_pages) == (1, 2)
    notes = [row["number"] for row in state.credit_notes]
    run(state, "next_credit_notes")
    notes += [row["number"] for row in state.credit_notes]
    assert len(set(notes)) == 30
    run(state, "next_credit_notes")  # past the end: stays on the last page
    assert state.cn_page == 2


def test_the_list_says_what_each_invoice_was_for_and_filters_by_year(people):
    from datetime import UTC, datetime

    from o2portal.billing.orders import CartItem
    from o2portal.catalog.defaults import ensure_catalogue
    from tests.unit.test_orders_rules import order

    with transaction() as session:
        ensure_catalogue(session)
    alice = people["customer"]["alice"].id
    with clock.frozen_at(datetime(2025, 3, 3, 10, 0, tzinfo=UTC)):
        old = order(
            alice, [CartItem("domain", domain="alice-2025.fr", action="register")], "k-year-0001"
        )
    new = order(
        alice, [CartItem("domain", domain="alice-neuf.fr", action="register")], "k-year-0002"
    )
    state = make_state(InvoicesState, token=people["token"]["alice"], path="/invoices")
    run(state, "load")
    assert state.years == [str(clock.today().year), "2025"]
    first = state.invoices[0]
    assert first["number"] == new.invoice_number
    assert "alice-neuf.fr" in first["description"]
    assert first["status"] == "Payée" and first["ht"].endswith("€") and first["method"]
    run(state, "set_year", "2025")
    assert [r["number"] for r in state.invoices] == [old.invoice_number]
    run(state, "set_year", "")
    assert len(state.invoices) == 2
    run(state, "set_year", "pas une année")  # anything else: every year
    assert len(state.invoices) == 2
