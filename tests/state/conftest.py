"""Call Reflex event handlers directly, as the browser would by name, with a chosen cookie."""

from __future__ import annotations

import asyncio
import inspect
import json
from datetime import timedelta

import pyotp
import pytest
import reflex as rx
from reflex.istate.data import RouterData

import o2portal.o2portal  # noqa: F401  (registers every page and state)
from o2portal.accounts import auth
from o2portal.accounts.models import Customer, UserSession
from o2portal.accounts.passwords import hash_password, new_token, token_hash
from o2portal.core import clock
from o2portal.core.db import transaction
from o2portal.core.errors import InvalidInput
from o2portal.integrations.gateway import CARD_FIELDS, tokenize_fields
from o2portal.web.guards import SESSION_COOKIE

PASSWORD = "State-tests-password-1"


def make_state(state_cls: type[rx.State], token: str | None = None, path: str = "/"):
    """A fresh state tree whose router carries this session cookie (or none)."""
    root = rx.State(_reflex_internal_init=True)
    headers = {"user-agent": "pytest"}
    if token:
        headers["cookie"] = f"{SESSION_COOKIE}={token}"
    root.router = RouterData.from_router_data(
        {"headers": headers, "ip": "192.0.2.10", "pathname": path, "asPath": path}
    )
    return root.get_substate(state_cls.get_full_name().split(".")[1:])


def sibling(state: rx.State, state_cls: type[rx.State]):
    """Another state of the same tree (a section a page's load fills too)."""
    return state.parent_state.get_substate(state_cls.get_full_name().split(".")[1:])


def run(state: rx.State, handler: str, *args):
    """Run a handler to the end, whatever its kind (plain, async, generator)."""
    fn = type(state).event_handlers[handler].fn

    async def drive():
        result = fn(state, *args)
        if inspect.isasyncgen(result):
            return [item async for item in result]
        if inspect.isgenerator(result):
            return list(result)
        if inspect.iscoroutine(result):
            return await result
        return result

    return asyncio.run(drive())


@pytest.fixture(scope="module")
def password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def people(db, password_hash):
    """Two customers and three staff members (two with their second factor on), each with
    a live session token."""
    made = {}
    with transaction() as session:
        for key, role in (
            ("alice", "customer"),
            ("bob", "customer"),
            ("sam", "support"),
            ("ada", "admin"),
            # An admin who has not turned their second factor on: no staff area yet.
            ("ned", "admin"),
        ):
            person = Customer(
                email=f"{key}@example.fr",
                email_verified_at=clock.now(),
                password_hash=password_hash,
                role=role,
                first_name=key.title(),
                last_name="Test",
                phone="+33612345678",
                address_line1="1 rue de la Paix",
                postal_code="75002",
                city="Paris",
            )
            if key in ("sam", "ada"):
                person.totp_secret = pyotp.random_base32()
                person.totp_enabled_at = clock.now()
            session.add(person)
            session.flush()
            made[key] = person
    # Alice signs in for real; the others get their session rows directly (bcrypt is slow).
    result = auth.log_in(made["alice"].email, PASSWORD, ip="192.0.2.10")
    assert result.ok, result
    tokens = {"alice": auth.exchange_ticket(result.ticket).token}
    with transaction() as session:
        for key in ("bob", "sam", "ada", "ned"):
            tokens[key] = new_token()
            session.add(
                UserSession(
                    customer_id=made[key].id,
                    token_hash=token_hash(tokens[key]),
                    created_at=clock.now(),
                    expires_at=clock.now() + timedelta(days=1),
                )
            )
    return {"customer": made, "token": tokens}


# The hidden fields each payment form renders beside what the person types.
_SEEN = {
    "ProductState": {"seen_years": "years", "seen_expiry": "seen_expiry", "seen_ttc": "seen_ttc"},
    "InvoicesState": {"seen_order": "selected", "seen_ttc": "seen_ttc"},
    "OrderState": {"seen_ttc": "seen_ttc"},
    "ClientOrdersState": {"seen_order": "seen_order", "seen_ttc": "seen_ttc"},
}


def as_page_sends(state: rx.State, typed: dict, **overrides) -> dict:
    """The form a payment panel submits: what was typed, plus the key and what the page
    showed (rendered into hidden fields from the state's vars when the form was shown)."""
    form = {"pay_key": state.pay_key}
    for field, var in _SEEN[type(state).__name__].items():
        form[field] = getattr(state, var)
    form.update(typed)
    form.update(overrides)
    return the_browser_tokenizes(form)


def the_browser_tokenizes(form: dict) -> dict:
    """What the pay form's script does before the form goes to the handler: the card
    fields go to the gateway's endpoint (its same function here), and only its token, or
    what it found wrong, goes on with the rest. The card fields never go on."""
    card = {name: form.pop(name) for name in CARD_FIELDS if name in form}
    if form.get("method", "card") != "card" or not card:
        return form
    try:
        form["card_token"] = tokenize_fields(card).token
    except InvalidInput as exc:
        form["card_errors"] = json.dumps(exc.errors)
    return form
