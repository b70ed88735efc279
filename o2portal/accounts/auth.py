"""Accounts and sign-in: sign-up, email verification, passwords, sessions, rate limits."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from o2portal.accounts.identity import check_identity
from o2portal.accounts.models import (
    AuthAttempt,
    Customer,
    EmailVerification,
    LoginTicket,
    PasswordReset,
    UserSession,
)
from o2portal.accounts.passwords import (
    burn_password_check,
    check_password,
    hash_password,
    new_token,
    token_hash,
)
from o2portal.core import audit, clock
from o2portal.core.db import read_session, serialize_on, transaction
from o2portal.core.errors import InvalidInput
from o2portal.core.permissions import Actor
from o2portal.core.settings import get_settings
from o2portal.core.validation import (
    MAX_PASSWORD_BYTES,
    clean_email,
    clean_new_password,
    collect,
    without_controls,
)
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import link

LOGIN_TICKET_SECONDS = 60
SESSION_TOUCH_SECONDS = 60
# A session waiting for the second factor is good for nothing else, and not for long.
SECOND_FACTOR_MINUTES = 10
# A client address may fail this many times more than one account before it is stopped.
IP_FAILURE_FACTOR = 4


# ---------------------------------------------------------------- single use


def _consume(session: Session, model, row_id: int) -> bool:
    """Mark a one-time token used, if nobody did first: a conditional UPDATE, so that two
    requests racing with the same link cannot both use it, on any database."""
    result = session.exec(
        update(model)
        .where(model.id == row_id, col(model.used_at).is_(None))
        .values(used_at=clock.now())
    )
    return result.rowcount == 1


# ---------------------------------------------------------------- sign-up


@dataclass
class SignupForm:
    account_type: str = "particulier"
    first_name: str = ""
    last_name: str = ""
    company_name: str = ""
    siret: str = ""
    vat_number: str = ""
    email: str = ""
    phone: str = ""
    address_line1: str = ""
    address_line2: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = "FR"
    password: str = ""
    password_confirm: str = ""
    accept_terms: bool = False


def _check_signup(form: SignupForm) -> dict:
    """The identity (one validator with Ma fiche and staff), plus the email, the password
    and the terms; every bad field answered at once."""
    errors: dict[str, str] = {}
    identity: dict = {}
    try:
        identity = check_identity(dataclasses.asdict(form))
    except InvalidInput as exc:
        errors.update(exc.errors)
    account: tuple = ()
    try:
        account = collect(
            lambda: clean_email(form.email),
            lambda: clean_new_password(form.password, form.password_confirm),
        )
    except InvalidInput as exc:
        errors.update(exc.errors)
    if not form.accept_terms:
        errors["accept_terms"] = "error.terms_required"
    if errors:
        raise InvalidInput(errors)
    email, password = account
    return {**identity, "email": email, "password": password}


def sign_up(form: SignupForm, *, ip: str | None = None, language: str = "fr") -> Customer:
    """Open a customer account, queue the welcome email with its verification link.

    Slow (bcrypt): call it off the event loop. Raises InvalidInput; saves nothing then.
    """
    clean = _check_signup(form)
    _count_signup(ip or "")
    password_hash = hash_password(clean.pop("password"))
    verify_token = new_token()
    now = clock.now()
    try:
        with transaction() as session:
            if _email_taken(session, clean["email"]):
                raise InvalidInput({"email": "error.email_taken"})
            customer = Customer(
                **clean,
                password_hash=password_hash,
                role="customer",
                language=language if language in ("fr", "en") else "fr",
                terms_accepted_at=now,
                created_at=now,
            )
            session.add(customer)
            session.flush()
            _add_verification(session, customer, verify_token)
            mailer.queue_for_customer(
                session,
                customer,
                "welcome",
                email=customer.email,
                verify_link=link("/verify-email?token=" + verify_token),
            )
            audit.record(session, "account.signup", actor=customer, ip=ip)
    except IntegrityError:
        # Two sign-ups with the same address at once: the unique index decides.
        raise InvalidInput({"email": "error.email_taken"}) from None
    return customer


SIGNUPS_PER_ADDRESS_PER_HOUR = 10


def _count_signup(ip: str) -> None:
    """Each sign-up costs a bcrypt hash and sends a mail: a client address gets a few an hour."""
    with transaction() as session:
        serialize_on(session, f"signup:{ip}")
        since = clock.now() - timedelta(hours=1)
        if ip and _count_attempts(session, "signup", since, ip=ip) >= SIGNUPS_PER_ADDRESS_PER_HOUR:
            raise InvalidInput({"email": "error.signup_throttled"})
        session.add(
            AuthAttempt(kind="signup", email="", ip=ip, success=True, created_at=clock.now())
        )


def _email_taken(session: Session, email: str) -> bool:
    return session.exec(select(Customer.id).where(Customer.email == email)).first() is not None


def _add_verification(session: Session, customer: Customer, token: str) -> None:
    hours = get_settings().verify_link_hours
    session.add(
        EmailVerification(
            customer_id=customer.id,
            email=customer.email,
            token_hash=token_hash(token),
            created_at=clock.now(),
            expires_at=clock.now() + timedelta(hours=hours),
        )
    )


def resend_verification(customer_id: int) -> bool:
    """Send a new verification link unless one went out in the last 5 minutes."""
    token = new_token()
    with transaction() as session:
        customer = session.get(Customer, customer_id)
        # Unverified, or verified but bouncing: a new link proves the mailbox works again.
        if customer is None or (
            customer.email_verified_at is not None and customer.email_failing_at is None
        ):
            return False
        recent = session.exec(
            select(EmailVerification.id).where(
                EmailVerification.customer_id == customer_id,
                col(EmailVerification.created_at) > clock.now() - timedelta(minutes=5),
            )
        ).first()
        if recent is not None:
            return False
        _add_verification(session, customer, token)
        mailer.queue_for_customer(
            session, customer, "verify_email", verify_link=link("/verify-email?token=" + token)
        )
    return True


def verify_email(token: str, *, ip: str | None = None) -> bool:
    """Consume a verification link. True when the address is now verified."""
    if not token or len(token) > 200:
        return False
    with transaction() as session:
        row = session.exec(
            select(EmailVerification).where(EmailVerification.token_hash == token_hash(token))
        ).first()
        if row is None or row.used_at is not None or row.expires_at < clock.now():
            return False
        customer = session.get(Customer, row.customer_id)
        if customer is None or customer.email != row.email:
            return False
        if not _consume(session, EmailVerification, row.id):
            return False
        customer.email_verified_at = clock.now()
        customer.email_failing_at = None
        customer.email_failing_reason = None
        session.add(customer)
        audit.record(session, "account.email_verified", actor=customer, ip=ip)
    return True


# ---------------------------------------------------------------- sign-in


@dataclass
class LoginResult:
    ok: bool
    ticket: str | None = None
    error: str | None = None  # i18n key
    retry_minutes: int = 0


def _recent_failures(session: Session, *, kind: str, since, email=None, ip=None) -> int:
    query = (
        select(func.count())
        .select_from(AuthAttempt)
        .where(
            AuthAttempt.kind == kind,
            col(AuthAttempt.success).is_(False),
            col(AuthAttempt.created_at) > since,
        )
    )
    if email is not None:
        query = query.where(AuthAttempt.email == email)
    if ip is not None:
        query = query.where(AuthAttempt.ip == ip)
    return session.exec(query).one()


def _login_throttled(session: Session, email: str, ip: str) -> bool:
    settings = get_settings()
    since = clock.now() - timedelta(minutes=settings.login_window_minutes)
    limit = settings.login_max_failures
    # A successful sign-in wipes the account's slate (not the address's).
    last_success = session.exec(
        select(func.max(AuthAttempt.created_at)).where(
            AuthAttempt.kind == "login",
            AuthAttempt.email == email,
            col(AuthAttempt.success).is_(True),
        )
    ).one()
    account_since = max(since, last_success) if last_success is not None else since
    if _recent_failures(session, kind="login", since=account_since, email=email) >= limit:
        return True
    return (
        bool(ip)
        and _recent_failures(session, kind="login", since=since, ip=ip) >= limit * IP_FAILURE_FACTOR
    )


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
    settings = get_settings()
    # The attempt is written as a failure, in the same write transaction as the limit
    # check and before bcrypt runs, so that attempts sent at once cannot all slip
    # under the limit; it is turned into a success afterwards if the password is right.
    with transaction() as session:
        serialize_on(session, f"login:{email}")
        if _login_throttled(session, email, ip):
            return LoginResult(
                ok=False,
                error="error.login_throttled",
                retry_minutes=settings.login_window_minutes,
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
        row = session.exec(
            select(LoginTicket).where(LoginTicket.ticket_hash == token_hash(ticket))
        ).first()
        if row is None or row.used_at is not None or row.expires_at < clock.now():
            return None
        if not _consume(session, LoginTicket, row.id):
            return None
        customer = session.get(Customer, row.customer_id)
        # Staff acting as a customer proved themselves at their own sign-in.
        needs_second_factor = (
            customer is not None
            and customer.totp_enabled_at is not None
            and row.impersonator_id is None
        )
        if needs_second_factor:
            expires = clock.now() + timedelta(minutes=SECOND_FACTOR_MINUTES)
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
        max_age_seconds=settings.session_days * 86400,
        needs_second_factor=needs_second_factor,
    )


@dataclass
class CurrentUser:
    """Who is asking, as resolved from the session cookie on the server."""

    customer: Customer
    session_id: int
    impersonator_id: int | None

    @property
    def actor(self) -> Actor:
        """What the doors are called with: this person, on behalf of the staff member
        acting as them when there is one."""
        return Actor.of(self.customer, on_behalf_of=self.impersonator_id)


def resolve_session(token: str | None) -> CurrentUser | None:
    """Who holds this session token, or None (unknown, revoked, expired, disabled, or still
    waiting for its second factor: only domain/totp.py deals with such a session)."""
    if not token or len(token) > 200:
        return None
    now = clock.now()
    with read_session() as session:
        row = session.exec(
            select(UserSession).where(UserSession.token_hash == token_hash(token))
        ).first()
        if row is None or row.revoked_at is not None or row.expires_at <= now:
            return None
        if not row.second_factor_ok:
            return None
        customer = session.get(Customer, row.customer_id)
        if customer is None or customer.disabled_at is not None or customer.deleted_at is not None:
            return None
        stale = (
            row.last_seen_at is None
            or (now - row.last_seen_at).total_seconds() > SESSION_TOUCH_SECONDS
        )
    if stale:
        with transaction() as session:
            session.exec(
                update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now)
            )
    return CurrentUser(customer=customer, session_id=row.id, impersonator_id=row.impersonator_id)


def log_out(token: str | None, *, ip: str | None = None) -> None:
    if not token or len(token) > 200:
        return
    with transaction() as session:
        row = session.exec(
            select(UserSession).where(UserSession.token_hash == token_hash(token))
        ).first()
        if row is None or row.revoked_at is not None:
            return
        row.revoked_at = clock.now()
        session.add(row)
        customer = session.get(Customer, row.customer_id)
        audit.record(session, "auth.logout", actor=customer, ip=ip)


def revoke_sessions(
    session: Session, customer_id: int, *, keep_session_id: int | None = None
) -> int:
    query = update(UserSession).where(
        UserSession.customer_id == customer_id, col(UserSession.revoked_at).is_(None)
    )
    if keep_session_id is not None:
        query = query.where(UserSession.id != keep_session_id)
    result = session.exec(query.values(revoked_at=clock.now()))
    return result.rowcount or 0


# ---------------------------------------------------------------- lost password


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
    token = new_token()
    with transaction() as session:
        serialize_on(session, f"reset:{email}")
        per_ip = _count_attempts(session, "reset", since, ip=ip) if ip else 0
        if per_ip >= settings.reset_max_requests * IP_FAILURE_FACTOR:
            return ResetRequestResult(throttled=True, retry_minutes=settings.reset_window_minutes)
        per_account = _count_attempts(session, "reset", since, email=email)
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
        session.add(
            PasswordReset(
                customer_id=customer.id,
                token_hash=token_hash(token),
                created_at=clock.now(),
                expires_at=clock.now() + timedelta(minutes=settings.reset_link_minutes),
                ip=ip,
            )
        )
        mailer.queue_for_customer(
            session,
            customer,
            "password_reset",
            reset_link=link("/reset-password?token=" + token),
            minutes=settings.reset_link_minutes,
        )
        audit.record(session, "auth.reset_requested", customer_id=customer.id, ip=ip)
    return ResetRequestResult()


def _count_attempts(session: Session, kind: str, since, *, email=None, ip=None) -> int:
    query = (
        select(func.count())
        .select_from(AuthAttempt)
        .where(AuthAttempt.kind == kind, col(AuthAttempt.created_at) > since)
    )
    if email is not None:
        query = query.where(AuthAttempt.email == email)
    if ip is not None:
        query = query.where(AuthAttempt.ip == ip)
    return session.exec(query).one()


def _usable_reset(session: Session, token: str) -> PasswordReset | None:
    if not token or len(token) > 200:
        return None
    row = session.exec(
        select(PasswordReset).where(PasswordReset.token_hash == token_hash(token))
    ).first()
    if row is None or row.used_at is not None or row.expires_at < clock.now():
        return None
    return row


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
        if row is None or not _consume(session, PasswordReset, row.id):
            raise InvalidInput({"token": "error.reset_link_invalid"})
        customer = session.get(Customer, row.customer_id)
        customer.password_hash = new_hash
        # Following the link proves the mailbox too.
        if customer.email_verified_at is None:
            customer.email_verified_at = clock.now()
        session.add(customer)
        # Every other reset link and pending sign-in of the account dies with this one.
        session.exec(
            update(LoginTicket)
            .where(LoginTicket.customer_id == customer.id, col(LoginTicket.used_at).is_(None))
            .values(used_at=clock.now())
        )
        session.exec(
            update(PasswordReset)
            .where(
                PasswordReset.customer_id == customer.id,
                col(PasswordReset.used_at).is_(None),
            )
            .values(used_at=clock.now())
        )
        revoke_sessions(session, customer.id)
        mailer.queue_for_customer(session, customer, "password_changed")
        audit.record(session, "auth.password_reset", actor=customer, ip=ip)
