"""The built-in providers' own books: the local registry, the local hosting panel and the
local test card gateway. A real provider keeps these on its side."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from o2portal.core.types import created_at_field, utc_field


class RegistryDomain(SQLModel, table=True):
    """The built-in registrar's own book of registered domains."""

    __tablename__ = "registry_domain"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=253, unique=True)
    reserved: bool = Field(default=False)
    holder_ref: str | None = Field(default=None, max_length=100)
    registered_at: datetime = created_at_field()
    expires_on: date | None = None
    released_at: datetime | None = utc_field()
    locked: bool = Field(default=True, sa_column_kwargs={"server_default": "1"})
    auth_code: str | None = Field(default=None, max_length=64)
    nameservers_json: str | None = Field(default=None, max_length=2000)


class ProviderRequest(SQLModel, table=True):
    """The built-in providers' answers by request id: the same request id gets the first
    answer back, never a second registration, renewal or account."""

    __tablename__ = "provider_request"
    __table_args__ = (UniqueConstraint("provider", "request_id"),)

    id: int | None = Field(default=None, primary_key=True)
    provider: str = Field(max_length=20)
    request_id: str = Field(max_length=120)
    answer_json: str = Field(max_length=4000)
    created_at: datetime = created_at_field()


class ProvisionedAccount(SQLModel, table=True):
    """The built-in control panel's own book of hosting accounts."""

    __tablename__ = "provisioned_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=32, unique=True)
    server: str = Field(max_length=100)
    main_domain: str = Field(max_length=253)
    status: str = Field(default="active", max_length=12)
    created_at: datetime = created_at_field()


class GatewayCard(SQLModel, table=True):
    """The built-in test gateway's vault: what a card token stands for. Never the number."""

    __tablename__ = "gateway_card"

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=100, unique=True)
    brand: str = Field(max_length=20)
    last4: str = Field(max_length=4)
    exp_month: int
    exp_year: int
    # How the test number behaves: succeeds | declined | retry | lost
    behaviour: str = Field(max_length=12)
    # The card number's hash: one card tokenized twice is still one card.
    fingerprint: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    created_at: datetime = created_at_field()


class GatewayCharge(SQLModel, table=True):
    """The built-in test gateway's own book of charge attempts."""

    __tablename__ = "gateway_charge"

    id: int | None = Field(default=None, primary_key=True)
    # The payer's idempotency reference: the same reference gets the first answer back.
    reference: str = Field(max_length=120, index=True)
    amount_cents: int
    last4: str = Field(max_length=4)
    fingerprint: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    outcome: str = Field(max_length=12)  # succeeded | declined | retry
    charge_ref: str = Field(max_length=64, unique=True)
    created_at: datetime = created_at_field()
