"""The built-in card gateway behaves like a real provider: tokens instead of numbers, the
same reference answered the same way (a decline included), a status to ask after a lost
answer, timeouts when it is down, and no charge twice for two racing calls."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import select

from o2portal.core.db import read_session
from o2portal.integrations.gateway import (
    CardDetails,
    GatewayTimeout,
    LocalTestGateway,
)
from o2portal.integrations.models import GatewayCard, GatewayCharge


def card(number: str) -> CardDetails:
    return CardDetails(number, 12, 2031, "123", "Marie Dupont")


@pytest.fixture
def gateway(db):
    return LocalTestGateway()


def charges(reference: str | None = None) -> list[GatewayCharge]:
    with read_session() as session:
        query = select(GatewayCharge).order_by(GatewayCharge.id)
        if reference:
            query = query.where(GatewayCharge.reference == reference)
        return list(session.exec(query).all())


def test_a_token_stands_for_the_card_and_the_number_is_never_kept(gateway):
    token = gateway.tokenize(card("4242424242424242"))
    assert token.token.startswith("tok_test_") and token.last4 == "4242"
    assert token.brand == "Visa" and (token.exp_month, token.exp_year) == (12, 2031)
    assert gateway.card(token.token) == token
    assert gateway.card("tok_unknown") is None
    with read_session() as session:
        stored = session.exec(select(GatewayCard)).one()
    assert "4242424242424242" not in repr(stored.model_dump())


def test_the_same_reference_replays_the_first_answer_and_charges_once(gateway):
    good = gateway.tokenize(card("4242424242424242")).token
    first = gateway.charge(reference="pay-1", amount_cents=1200, token=good)
    again = gateway.charge(reference="pay-1", amount_cents=1200, token=good)
    assert first.status == again.status == "succeeded"
    assert first.charge_ref == again.charge_ref
    assert len(charges("pay-1")) == 1


def test_a_decline_is_replayed_too(gateway):
    bad = gateway.tokenize(card("4000000000000002")).token
    good = gateway.tokenize(card("4242424242424242")).token
    assert gateway.charge(reference="pay-2", amount_cents=500, token=bad).status == "declined"
    # Even with another card: the reference has had its answer.
    replay = gateway.charge(reference="pay-2", amount_cents=500, token=good)
    assert replay.status == "declined" and replay.message_key == "error.card_declined"
    assert len(charges("pay-2")) == 1


def test_the_retry_card_is_refused_then_accepted_under_a_new_reference(gateway):
    retry = gateway.tokenize(card("4000000000000119")).token
    assert gateway.charge(reference="a", amount_cents=900, token=retry).status == "retry"
    assert gateway.charge(reference="a", amount_cents=900, token=retry).status == "retry"
    assert gateway.charge(reference="b", amount_cents=900, token=retry).status == "succeeded"
    # The same card typed again is the same card (its fingerprint): the next one refuses.
    again = gateway.tokenize(card("4000000000000119")).token
    assert gateway.charge(reference="c", amount_cents=900, token=again).status == "retry"


def test_a_lost_answer_times_out_and_status_tells_what_happened(gateway):
    lost = gateway.tokenize(card("4000000000000036")).token
    assert gateway.status("pay-3") is None
    with pytest.raises(GatewayTimeout):
        gateway.charge(reference="pay-3", amount_cents=700, token=lost)
    assert gateway.status("pay-3").status == "succeeded"
    assert len(charges("pay-3")) == 1


def test_a_gateway_that_is_down_times_out_and_charges_nothing(gateway):
    good = gateway.tokenize(card("4242424242424242")).token
    gateway.down = True
    with pytest.raises(GatewayTimeout):
        gateway.charge(reference="pay-4", amount_cents=700, token=good)
    with pytest.raises(GatewayTimeout):
        gateway.status("pay-4")
    gateway.down = False
    assert gateway.status("pay-4") is None and charges() == []


def test_a_zero_amount_is_refused(gateway):
    good = gateway.tokenize(card("4242424242424242")).token
    with pytest.raises(ValueError):
        gateway.charge(reference="pay-5", amount_cents=0, token=good)


def test_two_racing_calls_with_one_reference_charge_once(gateway):
    good = gateway.tokenize(card("4242424242424242")).token
    barrier = threading.Barrier(8)
    results = []

    def pay():
        barrier.wait()
        results.append(gateway.charge(reference="pay-6", amount_cents=1000, token=good))

    threads = [threading.Thread(target=pay) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({r.charge_ref for r in results}) == 1 and len(results) == 8
    assert len(charges("pay-6")) == 1
