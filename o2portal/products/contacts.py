"""Technical and administrative contacts (SPEC, "Contacts, change of holder, SSL
certificates"): the holder of a product invites another customer account by email, the
invitee accepts or refuses from their own account, the holder (or staff) revokes at once.

One access rule, `access`, says what a customer may do on a product: its holder all of it;
an active contact what their role grants (RIGHTS), and never the holder's invoices, cards
or personal data (they see the holder by display name only). Every place that reads or
acts on a product for someone who may not be its holder goes through it.

Each thing a contact does is written down (ContactAction) and mailed to the holder;
revoking is mailed to the contact and told to their open pages (`topic`).
"""

from __future__ import annotations

import functools
import json
from enum import StrEnum

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.core import audit, clock, events
from o2portal.core.db import held_or_read, read_session, serialize_on, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.core.validation import clean_email
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import link
from o2portal.products.contact_models import (
    OPEN_STATUSES,
    ContactAction,
    ContactRole,
    ContactStatus,
    ProductContact,
)
from o2portal.products.models import LIVE_STATUSES, Product


class Right(StrEnum):
    SEE = "see"  # the product's details (not its invoices)
    NAMESERVERS = "nameservers"
    TICKET = "ticket"  # open a ticket about it
    RENEW = "renew"  # renew and pay for it


RIGHTS: dict[str, frozenset[Right]] = {
    ContactRole.TECHNICAL: frozenset({Right.SEE, Right.NAMESERVERS, Right.TICKET}),
    ContactRole.ADMINISTRATIVE: frozenset(
        {Right.SEE, Right.NAMESERVERS, Right.TICKET, Right.RENEW}
    ),
}
# The roles a holder can grant by invitation on /contacts. An administrative contact is
# also made by paying an order they placed for a client (billing/client_orders.py).
INVITABLE_ROLES = (ContactRole.TECHNICAL, ContactRole.ADMINISTRATIVE)


def topic(customer_id: int) -> str:
    """News for the open pages of this customer: an access of theirs was taken back."""
    return f"access:{customer_id}"


@functools.cache
def _statements(lock: bool):
    """The rule's two reads, built once (building a statement costs more than running it
    at each product page): the product by id, and a customer's active link to it."""
    product = select(Product).where(Product.id == bindparam("product_id"))
    link = select(ProductContact).where(
        ProductContact.product_id == bindparam("product_id"),
        ProductContact.contact_id == bindparam("customer_id"),
        ProductContact.holder_id == bindparam("holder_id"),
        ProductContact.status == ContactStatus.ACTIVE,
    )
    if lock:
        # Shared on the link: a revocation (which locks the link for update) waits for
        # this transaction, or this one finds the link revoked.
        return product.with_for_update(), link.with_for_update(read=True)
    return product, link


def _active_link(
    session: Session, customer_id: int, product: Product, *, lock: bool = False
) -> ProductContact | None:
    params = {
        "product_id": product.id,
        "customer_id": customer_id,
        "holder_id": product.customer_id,
    }
    return session.exec(_statements(lock)[1], params=params).first()


def access(
    session: Session, customer_id: int, product_id: int, right: Right, *, lock: bool = False
) -> tuple[Product, ProductContact | None]:
    """The product if `customer_id` may do `right` on it, with the contact link through
    which they may (None for the holder); NotAllowed otherwise, also for an id that does
    not exist. A contact of a former holder has no access: the grant was theirs.
    `lock`: the product's row and the link are locked until the transaction ends (a
    renewal or a payment by a contact), so that a revocation comes before or after it."""
    if lock:
        product = session.exec(_statements(True)[0], params={"product_id": product_id}).first()
    else:  # the row this session already read, if any (a page reads it more than once)
        product = held_or_read(session, Product, product_id)
    if product is None:
        raise NotAllowed("no such product")
    if product.customer_id == customer_id:
        return product, None
    found = _active_link(session, customer_id, product, lock=lock)
    if found is None or right not in RIGHTS.get(found.role, frozenset()):
        raise NotAllowed("product of another customer")
    return product, found


