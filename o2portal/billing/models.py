"""Order forms, invoices, payments, credit notes and the gap-free numbering. Cents only."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from o2portal.core.types import created_at_field, utc_field

PAYMENT_METHODS = ("card", "credit", "transfer", "cheque")


class OrderStatus(StrEnum):
    UNPAID = "unpaid"
    PAID = "paid"
    CANCELLED = "cancelled"
    REFUSED = "refused"  # made for a card payment that was refused


ORDER_STATUSES = tuple(OrderStatus)


class PaymentStatus(StrEnum):
    PROCESSING = "processing"  # the gateway's answer awaited
    SUCCEEDED = "succeeded"
    DECLINED = "declined"  # the card was refused: failure_reason says how
    FAILED = "failed"  # no charge happened: voided


class Order(SQLModel, table=True):
    """An order form (bon de commande): what the customer asked for, before payment."""

    __tablename__ = "order_form"
    __audit_name__ = "order"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    kind: str = Field(max_length=12)  # order | renewal
    status: str = Field(default=OrderStatus.UNPAID, max_length=12, index=True)
    # Makes a second click, a replay or a second tab land on the same order.
    idempotency_key: str = Field(max_length=100, unique=True)
    payment_method: str | None = Field(default=None, max_length=12)
    promo_code_id: int | None = Field(default=None, foreign_key="promo_code.id", index=True)
    discount_cents: int = Field(default=0)
    total_ht_cents: int
    total_vat_cents: int
    total_ttc_cents: int
    vat_rate_bp: int  # basis points: 2000 = 20 %
    vat_mention: str | None = Field(default=None, max_length=300)
    # Billing identity as it was when ordering.
    billing_snapshot_json: str = Field(default="{}")
    # The check of the VAT number the reverse charge was granted on (integrations/vat.py):
    # valid | invalid | unavailable, and when; empty when no reverse charge.
    vat_check: str = Field(default="", max_length=16, sa_column_kwargs={"server_default": ""})
    vat_checked_at: datetime | None = utc_field()
    withdrawal_waived_at: datetime | None = utc_field()
    terms_accepted_at: datetime | None = utc_field()
    created_at: datetime = created_at_field()
    paid_at: datetime | None = utc_field()
    cancelled_at: datetime | None = utc_field()
    # The contact who placed this form for its holder (an order for a client, an
    # administrative contact's renewal): they may pay it with their own means while
    # their right lasts (billing/agents.py). The form and its invoice stay the holder's.
    agent_id: int | None = Field(default=None, foreign_key="customer.id", index=True)


class OrderLine(SQLModel, table=True):
    __tablename__ = "order_line"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order_form.id", index=True)
    # register | renew | transfer | restore | hosting | server
    action: str = Field(max_length=12)
    product_id: int | None = Field(default=None, foreign_key="product.id", index=True)
    description: str = Field(max_length=300)
    item_code: str = Field(max_length=253)  # tier, TLD or server model; domain name
    years: int = Field(default=1)
    quantity: int = Field(default=1)
    unit_price_ht_cents: int
    total_ht_cents: int
    vat_rate_bp: int
    details_json: str = Field(default="{}")


class NumberSequence(SQLModel, table=True):
    """One gap-free counter per document kind and year (F2026-000123, A2026-000004)."""

    __tablename__ = "number_sequence"

    kind: str = Field(primary_key=True, max_length=1)  # F invoice, A credit note (avoir)
    year: int = Field(primary_key=True)
    last_number: int = Field(default=0)


class Invoice(SQLModel, table=True):
    """An issued invoice. Never changes once written; corrections are credit notes."""

    __tablename__ = "invoice"
    __table_args__ = (UniqueConstraint("year", "sequence"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    year: int
    sequence: int
    order_id: int = Field(foreign_key="order_form.id", unique=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    issued_at: datetime = utc_field(nullable=False, index=True)
    paid_at: datetime = utc_field(nullable=False)
    payment_method: str = Field(max_length=12)
    total_ht_cents: int
    total_vat_cents: int
    total_ttc_cents: int
    vat_rate_bp: int
    vat_mention: str | None = Field(default=None, max_length=300)
    seller_snapshot_json: str
    customer_snapshot_json: str


class InvoiceLine(SQLModel, table=True):
    __tablename__ = "invoice_line"

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    description: str = Field(max_length=300)
    quantity: int
    unit_price_ht_cents: int
    vat_rate_bp: int
    total_ht_cents: int


class Payment(SQLModel, table=True):
    __tablename__ = "payment"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order_form.id", index=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    method: str = Field(max_length=12)
    amount_cents: int
    # processing (the gateway's answer awaited) | succeeded | declined (the card was
    # refused: failure_reason says how) | failed (no charge happened: voided)
    status: str = Field(max_length=12, index=True)
    # Also the payment's reference at the gateway.
    idempotency_key: str = Field(max_length=100, unique=True)
    gateway_ref: str | None = Field(default=None, max_length=100)
    card_last4: str | None = Field(default=None, max_length=4)
    failure_reason: str | None = Field(default=None, max_length=300)
    # Where the payment was asked from: card attempts are limited per address too.
    ip: str | None = Field(default=None, max_length=64)
    created_at: datetime = created_at_field()
    completed_at: datetime | None = utc_field()
    # Staff member who recorded a transfer or cheque.
    recorded_by_id: int | None = Field(default=None, foreign_key="customer.id", index=True)


class CreditNote(SQLModel, table=True):
    """An avoir: the only way to correct or refund an issued invoice."""

    __tablename__ = "credit_note"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    year: int
    sequence: int
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    issued_at: datetime = utc_field(nullable=False)
    reason: str = Field(max_length=500)
    total_ht_cents: int
    total_vat_cents: int
    total_ttc_cents: int
    vat_rate_bp: int
    refund_method: str = Field(max_length=12)  # credit | card | transfer
    issued_by_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    lines_json: str = Field(default="[]")


class CreditLedgerEntry(SQLModel, table=True):
    """Every move of a customer's account credit, signed, in cents."""

    __tablename__ = "credit_ledger_entry"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    amount_cents: int
    reason: str = Field(max_length=300)
    payment_id: int | None = Field(default=None, foreign_key="payment.id", index=True)
    credit_note_id: int | None = Field(default=None, foreign_key="credit_note.id", index=True)
    created_at: datetime = created_at_field()


