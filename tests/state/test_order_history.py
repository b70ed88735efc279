"""The order page's history (the customer's own orders, nothing of anyone else's) and the
consents asked at checkout, through OrderState's handlers."""

from __future__ import annotations

from sqlmodel import func, select

from o2portal.accounts.models import Customer
from o2portal.billing import invoices as billing
from o2portal.billing.models import Order
from o2portal.billing.orders import CartItem, checkout
from o2portal.billing.payments import CardDetails, PaymentChoice
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core.db import read_session, transaction
from o2portal.core.formatting import money
from o2portal.integrations.models import GatewayCharge
from o2portal.products.models import Product
from o2portal.web.customer.order.history_state import OrderHistoryState
from o2portal.web.customer.order.state import OrderState
from tests.state.conftest import as_page_sends, make_state, run

GOOD = CardDetails("4242424242424242", 12, 2031, "123", "Test")
CARD = {
    "card_number": "4242 4242 4242 4242",
    "card_expiry": "12/30",
    "card_cvc": "123",
    "card_holder": "Alice",
}


def _catalogue() -> None:
    with transaction() as session:
        ensure_catalogue(session)


def _order(customer_id: int, domain: str, key: str, choice: PaymentChoice | None = None):
    return checkout(
        customer_id=customer_id,
        items=[CartItem("domain", domain=domain, action="register")],
        promo_code="",
        choice=choice or PaymentChoice("card", card=GOOD),
        key=key,
        terms_accepted=True,
        withdrawal_waived=True,
    )


def _reference(order_id: int) -> str:
    with read_session() as session:
        return billing.order_reference(session.get(Order, order_id))


def _shown(state: OrderState) -> list[dict[str, str]]:
    """Mes commandes as the order page shows it (its own state, filled by OrderState)."""
    path = OrderHistoryState.get_full_name().split(".")[1:]
    return state.parent_state.get_substate(path).rows


def _history(people, who: str) -> list[dict[str, str]]:
    state = make_state(OrderState, token=people["token"][who], path="/order")
    run(state, "load")
    return _shown(state)


def test_the_history_shows_my_orders_and_none_of_another_customers(people):
    _catalogue()
    alice, bob = people["customer"]["alice"].id, people["customer"]["bob"].id
    paid = _order(alice, "alice-payee.fr", "k-hist-alice-1")
    waiting = _order(alice, "alice-attend.fr", "k-hist-alice-2", PaymentChoice("transfer"))
    bobs = _order(bob, "bob-secret.fr", "k-hist-bob-001")
    assert (paid.status, waiting.status, bobs.status) == ("paid", "pending", "paid")

    rows = _history(people, "alice")
    by_ref = {row["reference"]: row for row in rows}
    assert set(by_ref) == {_reference(paid.order_id), _reference(waiting.order_id)}
    assert _reference(bobs.order_id) not in str(rows)
    with read_session() as session:
        amounts = {o.id: o.total_ttc_cents for o in session.exec(select(Order)).all()}
    assert by_ref[_reference(paid.order_id)]["amount"] == money(amounts[paid.order_id])
    assert by_ref[_reference(paid.order_id)]["status"] == "Payée"
    assert by_ref[_reference(waiting.order_id)]["status"] == "À régler"
    assert all(row["date"] for row in rows)

    # And the other way round: Bob sees his one order, none of Alice's.
    assert [row["reference"] for row in _history(people, "bob")] == [_reference(bobs.order_id)]


def test_a_customer_with_no_order_sees_an_empty_history(people):
    _catalogue()
    _order(people["customer"]["bob"].id, "rien-pour-alice.fr", "k-hist-empty-1")
    assert _history(people, "alice") == []


def test_an_order_paid_on_the_page_appears_in_the_history_at_once(people):
    _catalogue()
    state = make_state(OrderState, token=people["token"]["alice"], path="/order")
    run(state, "load")
    assert _shown(state) == []
    run(state, "set_query", "tout-de-suite.fr")
    run(state, "search")
    run(state, "add_domain")
    run(state, "pay", as_page_sends(state, {**CARD, "terms": True, "withdrawal": True}))
    assert state.done_message
    with read_session() as session:
        form = session.exec(select(Order)).one()
    assert [row["reference"] for row in _shown(state)] == [billing.order_reference(form)]
    assert _shown(state)[0]["status"] == "Payée"


def test_a_new_domain_order_is_not_labelled_hosting_in_the_history(people):
    _catalogue()
    _order(people["customer"]["alice"].id, "juste-un-nom.fr", "k-hist-kind-1")
    (row,) = _history(people, "alice")
    # What was bought, not "Hébergement" for every new order.
    assert row["kind"] == "Nom de domaine"


def test_a_renewal_reads_as_a_noun_in_the_history(people):
    from o2portal.billing.renewals import renew_product

    _catalogue()
    alice = people["customer"]["alice"].id
    _order(alice, "a-renouveler.fr", "k-hist-renew-0")
    with read_session() as session:
        product = session.exec(select(Product).where(Product.name == "a-renouveler.fr")).one()
    outcome = renew_product(
        customer_id=alice,
        product_id=product.id,
        years=1,
        expected_expiry=product.expiry_date,
        choice=PaymentChoice("card", CardDetails("4242424242424242", 12, 2030, "123", "A T")),
        key="k-hist-renew-1",
    )
    assert outcome.status == "paid"
    kinds = [row["kind"] for row in _history(people, "alice")]
    # What the order was, not what the button says ("Renouveler").
    assert kinds == ["Renouvellement", "Nom de domaine"]


# ---------------------------------------------------------------- consents at checkout


def _cart_with_a_server(people, who: str):
    state = make_state(OrderState, token=people["token"][who], path="/order")
    run(state, "load")
    run(state, "add_server", "infogere-s")
    assert len(state.cart_rows) == 1
    return state


def _charges() -> int:
    with read_session() as session:
        return session.exec(select(func.count()).select_from(GatewayCharge)).one()


def test_a_consumer_is_asked_for_the_withdrawal_consent_and_the_terms(people):
    _catalogue()
    state = _cart_with_a_server(people, "alice")
    assert state.consumer is True
    run(state, "pay", as_page_sends(state, {**CARD, "terms": True}))
    assert set(state.checkout_errors) == {"withdrawal"}
    assert state.pay_message == state.checkout_errors["withdrawal"]
    assert len(state.cart_rows) == 1
    run(state, "pay", as_page_sends(state, {**CARD, "withdrawal": True}))
    assert set(state.checkout_errors) == {"terms"}
    assert len(state.cart_rows) == 1 and _charges() == 0
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(Product)).one() == 0
    run(state, "pay", as_page_sends(state, {**CARD, "terms": True, "withdrawal": True}))
    assert state.checkout_errors == {} and state.cart_rows == [] and _charges() == 1


def test_a_business_pays_without_the_withdrawal_consent_but_not_without_the_terms(people):
    _catalogue()
    with transaction() as session:
        bob = session.get(Customer, people["customer"]["bob"].id)
        bob.account_type = "entreprise"
        bob.company_name = "Bob SARL"
        session.add(bob)
    state = _cart_with_a_server(people, "bob")
    assert state.consumer is False
    run(state, "pay", as_page_sends(state, dict(CARD)))
    assert set(state.checkout_errors) == {"terms"}
    assert _charges() == 0
    run(state, "pay", as_page_sends(state, {**CARD, "terms": True}))
    assert state.checkout_errors == {} and state.done_message
    with read_session() as session:
        form = session.exec(select(Order)).one()
    assert form.customer_id == bob.id and form.withdrawal_waived_at is None
