"""The lost password: a reset link sent on request (throttled per account and per
client address), and a new password set from it, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, select, update

from o2portal.accounts.attempts import IP_FAILURE_FACTOR, count_attempts, unused_link, use_once
from o2portal.accounts.models import AuthAttempt, Customer, LoginTicket, PasswordReset
from o2portal.accounts.passwords import hash_password, new_token, token_hash
from o2portal.accounts.sessions import revoke_sessions
from o2portal.core import audit, clock
from o2portal.core.db import read_session, serialize_on, transaction
from o2portal.core.errors import InvalidInput
from o2portal.core.settings import get_settings
from o2portal.core.validation import clean_email, clean_new_password
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import link


@dataclass
class ResetRequestResult:
    throttled: bool = False
    retry_minutes: int = 0


def request_password_reset(email: str, *, ip: str = "") -> ResetRequestResult:
    """Queue a reset link if the account exists. The caller answers the same either way;
    only a client address asking too often is told to wait."""
    settings = get_settings()
    email = clean_email(email)
    since = clock.now() - timedelta(minutes=settings.reset_window_minutes)
    with transaction() as session:
        serialize_on(session, f"reset:{email}")
        per_ip = count_attempts(session, "reset", since, ip=ip) if ip else 0
        if per_ip >= settings.reset_max_requests * IP_FAILURE_FACTOR:
            return ResetRequestResult(throttled=True, retry_minutes=settings.reset_window_minutes)
        per_account = count_attempts(session, "reset", since, email=email)
        customer = session.exec(select(Customer).where(Customer.email == email)).first()
        session.add(
            AuthAttempt(
                kind="reset",
                email=email,
                customer_id=customer.id if customer else None,
                ip=ip or "",
                success=False,
                created_at=clock.now(),
            )
        )
        # Too many for this account: silently send nothing more (same answer to the asker).
        if customer is None or customer.disabled_at is not None or customer.deleted_at is not None:
            return ResetRequestResult()
        if per_account >= settings.reset_max_requests:
            audit.record(session, "auth.reset_throttled", customer_id=customer.id, ip=ip)
            return ResetRequestResult()
        mail_reset_link(session, customer, ip=ip)
        audit.record(session, "auth.reset_requested", customer_id=customer.id, ip=ip)
    return ResetRequestResult()


def _usable_reset(session: Session, token: str) -> PasswordReset | None:
    if not token or len(token) > 200:
        return None
    return unused_link(session, PasswordReset, token)


def reset_link_is_valid(token: str) -> bool:
    with read_session() as session:
        return _usable_reset(session, token) is not None


def reset_password(token: str, password: str, confirm: str, *, ip: str | None = None) -> None:
    """Set a new password from a reset link, once; every session of the account ends.

    Raises InvalidInput (the link under "token" when it is unknown, used or expired).
    Slow (bcrypt): call it off the event loop.
    """
    password = clean_new_password(password, confirm)
    # A dead link is refused before bcrypt runs: guessing links costs the server nothing.
    if not reset_link_is_valid(token):
        raise InvalidInput({"token": "error.reset_link_invalid"})
    new_hash = hash_password(password)
    with transaction() as session:
        row = _usable_reset(session, token)
        if row is None or not use_once(session, PasswordReset, row.id):
            raise InvalidInput({"token": "error.reset_link_invalid"})
        customer = session.get(Customer, row.customer_id)
        customer.password_hash = new_hash
        # Following the link proves the mailbox too.
        if customer.email_verified_at is None:
            customer.email_verified_at = clock.now()
        session.add(customer)
        # Every other reset link and pending sign-in of the account dies with this one.
        retire_password_links(session, customer.id)
        revoke_sessions(session, customer.id)
        mailer.queue_for_customer(session, customer, "password_changed")
        audit.record(session, "auth.password_reset", actor=customer, ip=ip)


def retire_password_links(session: Session, customer_id: int) -> None:
    """The account's pending sign-ins and reset links were made for the old password:
    none of them works any more."""
    session.exec(
        update(LoginTicket)
        .where(LoginTicket.customer_id == customer_id, col(LoginTicket.used_at).is_(None))
        .values(used_at=clock.now())
    )
    session.exec(
        update(PasswordReset)
        .where(PasswordReset.customer_id == customer_id, col(PasswordReset.used_at).is_(None))
        .values(used_at=clock.now())
    )


def new_reset_link(
    session: Session, customer: Customer, *, ip: str | None, minutes: int | None = None
) -> str:
    """A new reset link for the account, good for reset_link_minutes (or `minutes`),
    stored hashed: the lost-password mail's, or the set-password link of an account
    staff opened."""
    token = new_token()
    minutes = minutes or get_settings().reset_link_minutes
    session.add(
        PasswordReset(
            customer_id=customer.id,
            token_hash=token_hash(token),
            created_at=clock.now(),
            expires_at=clock.now() + timedelta(minutes=minutes),
            ip=ip,
        )
    )
    return link("/reset-password?token=" + token)


def mail_reset_link(session: Session, customer: Customer, *, ip: str | None) -> None:
    """A new reset link for the account sent to its address (asked for by the customer,
    or sent by staff)."""
    mailer.queue_for_customer(
        session,
        customer,
        "password_reset",
        reset_link=new_reset_link(session, customer, ip=ip),
        minutes=get_settings().reset_link_minutes,
    )
