"""Mes commandes, the order page's history, through OrderHistoryState: one page of ten at a
time, the customer's own order forms only, each with what can be done with it."""

from __future__ import annotations

from sqlmodel import select

from o2portal.billing import invoices as billing
from o2portal.billing.models import Invoice, Order
from o2portal.core.db import read_session, transaction
from o2portal.web.customer.order.history_state import OrderHistoryState
from tests.state.conftest import make_state, run
from tests.state.test_invoice_pages import add_documents


def _unpaid(customer_id: int, count: int) -> None:
    with transaction() as session:
        for n in range(count):
            session.add(
                Order(
                    customer_id=customer_id,
                    kind="renewal",
                    status="unpaid",
                    idempotency_key=f"history-{customer_id}-{n}",
                    payment_method="transfer",
                    total_ht_cents=1000,
                    total_vat_cents=200,
                    total_ttc_cents=1200,
                    vat_rate_bp=2000,
                )
            )


def _history(people, who: str) -> OrderHistoryState:
    state = make_state(OrderHistoryState, token=people["token"][who], path="/order")
    run(state, "load")
    return state


def test_the_history_pages_through_every_order_form_ten_at_a_time(people):
    alice = people["customer"]["alice"].id
    add_documents(alice, 20, 0)
    _unpaid(alice, 3)
    _unpaid(people["customer"]["bob"].id, 2)  # never shown to Alice
    with read_session() as session:
        mine = {
            billing.order_reference(o)
            for o in session.exec(select(Order).where(Order.customer_id == alice)).all()
        }
    state = _history(people, "alice")
    assert (state.page, state.pages, state.total) == (1, 3, 23)
    seen = []
    for number in (1, 2, 3):
        assert state.page == number
        assert len(state.rows) == (10 if number < 3 else 3)
        seen += [row["reference"] for row in state.rows]
        run(state, "next_page")
    assert state.page == 3  # no page after the last
    assert len(seen) == 23 and set(seen) == mine
    run(state, "previous_page")
    assert state.page == 2


def test_an_unpaid_form_offers_to_pay_and_a_paid_one_its_invoice(people):
    alice = people["customer"]["alice"].id
    add_documents(alice, 1, 0)
    _unpaid(alice, 1)
    with read_session() as session:
        invoice = session.exec(select(Invoice).where(Invoice.customer_id == alice)).one()
        unpaid = session.exec(
            select(Order).where(Order.customer_id == alice, Order.status == "unpaid")
        ).one()
    rows = {row["id"]: row for row in _history(people, "alice").rows}
    assert rows[str(unpaid.id)]["pay"] == "1" and rows[str(unpaid.id)]["invoice"] == ""
    paid = rows[str(invoice.order_id)]
    assert paid["pay"] == "" and paid["invoice"] == str(invoice.id)
    assert paid["status"] == "Payée"
