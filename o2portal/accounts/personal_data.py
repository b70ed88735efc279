"""The customer's personal data (GDPR): a copy of everything o2portal holds about them.
The erasure of their account is accounts/erasure.py (its names are imported here as
`name as name` for the web package, which still names them personal_data.<name>).

The export holds only rows that belong to the customer, and nothing secret (password
hash, second-factor secret, token hashes, transfer codes, card tokens) nor anything about
someone else (staff names, staff addresses, internal notes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from o2portal.accounts.erasure import DeletionBlockers as DeletionBlockers
from o2portal.accounts.erasure import delete_account as delete_account
from o2portal.accounts.erasure import deletion_blockers as deletion_blockers
from o2portal.accounts.identity import IDENTITY_FIELDS
from o2portal.accounts.models import (
    AuthAttempt,
    Customer,
    PendingEmailChange,
    RecoveryCode,
    SavedCard,
    UserSession,
)
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
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.core.permissions import Actor
from o2portal.mail import outbox as mailer
from o2portal.mail.models import OutboxEmail
from o2portal.products.models import Product
from o2portal.support.models import Ticket, TicketAttachment, TicketMessage

EXPORT_FORMAT = "o2portal-personal-data/1"


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
    *IDENTITY_FIELDS,
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
            "order_forms": _documents(session, customer_id, _ORDERS),
            "invoices": _documents(session, customer_id, _INVOICES),
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
                # The link to a new address is not listed (pending_email_changes holds
                # the request): an address another account holds gets none, and the
                # export must not tell which addresses those are.
                if r.kind != "email_change"
            ],
            "activity": _activity(session, customer_id),
        }
    return data


def export_json(actor: Actor) -> bytes:
    """The export, for the customer themselves only: never for staff acting as them."""
    if actor.on_behalf_of is not None:
        raise NotAllowed("no personal-data export while acting as the customer")
    return json.dumps(
        export_personal_data(actor.id), ensure_ascii=False, indent=2, default=str
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


def _grouped_rows(
    session: Session, model, parent: str, parents: list, fields: tuple[str, ...]
) -> dict[int, list[dict]]:
    """The rows of `model` (order or invoice lines, attachments) that belong to `parents`
    through their column `parent`, as `fields`, grouped by the parent's id."""
    column = getattr(model, parent)
    found = session.exec(
        select(model)
        .where(col(column).in_([p.id for p in parents] or [-1]))
        .order_by(col(model.id))
    ).all()
    grouped: dict[int, list] = {}
    for row in found:
        grouped.setdefault(getattr(row, parent), []).append(_row(row, fields))
    return grouped


# A document's totals, as an order and its invoice both carry them.
_TOTALS = ("total_ht_cents", "total_vat_cents", "total_ttc_cents", "vat_rate_bp", "vat_mention")
_ORDER_LINE_FIELDS = (
    "action",
    "description",
    "item_code",
    "years",
    "quantity",
    "unit_price_ht_cents",
    "total_ht_cents",
    "vat_rate_bp",
)
_ORDER_FIELDS = (
    "id",
    "kind",
    "status",
    "payment_method",
    "discount_cents",
    *_TOTALS,
    "withdrawal_waived_at",
    "terms_accepted_at",
    "created_at",
    "paid_at",
    "cancelled_at",
)
_INVOICE_LINE_FIELDS = (
    "description",
    "quantity",
    "unit_price_ht_cents",
    "vat_rate_bp",
    "total_ht_cents",
)
_INVOICE_FIELDS = (
    "id",
    "number",
    "order_id",
    "issued_at",
    "paid_at",
    "payment_method",
    *_TOTALS,
)


@dataclass(frozen=True)
class _Documents:
    """Billing documents of one kind (order forms, invoices) as the export shows them:
    `fields` of each, the JSON snapshot kept at the time (`column`) under `snapshot`, and
    its lines (`line_model`, pointing to it by `parent`) as `line_fields`."""

    model: type
    fields: tuple[str, ...]
    snapshot: str
    column: str
    line_model: type
    parent: str
    line_fields: tuple[str, ...]


_ORDERS = _Documents(
    Order,
    _ORDER_FIELDS,
    snapshot="billing_identity",
    column="billing_snapshot_json",
    line_model=OrderLine,
    parent="order_id",
    line_fields=_ORDER_LINE_FIELDS,
)
_INVOICES = _Documents(
    Invoice,
    _INVOICE_FIELDS,
    snapshot="customer",
    column="customer_snapshot_json",
    line_model=InvoiceLine,
    parent="invoice_id",
    line_fields=_INVOICE_LINE_FIELDS,
)


def _documents(session: Session, customer_id: int, kind: _Documents) -> list[dict]:
    documents = _mine(session, kind.model, customer_id)
    lines = _grouped_rows(session, kind.line_model, kind.parent, documents, kind.line_fields)
    return [
        _row(
            d,
            kind.fields,
            **{kind.snapshot: _json_or_text(getattr(d, kind.column))},
            lines=lines.get(d.id, []),
        )
        for d in documents
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
    files = _grouped_rows(
        session,
        TicketAttachment,
        "message_id",
        messages,
        ("filename", "content_type", "size_bytes", "sha256", "created_at"),
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
