"""Ma fiche: the customer's details, a change of email address, the password, the
signed-in browsers and the recent sign-ins. Every change goes to the audit log."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import phonenumbers
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from o2portal.accounts.auth import _consume, revoke_sessions
from o2portal.accounts.identity import check_identity
from o2portal.accounts.models import (
    AuthAttempt,
    Customer,
    LoginTicket,
    PasswordReset,
    PendingEmailChange,
    UserSession,
)
from o2portal.accounts.passwords import check_password, hash_password, new_token, token_hash
from o2portal.core import audit, clock
from o2portal.core.db import read_session, serialize_on, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.settings import get_settings
from o2portal.core.validation import (
    MAX_PASSWORD_BYTES,
    clean_email,
    clean_new_password,
    format_phone_national,
)
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import link

LANGUAGES = ("fr", "en")
# New addresses asked for per hour (each one sends a mail to an address we do not know).
EMAIL_CHANGES_PER_HOUR = 5
# Between two links for the same change.
EMAIL_RESEND_SECONDS = 60
SESSIONS_SHOWN = 50
SIGN_INS_SHOWN = 20


def _load(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None or customer.deleted_at is not None:
        raise NotAllowed(f"no customer {customer_id}")
    return customer


def _actor(session: Session, customer: Customer, impersonator_id: int | None) -> Customer:
    """Who made the change: the customer, or the staff member acting as them."""
    if impersonator_id is not None:
        staff = session.get(Customer, impersonator_id)
        if staff is not None:
            return staff
    return customer


def get_customer(customer_id: int) -> Customer:
    with read_session() as session:
        return _load(session, customer_id)


# ---------------------------------------------------------------- details


@dataclass
class DetailsForm:
    account_type: str = "particulier"
    first_name: str = ""
    last_name: str = ""
    company_name: str = ""
    siret: str = ""
    vat_number: str = ""
    phone: str = ""
    address_line1: str = ""
    address_line2: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = "FR"
    language: str = "fr"


def check_details(form: DetailsForm) -> dict:
    """The fiche's new values, clean, or InvalidInput with a message for every bad field:
    the identity (one validator with sign-up and staff) and the language."""
    errors: dict[str, str] = {}
    identity: dict = {}
    try:
        identity = check_identity(dataclasses.asdict(form))
    except InvalidInput as exc:
        errors.update(exc.errors)
    if form.language not in LANGUAGES:
        errors["language"] = "error.choice_invalid"
    if errors:
        raise InvalidInput(errors)
    return {**identity, "language": form.language}


def update_details(
    customer_id: int,
    form: DetailsForm,
    *,
    ip: str | None = None,
    impersonator_id: int | None = None,
) -> list[str]:
    """Save the fiche; returns the names of the fields that changed. Raises InvalidInput
    (nothing saved then)."""
    clean = check_details(form)
    with transaction() as session:
        customer = _load(session, customer_id)
        changed = [name for name, value in clean.items() if getattr(customer, name) != value]
        if not changed:
            return []
        for name in changed:
            setattr(customer, name, clean[name])
        session.add(customer)
        audit.about(
            session,
            "profile.updated",
            customer,
            actor=_actor(session, customer, impersonator_id),
            ip=ip,
            fields=changed,
        )
    return changed


def phone_for_display(e164: str) -> str:
    return format_phone_national(e164) if e164 else ""


def phone_for_edit(e164: str, country: str) -> str:
    """National format when the number belongs to the fiche's country, international
    otherwise (so that it reads back the same whatever the country chosen)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == country:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# ---------------------------------------------------------------- current password


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
        customer = _load(session, customer_id)
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
    try:
        password = clean_new_password(password, confirm)
    except InvalidInput as exc:
        errors.update(exc.errors)
    if not current:
        errors["current_password"] = "error.required"
    if errors:
        raise InvalidInput(errors)
    if password == current:
        raise InvalidInput({"password": "error.password_same"})
    check_current_password(customer_id, current, ip=ip or "")
    new_hash = hash_password(password)
    with transaction() as session:
        customer = _load(session, customer_id)
        customer.password_hash = new_hash
        session.add(customer)
        # Pending sign-ins and reset links were made for the old password.
        session.exec(
            update(LoginTicket)
            .where(LoginTicket.customer_id == customer.id, col(LoginTicket.used_at).is_(None))
            .values(used_at=clock.now())
        )
        session.exec(
            update(PasswordReset)
            .where(PasswordReset.customer_id == customer.id, col(PasswordReset.used_at).is_(None))
            .values(used_at=clock.now())
        )
        ended = revoke_sessions(session, customer.id, keep_session_id=current_session_id)
        mailer.queue_for_customer(
            session, customer, "password_changed", template="password_changed_profile"
        )
        audit.record(
            session, "profile.password_changed", actor=customer, ip=ip, sessions_ended=ended
        )


# ---------------------------------------------------------------- email address


