"""The password changed from Ma fiche, and the current password asked before any
sensitive change (counted and limited like sign-ins)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select, update

from o2portal.accounts.models import AuthAttempt
from o2portal.accounts.password_reset import retire_password_links
from o2portal.accounts.passwords import check_password, hash_password
from o2portal.accounts.sessions import live_customer, revoke_sessions
from o2portal.core import audit, clock
from o2portal.core.db import serialize_on, transaction
from o2portal.core.errors import InvalidInput
from o2portal.core.settings import get_settings
from o2portal.core.validation import MAX_PASSWORD_BYTES, clean_new_password, gathered
from o2portal.mail import outbox as mailer

REAUTH_KIND = "reauth"


def _reauth_throttled(session: Session, customer_id: int) -> bool:
    settings = get_settings()
    since = clock.now() - timedelta(minutes=settings.login_window_minutes)
    last_success = session.exec(
        select(func.max(AuthAttempt.created_at)).where(
            AuthAttempt.kind == REAUTH_KIND,
            AuthAttempt.customer_id == customer_id,
            col(AuthAttempt.success).is_(True),
        )
    ).one()
    if last_success is not None:
        since = max(since, last_success)
    failures = session.exec(
        select(func.count())
        .select_from(AuthAttempt)
        .where(
            AuthAttempt.kind == REAUTH_KIND,
            AuthAttempt.customer_id == customer_id,
            col(AuthAttempt.success).is_(False),
            col(AuthAttempt.created_at) > since,
        )
    ).one()
    return failures >= settings.login_max_failures


def check_current_password(
    customer_id: int, password: str | None, *, ip: str = "", field: str = "current_password"
) -> None:
    """The password the customer typed to confirm a sensitive change. Wrong answers are
    counted and limited like sign-ins, so a stolen session cannot guess it.

    Slow (bcrypt): call it off the event loop. Raises InvalidInput keyed by `field`."""
    password = password or ""
    if not password:
        raise InvalidInput({field: "error.required"})
    with transaction() as session:
        serialize_on(session, f"reauth:{customer_id}")
        customer = live_customer(session, customer_id)
        if _reauth_throttled(session, customer_id):
            raise InvalidInput({field: "error.reauth_throttled"})
        attempt = AuthAttempt(
            kind=REAUTH_KIND,
            email=customer.email,
            customer_id=customer.id,
            ip=ip or "",
            success=False,
            created_at=clock.now(),
        )
        session.add(attempt)
        session.flush()
        attempt_id, password_hash = attempt.id, customer.password_hash
    good = len(password.encode("utf-8")) <= MAX_PASSWORD_BYTES and check_password(
        password, password_hash
    )
    if not good:
        raise InvalidInput({field: "error.current_password_wrong"})
    with transaction() as session:
        session.exec(update(AuthAttempt).where(AuthAttempt.id == attempt_id).values(success=True))


def change_password(
    customer_id: int,
    current_session_id: int,
    current: str | None,
    password: str | None,
    confirm: str | None,
    *,
    ip: str | None = None,
) -> None:
    """A new password, given the current one; every other session of the account ends.

    Slow (bcrypt): call it off the event loop. Raises InvalidInput."""
    errors: dict[str, str] = {}
    password = gathered(errors, lambda: clean_new_password(password, confirm))
    if not current:
        errors["current_password"] = "error.required"
    if errors:
        raise InvalidInput(errors)
    if password == current:
        raise InvalidInput({"password": "error.password_same"})
    check_current_password(customer_id, current, ip=ip or "")
    new_hash = hash_password(password)
    with transaction() as session:
        customer = live_customer(session, customer_id)
        customer.password_hash = new_hash
        session.add(customer)
        retire_password_links(session, customer.id)
        ended = revoke_sessions(session, customer.id, keep_session_id=current_session_id)
        mailer.queue_for_customer(
            session, customer, "password_changed", template="password_changed_profile"
        )
        audit.record(
            session, "profile.password_changed", actor=customer, ip=ip, sessions_ended=ended
        )
