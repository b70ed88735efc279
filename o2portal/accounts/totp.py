"""The second factor: TOTP set-up (pyotp), recovery codes, and the code asked at sign-in.

A password alone opens a session that is good for nothing but this step
(UserSession.second_factor_ok is False and auth.resolve_session refuses it); the right
code turns it into a full session. Recovery codes are random, shown once, stored as a
keyed hash and each usable once. Wrong codes are counted and limited per account and
per client address, like passwords.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

import pyotp
import segno
from sqlalchemy import delete, func
from sqlmodel import Session, col, select, update

from o2portal.accounts.attempts import IP_FAILURE_FACTOR, count_attempts, use_once
from o2portal.accounts.models import AuthAttempt, Customer, RecoveryCode, UserSession
from o2portal.accounts.passwords import token_hash
from o2portal.core import audit, clock
from o2portal.core.db import read_session, serialize_on, transaction
from o2portal.core.errors import InvalidInput
from o2portal.core.settings import get_settings
from o2portal.mail import outbox as mailer

ISSUER = "o2portal"
STEP_SECONDS = 30
# Accept the code of the previous and the next 30-second step (phone clocks drift).
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: read from paper without doubt. 10 characters: about 49 bits each.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 10
_SIX_DIGITS = re.compile(r"\d{6}")


# ---------------------------------------------------------------- codes


def _step_now() -> int:
    return int(clock.now().timestamp()) // STEP_SECONDS


def matching_step(secret: str, code: str) -> int | None:
    """The time step whose code this is (within the allowed drift), or None."""
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    now = _step_now()
    found = None
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        # Compare every candidate, so that the time taken says nothing about which matched.
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def clean_totp_code(value: str | None, field: str = "totp_code") -> str:
    code = re.sub(r"\s", "", value or "")
    if not code:
        raise InvalidInput({field: "error.required"})
    if not _SIX_DIGITS.fullmatch(code):
        raise InvalidInput({field: "error.totp_code_format"})
    return code


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalize_recovery_code(value: str | None) -> str:
    return re.sub(r"[\s\-]", "", (value or "").lower())[:40]


def _recovery_hash(code: str) -> str:
    return token_hash("recovery:" + normalize_recovery_code(code))


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(
        name=email, issuer_name=ISSUER
    )


def qr_data_uri(uri: str) -> str:
    """The otpauth:// link as a QR code to scan, an SVG in a data: URI."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# ---------------------------------------------------------------- set-up


@dataclass
class TotpSetup:
    secret: str
    uri: str


def _still_without_totp(session: Session, customer_id: int) -> Customer:
    """The account, while its second factor is not on yet (setting it up, confirming it)."""
    customer = session.get(Customer, customer_id)
    if customer is None or customer.deleted_at is not None:
        raise InvalidInput({"totp_code": "error.unexpected"})
    if customer.totp_enabled_at is not None:
        raise InvalidInput({"totp_code": "error.totp_already_on"})
    return customer


def begin_setup(customer_id: int) -> TotpSetup:
    """A new secret to scan. It waits on the account, unused, until a code confirms it."""
    with transaction() as session:
        customer = _still_without_totp(session, customer_id)
        customer.totp_secret = pyotp.random_base32()
        session.add(customer)
        return TotpSetup(
            secret=customer.totp_secret, uri=provisioning_uri(customer.totp_secret, customer.email)
        )


def cancel_setup(customer_id: int) -> None:
    with transaction() as session:
        customer = session.get(Customer, customer_id)
        if customer is not None and customer.totp_enabled_at is None:
            customer.totp_secret = None
            session.add(customer)


def _replace_recovery_codes(session: Session, customer_id: int) -> list[str]:
    session.exec(delete(RecoveryCode).where(RecoveryCode.customer_id == customer_id))
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    for code in codes:
        session.add(
            RecoveryCode(
                customer_id=customer_id, code_hash=_recovery_hash(code), created_at=clock.now()
            )
        )
    return codes