def pending_email_change(customer_id: int) -> PendingEmailChange | None:
    """The new address waiting for its link to be opened, if any."""
    with read_session() as session:
        return _pending(session, customer_id)


def _pending(session: Session, customer_id: int) -> PendingEmailChange | None:
    return session.exec(
        select(PendingEmailChange)
        .where(
            PendingEmailChange.customer_id == customer_id,
            col(PendingEmailChange.used_at).is_(None),
            col(PendingEmailChange.expires_at) > clock.now(),
        )
        .order_by(col(PendingEmailChange.id).desc())
    ).first()


def _retire_pending(session: Session, customer_id: int) -> None:
    session.exec(
        update(PendingEmailChange)
        .where(
            PendingEmailChange.customer_id == customer_id,
            col(PendingEmailChange.used_at).is_(None),
        )
        .values(used_at=clock.now())
    )


def _email_taken(session: Session, email: str, but: int | None = None) -> bool:
    query = select(Customer.id).where(Customer.email == email)
    if but is not None:
        query = query.where(Customer.id != but)
    return session.exec(query).first() is not None


def _send_change_link(session: Session, customer: Customer, new_email: str) -> None:
    """A fresh link to the new address (earlier ones stop working)."""
    hours = get_settings().verify_link_hours
    token = new_token()
    recent = session.exec(
        select(func.count())
        .select_from(PendingEmailChange)
        .where(
            PendingEmailChange.customer_id == customer.id,
            col(PendingEmailChange.created_at) > clock.now() - timedelta(hours=1),
        )
    ).one()
    if recent >= EMAIL_CHANGES_PER_HOUR:
        raise InvalidInput({"new_email": "error.email_change_throttled"})
    _retire_pending(session, customer.id)
    session.add(
        PendingEmailChange(
            customer_id=customer.id,
            new_email=new_email,
            token_hash=token_hash(token),
            created_at=clock.now(),
            expires_at=clock.now() + timedelta(hours=hours),
        )
    )
    # To the new address, which is not (yet) the one on the fiche.
    mailer.queue_rendered(
        session,
        to=new_email,
        language=customer.language,
        kind="email_change",
        customer_id=customer.id,
        first_name=customer.first_name,
        new_email=new_email,
        confirm_link=link("/confirm-email?token=" + token),
        hours=hours,
    )


def request_email_change(
    customer_id: int, new_email: str | None, password: str | None, *, ip: str = ""
) -> str:
    """Send a confirmation link to a new address; the current one stays until it is
    opened, and is told of the request. Needs the current password.

    Slow (bcrypt): call it off the event loop. Raises InvalidInput."""
    errors: dict[str, str] = {}
    new = None
    try:
        new = clean_email(new_email, field="new_email")
    except InvalidInput as exc:
        errors.update(exc.errors)
    if not password:
        errors["email_password"] = "error.required"
    if errors:
        raise InvalidInput(errors)
    with read_session() as session:
        customer = _load(session, customer_id)
        if new == customer.email:
            raise InvalidInput({"new_email": "error.email_same"})
        if _email_taken(session, new):
            raise InvalidInput({"new_email": "error.email_taken"})
    check_current_password(customer_id, password, ip=ip, field="email_password")
    with transaction() as session:
        serialize_on(session, f"email-change:{customer_id}")
        customer = _load(session, customer_id)
        _send_change_link(session, customer, new)
        mailer.queue_for_customer(session, customer, "email_change_notice", new_email=new)
        audit.record(
            session,
            "profile.email_change_requested",
            actor=customer,
            ip=ip,
            new_email=new,
        )
    return new


def resend_email_change(customer_id: int, *, ip: str = "") -> str:
    """Send the pending change's link again (a new one). Raises InvalidInput when there is
    nothing pending or when asked again too soon."""
    with transaction() as session:
        serialize_on(session, f"email-change:{customer_id}")
        customer = _load(session, customer_id)
        pending = _pending(session, customer_id)
        if pending is None:
            raise InvalidInput({"new_email": "error.email_change_none"})
        if pending.created_at > clock.now() - timedelta(seconds=EMAIL_RESEND_SECONDS):
            raise InvalidInput({"new_email": "error.email_change_wait"})
        _send_change_link(session, customer, pending.new_email)
        audit.record(
            session,
            "profile.email_change_resent",
            actor=customer,
            ip=ip,
            new_email=pending.new_email,
        )
        return pending.new_email


def cancel_email_change(customer_id: int, *, ip: str = "") -> None:
    with transaction() as session:
        customer = _load(session, customer_id)
        if _pending(session, customer_id) is None:
            return
        _retire_pending(session, customer_id)
        audit.record(session, "profile.email_change_cancelled", actor=customer, ip=ip)