def product_for(customer_id: int, product_id: int) -> tuple[Product, str, str]:
    """The product as `customer_id` may see it: (product, their contact role or "" for
    the holder, the holder's display name for a contact or "")."""
    with read_session() as session:
        product, found = access(session, customer_id, product_id, Right.SEE)
        if found is None:
            return product, "", ""
        holder = session.get(Customer, product.customer_id)
        return product, found.role, holder.display_name if holder else ""


def may(customer_id: int, product_id: int, right: Right) -> bool:
    with read_session() as session:
        try:
            access(session, customer_id, product_id, right)
        except NotAllowed:
            return False
        return True


def _label(key: str, lang: str) -> str:
    return translate(key, lang)


def note_action(session: Session, found: ProductContact, action: str, **details) -> None:
    """Write down what a contact did on the product and tell its holder by mail."""
    session.add(
        ContactAction(
            link_id=found.id,
            product_id=found.product_id,
            holder_id=found.holder_id,
            contact_id=found.contact_id,
            action=action,
            details_json=json.dumps(details, default=str, ensure_ascii=False)[:2000],
            created_at=clock.now(),
        )
    )
    holder = session.get(Customer, found.holder_id)
    contact = session.get(Customer, found.contact_id)
    product = session.get(Product, found.product_id)
    if holder is None or holder.deleted_at is not None or contact is None or product is None:
        return
    summary = detail_text(details)
    mailer.queue_for_customer(
        session,
        holder,
        "contact_action",
        contact_name=contact.display_name,
        product_name=product.name,
        action=_label(f"contacts.action.{action}", holder.language)
        + (f" ({summary})" if summary else ""),
        contacts_link=link("/contacts"),
    )


def detail_text(details: dict) -> str:
    """The details of an action as one short line (the mail and the list)."""
    return "; ".join(str(v) for v in details.values() if v not in (None, ""))[:300]


def invite(holder_id: int, product_id: int, email: str | None, role: str | None, *, ip=None) -> int:
    """Invite the account of `email` as a contact of the holder's product; the invitee
    is mailed. Errors keyed email / role / product_id; nothing is saved on an error."""
    errors: dict[str, str] = {}
    if role not in INVITABLE_ROLES:
        errors["role"] = "error.choose_one"
    try:
        address = clean_email(email)
    except InvalidInput as exc:
        errors.update(exc.errors)
        address = ""
    try:
        with transaction() as session:
            product = session.get(Product, product_id) if product_id else None
            if product is None or product.customer_id != holder_id:
                raise NotAllowed("product of another customer")
            if product.status not in LIVE_STATUSES:
                errors["product_id"] = "error.contact_product_closed"
            holder = session.get(Customer, holder_id)
            invitee = None
            if address:
                invitee = session.exec(select(Customer).where(Customer.email == address)).first()
                if invitee is None or invitee.deleted_at is not None:
                    errors["email"] = "error.contact_unknown"
                elif invitee.id == holder_id:
                    errors["email"] = "error.contact_self"
                elif invitee.disabled_at is not None:
                    errors["email"] = "error.contact_disabled"
            if errors:
                raise InvalidInput(errors)
            serialize_on(session, f"product_contact:{product.id}")
            already = session.exec(
                select(ProductContact.id).where(
                    ProductContact.product_id == product.id,
                    ProductContact.contact_id == invitee.id,
                    col(ProductContact.status).in_(OPEN_STATUSES),
                )
            ).first()
            if already is not None:
                raise InvalidInput({"email": "error.contact_duplicate"})
            found = ProductContact(
                product_id=product.id,
                holder_id=holder_id,
                contact_id=invitee.id,
                role=role,
                status=ContactStatus.INVITED,
                invited_at=clock.now(),
            )
            session.add(found)
            session.flush()
            audit.about(
                session,
                "contact.invited",
                product,
                actor=holder,
                ip=ip,
                contact_id=invitee.id,
                role=role,
            )
            mailer.queue_for_customer(
                session,
                invitee,
                "contact_invited",
                holder_name=holder.display_name,
                product_name=product.name,
                role=_label(f"contacts.role.{role}", invitee.language),
                contacts_link=link("/contacts"),
            )
            return found.id
    except IntegrityError:
        # Another tab's invitation won the race on the unique open invitation.
        raise InvalidInput({"email": "error.contact_duplicate"}) from None