def enable(customer_id: int, code: str, *, ip: str | None = None) -> list[str]:
    """Turn the second factor on once a code from the app proves the secret was scanned.

    Returns the recovery codes, in clear for the only time. Raises InvalidInput."""
    code = clean_totp_code(code)
    with transaction() as session:
        customer = _still_without_totp(session, customer_id)
        if not customer.totp_secret:
            raise InvalidInput({"totp_code": "error.totp_no_setup"})
        if matching_step(customer.totp_secret, code) is None:
            raise InvalidInput({"totp_code": "error.totp_code_wrong"})
        customer.totp_enabled_at = clock.now()
        session.add(customer)
        codes = _replace_recovery_codes(session, customer.id)
        mailer.queue_for_customer(session, customer, "totp_enabled")
        audit.record(session, "profile.totp_enabled", actor=customer, ip=ip)
    return codes


def disable(customer_id: int, *, ip: str | None = None) -> None:
    """Turn the second factor off (the caller has checked the current password)."""
    with transaction() as session:
        customer = session.get(Customer, customer_id)
        if customer is None or customer.totp_enabled_at is None:
            return
        if customer.is_staff:
            # The staff area needs it (web/guards.require_staff): an admin resets it for a
            # staff member who lost it (accounts/staff_accounts.reset_second_factor).
            raise InvalidInput({"disable_password": "error.totp_staff_keeps"})
        customer.totp_secret = None
        customer.totp_enabled_at = None
        session.add(customer)
        session.exec(delete(RecoveryCode).where(RecoveryCode.customer_id == customer.id))
        mailer.queue_for_customer(session, customer, "totp_disabled")
        audit.record(session, "profile.totp_disabled", actor=customer, ip=ip)


def regenerate_recovery_codes(customer_id: int, *, ip: str | None = None) -> list[str]:
    """A new set of recovery codes; the old ones stop working."""
    with transaction() as session:
        customer = session.get(Customer, customer_id)
        if customer is None or customer.totp_enabled_at is None:
            raise InvalidInput({"totp_code": "error.totp_not_on"})
        codes = _replace_recovery_codes(session, customer.id)
        audit.record(session, "profile.recovery_codes_renewed", actor=customer, ip=ip)
    return codes


def recovery_codes_left(customer_id: int) -> int:
    with read_session() as session:
        return session.exec(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.customer_id == customer_id, col(RecoveryCode.used_at).is_(None))
        ).one()


# ---------------------------------------------------------------- sign-in


@dataclass
class PendingSignIn:
    customer_id: int
    session_id: int


def _pending_row(session: Session, token: str | None) -> UserSession | None:
    if not token or len(token) > 200:
        return None
    row = session.exec(
        select(UserSession).where(UserSession.token_hash == token_hash(token))
    ).first()
    if (
        row is None
        or row.second_factor_ok
        or row.revoked_at is not None
        or row.expires_at <= clock.now()
    ):
        return None
    return row


def pending_sign_in(token: str | None) -> PendingSignIn | None:
    """The sign-in this cookie holds that still waits for its code, if any."""
    with read_session() as session:
        row = _pending_row(session, token)
        if row is None:
            return None
        customer = session.get(Customer, row.customer_id)
        if customer is None or customer.disabled_at is not None or customer.deleted_at is not None:
            return None
        return PendingSignIn(customer_id=row.customer_id, session_id=row.id)


@dataclass
class SecondFactorResult:
    ok: bool
    error: str | None = None  # i18n key
    retry_minutes: int = 0
    used_recovery_code: bool = False
    expired: bool = False


def _throttled(session: Session, customer: Customer, ip: str) -> bool:
    settings = get_settings()
    since = clock.now() - timedelta(minutes=settings.login_window_minutes)
    limit = settings.login_max_failures
    last_success = _last_success(session, customer.id)
    account_since = max(since, last_success) if last_success is not None else since
    failures = session.exec(
        select(func.count())
        .select_from(AuthAttempt)
        .where(
            AuthAttempt.kind == "totp",
            AuthAttempt.customer_id == customer.id,
            col(AuthAttempt.success).is_(False),
            col(AuthAttempt.created_at) > account_since,
        )
    ).one()
    if failures >= limit:
        return True
    if not ip:
        return False
    failures = count_attempts(session, "totp", since, ip=ip, failures_only=True)
    return failures >= limit * IP_FAILURE_FACTOR


