"""The card number never reaches the portal's handlers: the pay forms post the card to the
gateway's own endpoint and send on only its token (or what it found wrong with the
fields); a handler given card fields without a token refuses them and uses none."""

from __future__ import annotations

import json
import warnings

import pytest
from sqlmodel import select

from o2portal.billing.payments import choice_from_form
from o2portal.core.db import read_session
from o2portal.core.errors import InvalidInput
from o2portal.integrations.gateway import card_gateway
from o2portal.integrations.models import GatewayCard
from o2portal.web.guards import SESSION_COOKIE
from o2portal.web.routes import MAX_CARD_BODY, build_routes

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

CARD = {
    "card_number": "4242 4242 4242 4242",
    "card_expiry": "12/30",
    "card_cvc": "123",
    "card_holder": "Marie Dupont",
}
OURS = {"Sec-Fetch-Site": "same-origin"}


@pytest.fixture
def client(people):
    """A signed-in customer's browser (Alice's session cookie)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        client = TestClient(build_routes(), base_url="http://localhost:3000")
        client.cookies.set(SESSION_COOKIE, people["token"]["alice"])
        yield client


def refused(form: dict) -> dict:
    with pytest.raises(InvalidInput) as caught:
        choice_from_form("card", form)
    return caught.value.errors


def test_a_handler_given_the_card_itself_refuses_it(db):
    assert refused(dict(CARD)) == {"card_number": "error.card_not_tokenized"}
    assert refused({**CARD, "card_token": "not a token"}) == {"card_number": "error.card_unknown"}
    with read_session() as session:
        assert session.exec(select(GatewayCard)).all() == []  # nothing was tokenized


def test_the_gateways_complaints_come_back_by_field_and_nothing_else_does(db):
    sent = {"card_expiry": "error.card_expiry", "card_cvc": "error.card_cvc"}
    assert refused({"card_errors": json.dumps(sent)}) == sent
    # Made up by a script: unknown fields, keys that are not message keys, not JSON.
    bogus = {"card_expiry": "<b>x</b>", "evil": "error.card_cvc", "card_cvc": ["x"]}
    assert refused({"card_errors": json.dumps(bogus)}) == {"card_number": "error.card_number"}
    assert refused({"card_errors": "{not json"}) == {"card_number": "error.card_number"}


def test_the_endpoint_gives_a_token_that_pays_and_only_the_token(client):
    answer = client.post("/gateway/v1/tokens", json=CARD, headers=OURS)
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert set(body) == {"token", "brand", "last4"} and body["last4"] == "4242"
    choice = choice_from_form("card", {"card_token": body["token"], "save_card": "on"})
    assert (choice.card, choice.token, choice.save_card) == (None, body["token"], True)
    assert card_gateway().card(body["token"]).last4 == "4242"


def test_the_endpoint_says_what_is_wrong_by_field(client):
    answer = client.post(
        "/gateway/v1/tokens",
        json={**CARD, "card_number": "4242 4242 4242 4241", "card_expiry": "13/30"},
        headers=OURS,
    )
    assert answer.status_code == 422
    assert answer.json() == {
        "errors": {"card_number": "error.card_number", "card_expiry": "error.card_expiry"}
    }


def test_the_endpoint_refuses_other_sites_strangers_big_bodies_and_garbage(
    client, people, monkeypatch
):
    post = client.post
    client.cookies.clear()  # nobody signed in: no card is checked nor stored
    assert post("/gateway/v1/tokens", json=CARD, headers=OURS).status_code == 401
    client.cookies.set(SESSION_COOKIE, "not-a-session")
    assert post("/gateway/v1/tokens", json=CARD, headers=OURS).status_code == 401
    with read_session() as session:
        assert session.exec(select(GatewayCard)).all() == []
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, people["token"]["alice"])
    assert (
        post("/gateway/v1/tokens", json=CARD, headers={"Sec-Fetch-Site": "cross-site"}).status_code
        == 403
    )
    big = {**CARD, "card_holder": "x" * MAX_CARD_BODY}
    assert post("/gateway/v1/tokens", json=big, headers=OURS).status_code == 413
    garbage = post("/gateway/v1/tokens", content=b"[1, 2", headers=OURS)
    assert garbage.status_code == 400
    assert post("/gateway/v1/tokens", json=["a"], headers=OURS).status_code == 400
    monkeypatch.setattr(card_gateway(), "down", True)
    down = post("/gateway/v1/tokens", json=CARD, headers=OURS)
    assert down.status_code == 503
    assert down.json() == {"errors": {"card_number": "error.gateway_down"}}
    with read_session() as session:
        assert session.exec(select(GatewayCard)).all() == []
