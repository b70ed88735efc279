"""Change of holder through the event handlers, as the browser calls them by name: the
holder's section on /services/[id], /trades (accept, refuse, cancel), the dashboard's
notice, and staff's /admin/trades. Bad input is said by its field and saves nothing; a
stranger or a forged id over the websocket moves nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.i18n import translate
from o2portal.products.models import HolderChange, Product
from o2portal.web.customer.dashboard.state import DashboardState
from o2portal.web.customer.services.product_state import ProductState
from o2portal.web.customer.services.trade import ProductTradeState
from o2portal.web.customer.trades.state import TradesState
from o2portal.web.staff.products.product_state import AdminProductState
from o2portal.web.staff.trades.state import AdminTradesState
from tests.state.conftest import make_state, run, sibling
from tests.state.test_product_owner_handlers import _add_product


@pytest.fixture
def offer_ready(people):
    """Alice holds a domain; the handlers' states for her, Bob and support."""
    alice = people["customer"]["alice"].id
    product_id = _add_product(alice, "alice-cede.fr", 90)
    return people, product_id


def _section(people, who: str, product_id: int) -> ProductTradeState:
    """The section as the product page's one load fills it (ProductState.load)."""
    page = make_state(ProductState, people["token"][who], f"/services/{product_id}")
    run(page, "load")
    return sibling(page, ProductTradeState)


def _offers() -> list[HolderChange]:
    with read_session() as session:
        return list(session.exec(select(HolderChange)).all())


def _owner(product_id: int) -> int:
    with read_session() as session:
        return session.get(Product, product_id).customer_id


def _offer(people, product_id: int, email="bob@example.fr", confirm="on"):
    state = _section(people, "alice", product_id)
    form = {"trade_email": email}
    if confirm:
        form["trade_confirm"] = confirm
    run(state, "offer", form)
    return state


def test_the_holder_offers_from_the_product_page(offer_ready):
    people, product_id = offer_ready
    state = _offer(people, product_id)
    assert state.errors == {}
    assert state.message == translate("trade.offered_ok", "fr")
    assert state.pending and "bob@example.fr" in state.pending_to
    (offer,) = _offers()
    assert offer.to_customer_id == people["customer"]["bob"].id


@pytest.mark.parametrize(
    ("email", "confirm", "field", "key"),
    [
        ("bob@example.fr", "", "trade_confirm", "trade.error_confirm"),
        ("alice@example.fr", "on", "trade_email", "trade.error_self"),
        ("nobody@example.fr", "on", "trade_email", "trade.error_unknown_email"),
        ("sam@example.fr", "on", "trade_email", "trade.error_staff"),
        ("pas une adresse", "on", "trade_email", "error.email_invalid"),
        ("x" * 5000, "on", "trade_email", "error.too_long"),
    ],
)
def test_bad_input_is_said_by_its_field_and_saves_nothing(offer_ready, email, confirm, field, key):
    people, product_id = offer_ready
    state = _offer(people, product_id, email, confirm)
    assert state.errors == {field: translate(key, "fr")}
    assert state.message == "" and not state.pending
    assert _offers() == []


def test_a_disabled_account_cannot_receive(offer_ready):
    people, product_id = offer_ready
    with transaction() as session:
        session.get(
            type(people["customer"]["bob"]), people["customer"]["bob"].id
        ).disabled_at = clock.now()
    state = _offer(people, product_id)
    assert state.errors == {"trade_email": translate("trade.error_disabled", "fr")}
    assert _offers() == []


def test_a_suspended_product_says_why_instead_of_the_form(offer_ready):
    people, product_id = offer_ready
    with transaction() as session:
        session.get(Product, product_id).status = "suspended"
    state = _section(people, "alice", product_id)
    assert state.blocked == translate("trade.blocked_suspended", "fr")
    run(state, "offer", {"trade_email": "bob@example.fr", "trade_confirm": "on"})
    assert state.errors == {"trade_product": translate("trade.blocked_suspended", "fr")}
    assert _offers() == []


def test_a_stranger_sees_no_section_and_cannot_offer_anothers_product(offer_ready):
    people, product_id = offer_ready
    state = _section(people, "bob", product_id)
    assert state.shown is False
    run(state, "offer", {"trade_email": "bob@example.fr", "trade_confirm": "on"})
    assert _offers() == []


