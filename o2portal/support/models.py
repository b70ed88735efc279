"""Support tickets, their messages and attachments."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from o2portal.core.types import created_at_field, utc_field

DEPARTMENTS = ("technique", "facturation", "commercial")
PRIORITIES = ("basse", "normale", "haute", "urgente")


class TicketStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    AWAITING_CUSTOMER = "awaiting_customer"
    CLOSED = "closed"


TICKET_STATUSES = tuple(TicketStatus)


class Ticket(SQLModel, table=True):
    __tablename__ = "ticket"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    subject: str = Field(max_length=200)
    department: str = Field(max_length=16, index=True)
    priority: str = Field(default="normale", max_length=10)
    status: str = Field(default=TicketStatus.OPEN, max_length=20, index=True)
    product_id: int | None = Field(default=None, foreign_key="product.id", index=True)
    assigned_to_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
    closed_at: datetime | None = utc_field()
    # When an escalation rule sent it to the admins; cleared by the next staff reply, so
    # a ticket escalates at most once per wait.
    escalated_at: datetime | None = utc_field()

    # The auto-close job reads tickets awaiting the customer by age through this index.
    __table_args__ = (Index("ix_ticket_status_updated_at", "status", "updated_at"),)


class TicketMessage(SQLModel, table=True):
    __tablename__ = "ticket_message"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    author_id: int = Field(foreign_key="customer.id", index=True)
    is_staff: bool = Field(default=False)
    # Staff-only note: never reaches the customer.
    is_internal: bool = Field(default=False)
    body: str = Field(max_length=50000)  # Markdown, rendered safely
    created_at: datetime = created_at_field()
    # The form's one-time key: a double click or a replayed event posts the message once.
    submit_key: str | None = Field(default=None, max_length=64, unique=True, index=True)


class TicketAttachment(SQLModel, table=True):
    __tablename__ = "ticket_attachment"

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="ticket_message.id", index=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    size_bytes: int
    sha256: str = Field(max_length=64)
    # Relative to the private data directory, never under assets/.
    storage_path: str = Field(max_length=300)
    created_at: datetime = created_at_field()


class CustomerNote(SQLModel, table=True):
    """A staff note pinned to a customer's file and shown on their tickets; customers
    never see it. Removed notes are kept (who removed them and when) for the audit."""

    __tablename__ = "customer_note"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    author_id: int = Field(foreign_key="customer.id")
    body: str = Field(max_length=1000)
    created_at: datetime = created_at_field()
    removed_at: datetime | None = utc_field()
    removed_by_id: int | None = Field(default=None, foreign_key="customer.id")


class CannedReply(SQLModel, table=True):
    """A reply text admins prepare for staff, with variables such as {prenom}."""

    __tablename__ = "canned_reply"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=100, unique=True)
    body: str = Field(max_length=5000)
    # "" fits every department.
    department: str = Field(default="", max_length=16)
    updated_at: datetime = created_at_field()
    updated_by_id: int | None = Field(default=None, foreign_key="customer.id")


class EscalationRule(SQLModel, table=True):
    """An open ticket of this department ("" = any) and priority that waits for staff
    longer than `after_minutes` goes to the admins."""

    __tablename__ = "escalation_rule"

    id: int | None = Field(default=None, primary_key=True)
    department: str = Field(default="", max_length=16)
    priority: str = Field(max_length=10)
    after_minutes: int
    created_at: datetime = created_at_field()