class ClientOrderStatus(StrEnum):
    PROPOSED = "proposed"  # waiting for the client's answer
    ACCEPTED = "accepted"  # the order form is the client's, to pay
    REFUSED = "refused"
    EXPIRED = "expired"  # unanswered after billing/client_orders.py's PROPOSAL_DAYS
    CANCELLED = "cancelled"  # withdrawn by the contact before the answer
    REVOKED = "revoked"  # the client took the contact's right to pay it back


class ClientOrder(SQLModel, table=True):
    """An order a contact (a webmaster, an agency) proposes for a client's account: the
    client accepts it (an order form made out to them) or refuses it. Once the form is
    paid, by either of them, the products are the client's and the contact becomes
    their administrative contact (billing/client_orders.py)."""

    __tablename__ = "client_order"
    __audit_name__ = "client_order"
    __table_args__ = (
        Index("ix_client_order_client_status", "client_id", "status"),
        Index("ix_client_order_contact_status", "contact_id", "status"),
        Index("ix_client_order_status_expires", "status", "expires_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="customer.id")
    client_id: int = Field(foreign_key="customer.id")
    status: str = Field(default=ClientOrderStatus.PROPOSED, max_length=10)
    # The /order form that made it: the same form sent twice makes one proposal.
    idempotency_key: str = Field(max_length=100, unique=True)
    # The cart's intentions (billing/orders.py CartItem), priced for the client each time.
    items_json: str = Field(default="[]")
    created_at: datetime = created_at_field()
    expires_at: datetime = utc_field(nullable=False)
    decided_at: datetime | None = utc_field()
    order_id: int | None = Field(default=None, foreign_key="order_form.id", unique=True)


def _refuse_change(mapper, connection, target) -> None:
    raise ValueError(f"an issued {type(target).__name__} never changes: issue a credit note")


# Issued documents are write-once, whatever code tries otherwise.
for _model in (Invoice, InvoiceLine, CreditNote):
    event.listen(_model, "before_update", _refuse_change)
    event.listen(_model, "before_delete", _refuse_change)
