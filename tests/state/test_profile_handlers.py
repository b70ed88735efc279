"""Ma fiche's handlers, called as the browser would by name: they act only on the customer
of the session cookie, whatever ids the call carries; a password alone opens none of them."""

from __future__ import annotations

import inspect
from datetime import timedelta

import pyotp
import pytest
from sqlmodel import select

from o2portal.accounts import auth, sessions
from o2portal.accounts.models import Customer, LoginTicket, UserSession
from o2portal.accounts.passwords import new_token, token_hash
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.products.models import Product
from o2portal.web.customer.auth.state import SecondFactorState
from o2portal.web.customer.profile.personal_data_state import PrivacyState
from o2portal.web.customer.profile.security_state import (
    PasswordChangeState,
    SessionsState,
    TwoFactorState,
)
from o2portal.web.customer.profile.state import ProfileState
from o2portal.web.guards import AuthRequired, Forbidden
from tests.state.conftest import PASSWORD, make_state, run

STATES = [ProfileState, PasswordChangeState, SessionsState, TwoFactorState, PrivacyState]

ALICE_FORM = {
    "first_name": "Alice",
    "last_name": "Nouveau-Nom",
    "phone": "07 98 76 54 32",
    "address_line1": "2 rue Neuve",
    "address_line2": "",
    "postal_code": "69001",
    "city": "Lyon",
}


def handlers() -> list[tuple[type, str]]:
    return [
        (cls, name)
        for cls in STATES
        for name in cls.event_handlers
        if name != "setvar" and not name.startswith("set_")
    ]


def customer(customer_id: int) -> Customer:
    with read_session() as session:
        return session.get(Customer, customer_id)


def sibling(state, cls):
    """Another state of the same tree (the same browser tab)."""
    return state.parent_state.get_substate(cls.get_full_name().split(".")[1:])


def alice_state(people, cls):
    return make_state(cls, token=people["token"]["alice"], path="/profile")


@pytest.mark.parametrize(("cls", "handler"), handlers(), ids=lambda v: getattr(v, "__name__", v))
def test_every_profile_handler_refuses_anonymous_and_dead_sessions(people, cls, handler):
    params = list(inspect.signature(cls.event_handlers[handler].fn).parameters)[1:]
    args = [{} if name == "form" else "1" for name in params]
    with pytest.raises(AuthRequired):
        run(make_state(cls), handler, *args)
    with pytest.raises(AuthRequired):
        run(make_state(cls, token="forged-token"), handler, *args)


def test_the_page_loads_the_callers_own_details_only(people):
    state = alice_state(people, ProfileState)
    run(state, "load")
    values = {d["field"]: d["value"] for d in state.details}
    assert values["first_name"] == "Alice"
    assert values["phone"] == "06 12 34 56 78"
    assert state.email == "alice@example.fr"
    assert state.form["phone"] == "06 12 34 56 78"
    # The same load filled the other sections, for the same customer.
    shown = sibling(state, SessionsState)
    assert [s["current"] for s in shown.sessions] == ["1"]
    assert sibling(state, TwoFactorState).enabled is False
    assert sibling(state, PrivacyState).blockers == []


def test_saving_acts_on_the_cookies_customer_whatever_id_is_sent(people):
    alice, bob = people["customer"]["alice"], people["customer"]["bob"]
    state = alice_state(people, ProfileState)
    run(state, "load")
    forged = ALICE_FORM | {"id": str(bob.id), "customer_id": str(bob.id), "email": "x@evil.fr"}
    run(state, "save", forged)
    assert state.errors == {}
    assert customer(alice.id).last_name == "Nouveau-Nom"
    assert customer(alice.id).phone == "+33798765432"
    assert customer(alice.id).email == "alice@example.fr"
    untouched = customer(bob.id)
    assert (untouched.last_name, untouched.phone, untouched.city) == (
        "Test",
        "+33612345678",
        "Paris",
    )
    assert {d["field"]: d["value"] for d in state.details}["phone"] == "07 98 76 54 32"


def test_bad_phone_gets_a_message_by_the_field_and_saves_nothing(people):
    alice = people["customer"]["alice"]
    state = alice_state(people, ProfileState)
    run(state, "load")
    run(state, "save", ALICE_FORM | {"phone": "12345", "postal_code": "123"})
    assert "téléphone n'est pas valide" in state.errors["phone"]
    assert "5 chiffres" in state.errors["postal_code"]
    assert customer(alice.id).last_name == "Test"


def test_ending_another_customers_session_is_refused(people):
    bob = people["customer"]["bob"]
    bob_session = sessions.resolve_session(people["token"]["bob"]).session_id
    state = alice_state(people, SessionsState)
    run(state, "end_session", str(bob_session))
    run(state, "end_session", "not-a-number")
    assert sessions.resolve_session(people["token"]["bob"]) is not None
    run(state, "end_other_sessions")
    assert sessions.resolve_session(people["token"]["bob"]) is not None
    assert sessions.resolve_session(people["token"]["alice"]) is not None
    with read_session() as session:
        bobs = session.exec(select(UserSession).where(UserSession.customer_id == bob.id)).all()
    assert all(row.revoked_at is None for row in bobs)


