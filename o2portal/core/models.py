"""Who did what, when and from where."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from o2portal.core.types import created_at_field


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = created_at_field()
    actor_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    actor_role: str = Field(default="anonymous", max_length=16)
    # The customer the action concerns, for the customer's history.
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    action: str = Field(max_length=64, index=True)
    target_type: str | None = Field(default=None, max_length=32)
    target_id: int | None = None
    ip: str | None = Field(default=None, max_length=64)
    details_json: str = Field(default="{}")


class ActionReceipt(SQLModel, table=True):
    """An action done once for an idempotency key (a staff renewal by hand, say): a second
    submission of the same form reads this outcome instead of acting again."""

    __tablename__ = "action_receipt"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=100, unique=True)
    actor_id: int = Field(foreign_key="customer.id", index=True)
    action: str = Field(max_length=64)
    outcome_json: str = Field(default="{}", max_length=2000)
    created_at: datetime = created_at_field()


class Setting(SQLModel, table=True):
    """Settings staff change at run time (reminder schedule, seller identity), as JSON."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True, max_length=64)
    value_json: str = Field(default="null")
    updated_at: datetime = created_at_field()
