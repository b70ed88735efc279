"""Sign-in: the password checked (throttled per account and per client address), a
one-time ticket handed out, and the ticket traded for a session cookie.

Sign-up is accounts/signup.py, the lost password accounts/password_reset.py, the
sessions accounts/sessions.py. The `name as name` imports below keep their names
reachable as auth.<name> for the web package, which still names them so; they go once
it imports them from where they live."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import func
from sqlmodel import Session, col, select, update

from o2portal.accounts.attempts import IP_FAILURE_FACTOR, count_attempts, unused_link, use_once
from o2portal.accounts.models import AuthAttempt, Customer, LoginTicket, UserSession
from o2portal.accounts.password_reset import request_password_reset as request_password_reset
from o2portal.accounts.password_reset import reset_link_is_valid as reset_link_is_valid
from o2portal.accounts.password_reset import reset_password as reset_password
from o2portal.accounts.passwords import (
    burn_password_check,
    check_password,
    new_token,
    token_hash,
)
from o2portal.accounts.sessions import log_out as log_out
from o2portal.accounts.sessions import resolve_session as resolve_session
from o2portal.accounts.sessions import revoke_sessions as revoke_sessions
from o2portal.accounts.signup import SignupForm as SignupForm
from o2portal.accounts.signup import consume_verification
from o2portal.accounts.signup import resend_verification as resend_verification
from o2portal.accounts.signup import sign_up as sign_up
from o2portal.accounts.signup import verify_email as verify_email
from o2portal.core import audit, clock
from o2portal.core.db import serialize_on, transaction
from o2portal.core.errors import InvalidInput
from o2portal.core.settings import get_settings
from o2portal.core.validation import MAX_PASSWORD_BYTES, clean_email, without_controls

LOGIN_TICKET_SECONDS = 60
# A session waiting for the second factor is good for nothing else, and not for long.
SECOND_FACTOR_MINUTES = 10
# Staff acting as a customer: the session ends by itself after this long.
ACTING_MINUTES = 30


@dataclass
class LoginResult:
    ok: bool
    ticket: str | None = None
    error: str | None = None  # i18n key
    retry_minutes: int = 0


# How long a client address stays known to an account after signing in to it from there:
# guesses spread over many addresses do not stop the owner at a known one.
KNOWN_ADDRESS_DAYS = 90
# The longest an address waits between two tries on one account.
LONGEST_WAIT = timedelta(days=1)


def _last_login(session: Session, success: bool, email: str, ip: str | None = None):
    query = select(func.max(AuthAttempt.created_at)).where(
        AuthAttempt.kind == "login",
        AuthAttempt.email == email,
        col(AuthAttempt.success).is_(success),
    )
    if ip is not None:
        query = query.where(AuthAttempt.ip == ip)
    return session.exec(query).one()


def _login_wait(session: Session, email: str, ip: str) -> timedelta:
    """How long this client address must wait before trying this account (zero: it may
    try now). Failures are counted per account AND address, so that an attacker's
    guesses never lock the owner out from elsewhere; and progressively: past
    login_max_failures since the address's last success (within a day), each further
    try waits the window, doubled every login_max_failures failures more, from the
    last failure. Besides, an address failing on many accounts waits the window, and an
    account failing from many addresses makes the addresses it never signed in from
    wait the window (known ones go on)."""
    settings = get_settings()
    now = clock.now()
    window = timedelta(minutes=settings.login_window_minutes)
    limit = settings.login_max_failures
    waits = [timedelta(0)]
    if ip:
        last_ok = _last_login(session, True, email, ip)
        since = max(now - timedelta(days=1), last_ok) if last_ok else now - timedelta(days=1)
        failures = count_attempts(session, "login", since, email=email, ip=ip, failures_only=True)
        if failures >= limit:
            wait = min(window * 2 ** (failures // limit - 1), LONGEST_WAIT)
            waits.append(_last_login(session, False, email, ip) + wait - now)
        if count_attempts(session, "login", now - window, ip=ip, failures_only=True) >= (
            limit * IP_FAILURE_FACTOR
        ):
            waits.append(window)
    spread = count_attempts(session, "login", now - window, email=email, failures_only=True)
    if spread >= limit * IP_FAILURE_FACTOR:
        last_ok = _last_login(session, True, email, ip or "")
        if not (ip and last_ok and last_ok > now - timedelta(days=KNOWN_ADDRESS_DAYS)):
            waits.append(window)
    return max(waits)


def safe_next_path(path: str | None) -> str:
    """Only paths of this site: no scheme, no host, no protocol-relative trick."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        return "/"
    return path[:500]


def _login_email(text: str | None) -> str:
    """The address as sign-up stored it (same normalisation), or plain lower case without
    the invisible characters no address holds (a NUL byte must not reach the database)."""
    try:
        return clean_email(text)
    except InvalidInput:
        return without_controls(text or "").strip().lower()[:254]


