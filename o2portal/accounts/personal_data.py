"""The customer's personal data (GDPR): a copy of everything o2portal holds about them,
and the erasure of their account.

The export holds only rows that belong to the customer, and nothing secret (password
hash, second-factor secret, token hashes, transfer codes, card tokens) nor anything about
someone else (staff names, staff addresses, internal notes).

Erasure keeps invoices, credit notes and order forms (accounting law: they carry their
own snapshot of the billing identity) and erases or anonymises the rest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, func
from sqlmodel import Session, col, select, update

from o2portal.accounts.auth import revoke_sessions
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
from o2portal.accounts.profile import check_current_password
from o2portal.billing.models import (
    CreditLedgerEntry,
    CreditNote,
    Invoice,
    InvoiceLine,
    Order,
    OrderLine,
    Payment,
)
from o2portal.core import audit, clock
from o2portal.core.db import read_session, serialize_on, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.core.settings import get_settings
from o2portal.mail import outbox as mailer
from o2portal.mail.models import OutboxEmail
from o2portal.products.models import Product
from o2portal.support.models import Ticket, TicketAttachment, TicketMessage

EXPORT_FORMAT = "o2portal-personal-data/1"
# A product in one of these states is still being provided: the account must stay.
LIVE_PRODUCT_STATUSES = ("pending", "active", "suspended")
ERASED = "[supprimé]"


# ---------------------------------------------------------------- export


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(obj, fields: tuple[str, ...], **extra) -> dict:
    data = {name: _plain(getattr(obj, name)) for name in fields}
    data.update(extra)
    return data


def _json_or_text(text: str | None):
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


_ACCOUNT_FIELDS = (
    "id",
    "email",
    "email_verified_at",
    "email_failing_at",
    "email_failing_reason",
    "account_type",
    "first_name",
    "last_name",
    "company_name",
    "siret",
    "vat_number",
    "phone",
    "address_line1",
    "address_line2",
    "postal_code",
    "city",
    "country",
    "language",
    "credit_balance_cents",
    "terms_accepted_at",
    "created_at",
)
_PRODUCT_FIELDS = (
    "id",
    "kind",
    "name",
    "offer_code",
    "status",
    "start_date",
    "expiry_date",
    "auto_renew",
    "hosting_username",
    "hosting_server",
    "quota_disk_mb",
    "quota_email_accounts",
    "quota_databases",
    "registrar_lock",
    "ip_address",
    "suspended_at",
    "terminated_at",
    "created_at",
)


def export_personal_data(customer_id: int) -> dict:
    """Everything o2portal holds about this customer, as plain JSON-ready data."""
    with read_session() as session:
        customer = session.get(Customer, customer_id)
        if customer is None or customer.deleted_at is not None:
            raise NotAllowed(f"no customer {customer_id}")
        data = {
            "format": EXPORT_FORMAT,
            "generated_at": clock.now().isoformat(),
            "account": _row(
                customer,
                _ACCOUNT_FIELDS,
                second_factor_enabled_at=_plain(customer.totp_enabled_at),
            ),
            "pending_email_changes": [
                _row(r, ("new_email", "created_at", "expires_at", "used_at"))
                for r in _mine(session, PendingEmailChange, customer_id)
            ],
            "sessions": [
                _row(
                    r,
                    ("created_at", "last_seen_at", "expires_at", "revoked_at", "ip", "user_agent"),
                    opened_by_staff=r.impersonator_id is not None,
                )
                for r in _mine(session, UserSession, customer_id)
            ],
            "sign_in_attempts": [
                _row(r, ("kind", "email", "ip", "user_agent", "success", "created_at"))
                for r in _mine(session, AuthAttempt, customer_id)
            ],
            "recovery_codes": [
                _row(r, ("created_at", "used_at"))
                for r in _mine(session, RecoveryCode, customer_id)
            ],
            "saved_cards": [
                _row(r, ("brand", "last4", "exp_month", "exp_year", "created_at", "removed_at"))
                for r in _mine(session, SavedCard, customer_id)
            ],
            "products": [
                _row(
                    r,
                    _PRODUCT_FIELDS,
                    nameservers=_json_or_text(r.nameservers_json),
                    server_specs=_json_or_text(r.server_specs_json),
                )
                for r in _mine(session, Product, customer_id)
            ],
            "order_forms": _orders(session, customer_id),
            "invoices": _invoices(session, customer_id),
            "credit_notes": [
                _row(
                    r,
                    (
                        "number",
                        "issued_at",
                        "reason",
                        "total_ht_cents",
                        "total_vat_cents",
                        "total_ttc_cents",
                        "vat_rate_bp",
                        "refund_method",
                    ),
                    invoice_id=r.invoice_id,
                    lines=_json_or_text(r.lines_json),
                )
                for r in _mine(session, CreditNote, customer_id)
            ],
            "payments": [
                _row(
                    r,
                    (
                        "order_id",
                        "method",
                        "amount_cents",
                        "status",
                        "card_last4",
                        "failure_reason",
                        "created_at",
                        "completed_at",
                    ),
                )
                for r in _mine(session, Payment, customer_id)
            ],
            "credit_ledger": [
                _row(r, ("amount_cents", "reason", "created_at"))
                for r in _mine(session, CreditLedgerEntry, customer_id)
            ],
            "tickets": _tickets(session, customer_id),
            "emails": [
                _row(
                    r,
                    ("kind", "to_addr", "subject", "status", "created_at", "sent_at"),
                    # Links in mails are secrets (a reset link, say): never in a file.
                    body=mailer._TOKEN_LINK.sub(r"\1[retiré]", r.body_text or ""),
                )
                for r in _mine(session, OutboxEmail, customer_id)
            ],
            "activity": _activity(session, customer_id),
        }
    return data


def export_json(customer_id: int) -> bytes:
    return json.dumps(
        export_personal_data(customer_id), ensure_ascii=False, indent=2, default=str
    ).encode("utf-8")


def record_export(customer_id: int, *, ip: str | None = None) -> None:
    with transaction() as session:
        customer = session.get(Customer, customer_id)
        audit.record(session, "profile.data_exported", actor=customer, ip=ip)


def _mine(session: Session, model, customer_id: int) -> list:
    return list(
        session.exec(
            select(model).where(model.customer_id == customer_id).order_by(col(model.id))
        ).all()
    )


def _orders(session: Session, customer_id: int) -> list[dict]:
    orders = _mine(session, Order, customer_id)
    lines = session.exec(
        select(OrderLine)
        .where(col(OrderLine.order_id).in_([o.id for o in orders] or [-1]))
        .order_by(col(OrderLine.id))
    ).all()
    by_order: dict[int, list] = {}
    for line in lines:
        by_order.setdefault(line.order_id, []).append(
            _row(
                line,
                (
                    "action",
                    "description",
                    "item_code",
                    "years",
                    "quantity",
                    "unit_price_ht_cents",
                    "total_ht_cents",
                    "vat_rate_bp",
                ),
            )
        )
    return [
        _row(
            o,
            (
                "id",
                "kind",
                "status",
                "payment_method",
                "discount_cents",
                "total_ht_cents",
                "total_vat_cents",
                "total_ttc_cents",
                "vat_rate_bp",
                "vat_mention",
                "withdrawal_waived_at",
                "terms_accepted_at",
                "created_at",
                "paid_at",
                "cancelled_at",
            ),
            billing_identity=_json_or_text(o.billing_snapshot_json),
            lines=by_order.get(o.id, []),
        )
        for o in orders
    ]


def _invoices(session: Session, customer_id: int) -> list[dict]:
    invoices = _mine(session, Invoice, customer_id)
    lines = session.exec(
        select(InvoiceLine)
        .where(col(InvoiceLine.invoice_id).in_([i.id for i in invoices] or [-1]))
        .order_by(col(InvoiceLine.id))
    ).all()
    by_invoice: dict[int, list] = {}
    for line in lines:
        by_invoice.setdefault(line.invoice_id, []).append(
            _row(
                line,
                ("description", "quantity", "unit_price_ht_cents", "vat_rate_bp", "total_ht_cents"),
            )
        )
    return [
        _row(
            i,
            (
                "id",
                "number",
                "order_id",
                "issued_at",
                "paid_at",
                "payment_method",
                "total_ht_cents",
                "total_vat_cents",
                "total_ttc_cents",
                "vat_rate_bp",
                "vat_mention",
            ),
            customer=_json_or_text(i.customer_snapshot_json),
            lines=by_invoice.get(i.id, []),
        )
        for i in invoices
    ]


def _tickets(session: Session, customer_id: int) -> list[dict]:
    tickets = _mine(session, Ticket, customer_id)
    ids = [t.id for t in tickets] or [-1]
    # Staff-only notes never reach the customer, not even here.
    messages = session.exec(
        select(TicketMessage)
        .where(col(TicketMessage.ticket_id).in_(ids), col(TicketMessage.is_internal).is_(False))
        .order_by(col(TicketMessage.id))
    ).all()
    attachments = session.exec(
        select(TicketAttachment)
        .where(col(TicketAttachment.message_id).in_([m.id for m in messages] or [-1]))
        .order_by(col(TicketAttachment.id))
    ).all()
    files: dict[int, list] = {}
    for a in attachments:
        files.setdefault(a.message_id, []).append(
            _row(a, ("filename", "content_type", "size_bytes", "sha256", "created_at"))
        )
    thread: dict[int, list] = {}
    for m in messages:
        thread.setdefault(m.ticket_id, []).append(
            {
                # Who on the staff answered is their business, not part of this copy.
                "from": "staff" if m.is_staff else "customer",
                "body": m.body,
                "created_at": _plain(m.created_at),
                "attachments": files.get(m.id, []),
            }
        )
    return [
        _row(
            t,
            ("id", "subject", "department", "priority", "status", "product_id", "created_at"),
            closed_at=_plain(t.closed_at),
            messages=thread.get(t.id, []),
        )
        for t in tickets
    ]


def _activity(session: Session, customer_id: int) -> list[dict]:
    events = session.exec(
        select(AuditEvent).where(AuditEvent.customer_id == customer_id).order_by(col(AuditEvent.id))
    ).all()
    out = []
    for e in events:
        own = e.actor_id == customer_id
        entry = {
            "action": e.action,
            "created_at": _plain(e.created_at),
            "by": "customer" if own else ("staff" if e.actor_role != "anonymous" else "system"),
        }
        # A staff member's address and notes are theirs, not the customer's.
        if own or e.actor_id is None:
            entry["ip"] = e.ip
            entry["details"] = _json_or_text(e.details_json)
        out.append(entry)
    return out


# ---------------------------------------------------------------- erasure


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


def _blockers(session: Session, customer: Customer) -> DeletionBlockers:
    live = session.exec(
        select(func.count())
        .select_from(Product)
        .where(
            Product.customer_id == customer.id,
            col(Product.status).in_(LIVE_PRODUCT_STATUSES),
        )
    ).one()
    unpaid = session.exec(
        select(func.count())
        .select_from(Order)
        .where(Order.customer_id == customer.id, Order.status == "unpaid")
    ).one()
    return DeletionBlockers(
        live_products=live, unpaid_orders=unpaid, credit_cents=customer.credit_balance_cents
    )


def deletion_blockers(customer_id: int) -> DeletionBlockers:
    with read_session() as session:
        customer = session.get(Customer, customer_id)
        if customer is None or customer.deleted_at is not None:
            raise NotAllowed(f"no customer {customer_id}")
        return _blockers(session, customer)


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


def _erase(session: Session, customer: Customer) -> None:
    now = clock.now()
    cid = customer.id
    old_email = customer.email
    customer.email = f"supprime-{cid}@deleted.invalid"
    customer.email_verified_at = None
    customer.email_failing_at = None
    customer.email_failing_reason = None
    customer.password_hash = ""
    customer.first_name = ""
    customer.last_name = f"Compte supprimé n° {cid}"
    customer.company_name = None
    customer.siret = None
    customer.vat_number = None
    customer.phone = ""
    customer.address_line1 = ""
    customer.address_line2 = None
    customer.postal_code = ""
    customer.city = ""
    customer.totp_secret = None
    customer.totp_enabled_at = None
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
        .where(OutboxEmail.customer_id == cid, OutboxEmail.status == "pending")
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
