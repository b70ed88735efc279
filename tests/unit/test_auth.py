"""Sign-up, email verification, log-in tickets and sessions, on the real database."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlmodel import update

from o2portal.accounts import auth, sessions, signup
from o2portal.accounts.models import (
    AuthAttempt,
    Customer,
    EmailVerification,
    LoginTicket,
    UserSession,
)
from o2portal.accounts.passwords import check_password, token_hash
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput
from o2portal.core.settings import get_settings
from o2portal.mail.models import OutboxEmail
from tests.unit.helpers import (
    EMAIL,
    PASSWORD,
    count,
    get_customer,
    link_token,
    make_customer,
    open_session,
    outbox,
    rows,
    signup_form,
    update_customer,
)

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


# ---------------------------------------------------------------- sign-up


def test_production_hashes_with_bcrypt_at_cost_12_or_more(tmp_path):
    """The suite hashes at a cheap cost in its own process only: a fresh process, as the
    app and the command line run, hashes at 12, and settings refuse less."""
    import subprocess
    import sys

    code = (
        "from o2portal.accounts.passwords import hash_password, check_password\n"
        "h = hash_password('Correct-Horse-42')\n"
        "assert check_password('Correct-Horse-42', h)\n"
        "print(h)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("O2PORTAL_BCRYPT")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout.strip()
    assert re.fullmatch(r"\$2b\$12\$[./A-Za-z0-9]{53}", out), out
    env["O2PORTAL_BCRYPT_ROUNDS"] = "11"
    refused = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env)
    assert refused.returncode != 0


def test_sign_up_saves_customer_with_e164_phone_and_bcrypt_hash(db):
    customer = make_customer(email="Jean.Dupont@Example.COM")

    saved = get_customer(customer.id)
    assert saved.email == "jean.dupont@example.com"
    assert saved.phone == "+33612345678"
    assert saved.postal_code == "75011"
    assert saved.country == "FR"
    assert saved.role == "customer"
    assert saved.account_type == "particulier"
    assert saved.company_name is None and saved.siret is None
    assert saved.email_verified_at is None
    assert saved.terms_accepted_at is not None
    match = re.fullmatch(r"\$2b\$(\d\d)\$[./A-Za-z0-9]{53}", saved.password_hash)
    assert match, saved.password_hash
    assert PASSWORD not in saved.password_hash
    assert check_password(PASSWORD, saved.password_hash)


def test_sign_up_queues_one_welcome_email_without_the_password(db):
    customer = make_customer()

    mails = outbox()
    assert len(mails) == 1
    mail = mails[0]
    assert mail.kind == "welcome"
    assert mail.status == "pending"
    assert mail.customer_id == customer.id
    assert mail.to_addr == EMAIL
    assert mail.subject == "Votre compte client o2portal"
    assert EMAIL in mail.body_text
    assert "/verify-email?token=" in mail.body_text
    assert PASSWORD not in mail.body_text
    # The link carries a token whose keyed hash, not the token, is stored.
    token = link_token(mail.body_text, "/verify-email")
    (verification,) = rows(EmailVerification)
    assert verification.customer_id == customer.id
    assert verification.email == EMAIL
    assert verification.token_hash == token_hash(token)
    assert verification.token_hash != token


def test_sign_up_company_keeps_siret_and_vat(db):
    customer = make_customer(
        account_type="entreprise",
        company_name="Dupont SARL",
        siret="732 829 320 00074",
        vat_number="FR 44 732829320",
    )
    saved = get_customer(customer.id)
    assert saved.company_name == "Dupont SARL"
    assert saved.siret == "73282932000074"
    assert saved.vat_number == "FR44732829320"


def test_a_taken_address_gets_the_same_answer_and_its_owner_is_told(db):
    """Sign-up does not say whether an address has an account (the lost-password form
    does not either): it answers as for a new one, creates nothing, and mails the
    owner that someone tried, with the way to a new password."""
    first = make_customer()
    outcome = signup.sign_up(signup_form(email="  JEAN.Dupont@example.com", first_name="Autre"))
    assert outcome is None
    assert count(Customer) == 1
    assert count(EmailVerification) == 1
    assert get_customer(first.id).first_name == "Jean"
    mails = rows(OutboxEmail)
    assert [m.kind for m in mails] == ["welcome", "signup_existing"]
    assert mails[1].to_addr == first.email and mails[1].customer_id == first.id
    assert "/forgot-password" in mails[1].body_text
    assert "Autre" not in mails[1].body_text  # nothing the stranger typed reaches the owner


@pytest.mark.parametrize(
    ("form", "errors"),
    [
        pytest.param(
            signup.SignupForm(),
            {
                "first_name": "error.required",
                "last_name": "error.required",
                "email": "error.required",
                "phone": "error.required",
                "address_line1": "error.required",
                "postal_code": "error.required",
                "city": "error.required",
                "password": "error.required",
                "accept_terms": "error.terms_required",
            },
            id="empty",
        ),
        pytest.param(signup_form(phone="123"), {"phone": "error.phone_invalid"}, id="bad-phone"),
        pytest.param(
            signup_form(
                account_type="entreprise", company_name="Dupont SARL", siret="73282932000075"
            ),
            {"siret": "error.siret_invalid"},
            id="bad-siret",
        ),
        pytest.param(
            signup_form(account_type="entreprise", company_name="Dupont SARL"),
            {"siret": "error.required"},
            id="missing-siret",
        ),
        pytest.param(
            signup_form(password_confirm="Correct-Horse-43"),
            {"password_confirm": "error.password_mismatch"},
            id="password-mismatch",
        ),
        pytest.param(
            signup_form(accept_terms=False),
            {"accept_terms": "error.terms_required"},
            id="terms-not-accepted",
        ),
        pytest.param(
            signup_form(email="bad@", postal_code="7501", accept_terms=False),
            {
                "email": "error.email_invalid",
                "postal_code": "error.postal_code_fr",
                "accept_terms": "error.terms_required",
            },
            id="several-at-once",
        ),
        pytest.param(
            signup_form(account_type="admin"),
            {"account_type": "error.choice_invalid"},
            id="bad-account-type",
        ),
        pytest.param(
            signup_form(country="XX"), {"country": "error.country_invalid"}, id="bad-country"
        ),
        # What a browser's maxlength would stop, sent straight to the server.
        pytest.param(
            signup_form(
                first_name="J" * 101,
                address_line1="r" * 201,
                city="P" * 101,
                email="a" * 250 + "@example.com",
                phone="0" * 31,
            ),
            {
                "first_name": "error.too_long",
                "address_line1": "error.too_long",
                "city": "error.too_long",
                "email": "error.too_long",
                "phone": "error.too_long",
            },
            id="too-long",
        ),
        pytest.param(
            signup_form(last_name="Du\u202epont", city="Pa\x00ris"),
            {"last_name": "error.bad_characters", "city": "error.bad_characters"},
            id="hidden-characters",
        ),
    ],
)
def test_sign_up_bad_input_gives_field_errors_and_saves_nothing(db, form, errors):
    with pytest.raises(InvalidInput) as exc:
        signup.sign_up(form)
    assert exc.value.errors == errors
    assert count(Customer) == 0
    assert count(OutboxEmail) == 0
    assert count(EmailVerification) == 0


# ---------------------------------------------------------------- email verification


def _verify_token() -> str:
    (mail,) = outbox("welcome")
    return link_token(mail.body_text, "/verify-email")


def test_verify_email_consumes_the_token_once(db):
    customer = make_customer()
    token = _verify_token()

    assert signup.verify_email("not-the-token") is False
    assert get_customer(customer.id).email_verified_at is None

    assert signup.verify_email(token) is True
    assert get_customer(customer.id).email_verified_at is not None
    assert signup.verify_email(token) is False


def test_the_verification_link_signs_a_visitor_in_once(db):
    customer = make_customer()
    token = _verify_token()
    verified, ticket = auth.verify_and_sign_in(token, signed_in=False, ip="192.0.2.7")
    assert verified and ticket
    assert get_customer(customer.id).email_verified_at is not None
    new = auth.exchange_ticket(ticket, ip="192.0.2.7")
    assert new is not None and new.next_path == "/" and not new.needs_second_factor
    assert sessions.resolve_session(new.token).customer.id == customer.id
    # Used: neither the link nor its ticket signs anyone in again.
    assert auth.verify_and_sign_in(token, signed_in=False) == (False, None)
    assert auth.exchange_ticket(ticket) is None


def test_the_verification_link_signs_no_one_in_when_it_should_not(db):
    signed_in = make_customer(email="deja.connecte@example.fr")
    token = _verify_token()
    assert auth.verify_and_sign_in(token, signed_in=True) == (True, None)
    assert get_customer(signed_in.id).email_verified_at is not None

    for change in ({"totp_enabled_at": clock.now()}, {"disabled_at": clock.now()}):
        outbox_before = {m.id for m in outbox("welcome")}
        other = make_customer(email=f"autre.{len(outbox_before)}@example.fr")
        (mail,) = [m for m in outbox("welcome") if m.id not in outbox_before]
        update_customer(other.id, **change)
        token = link_token(mail.body_text, "/verify-email")
        # The address is verified, but a second factor or a disabled account means no
        # sign-in by link.
        assert auth.verify_and_sign_in(token, signed_in=False) == (True, None)


def test_verify_email_link_expires_after_48_hours(db):
    with clock.frozen_at(T0):
        customer = make_customer()
    token = _verify_token()

    with clock.frozen_at(T0 + timedelta(hours=49)):
        assert signup.verify_email(token) is False
    assert get_customer(customer.id).email_verified_at is None

    # The same, unused token still works inside its 48 hours: the refusal was the age.
    with clock.frozen_at(T0 + timedelta(hours=47)):
        assert signup.verify_email(token) is True
    assert get_customer(customer.id).email_verified_at == T0 + timedelta(hours=47)


# ---------------------------------------------------------------- log-in


def test_log_in_right_and_wrong_password(db):
    make_customer()

    good = auth.log_in("  Jean.Dupont@Example.com ", PASSWORD, ip="192.0.2.1")
    assert good.ok is True
    assert good.error is None
    assert isinstance(good.ticket, str) and len(good.ticket) >= 40

    bad = auth.log_in(EMAIL, "Wrong-Horse-42", ip="192.0.2.1")
    assert bad.ok is False
    assert bad.ticket is None
    assert bad.error == "error.login_invalid"

    # An unknown address gets the very same answer (no account enumeration).
    unknown = auth.log_in("nobody@example.com", PASSWORD, ip="192.0.2.1")
    assert unknown == bad

    attempts = [a for a in rows(AuthAttempt) if a.kind == "login"]
    assert [(a.email, a.success) for a in attempts] == [
        (EMAIL, True),
        (EMAIL, False),
        ("nobody@example.com", False),
    ]
    assert count(LoginTicket) == 1


def test_exchange_ticket_works_once(db):
    make_customer()
    result = auth.log_in(EMAIL, PASSWORD, ip="192.0.2.1", next_path="/invoices")
    assert result.ok

    new = auth.exchange_ticket(result.ticket)
    assert new is not None
    assert new.next_path == "/invoices"
    assert new.max_age_seconds == get_settings().session_days * 86400
    assert new.token != result.ticket
    assert auth.exchange_ticket(result.ticket) is None
    assert count(UserSession) == 1


def test_exchange_ticket_refused_after_61_seconds(db):
    make_customer()
    with clock.frozen_at(T0):
        result = auth.log_in(EMAIL, PASSWORD, ip="192.0.2.1")
    assert result.ok

    with clock.frozen_at(T0 + timedelta(seconds=61)):
        assert auth.exchange_ticket(result.ticket) is None
    assert count(UserSession) == 0

    # Unused, it was still good at 59 s: the refusal above was the ticket's age.
    with clock.frozen_at(T0 + timedelta(seconds=59)):
        assert auth.exchange_ticket(result.ticket) is not None


def test_login_ticket_only_redirects_inside_the_site(db):
    make_customer()
    result = auth.log_in(EMAIL, PASSWORD, next_path="//evil.example/steal")
    assert auth.exchange_ticket(result.ticket).next_path == "/"


@pytest.mark.parametrize(
    ("path", "safe"),
    [
        ("/services/3", "/services/3"),
        ("/invoices?page=2", "/invoices?page=2"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_safe_next_path(path, safe):
    assert auth.safe_next_path(path) == safe


# ---------------------------------------------------------------- sessions


def test_resolve_session_then_log_out(db):
    customer = make_customer()
    token = open_session()

    current = sessions.resolve_session(token)
    assert current is not None
    assert current.customer.id == customer.id
    assert current.customer.email == EMAIL
    assert current.impersonator_id is None
    assert sessions.resolve_session("forged-" + token) is None

    sessions.log_out(token)
    assert sessions.resolve_session(token) is None
    (row,) = rows(UserSession)
    assert row.revoked_at is not None


def test_session_expires_after_session_days(db):
    make_customer()
    with clock.frozen_at(T0):
        token = open_session()
    days = get_settings().session_days
    assert days == 14

    with clock.frozen_at(T0 + timedelta(days=days) - timedelta(minutes=1)):
        assert sessions.resolve_session(token) is not None
    with clock.frozen_at(T0 + timedelta(days=days)):
        assert sessions.resolve_session(token) is None
    with clock.frozen_at(T0 + timedelta(days=days + 1)):
        assert sessions.resolve_session(token) is None


def test_the_resolved_person_is_the_accounts_row_and_every_refusal_holds(db):
    """resolve_session reads the session and its person on a plain connection: the
    person it gives is the account's row as stored, and each reason to refuse a session
    (revoked, expired, second factor awaited, person disabled or deleted) refuses it."""
    customer = make_customer()
    update_customer(customer.id, account_type="entreprise", company_name="Durand SARL")
    token = open_session()
    current = sessions.resolve_session(token)
    stored = get_customer(customer.id)
    assert current.customer.model_dump() == stored.model_dump()
    assert current.customer.display_name == "Durand SARL"
    assert current.customer.acts_as_staff is False
    # Built without the model's constructor (core/db.model_from_row): every field of the
    # model is a column of its row, and the copy is an ORM instance as a detached row is,
    # which a session takes back as the row it is.
    assert set(Customer.model_fields) == {c.key for c in Customer.__table__.columns}
    assert sa_inspect(current.customer).transient
    with read_session() as session:
        merged = session.merge(current.customer)
        assert merged.id == customer.id
        assert merged in session and not session.is_modified(merged)

    def with_session(**values):
        with transaction() as session:
            session.exec(update(UserSession).values(**values))

    for refused, restored in (
        ({"revoked_at": clock.now()}, {"revoked_at": None}),
        ({"expires_at": clock.now()}, {"expires_at": clock.now() + timedelta(days=1)}),
        ({"second_factor_ok": False}, {"second_factor_ok": True}),
    ):
        with_session(**refused)
        assert sessions.resolve_session(token) is None, refused
        with_session(**restored)
        assert sessions.resolve_session(token) is not None, restored
    for refused in ({"disabled_at": clock.now()}, {"disabled_at": None, "deleted_at": clock.now()}):
        update_customer(customer.id, **refused)
        assert sessions.resolve_session(token) is None, refused


def test_a_session_is_touched_once_a_minute_at_most(db):
    make_customer()
    with clock.frozen_at(T0):
        token = open_session()
        sessions.resolve_session(token)
    (row,) = rows(UserSession)
    assert row.last_seen_at == T0
    with clock.frozen_at(T0 + timedelta(seconds=sessions.SESSION_TOUCH_SECONDS - 1)):
        sessions.resolve_session(token)
    assert rows(UserSession)[0].last_seen_at == T0
    later = T0 + timedelta(seconds=sessions.SESSION_TOUCH_SECONDS + 1)
    with clock.frozen_at(later):
        sessions.resolve_session(token)
    assert rows(UserSession)[0].last_seen_at == later


def test_disabled_customer_cannot_log_in_and_loses_sessions(db):
    customer = make_customer()
    token = open_session()
    update_customer(customer.id, disabled_at=clock.now())

    result = auth.log_in(EMAIL, PASSWORD, ip="192.0.2.1")
    assert result.ok is False
    assert result.ticket is None
    assert result.error == "error.account_disabled"
    assert count(LoginTicket) == 1  # only the one from before
    assert sessions.resolve_session(token) is None


def test_session_token_is_stored_hashed(db):
    make_customer()
    result = auth.log_in(EMAIL, PASSWORD, ip="192.0.2.1")
    new = auth.exchange_ticket(result.ticket)

    (session_row,) = rows(UserSession)
    assert session_row.token_hash != new.token
    assert new.token not in session_row.token_hash
    assert re.fullmatch(r"[0-9a-f]{64}", session_row.token_hash)
    assert session_row.token_hash == token_hash(new.token)

    (ticket_row,) = rows(LoginTicket)
    assert ticket_row.ticket_hash != result.ticket
    assert ticket_row.ticket_hash == token_hash(result.ticket)


def test_each_log_in_gives_a_new_session_token(db):
    make_customer()
    first = open_session()
    second = open_session()
    assert first != second
    assert sessions.resolve_session(first).session_id != sessions.resolve_session(second).session_id
