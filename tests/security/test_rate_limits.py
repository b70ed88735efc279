"""Log-in and lost-password requests are rate-limited per account and per client address."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from o2portal.accounts import attempts, auth, password_reset
from o2portal.accounts.models import LoginTicket, PasswordReset
from o2portal.accounts.password_reset import ResetRequestResult
from o2portal.core import clock
from o2portal.core.settings import get_settings
from tests.unit.helpers import EMAIL, PASSWORD, count, make_customer, outbox

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
WRONG = "Wrong-Horse-42"


def test_an_attacker_is_slowed_more_and_more_and_the_owner_still_gets_in(db):
    """Failures count per account AND client address: fifty wrong passwords from one
    address lock that address out of the account for longer and longer, never the
    owner signing in from another address."""
    settings = get_settings()
    assert settings.login_max_failures == 5
    assert settings.login_window_minutes == 15
    attacker, owner = "203.0.113.66", "192.0.2.7"
    now = T0
    with clock.frozen_at(now):
        make_customer()
        for i in range(settings.login_max_failures):
            assert auth.log_in(EMAIL, f"{WRONG}{i}", ip=attacker).error == "error.login_invalid"
        # Even the right password is turned away from that address now, before bcrypt.
        blocked = auth.log_in(EMAIL, PASSWORD, ip=attacker)
        assert blocked.error == "error.login_throttled" and blocked.ticket is None
        assert blocked.retry_minutes == 15
        assert count(LoginTicket) == 0
    # Fifty tries: each one as soon as the address may try again; the waits grow.
    waits, tried = [], settings.login_max_failures
    while tried < 50:
        result = None
        with clock.frozen_at(now):
            result = auth.log_in(EMAIL, f"{WRONG}{tried}", ip=attacker)
        if result.error == "error.login_throttled":
            waits.append(result.retry_minutes)
            now += timedelta(minutes=result.retry_minutes)
            continue
        assert result.error == "error.login_invalid"
        tried += 1
        # The owner, from home, is never stopped by any of it.
        with clock.frozen_at(now):
            ok = auth.log_in(EMAIL, PASSWORD, ip=owner)
            assert ok.ok is True, tried
    # The waits double every five failures (failures older than a day no longer count):
    # fifty guesses took the attacker days, where the old lock let 5 through every 15
    # minutes (fifty in under three hours).
    assert waits[:5] == [15] * 5 and max(waits) >= 8 * 15, waits
    assert now - T0 > timedelta(days=2)


def test_many_addresses_on_one_account_stop_only_addresses_it_never_used(db):
    """Guesses spread over many addresses (a botnet): past login_max_failures ×
    IP_FAILURE_FACTOR failures on the account in the window, an address that never
    signed in to it waits; one it signed in from before does not."""
    settings = get_settings()
    spread = settings.login_max_failures * attempts.IP_FAILURE_FACTOR
    with clock.frozen_at(T0):
        make_customer()
        assert auth.log_in(EMAIL, PASSWORD, ip="192.0.2.7").ok is True
    with clock.frozen_at(T0 + timedelta(days=3)):
        for i in range(spread):
            result = auth.log_in(EMAIL, WRONG, ip=f"198.51.{i // 250}.{i % 250 + 1}")
            assert result.error == "error.login_invalid", i
        stranger = auth.log_in(EMAIL, PASSWORD, ip="198.51.100.250")
        assert stranger.error == "error.login_throttled"
        assert auth.log_in(EMAIL, PASSWORD, ip="192.0.2.7").ok is True


def test_login_limit_holds_under_concurrent_attempts(db):
    """Guesses sent at the same moment from one address must not slip past its limit."""
    settings = get_settings()
    tries = 2 * settings.login_max_failures
    make_customer()
    start = threading.Barrier(tries)

    def guess(i: int) -> str | None:
        start.wait(timeout=30)
        return auth.log_in(EMAIL, f"{WRONG}-{i}", ip="198.51.100.1").error

    with ThreadPoolExecutor(max_workers=tries) as pool:
        errors = list(pool.map(guess, range(tries)))

    # At most login_max_failures passwords may be tried; the rest must be turned away.
    assert errors.count("error.login_invalid") <= settings.login_max_failures, errors
    assert errors.count("error.login_throttled") >= tries - settings.login_max_failures


def test_login_throttled_per_client_address_across_emails(db):
    settings = get_settings()
    ip_limit = settings.login_max_failures * attempts.IP_FAILURE_FACTOR
    assert ip_limit == 20
    attacker = "203.0.113.66"
    with clock.frozen_at(T0):
        make_customer()
        # Credential stuffing: one wrong try per address, never 5 on the same one.
        for i in range(ip_limit):
            result = auth.log_in(f"victim{i}@example.com", WRONG, ip=attacker)
            assert result.error == "error.login_invalid", i

        blocked = auth.log_in(EMAIL, PASSWORD, ip=attacker)
        assert blocked.ok is False
        assert blocked.error == "error.login_throttled"
        assert blocked.retry_minutes > 0

        # The account itself is not locked: its owner, elsewhere, still gets in.
        assert auth.log_in(EMAIL, PASSWORD, ip="192.0.2.7").ok is True


def test_reset_request_answers_the_same_for_existing_and_unknown_email(db):
    customer = make_customer()

    existing = password_reset.request_password_reset(EMAIL, ip="192.0.2.1")
    unknown = password_reset.request_password_reset("nobody@example.com", ip="192.0.2.2")

    assert existing == ResetRequestResult()
    assert unknown == ResetRequestResult()
    assert existing == unknown
    mails = outbox("password_reset")
    assert [(m.to_addr, m.customer_id) for m in mails] == [(EMAIL, customer.id)]
    assert mails[0].subject == "Réinitialisation de votre mot de passe"
    assert "/reset-password?token=" in mails[0].body_text
    assert count(PasswordReset) == 1


def test_reset_requests_limited_per_account(db):
    settings = get_settings()
    assert settings.reset_max_requests == 5
    with clock.frozen_at(T0):
        make_customer()
        for i in range(settings.reset_max_requests):
            assert password_reset.request_password_reset(EMAIL, ip=f"198.51.100.{i + 1}") == (
                ResetRequestResult()
            )
        assert len(outbox("password_reset")) == 5

        sixth = password_reset.request_password_reset(EMAIL, ip="198.51.100.77")
        assert sixth == ResetRequestResult()
        assert len(outbox("password_reset")) == 5
        assert count(PasswordReset) == 5

    # Once the window has passed, a request sends a link again.
    window = timedelta(minutes=settings.reset_window_minutes)
    with clock.frozen_at(T0 + window + timedelta(minutes=1)):
        assert (
            password_reset.request_password_reset(EMAIL, ip="198.51.100.77") == ResetRequestResult()
        )
    assert len(outbox("password_reset")) == 6


def test_reset_requests_limited_per_client_address(db):
    settings = get_settings()
    ip_limit = settings.reset_max_requests * attempts.IP_FAILURE_FACTOR
    assert ip_limit == 20
    asker = "203.0.113.66"
    with clock.frozen_at(T0):
        make_customer()
        for i in range(ip_limit):
            result = password_reset.request_password_reset(f"someone{i}@example.com", ip=asker)
            assert result == ResetRequestResult(), i

        throttled = password_reset.request_password_reset(EMAIL, ip=asker)
        assert throttled.throttled is True
        assert throttled.retry_minutes > 0
        assert outbox("password_reset") == []

        # Another address is not affected.
        assert password_reset.request_password_reset(EMAIL, ip="192.0.2.7") == ResetRequestResult()
        assert len(outbox("password_reset")) == 1
