"""What customers own: hosting accounts, domains, managed servers, SSL certificates; and the
outside records."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from o2portal.core.types import created_at_field, utc_field

PRODUCT_KINDS = ("hosting", "domain", "server", "ssl")


class ProductStatus(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"  # a domain past its date, still renewable
    SUSPENDED = "suspended"  # a hosting account or server past its date
    TERMINATED = "terminated"
    RELEASED = "released"  # a domain given back to the registry


PRODUCT_STATUSES = tuple(ProductStatus)
# Still the customer's: it can be renewed, it is reminded, it shows among what expires on
# the dashboard (three names of one set before: renewable, live, reminded). What blocks
# deleting an account is another set, SPEC's: accounts/erasure.py.
LIVE_STATUSES = (ProductStatus.ACTIVE, ProductStatus.EXPIRED, ProductStatus.SUSPENDED)


class Product(SQLModel, table=True):
    __tablename__ = "product"
    __table_args__ = (
        # Jobs pick what is due by status and expiry date: one range scan, whatever the size.
        Index("ix_product_status_expiry", "status", "expiry_date"),
        # A customer's list, by each filter and sort it offers: only their rows are read,
        # already in order (tests/unit/test_query_plans.py checks the plans).
        Index("ix_product_customer_status_expiry", "customer_id", "status", "expiry_date"),
        Index("ix_product_customer_kind_expiry", "customer_id", "kind", "expiry_date"),
        Index("ix_product_customer_expiry", "customer_id", "expiry_date"),
        Index("ix_product_customer_name", "customer_id", "name"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    kind: str = Field(max_length=10, index=True)
    # Domain name for a domain; main domain for a hosting account; hostname for a server.
    name: str = Field(max_length=253, index=True)
    offer_code: str = Field(max_length=32)  # hosting tier, TLD, or server model code
    status: str = Field(default=ProductStatus.ACTIVE, max_length=12, index=True)
    status_reason: str | None = Field(default=None, max_length=500)
    start_date: date
    expiry_date: date = Field(index=True)
    auto_renew: bool = Field(default=False)
    # hosting
    hosting_username: str | None = Field(default=None, max_length=32, unique=True)
    hosting_server: str | None = Field(default=None, max_length=100)
    quota_disk_mb: int | None = None
    quota_email_accounts: int | None = None
    quota_databases: int | None = None
    # domain
    nameservers_json: str | None = Field(default=None, max_length=2000)
    registrar_lock: bool = Field(default=True)
    auth_code: str | None = Field(default=None, max_length=64)
    # server
    server_specs_json: str | None = Field(default=None, max_length=2000)
    ip_address: str | None = Field(default=None, max_length=45)
    suspended_at: datetime | None = utc_field()
    terminated_at: datetime | None = utc_field()
    created_at: datetime = created_at_field()


class CertificateState(StrEnum):
    PENDING = "pending"  # a (re-)issuance waits for its domain control
    ISSUED = "issued"  # the certificate of the latest issuance is here


class SslCertificate(SQLModel, table=True):
    """What an SSL certificate product needs beside its Product row (kind "ssl"): what is
    asked of the certificate authority and what it answered.

    `request_id` names the current issuance at the CA (a renewal opens a new one); the
    certificate of the previous issuance stays here, downloadable, until the new one is
    signed. A key the portal made is kept only encrypted (products/certificate_keys.py),
    until its single download.

    A request whose records the customer creates elsewhere is checked by the job
    `certificate_checks` (products/certificates.py) at `next_check_at`, from
    `checks_since` (when its records were handed out) for at most CHECK_DAYS; then it
    stops (`checks_stopped_at`) and the customer is told once. A terminated certificate
    is revoked at the CA (`revoked_at`, with the previous issuance's if still valid)."""

    __tablename__ = "ssl_certificate"
    # The re-check job reads only the rows that are due.
    __table_args__ = (Index("ix_ssl_certificate_next_check", "next_check_at"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id", unique=True)
    names_json: str = Field(max_length=2000)  # ["exemple.fr"], ["*.exemple.fr", "exemple.fr"]
    validation: str = Field(max_length=4)  # dv | ov
    organization_json: str | None = Field(default=None, max_length=1000)  # OV: name, country…
    state: str = Field(default=CertificateState.PENDING, max_length=12)
    # The customer's zone here when the domain is managed in their account: the portal
    # publishes the records itself. None: the customer creates them where their DNS is.
    dns_zone: str | None = Field(default=None, max_length=253)
    issuance: int = Field(default=1)
    request_id: str = Field(max_length=120)
    challenges_json: str = Field(default="[]", max_length=4000)  # the records to create
    csr_pem: str | None = None  # pasted, or made with the key below (after the payment)
    portal_key: bool = Field(default=False)  # the portal makes the key
    key_ciphertext: str | None = None  # the key, encrypted, until it is downloaded
    key_downloaded_at: datetime | None = utc_field()
    serial: str | None = Field(default=None, max_length=64)
    certificate_pem: str | None = None
    chain_pem: str | None = None
    not_before: datetime | None = utc_field()
    not_after: datetime | None = utc_field()
    issued_at: datetime | None = utc_field()
    checked_at: datetime | None = utc_field()  # the last check of the records, any door
    # The periodic check of the records (a domain whose DNS is elsewhere): when it began
    # for this issuance, when it is next due (None: not checked by the job), when it gave
    # up (the customer mailed once).
    checks_since: datetime | None = utc_field()
    next_check_at: datetime | None = utc_field()
    checks_stopped_at: datetime | None = utc_field()
    # The certificate of the issuance before this one (a renewal), still valid for a while
    # after the new one is signed: revoked with it at termination.
    previous_serial: str | None = Field(default=None, max_length=64)
    previous_not_after: datetime | None = utc_field()
    # The CA confirmed the revocation of `serial` (the product was terminated).
    revoked_at: datetime | None = utc_field()
    created_at: datetime = created_at_field()


class ReminderSent(SQLModel, table=True):
    """A reminder stage sent for one product and one expiry date: never twice."""

    __tablename__ = "reminder_sent"
    __table_args__ = (UniqueConstraint("product_id", "expiry_date", "stage"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id", index=True)
    expiry_date: date
    stage: str = Field(max_length=8)  # D-60 … D+7
    outbox_id: int | None = Field(default=None, foreign_key="outbox_email.id", index=True)
    created_at: datetime = created_at_field()


class DomainHold(SQLModel, table=True):
    """A domain name held for an order form while it is paid and until the registrar has
    registered it: the unique name decides between two buyers."""

    __tablename__ = "domain_hold"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=253, unique=True)
    order_id: int = Field(foreign_key="order_form.id", index=True)
    transfer: bool = Field(default=False)
    created_at: datetime = created_at_field()


class TaskStatus(StrEnum):
    PENDING = "pending"  # to be sent to the provider (again, after a failure)
    DONE = "done"
    CANCELLED = "cancelled"  # by staff, who did it by hand or decided against it


class ProductTask(SQLModel, table=True):
    """A call to the registrar or the hosting panel, written in the transaction that
    decided it and sent after its commit, then retried with backoff until it is done.
    `key` is also the request id the provider sees: a retry never acts twice."""

    __tablename__ = "product_task"
    __table_args__ = (Index("ix_product_task_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id", index=True)
    action: str = Field(max_length=24)
    key: str = Field(max_length=120, unique=True)
    payload_json: str = Field(default="{}", max_length=4000)
    status: str = Field(default=TaskStatus.PENDING, max_length=12)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = utc_field(nullable=False)
    last_error: str | None = Field(default=None, max_length=500)
    # While a runner sends it: nobody else sends it, retries it or closes it meanwhile.
    claimed_until: datetime | None = utc_field()
    created_at: datetime = created_at_field()
    done_at: datetime | None = utc_field()


class HolderChangeStatus(StrEnum):
    OFFERED = "offered"  # waiting for the recipient's answer
    ACCEPTED = "accepted"  # the product moved to the recipient
    REFUSED = "refused"  # by the recipient
    CANCELLED = "cancelled"  # by the offerer or by staff
    EXPIRED = "expired"  # unanswered after OFFER_DAYS (products/trades.py)


class HolderChange(SQLModel, table=True):
    """A product offered by its holder to another customer account ("trade"): the
    recipient accepts (the product is theirs from then on) or refuses; the offerer or
    staff may cancel it; it expires unanswered. At most one offer of a product waits at a
    time (products/trades.py checks it under the product's row lock)."""

    __tablename__ = "holder_change"
    __table_args__ = (
        # The expiry job reads only what waits and is due; each side's list by status.
        Index("ix_holder_change_status_expires", "status", "expires_at"),
        Index("ix_holder_change_to_status", "to_customer_id", "status"),
        Index("ix_holder_change_from_status", "from_customer_id", "status"),
        Index("ix_holder_change_product_status", "product_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id")
    from_customer_id: int = Field(foreign_key="customer.id")
    to_customer_id: int = Field(foreign_key="customer.id")
    status: str = Field(default=HolderChangeStatus.OFFERED, max_length=12)
    offered_at: datetime = utc_field(nullable=False)
    expires_at: datetime = utc_field(nullable=False)
    decided_at: datetime | None = utc_field()
    # Who cancelled it: the offerer, or the staff member.
    cancelled_by_id: int | None = Field(default=None, foreign_key="customer.id")
