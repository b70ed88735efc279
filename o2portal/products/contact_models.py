"""Technical and administrative contacts: another customer account that the holder of a
product lets see it and act on it (SPEC, "Contacts, change of holder, SSL certificates"),
and what each contact did."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from o2portal.core.types import created_at_field, utc_field


class ContactRole(StrEnum):
    TECHNICAL = "technical"  # sees the product, changes name servers, opens tickets
    ADMINISTRATIVE = "administrative"  # and renews and pays


class ContactStatus(StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    REFUSED = "refused"
    REVOKED = "revoked"


# An invitation waiting or a contact at work: one at a time per product and account.
OPEN_STATUSES = (ContactStatus.INVITED, ContactStatus.ACTIVE)
_OPEN = "status IN ('invited', 'active')"


class ProductContact(SQLModel, table=True):
    """One account's access to one product, granted by the product's holder.

    The grant is the holder's (`holder_id`): when the product changes hands, the access
    lapses with it (products/contacts.py checks that the holder still holds it)."""

    __tablename__ = "product_contact"
    __table_args__ = (
        # Two clicks, two tabs or two workers never make two open invitations.
        Index(
            "ux_product_contact_open",
            "product_id",
            "contact_id",
            unique=True,
            sqlite_where=text(_OPEN),
            postgresql_where=text(_OPEN),
        ),
        # The lists of /contacts, by both sides.
        Index("ix_product_contact_holder_status", "holder_id", "status"),
        Index("ix_product_contact_contact_status", "contact_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id", index=True)
    holder_id: int = Field(foreign_key="customer.id")
    contact_id: int = Field(foreign_key="customer.id")
    role: str = Field(default=ContactRole.TECHNICAL, max_length=16)
    status: str = Field(default=ContactStatus.INVITED, max_length=10)
    invited_at: datetime = created_at_field()
    answered_at: datetime | None = utc_field()  # accepted or refused
    revoked_at: datetime | None = utc_field()
    # Who revoked: the holder, or a staff member (both are rows of the customer table).
    revoked_by_id: int | None = Field(default=None, foreign_key="customer.id")


class ContactAction(SQLModel, table=True):
    """What a contact did on the product (the holder reads it on /contacts)."""

    __tablename__ = "contact_action"
    __table_args__ = (Index("ix_contact_action_holder_at", "holder_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    link_id: int = Field(foreign_key="product_contact.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    holder_id: int = Field(foreign_key="customer.id")
    contact_id: int = Field(foreign_key="customer.id")
    action: str = Field(max_length=40)
    details_json: str = Field(default="{}", max_length=2000)
    created_at: datetime = created_at_field()