def confirm_email_change(token: str | None, *, ip: str | None = None) -> str:
    """Open the link sent to the new address: "ok" (the new address is in force, the old
    one is told), "taken" (another account has it by now) or "bad" (unknown, used,
    expired)."""
    if not token or len(token) > 200:
        return "bad"
    try:
        with transaction() as session:
            row = session.exec(
                select(PendingEmailChange).where(PendingEmailChange.token_hash == token_hash(token))
            ).first()
            if row is None or row.used_at is not None or row.expires_at < clock.now():
                return "bad"
            customer = session.get(Customer, row.customer_id)
            if customer is None or customer.deleted_at is not None:
                return "bad"
            if customer.disabled_at is not None:
                return "bad"
            if _email_taken(session, row.new_email, but=customer.id):
                return "taken"
            if not _consume(session, PendingEmailChange, row.id):
                return "bad"
            old = customer.email
            customer.email = row.new_email
            # Opening the link proves the mailbox.
            customer.email_verified_at = clock.now()
            customer.email_failing_at = None
            customer.email_failing_reason = None
            session.add(customer)
            session.flush()
            _retire_pending(session, customer.id)
            mailer.queue_rendered(
                session,
                to=old,
                language=customer.language,
                kind="email_changed",
                customer_id=customer.id,
                first_name=customer.first_name,
                new_email=row.new_email,
            )
            audit.record(
                session,
                "profile.email_changed",
                actor=customer,
                ip=ip,
                old_email=old,
                new_email=row.new_email,
            )
    except IntegrityError:
        # Someone signed up with that address at the same moment: the unique index decides.
        return "taken"
    return "ok"


# ---------------------------------------------------------------- sessions


@dataclass
class SessionView:
    id: int
    device: str
    ip: str
    created_at: datetime
    last_seen_at: datetime | None
    current: bool
    staff: bool


def active_sessions(customer_id: int, current_session_id: int | None) -> list[SessionView]:
    """The browsers signed in to the account now, the most recently used first."""
    with read_session() as session:
        rows = session.exec(
            select(UserSession)
            .where(
                UserSession.customer_id == customer_id,
                col(UserSession.revoked_at).is_(None),
                col(UserSession.expires_at) > clock.now(),
                col(UserSession.second_factor_ok).is_(True),
            )
            .order_by(col(UserSession.last_seen_at).desc(), col(UserSession.id).desc())
            .limit(SESSIONS_SHOWN)
        ).all()
    return [
        SessionView(
            id=row.id,
            device=describe_device(row.user_agent),
            ip=row.ip or "",
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            current=row.id == current_session_id,
            staff=row.impersonator_id is not None,
        )
        for row in rows
    ]


def revoke_session(
    customer_id: int, session_id: int, current_session_id: int | None, *, ip: str = ""
) -> bool:
    """End one other session of this customer; any other id changes nothing."""
    if session_id == current_session_id:
        return False
    with transaction() as session:
        result = session.exec(
            update(UserSession)
            .where(
                UserSession.id == session_id,
                UserSession.customer_id == customer_id,
                col(UserSession.revoked_at).is_(None),
            )
            .values(revoked_at=clock.now())
        )
        if result.rowcount != 1:
            return False
        customer = _load(session, customer_id)
        audit.record(
            session,
            "profile.session_ended",
            actor=customer,
            ip=ip,
            target_type="user_session",
            target_id=session_id,
        )
    return True


def revoke_other_sessions(customer_id: int, current_session_id: int, *, ip: str = "") -> int:
    """ "Log out everywhere else": every session but this one ends."""
    with transaction() as session:
        customer = _load(session, customer_id)
        ended = revoke_sessions(session, customer_id, keep_session_id=current_session_id)
        audit.record(session, "profile.other_sessions_ended", actor=customer, ip=ip, count=ended)
    return ended


@dataclass
class SignInView:
    at: datetime
    ip: str
    device: str
    step: str  # password | code
    success: bool


def recent_sign_ins(customer_id: int) -> list[SignInView]:
    with read_session() as session:
        rows = session.exec(
            select(AuthAttempt)
            .where(
                AuthAttempt.customer_id == customer_id,
                col(AuthAttempt.kind).in_(("login", "totp")),
            )
            .order_by(col(AuthAttempt.created_at).desc(), col(AuthAttempt.id).desc())
            .limit(SIGN_INS_SHOWN)
        ).all()
    return [
        SignInView(
            at=row.created_at,
            ip=row.ip or "",
            device=describe_device(row.user_agent),
            step="code" if row.kind == "totp" else "password",
            success=row.success,
        )
        for row in rows
    ]


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe_device(user_agent: str | None) -> str:
    """ "Firefox · Windows" from a User-Agent header, enough to recognise one's browsers."""
    ua = user_agent or ""
    browser = next((name for mark, name in _BROWSERS if mark in ua), "")
    system = next((name for mark, name in _SYSTEMS if mark in ua), "")
    text = " · ".join(part for part in (browser, system) if part)
    if text:
        return text
    return re.sub(r"\s+", " ", ua)[:60] or "?"
