"""The built-in providers' own books: the local registry (and its DNS zones), the local
hosting panel, the local test card gateway and the local certificate authority. A real
provider keeps these on its side."""

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


class RegistryTxtRecord(SQLModel, table=True):
    """A TXT record in the zone the built-in registrar serves for a domain it holds (a
    certificate's domain-control record, say). `host` is relative to the domain, "@" for
    the domain itself; a host may have several values, as in real DNS."""

    __tablename__ = "registry_txt_record"
    __table_args__ = (UniqueConstraint("domain_id", "host", "value"),)

    id: int | None = Field(default=None, primary_key=True)
    domain_id: int = Field(foreign_key="registry_domain.id")
    host: str = Field(max_length=253)
    value: str = Field(max_length=255)  # one TXT string holds at most 255 bytes
    created_at: datetime = created_at_field()


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


class CaCertificate(SQLModel, table=True):
    """The built-in certificate authority's book of the certificates it signed: what a
    request id answered, and what was revoked."""

    __tablename__ = "ca_certificate"

    id: int | None = Field(default=None, primary_key=True)
    serial: str = Field(max_length=40, unique=True)  # hexadecimal, as browsers show it
    names_json: str = Field(max_length=20000)
    certificate_pem: str = Field(max_length=20000)
    not_before: datetime = utc_field(nullable=False)
    not_after: datetime = utc_field(nullable=False)
    revoked_at: datetime | None = utc_field()
    revoke_reason: str | None = Field(default=None, max_length=30)
    created_at: datetime = created_at_field()
