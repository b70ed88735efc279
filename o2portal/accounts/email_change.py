"""A change of email address from Ma fiche: a link to the new address (the current one
stays in force and is told), sent again or cancelled on request, and opened once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from o2portal.accounts.attempts import unused_link, use_once
from o2portal.accounts.models import Customer, PendingEmailChange
from o2portal.accounts.password_change import check_current_password
from o2portal.accounts.passwords import new_token, token_hash
from o2portal.accounts.sessions import live_customer
from o2portal.accounts.signup import email_taken, tell_the_owner
from o2portal.core import audit, clock
from o2portal.core.db import read_session, serialize_on, transaction
from o2portal.core.errors import InvalidInput
from o2portal.core.settings import get_settings
from o2portal.core.validation import clean_email, gathered
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import link

# New addresses asked for per hour (each one sends a mail to an address we do not know).
EMAIL_CHANGES_PER_HOUR = 5
# Between two links for the same change.
EMAIL_RESEND_SECONDS = 60


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


def _send_change_link(session: Session, customer: Customer, new_email: str, ip: str) -> None:
    """A fresh link to the new address (earlier ones stop working).

    An address another account holds gets no link: its owner is told that someone
    tried, and the change is pending as any other (the asker must not learn who is a
    customer), though it can never be confirmed."""
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
    owner = session.exec(
        select(Customer).where(Customer.email == new_email, Customer.id != customer.id)
    ).first()
    if owner is not None:
        tell_the_owner(session, owner, "email_change_existing", "profile.email_change_existing", ip)
        return
    # To the new address, which is not (yet) the one on the fiche.
    mailer.queue_for_customer(
        session,
        customer,
        "email_change",
        to=new_email,
        new_email=new_email,
        confirm_link=link("/confirm-email?token=" + token),
        hours=hours,
    )


def request_email_change(
    customer_id: int, new_email: str | None, password: str | None, *, ip: str = ""
) -> str:
    """Send a confirmation link to a new address; the current one stays until it is
    opened, and is told of the request. Needs the current password. An address another
    account holds gets the same answer (see _send_change_link).

    Slow (bcrypt): call it off the event loop. Raises InvalidInput."""
    errors: dict[str, str] = {}
    new = gathered(errors, lambda: clean_email(new_email, field="new_email"))
    if not password:
        errors["email_password"] = "error.required"
    if errors:
        raise InvalidInput(errors)
    with read_session() as session:
        customer = live_customer(session, customer_id)
        if new == customer.email:
            raise InvalidInput({"new_email": "error.email_same"})
    # The password first, whichever the address: a taken one answers as a free one,
    # after the same bcrypt check (_send_change_link tells its owner instead).
    check_current_password(customer_id, password, ip=ip, field="email_password")
    with transaction() as session:
        serialize_on(session, f"email-change:{customer_id}")
        customer = live_customer(session, customer_id)
        _send_change_link(session, customer, new, ip)
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
        customer = live_customer(session, customer_id)
        pending = _pending(session, customer_id)
        if pending is None:
            raise InvalidInput({"new_email": "error.email_change_none"})
        if pending.created_at > clock.now() - timedelta(seconds=EMAIL_RESEND_SECONDS):
            raise InvalidInput({"new_email": "error.email_change_wait"})
        _send_change_link(session, customer, pending.new_email, ip)
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
        customer = live_customer(session, customer_id)
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
            row = unused_link(session, PendingEmailChange, token)
            if row is None:
                return "bad"
            customer = session.get(Customer, row.customer_id)
            if customer is None or customer.deleted_at is not None:
                return "bad"
            if customer.disabled_at is not None:
                return "bad"
            if email_taken(session, row.new_email, but=customer.id):
                return "taken"
            if not use_once(session, PendingEmailChange, row.id):
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
            mailer.queue_for_customer(
                session, customer, "email_changed", to=old, new_email=row.new_email
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
