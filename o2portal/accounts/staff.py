"""Staff work on customers: search, the full picture of one, edits, disabling, reset
links and acting as the customer. Every function takes the staff member and checks the
role itself; every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import col, select

from o2portal.accounts import sessions
from o2portal.accounts.customer_search import customer_conditions
from o2portal.accounts.identity import IDENTITY_FIELDS, check_identity
from o2portal.accounts.models import AuthAttempt, Customer, LoginTicket, UserSession
from o2portal.accounts.password_reset import mail_reset_link, new_reset_link
from o2portal.accounts.passwords import hash_password, new_token, token_hash
from o2portal.billing.models import Invoice, Order, OrderStatus
from o2portal.core import audit, clock
from o2portal.core.db import existing, read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.paging import Page, paginate
from o2portal.core.permissions import Actor
from o2portal.core.validation import (
    clean_email,
    clean_text,
    gathered,
)
from o2portal.mail import outbox as mailer
from o2portal.mail.models import OutboxEmail
from o2portal.products.models import Product
from o2portal.support.models import Ticket

PAGE_SIZE = 25
DETAIL_LIMIT = 50


def search_customers(actor: Actor, query: str = "", page: int = 1) -> Page:
    """By name, company, email or domain (prefix match on indexed columns), 25 a page."""
    with read_session() as session:
        actor.staff()
        where = customer_conditions(query)
        found = paginate(
            session,
            select(Customer).where(*where).order_by(Customer.last_name, Customer.id),
            page,
            size=PAGE_SIZE,
            count=select(func.count()).select_from(Customer).where(*where),
        )
    return found


@dataclass
class CustomerFile:
    customer: Customer
    products: list[Product]
    invoices: list[Invoice]
    unpaid: list[Order]
    tickets: list[Ticket]
    mails: list[OutboxEmail]
    sign_ins: list[AuthAttempt]


def customer_file(actor: Actor, customer_id: int) -> CustomerFile:
    with read_session() as session:
        actor.staff()
        customer = existing(session, Customer, customer_id, "no such customer")

        def latest(model, *where, order):
            return list(
                session.exec(select(model).where(*where).order_by(order).limit(DETAIL_LIMIT)).all()
            )

        return CustomerFile(
            customer=customer,
            products=latest(Product, Product.customer_id == customer_id, order=Product.expiry_date),
            invoices=latest(
                Invoice, Invoice.customer_id == customer_id, order=col(Invoice.issued_at).desc()
            ),
            unpaid=latest(
                Order,
                Order.customer_id == customer_id,
                Order.status == OrderStatus.UNPAID,
                order=col(Order.created_at).desc(),
            ),
            tickets=latest(
                Ticket, Ticket.customer_id == customer_id, order=col(Ticket.updated_at).desc()
            ),
            mails=latest(
                OutboxEmail,
                OutboxEmail.customer_id == customer_id,
                order=col(OutboxEmail.id).desc(),
            ),
            sign_ins=latest(
                AuthAttempt,
                AuthAttempt.customer_id == customer_id,
                AuthAttempt.kind == "login",
                order=col(AuthAttempt.created_at).desc(),
            ),
        )


EDITABLE = (*IDENTITY_FIELDS, "email")


def update_customer(actor: Actor, customer_id: int, form: dict[str, str], *, ip=None) -> None:
    """Admin edits a customer's fiche: the identity with the same validator as sign-up and
    Ma fiche (same input, same answer), and the email; nothing saved on an error. A form
    without an account type keeps the customer's."""
    with read_session() as session:
        current = session.get(Customer, customer_id)
        current_type = current.account_type if current is not None else None
    errors: dict[str, str] = {}
    identity = gathered(errors, lambda: check_identity({"account_type": current_type, **form}), {})
    email = gathered(errors, lambda: clean_email(form.get("email")))
    if errors:
        raise InvalidInput(errors)
    changes = {**identity, "email": email}
    with transaction() as session:
        staff = actor.admin()
        customer = session.get(Customer, customer_id)
        if customer is None or customer.is_staff:
            raise NotAllowed("not a customer")
        if (
            changes["email"] != customer.email
            and session.exec(select(Customer.id).where(Customer.email == changes["email"])).first()
        ):
            raise InvalidInput({"email": "error.email_taken"})
        before = {k: getattr(customer, k) for k in EDITABLE}
        for key, value in changes.items():
            setattr(customer, key, value)
        if before["email"] != customer.email:
            customer.email_verified_at = None
            customer.email_failing_at = None
        session.add(customer)
        audit.about(
            session,
            "staff.customer_edited",
            customer,
            actor=staff,
            ip=ip,
            changed={k: [before[k], v] for k, v in changes.items() if before[k] != v},
        )


