"""The erasure of a customer's account at their request (GDPR): refused while something
is still owed either way; then invoices, credit notes and order forms are kept
(accounting law: they carry their own snapshot of the billing identity) and the rest is
erased or anonymised."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func
from sqlmodel import Session, col, select, update

from o2portal.accounts.models import (
    AuthAttempt,
    Customer,
    EmailVerification,
    LoginTicket,
    PasswordReset,
    PendingEmailChange,
    RecoveryCode,
    SavedCard,
    UserSession,
)
from o2portal.accounts.password_change import check_current_password
from o2portal.accounts.sessions import live_customer, revoke_sessions
from o2portal.billing.models import Order, OrderStatus
from o2portal.core import audit, clock
from o2portal.core.db import read_session, serialize_on, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.core.settings import get_settings
from o2portal.mail import outbox as mailer
from o2portal.mail.models import MailStatus, OutboxEmail
from o2portal.products.models import Product, ProductStatus
from o2portal.support.models import Ticket, TicketAttachment, TicketMessage

# A product in one of these states is still being provided: the account must stay.
ERASED = "[supprimé]"


@dataclass
class DeletionBlockers:
    live_products: int = 0
    unpaid_orders: int = 0
    credit_cents: int = 0

    @property
    def any(self) -> bool:
        return bool(self.live_products or self.unpaid_orders or self.credit_cents > 0)

    def errors(self) -> list[str]:
        """i18n keys of the reasons, in the order a person would deal with them."""
        keys = []
        if self.live_products:
            keys.append("error.delete_live_products")
        if self.unpaid_orders:
            keys.append("error.delete_unpaid_orders")
        if self.credit_cents > 0:
            keys.append("error.delete_credit_left")
        return keys


# SPEC: deleting an account is refused while a product is active or suspended (SPEC also
# names "pending", a status no product has). An expired domain does not block: it is
# released by itself after its grace period. Not LIVE_STATUSES, on purpose.
BLOCKING_DELETION = (ProductStatus.ACTIVE, ProductStatus.SUSPENDED)


def _blockers(session: Session, customer: Customer) -> DeletionBlockers:
    live = session.exec(
        select(func.count())
        .select_from(Product)
        .where(
            Product.customer_id == customer.id,
            col(Product.status).in_(BLOCKING_DELETION),
        )
    ).one()
    unpaid = session.exec(
        select(func.count())
        .select_from(Order)
        .where(Order.customer_id == customer.id, Order.status == OrderStatus.UNPAID)
    ).one()
    return DeletionBlockers(
        live_products=live, unpaid_orders=unpaid, credit_cents=customer.credit_balance_cents
    )


def deletion_blockers(customer_id: int) -> DeletionBlockers:
    with read_session() as session:
        return _blockers(session, live_customer(session, customer_id))


def delete_account(
    customer_id: int, password: str | None, confirmed: bool, *, ip: str = ""
) -> None:
    """Erase the account at its owner's request: refused while a product is live, an
    order form is unpaid or account credit is left (it is owed to the customer).

    Slow (bcrypt): call it off the event loop. Raises InvalidInput."""
    errors: dict[str, str] = {}
    if not password:
        errors["delete_password"] = "error.required"
    if not confirmed:
        errors["delete_confirm"] = "error.delete_confirm_required"
    if errors:
        raise InvalidInput(errors)
    blockers = deletion_blockers(customer_id)
    if blockers.any:
        raise InvalidInput({"delete": blockers.errors()[0]})
    check_current_password(customer_id, password, ip=ip, field="delete_password")
    with transaction() as session:
        serialize_on(session, f"customer:{customer_id}")
        customer = session.get(Customer, customer_id)
        if customer is None or customer.deleted_at is not None:
            raise NotAllowed(f"no customer {customer_id}")
        # Checked again inside the transaction: an order may have been made meanwhile.
        blockers = _blockers(session, customer)
        if blockers.any:
            raise InvalidInput({"delete": blockers.errors()[0]})
        old_email, first_name, language = customer.email, customer.first_name, customer.language
        _erase(session, customer)
        audit.record(session, "account.deleted", actor=customer, ip=ip)
        # The farewell is the one mail that still knows the address; it is not linked to
        # the account any more.
        mailer.queue_rendered(
            session,
            to=old_email,
            language=language,
            kind="account_deleted",
            first_name=first_name,
        )


# What an erased account keeps of the fields that say who it was and how to sign in to it:
# nothing (None where the column may be empty).
EMPTIED_ON_ERASURE = {
    "email_verified_at": None,
    "email_failing_at": None,
    "email_failing_reason": None,
    "password_hash": "",
    "first_name": "",
    "company_name": None,
    "siret": None,
    "vat_number": None,
    "phone": "",
    "address_line1": "",
    "address_line2": None,
    "postal_code": "",
    "city": "",
    "totp_secret": None,
    "totp_enabled_at": None,
}


def _erase(session: Session, customer: Customer) -> None:
    now = clock.now()
    cid = customer.id
    old_email = customer.email
    for name, empty in EMPTIED_ON_ERASURE.items():
        setattr(customer, name, empty)
    customer.email = f"supprime-{cid}@deleted.invalid"
    customer.last_name = f"Compte supprimé n° {cid}"
    customer.deleted_at = now
    session.add(customer)

    revoke_sessions(session, cid)
    session.exec(
        update(UserSession).where(UserSession.customer_id == cid).values(ip=None, user_agent=None)
    )
    for model in (PendingEmailChange, EmailVerification, PasswordReset, LoginTicket, RecoveryCode):
        session.exec(delete(model).where(model.customer_id == cid))
    session.exec(
        update(AuthAttempt)
        .where((AuthAttempt.customer_id == cid) | (AuthAttempt.email == old_email))
        .values(email="", ip="", user_agent=None)
    )
    # The account's own history keeps what happened and when, not where from nor the
    # addresses it named; what staff did stays as they recorded it.
    session.exec(
        update(AuditEvent)
        .where(
            AuditEvent.customer_id == cid,
            (AuditEvent.actor_id == cid) | col(AuditEvent.actor_id).is_(None),
        )
        .values(ip=None, details_json="{}")
    )
    session.exec(
        update(SavedCard)
        .where(SavedCard.customer_id == cid)
        .values(gateway_token="", removed_at=now)
    )
    # Mail already sent or waiting: no address, no text.
    session.exec(
        update(OutboxEmail)
        .where(OutboxEmail.customer_id == cid, OutboxEmail.status == MailStatus.PENDING)
        .values(status="failed", last_error="account deleted")
    )
    session.exec(
        update(OutboxEmail)
        .where(OutboxEmail.customer_id == cid)
        .values(to_addr="", body_text=ERASED)
    )
    _erase_tickets(session, customer)


def _erase_tickets(session: Session, customer: Customer) -> None:
    """What the customer wrote in tickets goes; the tickets stay closed, as statistics."""
    ticket_ids = list(session.exec(select(Ticket.id).where(Ticket.customer_id == customer.id)))
    if not ticket_ids:
        return
    own_messages = list(
        session.exec(
            select(TicketMessage.id).where(
                col(TicketMessage.ticket_id).in_(ticket_ids),
                TicketMessage.author_id == customer.id,
            )
        )
    )
    if own_messages:
        data_dir = Path(get_settings().data_dir).resolve()
        for attachment in session.exec(
            select(TicketAttachment).where(col(TicketAttachment.message_id).in_(own_messages))
        ):
            path = (data_dir / attachment.storage_path).resolve()
            if path.is_relative_to(data_dir):
                path.unlink(missing_ok=True)
            session.delete(attachment)
        session.exec(
            update(TicketMessage).where(col(TicketMessage.id).in_(own_messages)).values(body=ERASED)
        )
    session.exec(
        update(Ticket).where(col(Ticket.id).in_(ticket_ids)).values(subject=ERASED, status="closed")
    )
    session.exec(
        update(Ticket)
        .where(col(Ticket.id).in_(ticket_ids), col(Ticket.closed_at).is_(None))
        .values(closed_at=clock.now())
    )
