"""Customers and staff, their sessions and everything that proves who they are."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from o2portal.core.types import created_at_field, utc_field

ROLES = ("customer", "support", "admin")
ACCOUNT_TYPES = ("particulier", "entreprise", "association")


class Customer(SQLModel, table=True):
    """Anyone who signs in: customers, and staff through their role."""

    __tablename__ = "customer"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    email_verified_at: datetime | None = utc_field()
    # Set when mail to the address bounced permanently: banner and staff list.
    email_failing_at: datetime | None = utc_field(index=True)
    email_failing_reason: str | None = Field(default=None, max_length=500)
    password_hash: str = Field(max_length=100)
    role: str = Field(default="customer", max_length=16, index=True)
    account_type: str = Field(default="particulier", max_length=16)
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100, index=True)
    company_name: str | None = Field(default=None, max_length=200, index=True)
    siret: str | None = Field(default=None, max_length=14)
    vat_number: str | None = Field(default=None, max_length=20)
    phone: str = Field(max_length=20)  # E.164
    address_line1: str = Field(max_length=200)
    address_line2: str | None = Field(default=None, max_length=200)
    postal_code: str = Field(max_length=16)
    city: str = Field(max_length=100)
    country: str = Field(default="FR", max_length=2)  # ISO 3166-1 alpha-2
    language: str = Field(default="fr", max_length=5)
    credit_balance_cents: int = Field(default=0)
    totp_secret: str | None = Field(default=None, max_length=64)
    totp_enabled_at: datetime | None = utc_field()
    terms_accepted_at: datetime | None = utc_field()
    disabled_at: datetime | None = utc_field()
    deleted_at: datetime | None = utc_field()
    created_at: datetime = created_at_field()

    @property
    def display_name(self) -> str:
        if self.account_type != "particulier" and self.company_name:
            return self.company_name
        return f"{self.first_name} {self.last_name}"

    @property
    def is_staff(self) -> bool:
        return self.role in ("support", "admin")

    @property
    def acts_as_staff(self) -> bool:
        """Staff with their second factor on: only they may use the staff area. A staff
        account without it signs in as a customer would, to turn it on."""
        return self.is_staff and self.totp_enabled_at is not None


class PendingEmailChange(SQLModel, table=True):
    """A new address waiting for its owner to click the link sent to it."""

    __tablename__ = "pending_email_change"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    new_email: str = Field(max_length=254)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = created_at_field()
    expires_at: datetime = utc_field(nullable=False)
    used_at: datetime | None = utc_field()


class EmailVerification(SQLModel, table=True):
    """A link that proves the customer reads the address on their fiche."""

    __tablename__ = "email_verification"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    email: str = Field(max_length=254)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = created_at_field()
    expires_at: datetime = utc_field(nullable=False)
    used_at: datetime | None = utc_field()


class UserSession(SQLModel, table=True):
    """A signed-in browser. Only the token's hash is kept."""

    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = created_at_field()
    expires_at: datetime = utc_field(nullable=False, index=True)
    last_seen_at: datetime | None = utc_field()
    revoked_at: datetime | None = utc_field()
    ip: str | None = Field(default=None, max_length=64)
    user_agent: str | None = Field(default=None, max_length=300)
    # Staff acting as this customer: who they really are.
    impersonator_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    # Set once the second factor was given (or when none is required).
    second_factor_ok: bool = Field(default=True)


class LoginTicket(SQLModel, table=True):
    """One-time hand-off from a checked password to the session cookie.

    The websocket cannot set an HttpOnly cookie, so a sign-in makes a ticket
    that a plain HTTP route trades, once and within a minute, for the cookie.
    """

    __tablename__ = "login_ticket"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    ticket_hash: str = Field(max_length=64, unique=True)
    next_path: str = Field(default="/", max_length=500)
    created_at: datetime = created_at_field()
    expires_at: datetime = utc_field(nullable=False)
    used_at: datetime | None = utc_field()
    impersonator_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    ip: str | None = Field(default=None, max_length=64)
    user_agent: str | None = Field(default=None, max_length=300)
    # The way back of staff who stop acting as a customer: their second factor was given
    # at the sign-in the acting began from, and is not asked again.
    second_factor_done: bool = Field(default=False)


class PasswordReset(SQLModel, table=True):
    __tablename__ = "password_reset"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = created_at_field()
    expires_at: datetime = utc_field(nullable=False)
    used_at: datetime | None = utc_field()
    ip: str | None = Field(default=None, max_length=64)


class AuthAttempt(SQLModel, table=True):
    """Sign-in and reset requests, counted for rate limits and shown as recent sign-ins."""

    __tablename__ = "auth_attempt"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16, index=True)  # login | reset | totp
    email: str = Field(max_length=254, index=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    ip: str = Field(default="", max_length=64, index=True)
    user_agent: str | None = Field(default=None, max_length=300)
    success: bool = Field(default=False)
    created_at: datetime = created_at_field()


class RecoveryCode(SQLModel, table=True):
    """Second-factor recovery codes, shown once, stored hashed, used once."""

    __tablename__ = "recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    code_hash: str = Field(max_length=100)
    created_at: datetime = created_at_field()
    used_at: datetime | None = utc_field()


class SavedCard(SQLModel, table=True):
    """A card kept for auto-renewal: only the gateway's token and the last digits."""

    __tablename__ = "saved_card"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    gateway_token: str = Field(max_length=100)
    brand: str = Field(max_length=20)
    last4: str = Field(max_length=4)
    exp_month: int
    exp_year: int
    created_at: datetime = created_at_field()
    removed_at: datetime | None = utc_field()
