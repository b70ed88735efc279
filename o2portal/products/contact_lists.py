"""The lists of contacts (products/contacts.py has the rules): /contacts for both sides,
"Gérés pour d'autres" on /services, the products a contact's ticket can be about, and the
staff's customer file. Each list reads the columns it shows, at most a page of rows."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, bindparam
from sqlmodel import Session, col, func, select

from o2portal.accounts.models import Customer
from o2portal.core.db import read_connection, read_session
from o2portal.core.paging import Page, read_page
from o2portal.products.contact_models import ContactAction, ContactStatus, ProductContact
from o2portal.products.contacts import detail_text
from o2portal.products.models import LIVE_STATUSES, Product

LIST_LIMIT = 50
PAGE_SIZE = 25


@dataclass
class ContactRow:
    id: int
    product_id: int
    product_name: str
    role: str
    status: str
    holder_name: str
    contact_name: str
    contact_email: str  # shown to the holder (who typed it) and staff, never to a contact
    invited_at: datetime
    answered_at: datetime | None
    revoked_at: datetime | None


def _rows(session: Session, *where) -> list[ContactRow]:
    holder = Customer.__table__.alias("holder")
    contact = Customer.__table__.alias("contact")
    query = (
        select(
            ProductContact,
            Product.name,
            holder.c.first_name,
            holder.c.last_name,
            holder.c.company_name,
            holder.c.account_type,
            contact.c.first_name,
            contact.c.last_name,
            contact.c.company_name,
            contact.c.account_type,
            contact.c.email,
        )
        .join(Product, Product.id == ProductContact.product_id)
        .join(holder, holder.c.id == ProductContact.holder_id)
        .join(contact, contact.c.id == ProductContact.contact_id)
        .where(*where)
        .order_by(col(ProductContact.invited_at).desc(), col(ProductContact.id).desc())
        .limit(LIST_LIMIT)
    )
    rows = []
    for found, product_name, *people in session.exec(query).all():
        rows.append(
            ContactRow(
                id=found.id,
                product_id=found.product_id,
                product_name=product_name,
                role=found.role,
                status=found.status,
                holder_name=_name(*people[0:4]),
                contact_name=_name(*people[4:8]),
                contact_email=people[8],
                invited_at=found.invited_at,
                answered_at=found.answered_at,
                revoked_at=found.revoked_at,
            )
        )
    return rows


def _name(first: str, last: str, company: str | None, account_type: str) -> str:
    """Customer.display_name from the columns (the lists read no whole customer row)."""
    if account_type != "particulier" and company:
        return company
    return f"{first} {last}"


def contacts_of_holder(holder_id: int) -> list[ContactRow]:
    """The contacts on my products (the 50 latest invitations, whatever their state)."""
    with read_session() as session:
        return _rows(session, ProductContact.holder_id == holder_id)


def invitations_for(contact_id: int) -> list[ContactRow]:
    """The invitations waiting for my answer."""
    with read_session() as session:
        return _rows(
            session,
            ProductContact.contact_id == contact_id,
            ProductContact.status == ContactStatus.INVITED,
        )


def clients_of(contact_id: int) -> list[ContactRow]:
    """The products I am an active contact of (for their holders, my clients)."""
    with read_session() as session:
        return _rows(
            session,
            ProductContact.contact_id == contact_id,
            ProductContact.status == ContactStatus.ACTIVE,
            Product.customer_id == ProductContact.holder_id,
        )


def contacts_of_customer(session: Session, customer_id: int) -> list[ContactRow]:
    """Both directions, for the staff's customer file."""
    return _rows(
        session,
        (ProductContact.holder_id == customer_id) | (ProductContact.contact_id == customer_id),
    )


@dataclass
class ActionRow:
    at: datetime
    contact_name: str
    product_name: str
    action: str
    details: str


def actions_for_holder(holder_id: int) -> list[ActionRow]:
    """What my contacts did on my products, newest first (the 50 latest)."""
    with read_session() as session:
        query = (
            select(
                ContactAction,
                Product.name,
                Customer.first_name,
                Customer.last_name,
                Customer.company_name,
                Customer.account_type,
            )
            .join(Product, Product.id == ContactAction.product_id)
            .join(Customer, Customer.id == ContactAction.contact_id)
            .where(ContactAction.holder_id == holder_id)
            .order_by(col(ContactAction.created_at).desc(), col(ContactAction.id).desc())
            .limit(LIST_LIMIT)
        )
        rows = []
        for action, product_name, *person in session.exec(query).all():
            try:
                details = json.loads(action.details_json or "{}")
            except ValueError:
                details = {}
            rows.append(
                ActionRow(
                    at=action.created_at,
                    contact_name=_name(*person),
                    product_name=product_name,
                    action=action.action,
                    details=detail_text(details) if isinstance(details, dict) else "",
                )
            )
        return rows


# What a contact's product list (/services, "Gérés pour d'autres") shows.
MANAGED_COLUMNS = (
    Product.id,
    Product.name,
    Product.kind,
    Product.offer_code,
    Product.status,
    Product.expiry_date,
    Product.auto_renew,
    ProductContact.role,
    Customer.first_name,
    Customer.last_name,
    Customer.company_name,
    Customer.account_type,
)


def _managed_where(contact_id: int) -> tuple:
    return (
        ProductContact.contact_id == contact_id,
        ProductContact.status == ContactStatus.ACTIVE,
        Product.customer_id == ProductContact.holder_id,
    )


@functools.lru_cache(maxsize=1)
def _managed_statements():
    """The count and the page of the products I manage for others, built once (the list
    opens with /services): the contact and the page are bound at each call."""
    where = _managed_where(bindparam("contact_id"))
    count = (
        select(func.count())
        .select_from(ProductContact)
        .join(Product, Product.id == ProductContact.product_id)
        .where(*where)
    )
    rows = (
        select(*MANAGED_COLUMNS)
        .select_from(ProductContact)
        .join(Product, Product.id == ProductContact.product_id)
        .join(Customer, Customer.id == ProductContact.holder_id)
        .where(*where)
        .order_by(Product.expiry_date, Product.id)
        .limit(bindparam("size", type_=Integer))
        .offset(bindparam("skip", type_=Integer))
    )
    return count, rows


def managed_products(contact_id: int, page: int = 1) -> Page:
    """One page of the products I manage for others: rows of MANAGED_COLUMNS, read on a
    plain connection."""
    count, rows = _managed_statements()
    with read_connection() as connection:
        return read_page(connection, count, rows, {"contact_id": contact_id}, page, PAGE_SIZE)


def holder_name(row) -> str:
    """The holder's display name on a row of MANAGED_COLUMNS."""
    return _name(row.first_name, row.last_name, row.company_name, row.account_type)


def ticket_products(customer_id: int) -> list[Product]:
    """The products I look after for others that a ticket of mine can be about."""
    with read_session() as session:
        return list(
            session.exec(
                select(Product)
                .join(ProductContact, ProductContact.product_id == Product.id)
                .where(*_managed_where(customer_id))
                .order_by(col(Product.kind), col(Product.name))
                .limit(200)
            ).all()
        )


def invitable_products(holder_id: int) -> list[tuple[int, str, str]]:
    """(id, name, kind) of the holder's products a contact can be invited on (200 at most)."""
    with read_session() as session:
        return [
            (row.id, row.name, row.kind)
            for row in session.exec(
                select(Product.id, Product.name, Product.kind)
                .where(
                    Product.customer_id == holder_id,
                    col(Product.status).in_(LIVE_STATUSES),
                )
                .order_by(Product.kind, Product.name)
                .limit(200)
            ).all()
        ]
