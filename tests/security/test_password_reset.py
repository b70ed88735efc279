"""The lost-password link: sets a new password once, within an hour, and ends every session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from o2portal.accounts import auth, password_reset, sessions
from o2portal.accounts.models import PasswordReset, UserSession
from o2portal.core import clock
from o2portal.core.errors import InvalidInput
from o2portal.mail import outbox as mailer
from tests.smtp_server import SmtpSink
from tests.unit.helpers import (
    EMAIL,
    PASSWORD,
    get_customer,
    link_token,
    make_customer,
    open_session,
    outbox,
    rows,
)

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
NEW_PASSWORD = "Nouveau-Cheval-2026"
INVALID_LINK = {"token": "error.reset_link_invalid"}


def _reset_token_from_outbox(index: int = -1) -> str:
    return link_token(outbox("password_reset")[index].body_text, "/reset-password")


def test_reset_link_from_the_mail_sets_the_new_password_once(smtp_sink):
    customer = make_customer()
    assert (
        password_reset.request_password_reset(EMAIL, ip="192.0.2.1")
        == password_reset.ResetRequestResult()
    )

    # The link really goes out by SMTP, and is read from the delivered message.
    assert mailer.deliver_pending() == 2  # welcome + reset
    message = smtp_sink.wait_for(lambda m: m["Subject"] == "Réinitialisation de votre mot de passe")
    assert message["To"] == EMAIL
    token = link_token(SmtpSink.text_of(message), "/reset-password")
    assert password_reset.reset_link_is_valid(token) is True

    password_reset.reset_password(token, NEW_PASSWORD, NEW_PASSWORD, ip="192.0.2.1")

    assert auth.log_in(EMAIL, PASSWORD).error == "error.login_invalid"
    assert auth.log_in(EMAIL, NEW_PASSWORD).ok is True
    # Following the link proves the mailbox.
    assert get_customer(customer.id).email_verified_at is not None

    # Single use: the second try is refused under "token" and changes nothing.
    hash_after_reset = get_customer(customer.id).password_hash
    assert password_reset.reset_link_is_valid(token) is False
    with pytest.raises(InvalidInput) as exc:
        password_reset.reset_password(token, "Autre-Cheval-2027", "Autre-Cheval-2027")
    assert "token" in exc.value.errors
    assert exc.value.errors == INVALID_LINK
    assert get_customer(customer.id).password_hash == hash_after_reset

    # The owner is told, by mail, without the password.
    (changed,) = outbox("password_changed")
    assert changed.to_addr == EMAIL
    assert changed.customer_id == customer.id
    assert changed.subject == "Votre mot de passe a été modifié"
    assert NEW_PASSWORD not in changed.body_text
    assert mailer.deliver_pending() == 1
    told = smtp_sink.wait_for(lambda m: m["Subject"] == "Votre mot de passe a été modifié")
    assert told["To"] == EMAIL
    assert NEW_PASSWORD not in SmtpSink.text_of(told)


def test_reset_link_expires_after_60_minutes(db):
    with clock.frozen_at(T0):
        customer = make_customer()
        password_reset.request_password_reset(EMAIL, ip="192.0.2.1")
    token = _reset_token_from_outbox()
    original_hash = get_customer(customer.id).password_hash

    with clock.frozen_at(T0 + timedelta(minutes=61)):
        assert password_reset.reset_link_is_valid(token) is False
        with pytest.raises(InvalidInput) as exc:
            password_reset.reset_password(token, NEW_PASSWORD, NEW_PASSWORD)
        assert exc.value.errors == INVALID_LINK
    assert get_customer(customer.id).password_hash == original_hash
    assert outbox("password_changed") == []

    # Unused, the same link worked at 59 minutes: the refusal above was its age.
    with clock.frozen_at(T0 + timedelta(minutes=59)):
        assert password_reset.reset_link_is_valid(token) is True
        password_reset.reset_password(token, NEW_PASSWORD, NEW_PASSWORD)
    assert get_customer(customer.id).password_hash != original_hash


def test_bad_new_password_does_not_burn_the_link(db):
    make_customer()
    password_reset.request_password_reset(EMAIL, ip="192.0.2.1")
    token = _reset_token_from_outbox()

    with pytest.raises(InvalidInput) as exc:
        password_reset.reset_password(token, NEW_PASSWORD, NEW_PASSWORD + "x")
    assert exc.value.errors == {"password_confirm": "error.password_mismatch"}
    with pytest.raises(InvalidInput) as exc:
        password_reset.reset_password(token, "court", "court")
    assert exc.value.errors == {"password": "error.password_short"}
    assert password_reset.reset_link_is_valid(token) is True


def test_reset_ends_every_session_and_every_other_link(db):
    customer = make_customer()
    session_token = open_session()
    assert sessions.resolve_session(session_token).customer.id == customer.id

    password_reset.request_password_reset(EMAIL, ip="192.0.2.1")
    password_reset.request_password_reset(EMAIL, ip="192.0.2.2")
    first_link = _reset_token_from_outbox(0)
    second_link = _reset_token_from_outbox(1)
    assert first_link != second_link

    password_reset.reset_password(second_link, NEW_PASSWORD, NEW_PASSWORD)

    assert sessions.resolve_session(session_token) is None
    assert all(row.revoked_at is not None for row in rows(UserSession))
    assert all(row.used_at is not None for row in rows(PasswordReset))
    assert password_reset.reset_link_is_valid(first_link) is False
    with pytest.raises(InvalidInput) as exc:
        password_reset.reset_password(first_link, "Autre-Cheval-2027", "Autre-Cheval-2027")
    assert exc.value.errors == INVALID_LINK
    assert [m.kind for m in outbox("password_changed")] == ["password_changed"]