def log_in(
    email: str,
    password: str,
    *,
    ip: str = "",
    user_agent: str = "",
    next_path: str = "/",
) -> LoginResult:
    """Check the password and hand out a one-time ticket for the session cookie.

    Slow (bcrypt): call it off the event loop.
    """
    email = _login_email(email)
    password = password or ""
    # The attempt is written as a failure, in the same write transaction as the limit
    # check and before bcrypt runs, so that attempts sent at once cannot all slip
    # under the limit; it is turned into a success afterwards if the password is right.
    with transaction() as session:
        serialize_on(session, f"login:{email}")
        wait = _login_wait(session, email, ip)
        if wait > timedelta(0):
            return LoginResult(
                ok=False,
                error="error.login_throttled",
                retry_minutes=max(1, math.ceil(wait.total_seconds() / 60)),
            )
        customer = session.exec(select(Customer).where(Customer.email == email)).first()
        attempt = AuthAttempt(
            kind="login",
            email=email,
            customer_id=customer.id if customer else None,
            ip=ip or "",
            user_agent=(user_agent or "")[:300],
            success=False,
            created_at=clock.now(),
        )
        session.add(attempt)
        session.flush()
        attempt_id = attempt.id
    if not email or not password or len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        good = False
    elif customer is None:
        burn_password_check(password)
        good = False
    else:
        good = check_password(password, customer.password_hash)
    usable = good and customer.disabled_at is None and customer.deleted_at is None
    ticket = new_token() if usable else None
    with transaction() as session:
        if usable:
            session.exec(
                update(AuthAttempt).where(AuthAttempt.id == attempt_id).values(success=True)
            )
            _add_ticket(session, customer, ticket, next_path, ip, user_agent)
            audit.record(session, "auth.login", actor=customer, ip=ip)
        elif good:
            audit.record(session, "auth.login_refused_disabled", actor=customer, ip=ip)
        else:
            audit.record(
                session,
                "auth.login_failed",
                customer_id=customer.id if customer else None,
                ip=ip,
                email=email,
            )
    if usable:
        return LoginResult(ok=True, ticket=ticket)
    if good:
        return LoginResult(ok=False, error="error.account_disabled")
    return LoginResult(ok=False, error="error.login_invalid")


def _add_ticket(
    session: Session, customer: Customer, ticket: str, next_path: str, ip: str, user_agent: str
) -> None:
    session.add(
        LoginTicket(
            customer_id=customer.id,
            ticket_hash=token_hash(ticket),
            next_path=safe_next_path(next_path),
            created_at=clock.now(),
            expires_at=clock.now() + timedelta(seconds=LOGIN_TICKET_SECONDS),
            ip=ip,
            user_agent=(user_agent or "")[:300],
        )
    )


def verify_and_sign_in(
    token: str, *, signed_in: bool, ip: str = "", user_agent: str = ""
) -> tuple[bool, str | None]:
    """The verification link of a sign-up (or a later one): the address is verified and,
    for a visitor not signed in, the link signs its owner in, through a login ticket
    (web/session.go_with_ticket). Sign-up itself signs no one in, so that it answers the
    same for a taken address; the mailbox that received the link can reset the password
    anyway. No ticket for an account with a second factor (its sign-in asks for it) or
    one disabled. Returns (verified, ticket or None)."""
    customer_id = consume_verification(token, ip=ip or None)
    if customer_id is None:
        return False, None
    if signed_in:
        return True, None
    with transaction() as session:
        customer = session.get(Customer, customer_id)
        if (
            customer is None
            or customer.disabled_at is not None
            or customer.deleted_at is not None
            or customer.totp_enabled_at is not None
        ):
            return True, None
        ticket = new_token()
        _add_ticket(session, customer, ticket, "/", ip, user_agent)
        audit.record(session, "auth.login_by_verification_link", actor=customer, ip=ip)
    return True, ticket


@dataclass
class NewSession:
    token: str
    next_path: str
    max_age_seconds: int
    # The session is only good for giving the second factor (domain/totp.py) until then.
    needs_second_factor: bool = False


def exchange_ticket(ticket: str, *, ip: str = "", user_agent: str = "") -> NewSession | None:
    """Trade a login ticket, once and in time, for a fresh session token."""
    if not ticket or len(ticket) > 200:
        return None
    settings = get_settings()
    token = new_token()
    with transaction() as session:
        row = unused_link(session, LoginTicket, ticket, column="ticket_hash")
        if row is None:
            return None
        if not use_once(session, LoginTicket, row.id):
            return None
        customer = session.get(Customer, row.customer_id)
        # Staff acting as a customer, and coming back from it, proved themselves at their
        # own sign-in.
        needs_second_factor = (
            customer is not None
            and customer.totp_enabled_at is not None
            and row.impersonator_id is None
            and not row.second_factor_done
        )
        if needs_second_factor:
            expires = clock.now() + timedelta(minutes=SECOND_FACTOR_MINUTES)
        elif row.impersonator_id is not None:
            expires = clock.now() + timedelta(minutes=ACTING_MINUTES)
        else:
            expires = clock.now() + timedelta(days=settings.session_days)
        session.add(
            UserSession(
                customer_id=row.customer_id,
                token_hash=token_hash(token),
                created_at=clock.now(),
                expires_at=expires,
                last_seen_at=clock.now(),
                ip=ip or row.ip,
                user_agent=(user_agent or row.user_agent or "")[:300],
                impersonator_id=row.impersonator_id,
                second_factor_ok=not needs_second_factor,
            )
        )
    return NewSession(
        token=token,
        next_path=row.next_path,
        max_age_seconds=(
            ACTING_MINUTES * 60
            if row.impersonator_id is not None
            else settings.session_days * 86400
        ),
        needs_second_factor=needs_second_factor,
    )