def grant(session: Session, product: Product, contact_id: int, role: str) -> ProductContact:
    """Make `contact_id` an active contact of the product at once, with no invitation:
    the contact who ordered it for its holder (billing/agents.py), once it is paid."""
    now = clock.now()
    found = ProductContact(
        product_id=product.id,
        holder_id=product.customer_id,
        contact_id=contact_id,
        role=role,
        status=ContactStatus.ACTIVE,
        invited_at=now,
        answered_at=now,
    )
    session.add(found)
    session.flush()
    audit.about(session, "contact.granted", product, link_id=found.id, contact_id=contact_id)
    return found


def latest_link(session: Session, contact_id: int, product: Product) -> ProductContact | None:
    """The contact's most recent link to the product under its current holder, active or
    not (what they did is written down on it even once revoked)."""
    return session.exec(
        select(ProductContact)
        .where(
            ProductContact.product_id == product.id,
            ProductContact.contact_id == contact_id,
            ProductContact.holder_id == product.customer_id,
        )
        .order_by(col(ProductContact.id).desc())
    ).first()


def _locked(session: Session, link_id: int) -> ProductContact | None:
    """The link, locked until the transaction ends: an acceptance and a revocation at the
    same moment happen one after the other, never both on what each read before."""
    return session.get(ProductContact, link_id, with_for_update=True)


def answer(contact_id: int, link_id: int, accept: bool, *, ip=None) -> str:
    """The invitee accepts or refuses an invitation addressed to them; the holder is
    told. Returns the new status. An invitation already answered or revoked: InvalidInput."""
    with transaction() as session:
        found = _locked(session, link_id)
        if found is None or found.contact_id != contact_id:
            raise NotAllowed("invitation of someone else")
        if found.status != ContactStatus.INVITED:
            raise InvalidInput({"invitation": "error.contact_not_pending"})
        product = session.get(Product, found.product_id)
        if product is None or product.customer_id != found.holder_id:
            raise InvalidInput({"invitation": "error.contact_not_pending"})
        found.status = ContactStatus.ACTIVE if accept else ContactStatus.REFUSED
        found.answered_at = clock.now()
        session.add(found)
        audit.about(
            session,
            "contact.accepted" if accept else "contact.refused",
            product,
            actor=session.get(Customer, contact_id),
            ip=ip,
            link_id=found.id,
        )
        note_action(session, found, "accepted" if accept else "refused")
        return found.status


def _revoke(session: Session, found: ProductContact, by: Customer, ip) -> None:
    if found.status not in OPEN_STATUSES:
        raise InvalidInput({"contact": "error.contact_not_open"})
    found.status = ContactStatus.REVOKED
    found.revoked_at = clock.now()
    found.revoked_by_id = by.id
    session.add(found)
    product = session.get(Product, found.product_id)
    audit.about(
        session,
        "contact.revoked",
        product,
        actor=by,
        ip=ip,
        link_id=found.id,
        contact_id=found.contact_id,
    )
    contact = session.get(Customer, found.contact_id)
    holder = session.get(Customer, found.holder_id)
    if contact is not None and contact.deleted_at is None:
        mailer.queue_for_customer(
            session,
            contact,
            "contact_revoked",
            holder_name=holder.display_name if holder else "",
            product_name=product.name if product else "",
        )
    events.publish_after_commit(session, topic(found.contact_id))


def revoke(holder_id: int, link_id: int, *, ip=None) -> None:
    """The holder takes a contact's access back (or withdraws an invitation), at once."""
    with transaction() as session:
        found = _locked(session, link_id)
        if found is None or found.holder_id != holder_id:
            raise NotAllowed("contact of someone else")
        _revoke(session, found, session.get(Customer, holder_id), ip)


def revoke_as_staff(session: Session, staff: Customer, link_id: int, ip) -> ProductContact:
    """Staff take a contact's access back (products/staff.py checks the role)."""
    found = _locked(session, link_id)
    if found is None:
        raise NotAllowed("no such contact")
    _revoke(session, found, staff, ip)
    return found
