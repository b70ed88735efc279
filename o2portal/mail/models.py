"""The outbox: every email o2portal sends is written here first."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from o2portal.core.types import created_at_field, utc_field


class MailStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


MAIL_STATUSES = tuple(MailStatus)


class OutboxEmail(SQLModel, table=True):
    __tablename__ = "outbox_email"
    __table_args__ = (Index("ix_outbox_status_next_attempt", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    kind: str = Field(max_length=40, index=True)
    to_addr: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body_text: str
    status: str = Field(default=MailStatus.PENDING, max_length=10, index=True)
    attempts: int = Field(default=0)
    next_attempt_at: datetime | None = utc_field(index=True)
    last_error: str | None = Field(default=None, max_length=1000)
    # The mass mail this one belongs to: the outbox sends those at the set pace.
    campaign_id: int | None = Field(default=None, foreign_key="mail_campaign.id", index=True)
    # Makes a mail that must go once (a reminder stage) impossible to queue twice.
    dedupe_key: str | None = Field(default=None, max_length=200, unique=True)
    created_at: datetime = created_at_field()
    sent_at: datetime | None = utc_field()


class MailTemplate(SQLModel, table=True):
    """Staff's text of one mail kind in one language, used instead of the file's."""

    __tablename__ = "mail_template"

    kind: str = Field(primary_key=True, max_length=40)
    language: str = Field(primary_key=True, max_length=5)
    subject: str = Field(max_length=300)
    body: str
    updated_by: int | None = Field(default=None, foreign_key="customer.id")
    updated_at: datetime = created_at_field()


class MailCampaign(SQLModel, table=True):
    """A mass mail to a segment of customers: one outbox mail per recipient."""

    __tablename__ = "mail_campaign"

    id: int | None = Field(default=None, primary_key=True)
    # The form's idempotency key: the same form sent twice makes one campaign.
    key: str = Field(max_length=80, unique=True)
    subject: str = Field(max_length=300)
    body: str
    segment_json: str = Field(max_length=2000)
    recipients: int = Field(default=0)
    created_by: int = Field(foreign_key="customer.id")
    created_at: datetime = created_at_field()