def test_accept_from_trades_moves_the_product_and_the_dashboard_says_it_waits(offer_ready):
    people, product_id = offer_ready
    _offer(people, product_id)
    (offer,) = _offers()
    dashboard = make_state(DashboardState, people["token"]["bob"], "/")
    run(dashboard, "load")
    assert dashboard.trades_waiting == 1
    bob = make_state(TradesState, people["token"]["bob"], "/trades")
    run(bob, "load")
    (row,) = bob.rows
    assert row["answer"] == "1" and row["cancel"] == "" and row["mine"] == ""
    assert "Alice Test" in row["direction"]
    run(bob, "accept", str(offer.id))
    assert bob.message == translate("trade.accepted_ok", "fr") and not bob.failed
    assert _owner(product_id) == people["customer"]["bob"].id
    assert bob.rows[0]["mine"] == "1" and bob.rows[0]["answer"] == ""
    run(dashboard, "load")
    assert dashboard.trades_waiting == 0
    # The old holder's page no longer shows it as theirs.
    assert _section(people, "alice", product_id).shown is False


def test_refuse_and_cancel_from_trades(offer_ready):
    people, product_id = offer_ready
    _offer(people, product_id)
    bob = make_state(TradesState, people["token"]["bob"], "/trades")
    run(bob, "load")
    run(bob, "refuse", bob.rows[0]["id"])
    assert _offers()[0].status == "refused"
    _offer(people, product_id)
    alice = make_state(TradesState, people["token"]["alice"], "/trades")
    run(alice, "load")
    waiting = [r for r in alice.rows if r["cancel"] == "1"]
    assert len(waiting) == 1
    run(alice, "cancel", waiting[0]["id"])
    assert alice.message == translate("trade.cancelled_ok", "fr")
    assert sorted(o.status for o in _offers()) == ["cancelled", "refused"]


@pytest.mark.parametrize("forged", ["0", "-1", "999999", "1 OR 1=1", "²", "9" * 40, ""])
def test_forged_ids_over_the_websocket_move_nothing(offer_ready, forged):
    people, product_id = offer_ready
    _offer(people, product_id)
    bob = make_state(TradesState, people["token"]["bob"], "/trades")
    run(bob, "load")
    for handler in ("accept", "refuse", "cancel"):
        run(bob, handler, forged)
        assert bob.failed
    assert _offers()[0].status == "offered"
    assert _owner(product_id) == people["customer"]["alice"].id


def test_a_stranger_cannot_see_accept_or_cancel_an_offer(offer_ready):
    people, product_id = offer_ready
    # Ada becomes a plain customer and receives the offer; Bob is the stranger.
    with transaction() as session:
        session.get(type(people["customer"]["ada"]), people["customer"]["ada"].id).role = "customer"
    _offer(people, product_id, "ada@example.fr")
    (offer,) = _offers()
    bob = make_state(TradesState, people["token"]["bob"], "/trades")
    run(bob, "load")
    assert bob.rows == []
    for handler in ("accept", "refuse", "cancel"):
        run(bob, handler, str(offer.id))
        assert bob.failed and bob.message == translate("trade.error_closed", "fr")
    assert _offers()[0].status == "offered"
    # Nor from the product page: the cancel there finds Bob's own pending offers only.
    section = _section(people, "bob", product_id)
    run(section, "cancel")
    assert _offers()[0].status == "offered"


def test_staff_see_and_cancel_a_pending_change(offer_ready):
    people, product_id = offer_ready
    _offer(people, product_id)
    (offer,) = _offers()
    page = make_state(AdminProductState, people["token"]["sam"], f"/admin/products/{product_id}")
    run(page, "load")
    assert "bob@example.fr" in page.trade["to"]
    staff = make_state(AdminTradesState, people["token"]["sam"], "/admin/trades")
    run(staff, "load")
    (row,) = staff.rows
    assert "alice@example.fr" in row["from"] and "bob@example.fr" in row["to"]
    run(staff, "cancel", str(offer.id))
    assert staff.message == translate("admin.trade_cancelled", "fr") and staff.rows == []
    assert _offers()[0].status == "cancelled"
    assert _offers()[0].cancelled_by_id == people["customer"]["sam"].id
    run(page, "load")
    assert page.trade == {}


def test_an_expired_offer_cannot_be_accepted(offer_ready):
    people, product_id = offer_ready
    _offer(people, product_id)
    (offer,) = _offers()
    with transaction() as session:
        row = session.get(HolderChange, offer.id)
        row.expires_at = clock.now() - timedelta(seconds=1)
    bob = make_state(TradesState, people["token"]["bob"], "/trades")
    run(bob, "load")
    run(bob, "accept", str(offer.id))
    assert bob.failed and bob.message == translate("trade.error_closed", "fr")
    assert _owner(product_id) == people["customer"]["alice"].id
