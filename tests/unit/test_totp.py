"""The second factor: set-up, the code asked at sign-in, recovery codes, limits."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlmodel import select

from o2portal.accounts import auth, sessions, totp
from o2portal.accounts.models import LoginTicket, RecoveryCode, UserSession
from o2portal.accounts.passwords import new_token, token_hash
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput
from o2portal.core.models import AuditEvent
from tests.unit.helpers import (
    EMAIL,
    PASSWORD,
    get_customer,
    make_customer,
    make_staff,
    open_session,
    outbox,
)


def code_now(secret: str, offset_steps: int = 0) -> str:
    step = int(clock.now().timestamp()) // 30 + offset_steps
    return pyotp.TOTP(secret).generate_otp(step)


def enable(customer_id: int) -> tuple[str, list[str]]:
    setup = totp.begin_setup(customer_id)
    codes = totp.enable(customer_id, code_now(setup.secret))
    return setup.secret, codes


def start_sign_in(email: str = EMAIL, password: str = PASSWORD) -> auth.NewSession:
    result = auth.log_in(email, password, ip="192.0.2.30", user_agent="pytest")
    assert result.ok
    new = auth.exchange_ticket(result.ticket, ip="192.0.2.30", user_agent="pytest")
    assert new is not None
    return new


def later(seconds: int):
    return clock.frozen_at(clock.now() + timedelta(seconds=seconds))


def test_setup_needs_a_good_code_and_gives_recovery_codes_once(db):
    customer = make_customer()
    setup = totp.begin_setup(customer.id)
    assert setup.uri.startswith("otpauth://totp/o2portal:")
    assert f"secret={setup.secret}" in setup.uri
    assert totp.qr_data_uri(setup.uri).startswith("data:image/svg+xml")
    # Not on until a code confirms it.
    assert get_customer(customer.id).totp_enabled_at is None
    assert start_sign_in().needs_second_factor is False
    with pytest.raises(InvalidInput) as refused:
        totp.enable(customer.id, "12345")
    assert refused.value.errors == {"totp_code": "error.totp_code_format"}
    wrong = "000000" if code_now(setup.secret) != "000000" else "111111"
    with pytest.raises(InvalidInput) as refused:
        totp.enable(customer.id, wrong)
    assert refused.value.errors == {"totp_code": "error.totp_code_wrong"}

    codes = totp.enable(customer.id, code_now(setup.secret, -1))
    assert len(codes) == 10 and len(set(codes)) == 10
    saved = get_customer(customer.id)
    assert saved.totp_enabled_at is not None and saved.totp_secret == setup.secret
    with read_session() as session:
        hashes = [r.code_hash for r in session.exec(select(RecoveryCode)).all()]
    assert len(hashes) == 10
    assert not any(code.replace("-", "") in h or code in h for code in codes for h in hashes)
    assert totp.recovery_codes_left(customer.id) == 10
    assert outbox("totp_enabled")[-1].to_addr == EMAIL
    with pytest.raises(InvalidInput):
        totp.begin_setup(customer.id)


def test_sign_in_asks_for_the_code_before_any_use_of_the_session(db):
    customer = make_customer()
    secret, _ = enable(customer.id)
    new = start_sign_in()
    assert new.needs_second_factor is True
    # The password alone opens nothing.
    assert sessions.resolve_session(new.token) is None
    pending = totp.pending_sign_in(new.token)
    assert pending is not None and pending.customer_id == customer.id

    with later(31):
        wrong = "123456" if code_now(secret) != "123456" else "654321"
        refused = totp.complete_sign_in(new.token, wrong, ip="192.0.2.30")
        assert (refused.ok, refused.error) == (False, "error.second_factor_wrong")
        assert sessions.resolve_session(new.token) is None

        done = totp.complete_sign_in(new.token, code_now(secret), ip="192.0.2.30")
        assert done.ok and not done.used_recovery_code
        user = sessions.resolve_session(new.token)
        assert user is not None and user.customer.id == customer.id
        assert totp.pending_sign_in(new.token) is None
        with read_session() as session:
            row = session.exec(
                select(UserSession).where(UserSession.token_hash == token_hash(new.token))
            ).one()
        assert row.second_factor_ok is True
        assert row.expires_at > clock.now() + timedelta(days=13)
        # The same code again, for another sign-in: a replay, refused.
        second = start_sign_in()
        again = totp.complete_sign_in(second.token, code_now(secret))
        assert not again.ok
    with later(62):
        assert totp.complete_sign_in(second.token, code_now(secret)).ok


def test_a_waiting_sign_in_expires(db):
    customer = make_customer()
    secret, _ = enable(customer.id)
    new = start_sign_in()
    with later(11 * 60):
        assert totp.pending_sign_in(new.token) is None
        result = totp.complete_sign_in(new.token, code_now(secret))
        assert result.expired and not result.ok
    assert totp.complete_sign_in("forged", "123456").expired
    assert totp.complete_sign_in(None, "123456").expired


def test_a_recovery_code_works_once(db):
    customer = make_customer()
    _, codes = enable(customer.id)
    first = start_sign_in()
    result = totp.complete_sign_in(first.token, codes[0].upper().replace("-", " "))
    assert result.ok and result.used_recovery_code
    assert sessions.resolve_session(first.token) is not None
    assert totp.recovery_codes_left(customer.id) == 9
    assert outbox("recovery_code_used")[-1].to_addr == EMAIL

    second = start_sign_in()
    again = totp.complete_sign_in(second.token, codes[0])
    assert not again.ok and again.error == "error.second_factor_wrong"
    assert sessions.resolve_session(second.token) is None
    assert totp.complete_sign_in(second.token, codes[1]).ok


def test_wrong_codes_are_limited(db):
    customer = make_customer()
    secret, codes = enable(customer.id)
    new = start_sign_in()
    wrong = "000000" if code_now(secret) != "000000" else "111111"
    with later(31):
        for _ in range(5):
            assert totp.complete_sign_in(new.token, wrong).error == "error.second_factor_wrong"
        # Now even the right code and a recovery code wait.
        blocked = totp.complete_sign_in(new.token, code_now(secret))
        assert blocked.error == "error.second_factor_throttled" and blocked.retry_minutes == 15
        assert totp.complete_sign_in(new.token, codes[0]).error == "error.second_factor_throttled"
    assert totp.recovery_codes_left(customer.id) == 10
    with read_session() as session:
        failed = session.exec(
            select(AuditEvent).where(AuditEvent.action == "auth.second_factor_failed")
        ).all()
    assert len(failed) == 5
    # Later, with a fresh sign-in (the first one has expired by then), it works.
    with later(16 * 60):
        fresh = start_sign_in()
        assert totp.complete_sign_in(fresh.token, code_now(secret)).ok


def test_disabling_and_new_recovery_codes(db):
    customer = make_customer()
    _, codes = enable(customer.id)
    fresh = totp.regenerate_recovery_codes(customer.id)
    assert set(fresh).isdisjoint(codes)
    new = start_sign_in()
    assert not totp.complete_sign_in(new.token, codes[0]).ok
    assert totp.complete_sign_in(new.token, fresh[0]).ok

    totp.disable(customer.id)
    saved = get_customer(customer.id)
    assert saved.totp_secret is None and saved.totp_enabled_at is None
    assert totp.recovery_codes_left(customer.id) == 0
    assert start_sign_in().needs_second_factor is False
    assert outbox("totp_disabled")[-1].to_addr == EMAIL
    with pytest.raises(InvalidInput):
        totp.regenerate_recovery_codes(customer.id)


def test_cancelled_setup_leaves_the_second_factor_off(db):
    customer = make_customer()
    totp.begin_setup(customer.id)
    totp.cancel_setup(customer.id)
    assert get_customer(customer.id).totp_secret is None
    with pytest.raises(InvalidInput) as refused:
        totp.enable(customer.id, "123456")
    assert refused.value.errors == {"totp_code": "error.totp_no_setup"}


def test_sessions_open_before_the_second_factor_was_turned_on_stay_open(db):
    customer = make_customer()
    token = open_session()
    enable(customer.id)
    assert sessions.resolve_session(token) is not None


def test_staff_acting_as_the_customer_is_not_asked_for_the_customers_code(db):
    customer = make_customer()
    staff = make_customer(email="staff@example.com")
    make_staff(staff.id)  # only an admin may act as a customer
    enable(customer.id)
    ticket = new_token()
    with transaction() as session:
        session.add(
            LoginTicket(
                customer_id=customer.id,
                ticket_hash=token_hash(ticket),
                created_at=clock.now(),
                expires_at=clock.now() + timedelta(seconds=60),
                impersonator_id=staff.id,
            )
        )
    new = auth.exchange_ticket(ticket)
    assert new.needs_second_factor is False
    assert sessions.resolve_session(new.token).impersonator_id == staff.id