def _last_success(session: Session, customer_id: int):
    return session.exec(
        select(func.max(AuthAttempt.created_at)).where(
            AuthAttempt.kind == "totp",
            AuthAttempt.customer_id == customer_id,
            col(AuthAttempt.success).is_(True),
        )
    ).one()


def _totp_accepted(session: Session, customer: Customer, code: str) -> bool:
    step = matching_step(customer.totp_secret or "", code) if customer.totp_secret else None
    if step is None:
        return False
    # A code is good once: not again in the step of the last accepted sign-in (replay).
    last = _last_success(session, customer.id)
    return last is None or step > int(last.timestamp()) // STEP_SECONDS


def _recovery_accepted(session: Session, customer: Customer, code: str) -> bool:
    normalized = normalize_recovery_code(code)
    if len(normalized) != _RECOVERY_LENGTH:
        return False
    row = session.exec(
        select(RecoveryCode).where(
            RecoveryCode.customer_id == customer.id,
            RecoveryCode.code_hash == _recovery_hash(normalized),
            col(RecoveryCode.used_at).is_(None),
        )
    ).first()
    return row is not None and use_once(session, RecoveryCode, row.id)


def complete_sign_in(
    token: str | None, code: str | None, *, ip: str = "", user_agent: str = ""
) -> SecondFactorResult:
    """Check the code (from the app, or a recovery code) for the sign-in waiting on this
    cookie; when right, the session becomes a full one."""
    code = (code or "").strip()[:64]
    settings = get_settings()
    with transaction() as session:
        row = _pending_row(session, token)
        if row is None:
            return SecondFactorResult(ok=False, error="error.second_factor_expired", expired=True)
        serialize_on(session, f"totp:{row.customer_id}")
        customer = session.get(Customer, row.customer_id)
        if customer is None or customer.totp_enabled_at is None:
            return SecondFactorResult(ok=False, error="error.second_factor_expired", expired=True)
        if _throttled(session, customer, ip):
            return SecondFactorResult(
                ok=False,
                error="error.second_factor_throttled",
                retry_minutes=settings.login_window_minutes,
            )
        compact = re.sub(r"\s", "", code)
        used_recovery = False
        if _SIX_DIGITS.fullmatch(compact):
            good = _totp_accepted(session, customer, compact)
        else:
            good = used_recovery = _recovery_accepted(session, customer, code)
        session.add(
            AuthAttempt(
                kind="totp",
                email=customer.email,
                customer_id=customer.id,
                ip=ip or "",
                user_agent=(user_agent or "")[:300],
                success=good,
                created_at=clock.now(),
            )
        )
        if not good:
            audit.record(session, "auth.second_factor_failed", actor=customer, ip=ip)
            return SecondFactorResult(ok=False, error="error.second_factor_wrong")
        upgraded = session.exec(
            update(UserSession)
            .where(
                UserSession.id == row.id,
                col(UserSession.second_factor_ok).is_(False),
                col(UserSession.revoked_at).is_(None),
            )
            .values(
                second_factor_ok=True,
                last_seen_at=clock.now(),
                expires_at=clock.now() + timedelta(days=settings.session_days),
            )
        )
        if upgraded.rowcount != 1:
            return SecondFactorResult(ok=False, error="error.second_factor_expired", expired=True)
        if used_recovery:
            left = session.exec(
                select(func.count())
                .select_from(RecoveryCode)
                .where(RecoveryCode.customer_id == customer.id, col(RecoveryCode.used_at).is_(None))
            ).one()
            mailer.queue_for_customer(session, customer, "recovery_code_used", left=left)
        audit.record(
            session,
            "auth.second_factor_ok",
            actor=customer,
            ip=ip,
            method="recovery_code" if used_recovery else "totp",
        )
    return SecondFactorResult(ok=True, used_recovery_code=used_recovery)