def set_disabled(actor: Actor, customer_id: int, disabled: bool, reason: str, *, ip=None) -> None:
    reason = clean_text("reason", reason, required=True, max_length=300)
    with transaction() as session:
        staff = actor.admin()
        customer = session.get(Customer, customer_id)
        if customer is None or customer.id == staff.id:
            raise NotAllowed("cannot disable this account")
        customer.disabled_at = clock.now() if disabled else None
        session.add(customer)
        renewals_off = []
        if disabled:
            sessions.revoke_sessions(session, customer.id)
            sessions.end_acting_sessions(session, customer.id)
            renewals_off = _auto_renew_off(session, customer.id)
        audit.about(
            session,
            "staff.customer_disabled" if disabled else "staff.customer_enabled",
            customer,
            actor=staff,
            ip=ip,
            reason=reason,
            **({"auto_renew_off": renewals_off} if renewals_off else {}),
        )


def _auto_renew_off(session, customer_id: int) -> list[int]:
    """A disabled account is charged nothing more: its auto-renewals stop (enabling it
    again does not turn them back on; the customer chooses)."""
    products = session.exec(
        select(Product).where(Product.customer_id == customer_id, col(Product.auto_renew).is_(True))
    ).all()
    for product in products:
        product.auto_renew = False
        session.add(product)
    return [product.id for product in products]


# The set-password link of an account opened by staff: three days to find the mail.
SET_PASSWORD_HOURS = 72


def create_customer(actor: Actor, form: dict[str, str], *, ip=None) -> int:
    """Admin opens an account for a customer (by phone, at the counter): the identity with
    the same validator as sign-up, and the email, which must be free. The account has no
    usable password: the customer is mailed a link to choose one, good for three days,
    which also proves the address. Nothing saved on an error. Returns the new id.

    Slow (bcrypt): call it off the event loop."""
    errors: dict[str, str] = {}
    identity = gathered(errors, lambda: check_identity(form), {})
    email = gathered(errors, lambda: clean_email(form.get("email")))
    language = form.get("language") if form.get("language") in ("fr", "en") else "fr"
    if errors:
        raise InvalidInput(errors)
    unusable = hash_password(new_token())
    with transaction() as session:
        staff = actor.admin()
        if session.exec(select(Customer.id).where(Customer.email == email)).first():
            raise InvalidInput({"email": "error.email_taken"})
        customer = Customer(
            **identity,
            email=email,
            password_hash=unusable,
            role="customer",
            language=language,
            created_at=clock.now(),
        )
        session.add(customer)
        session.flush()
        mailer.queue_for_customer(
            session,
            customer,
            "account_opened",
            email=customer.email,
            set_password_link=new_reset_link(
                session, customer, ip=ip, minutes=SET_PASSWORD_HOURS * 60
            ),
            hours=SET_PASSWORD_HOURS,
        )
        audit.about(session, "staff.customer_created", customer, actor=staff, ip=ip)
        return customer.id


def send_reset_link(actor: Actor, customer_id: int, *, ip=None) -> None:
    with transaction() as session:
        staff = actor.staff()
        customer = session.get(Customer, customer_id)
        if customer is None or customer.disabled_at is not None:
            raise NotAllowed("no such active customer")
        mail_reset_link(session, customer, ip=ip)
        audit.about(session, "staff.reset_link_sent", customer, actor=staff, ip=ip)


def start_acting_as(actor: Actor, customer_id: int, *, ip=None, user_agent: str = "") -> str:
    """A one-time login ticket for the customer's account, marked with who really acts."""
    ticket = new_token()
    with transaction() as session:
        staff = actor.admin()
        customer = session.get(Customer, customer_id)
        if customer is None or customer.is_staff or customer.disabled_at is not None:
            raise NotAllowed("cannot act as this account")
        session.add(
            LoginTicket(
                customer_id=customer.id,
                ticket_hash=token_hash(ticket),
                next_path="/",
                created_at=clock.now(),
                expires_at=clock.now() + timedelta(seconds=60),
                impersonator_id=staff.id,
                ip=ip,
                user_agent=user_agent[:300],
            )
        )
        audit.about(session, "staff.act_as_start", customer, actor=staff, ip=ip)
    return ticket


def stop_acting_as(session_token: str | None, *, ip=None) -> str | None:
    """End an acting session and hand the staff member a ticket back to their own account."""
    current = sessions.resolve_session(session_token)
    if current is None or current.impersonator_id is None:
        return None
    ticket = new_token()
    with transaction() as session:
        row = session.get(UserSession, current.session_id)
        row.revoked_at = clock.now()
        session.add(row)
        staff = session.get(Customer, current.impersonator_id)
        session.add(
            LoginTicket(
                customer_id=staff.id,
                ticket_hash=token_hash(ticket),
                next_path=f"/admin/customers/{current.customer.id}",
                created_at=clock.now(),
                expires_at=clock.now() + timedelta(seconds=60),
                ip=ip,
                second_factor_done=True,
            )
        )
        audit.record(
            session,
            "staff.act_as_stop",
            actor=staff,
            customer_id=current.customer.id,
            target_type="customer",
            target_id=current.customer.id,
            ip=ip,
        )
    return ticket
