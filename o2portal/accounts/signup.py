"""Sign-up and the proof of the email address: a new customer account with its welcome
mail, the verification link, and a new link on request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from o2portal.accounts.attempts import count_attempts, unused_link, use_once
from o2portal.accounts.identity import IdentityForm, identity_of
from o2portal.accounts.models import AuthAttempt, Customer, EmailVerification
from o2portal.accounts.passwords import hash_password, new_token, token_hash
from o2portal.core import audit, clock
from o2portal.core.db import serialize_on, transaction
from o2portal.core.errors import InvalidInput
from o2portal.core.settings import get_settings
from o2portal.core.validation import clean_email, clean_new_password, collect, gathered
from o2portal.mail import outbox as mailer
from o2portal.mail.models import OutboxEmail
from o2portal.mail.templating import link


@dataclass
class SignupForm(IdentityForm):
    email: str = ""
    password: str = ""
    password_confirm: str = ""
    accept_terms: bool = False


def _check_signup(form: SignupForm) -> dict:
    """The identity (one validator with Ma fiche and staff), plus the email, the password
    and the terms; every bad field answered at once."""
    errors: dict[str, str] = {}
    identity = identity_of(form, errors)
    account = gathered(
        errors,
        lambda: collect(
            lambda: clean_email(form.email),
            lambda: clean_new_password(form.password, form.password_confirm),
        ),
        (),
    )
    if not form.accept_terms:
        errors["accept_terms"] = "error.terms_required"
    if errors:
        raise InvalidInput(errors)
    email, password = account
    return {**identity, "email": email, "password": password}


def sign_up(form: SignupForm, *, ip: str | None = None, language: str = "fr") -> Customer | None:
    """Open a customer account, queue the welcome email with its verification link.

    An address that already has an account gets the same answer as a new one (None
    here, and the page shows the same "check your mailbox"): sign-up must not tell a
    stranger who is a customer, any more than the lost-password form does. Nothing is
    created; the owner is mailed that someone tried, with the way to a new password.

    Slow (bcrypt, whichever the case): call it off the event loop. Raises InvalidInput
    for a bad form; saves nothing then.
    """
    clean = _check_signup(form)
    _count_signup(ip or "", clean["email"])
    password_hash = hash_password(clean.pop("password"))
    verify_token = new_token()
    now = clock.now()
    try:
        with transaction() as session:
            owner = session.exec(select(Customer).where(Customer.email == clean["email"])).first()
            if owner is not None:
                tell_the_owner(session, owner, "signup_existing", "account.signup_existing", ip)
                return None
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
        # Two sign-ups with the same address at once: the unique index decides, and the
        # second one gets the answer every taken address gets.
        return None
    return customer


def tell_the_owner(
    session: Session, owner: Customer, kind: str, action: str, ip: str | None
) -> None:
    """Mail the owner of an address that someone tried to take it (a sign-up, another
    account's change of address): the mail `kind`, once an hour at most (the limits of
    sign-ups and address changes bound the rest), and the audit `action` each time."""
    audit.record(session, action, customer_id=owner.id, ip=ip)
    recent = session.exec(
        select(OutboxEmail.id).where(
            OutboxEmail.customer_id == owner.id,
            OutboxEmail.kind == kind,
            OutboxEmail.created_at > clock.now() - timedelta(hours=1),
        )
    ).first()
    if recent is None:
        mailer.queue_for_customer(session, owner, kind)


# Sign-ups are slowed, never walled: from one client address, and for one email domain,
# the first of a day go through at once; past them, each must come a while after the
# one before: 1 minute, then 2, 4… up to an hour. An office behind one NAT signing its
# whole staff up is slowed, not stopped; a script making accounts is made very slow.
SIGNUPS_FREE_PER_ADDRESS = 5
SIGNUPS_FREE_PER_DOMAIN = 20
LONGEST_SIGNUP_WAIT = timedelta(hours=1)
# Millions of people share these: a domain count would stop strangers for each other.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "outlook.fr", "hotmail.com",
        "hotmail.fr", "live.com", "live.fr", "msn.com", "yahoo.com", "yahoo.fr",
        "icloud.com", "me.com", "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr", "neuf.fr",
        "laposte.net", "bbox.fr", "gmx.fr", "gmx.com", "proton.me", "protonmail.com",
    }
)  # fmt: skip


def _signup_wait(session: Session, since, **who) -> timedelta:
    """How long a sign-up of this address (ip=…) or domain (email=…) must still wait."""
    free = SIGNUPS_FREE_PER_ADDRESS if "ip" in who else SIGNUPS_FREE_PER_DOMAIN
    done = count_attempts(session, "signup", since, **who)
    if done < free:
        return timedelta(0)
    wait = min(timedelta(minutes=2 ** (done - free)), LONGEST_SIGNUP_WAIT)
    query = select(func.max(AuthAttempt.created_at)).where(AuthAttempt.kind == "signup")
    for column, value in who.items():
        query = query.where(getattr(AuthAttempt, column) == value)
    return session.exec(query).one() + wait - clock.now()


def _count_signup(ip: str, email: str) -> None:
    """Each sign-up costs a bcrypt hash and sends a mail: see the limits above. The
    attempt keeps the address's domain only (email column), never the address."""
    domain = "@" + email.rpartition("@")[2]
    with transaction() as session:
        serialize_on(session, f"signup:{ip}")
        since = clock.now() - timedelta(days=1)
        waits = [timedelta(0)]
        if ip:
            waits.append(_signup_wait(session, since, ip=ip))
        if domain[1:] not in PUBLIC_MAIL_DOMAINS:
            waits.append(_signup_wait(session, since, email=domain))
        if max(waits) > timedelta(0):
            raise InvalidInput({"form": "error.signup_wait"})
        session.add(
            AuthAttempt(kind="signup", email=domain, ip=ip, success=True, created_at=clock.now())
        )


def email_taken(session: Session, email: str, but: int | None = None) -> bool:
    query = select(Customer.id).where(Customer.email == email)
    if but is not None:
        query = query.where(Customer.id != but)
    return session.exec(query).first() is not None


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
    return consume_verification(token, ip=ip) is not None


def consume_verification(token: str, *, ip: str | None = None) -> int | None:
    """Consume a verification link: the id of the customer whose address it verified, or
    None (unknown, used, expired, or for an address the customer no longer has)."""
    if not token or len(token) > 200:
        return None
    with transaction() as session:
        row = unused_link(session, EmailVerification, token)
        if row is None:
            return None
        customer = session.get(Customer, row.customer_id)
        if customer is None or customer.email != row.email:
            return None
        if not use_once(session, EmailVerification, row.id):
            return None
        customer.email_verified_at = clock.now()
        customer.email_failing_at = None
        customer.email_failing_reason = None
        session.add(customer)
        audit.record(session, "account.email_verified", actor=customer, ip=ip)
        return customer.id