def test_deleting_is_refused_while_a_product_is_active(people):
    alice = people["customer"]["alice"]
    with transaction() as session:
        session.add(
            Product(
                customer_id=alice.id,
                kind="hosting",
                name="alice.fr",
                offer_code="grow",
                start_date=clock.today(),
                expiry_date=clock.today() + timedelta(days=200),
            )
        )
    page = alice_state(people, ProfileState)
    run(page, "load")
    assert "1 service(s) encore actif(s)" in sibling(page, PrivacyState).blockers[0]
    state = alice_state(people, PrivacyState)
    run(state, "delete_account", {"delete_password": PASSWORD, "delete_confirm": "on"})
    assert "actif" in state.errors["delete"]
    assert customer(alice.id).deleted_at is None
    assert sessions.resolve_session(people["token"]["alice"]) is not None


def test_password_change_from_the_handler_keeps_this_session_only(people):
    alice = people["customer"]["alice"]
    other = auth.exchange_ticket(auth.log_in("alice@example.fr", PASSWORD).ticket).token
    state = alice_state(people, PasswordChangeState)
    run(
        state,
        "submit",
        {
            "current_password": PASSWORD,
            "password": "Brand-new-password-1",
            "password_confirm": "Brand-new-password-1",
        },
    )
    assert state.errors == {}
    assert sessions.resolve_session(people["token"]["alice"]) is not None
    assert sessions.resolve_session(other) is None
    assert sessions.resolve_session(people["token"]["bob"]) is not None
    assert customer(alice.id).password_hash != customer(people["customer"]["bob"].id).password_hash


def test_two_factor_set_up_through_the_handlers(people):
    state = alice_state(people, TwoFactorState)
    run(state, "start_setup")
    assert state.setup_qr.startswith("data:image/svg+xml")
    secret = state.setup_secret.replace(" ", "")
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    run(state, "confirm_setup", {"totp_code": wrong, "setup_password": PASSWORD})
    assert "pas le bon" in state.errors["totp_code"]
    # A good code alone does not do: someone at an unattended session, or with a stolen
    # cookie, would bind their own authenticator and lock the owner out.
    for password in ("", "Not-the-password-1"):
        code = pyotp.TOTP(secret).now()
        run(state, "confirm_setup", {"totp_code": code, "setup_password": password})
        assert state.errors.get("setup_password"), password
        assert (
            not state.enabled and customer(people["customer"]["alice"].id).totp_enabled_at is None
        )
    run(
        state,
        "confirm_setup",
        {"totp_code": pyotp.TOTP(secret).now(), "setup_password": PASSWORD},
    )
    assert state.enabled and state.codes_left == 10
    assert len(state.new_recovery_codes) == 10
    # The secret is no longer in the state; the codes go once they are noted.
    assert state.setup_secret == "" and state.setup_qr == ""
    run(state, "codes_saved")
    assert state.new_recovery_codes == []

    # From now on a password alone gives a session good for nothing but the code.
    result = auth.log_in("alice@example.fr", PASSWORD, ip="192.0.2.10")
    new = auth.exchange_ticket(result.ticket)
    assert new.needs_second_factor
    with pytest.raises(AuthRequired):
        run(make_state(ProfileState, token=new.token), "load")
    step = make_state(SecondFactorState, token=new.token, path="/two-factor")
    run(step, "submit", {"code": "12"})
    assert step.error == "Code incorrect ou déjà utilisé."
    with clock.frozen_at(clock.now() + timedelta(seconds=31)):
        run(step, "submit", {"code": pyotp.TOTP(secret).at(clock.now())})
    assert step.error == ""
    run(make_state(ProfileState, token=new.token), "load")


def test_staff_acting_as_a_customer_cannot_change_security_or_delete(people):
    alice, ada = people["customer"]["alice"], people["customer"]["ada"]
    ticket = new_token()
    with transaction() as session:
        session.add(
            LoginTicket(
                customer_id=alice.id,
                ticket_hash=token_hash(ticket),
                created_at=clock.now(),
                expires_at=clock.now() + timedelta(seconds=60),
                impersonator_id=ada.id,
            )
        )
    token = auth.exchange_ticket(ticket).token
    page = make_state(ProfileState, token=token)
    run(page, "load")
    for cls, handler, args in (
        (PasswordChangeState, "submit", ({"current_password": PASSWORD},)),
        (TwoFactorState, "start_setup", ()),
        (SessionsState, "end_other_sessions", ()),
        (PrivacyState, "delete_account", ({"delete_password": PASSWORD},)),
    ):
        with pytest.raises(Forbidden):
            run(make_state(cls, token=token), handler, *args)
    assert customer(alice.id).deleted_at is None
