"""Change of holder ("trade", SPEC.md "Contacts, change of holder, SSL certificates"): the
holder of a product offers it to another customer account, found by its email address; the
recipient accepts or refuses it from their own account; the offerer (or staff) may cancel
it; unanswered, it expires after OFFER_DAYS.

Accepting moves the product in one transaction, under the offer's then the product's row
lock (a second accept waits and finds the offer closed; a renewal waiting on the product's
lock finds it belongs to somebody else). The product keeps its expiry and options;
auto-renewal is turned off until the new holder sets it, so the old holder's saved card is
never charged for it again (auto-renewal pays with the holder's own means). Past order forms
and invoices keep the old holder's name; later renewals are order forms of the new holder,
at their VAT situation. A domain's new registrant is declared to the registrar as a task
after the commit. Both parties are emailed (outbox) and every step is audited.

A product with an unpaid renewal form, a payment awaited (card, transfer or cheque) or a
suspension cannot change hands: `blocker` says which, in words, both when it is offered
and when it is accepted.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import String, bindparam, func, literal, or_, union_all
from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.billing.models import Order, OrderLine, OrderStatus, Payment, PaymentStatus
from o2portal.core import audit, clock
from o2portal.core.db import read_models, read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.lapse import expire_unanswered
from o2portal.core.paging import Page, paginate
from o2portal.core.permissions import Actor
from o2portal.core.validation import clean_email
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import link
from o2portal.products.models import HolderChange, HolderChangeStatus, Product, ProductStatus
from o2portal.products.tasks import TaskAction, enqueue

OFFER_DAYS = 14
PAGE_SIZE = 20
OFFLINE_METHODS = ("transfer", "cheque")
Status = HolderChangeStatus


@functools.cache
def _blockers_statement():
    """Built once (every product page asks), one statement: a row (True, None) for each
    card payment of the product still waiting for the gateway, a row (False, method) for
    each of its unpaid order forms."""
    about_it = select(OrderLine.order_id).where(OrderLine.product_id == bindparam("product_id"))
    paying = select(literal(True).label("paying"), literal(None, String).label("method")).where(
        col(Payment.order_id).in_(about_it), Payment.status == PaymentStatus.PROCESSING
    )
    unpaid = select(literal(False), Order.payment_method).where(
        col(Order.id).in_(about_it), Order.status == OrderStatus.UNPAID
    )
    return union_all(paying, unpaid)


def blocker(session: Session, product: Product) -> str | None:
    """Why this product cannot change hands now (an i18n key), or None."""
    if product.status == ProductStatus.SUSPENDED:
        return "trade.blocked_suspended"
    if product.status in (ProductStatus.TERMINATED, ProductStatus.RELEASED):
        return "trade.blocked_ended"
    found = session.execute(_blockers_statement(), {"product_id": product.id}).all()
    if any(paying for paying, _ in found):
        return "trade.blocked_card_payment"
    unpaid = [method for paying, method in found if not paying]
    if any(method in OFFLINE_METHODS for method in unpaid):
        return "trade.blocked_offline_payment"
    if unpaid:
        return "trade.blocked_unpaid_form"
    return None


def _locked_product(session: Session, product_id: int) -> Product | None:
    return session.exec(select(Product).where(Product.id == product_id).with_for_update()).first()


def _pending(session: Session, product_id: int) -> HolderChange | None:
    return session.exec(_pending_statement(), params={"product_id": product_id}).first()


@functools.cache
def _pending_statement():
    """Built once: every product page reads it."""
    return select(HolderChange).where(
        HolderChange.product_id == bindparam("product_id"), HolderChange.status == Status.OFFERED
    )


def _recipient(session: Session, email: str, holder_id: int) -> Customer:
    found = session.exec(select(Customer).where(Customer.email == email)).first()
    if found is None or found.deleted_at is not None:
        raise InvalidInput({"email": "trade.error_unknown_email"})
    if found.id == holder_id:
        raise InvalidInput({"email": "trade.error_self"})
    if found.disabled_at is not None:
        raise InvalidInput({"email": "trade.error_disabled"})
    if found.is_staff:
        raise InvalidInput({"email": "trade.error_staff"})
    return found


def offer_product(actor: Actor, product_id: int, email: str, *, ip: str | None = None) -> int:
    """The holder offers their product to the account at `email`: the offer's id.
    InvalidInput {"email": …} for a wrong recipient or an offer already waiting,
    {"product": …} when the product cannot change hands now; nothing is saved then."""
    address = clean_email(email, "email")
    with transaction() as session:
        product = _locked_product(session, product_id)
        if product is None or product.customer_id != actor.id:
            raise NotAllowed("product of another customer")
        reason = blocker(session, product)
        if reason is not None:
            raise InvalidInput({"product": reason})
        if _pending(session, product.id) is not None:
            raise InvalidInput({"email": "trade.error_pending"})
        holder = session.get(Customer, actor.id)
        recipient = _recipient(session, address, actor.id)
        now = clock.now()
        change = HolderChange(
            product_id=product.id,
            from_customer_id=holder.id,
            to_customer_id=recipient.id,
            status=Status.OFFERED,
            offered_at=now,
            expires_at=now + timedelta(days=OFFER_DAYS),
        )
        session.add(change)
        session.flush()
        audit.about(
            session,
            "product.holder_offered",
            product,
            actor=actor,
            ip=ip,
            offer=change.id,
            to=recipient.id,
        )
        mailer.queue_for_customer(
            session,
            recipient,
            "trade_offered",
            product_name=product.name,
            from_name=holder.display_name,
            expires=change.expires_at.astimezone(clock.PARIS).date(),
            trades_link=link("/trades"),
        )
        return change.id


def _locked_offer(session: Session, change_id: int) -> HolderChange | None:
    return session.exec(
        select(HolderChange).where(HolderChange.id == change_id).with_for_update()
    ).first()


def _open_offer(session: Session, change_id: int, allowed) -> HolderChange:
    """The offer, locked, if `allowed(offer)`; InvalidInput when it no longer waits."""
    change = _locked_offer(session, change_id)
    if change is None or not allowed(change):
        raise NotAllowed("offer of somebody else")
    if change.status != Status.OFFERED or change.expires_at <= clock.now():
        raise InvalidInput({"offer": "trade.error_closed"})
    return change


def accept_offer(actor: Actor, change_id: int, *, ip: str | None = None) -> int:
    """The recipient takes the product: it is theirs from this commit (its id)."""
    with transaction() as session:
        change = _open_offer(session, change_id, lambda c: c.to_customer_id == actor.id)
        product = _locked_product(session, change.product_id)
        if product is None or product.customer_id != change.from_customer_id:
            raise InvalidInput({"offer": "trade.error_closed"})
        reason = blocker(session, product)
        if reason is not None:
            raise InvalidInput({"offer": reason})
        now = clock.now()
        product.customer_id = change.to_customer_id
        product.auto_renew = False
        session.add(product)
        change.status, change.decided_at = Status.ACCEPTED, now
        session.add(change)
        if product.kind == "domain":
            enqueue(
                session,
                product,
                TaskAction.CHANGE_HOLDER,
                f"holder_change:{change.id}",
                holder_ref=f"customer:{change.to_customer_id}",
            )
        old = session.get(Customer, change.from_customer_id)
        new = session.get(Customer, change.to_customer_id)
        for customer_id in (old.id, new.id):
            audit.record(
                session,
                "product.holder_changed",
                actor=actor,
                customer_id=customer_id,
                target_type="product",
                target_id=product.id,
                ip=ip,
                offer=change.id,
                before=old.id,
                after=new.id,
            )
        mailer.queue_for_account(
            session,
            old.id,
            "trade_accepted",
            template="trade_given",
            product_name=product.name,
            other_name=new.display_name,
        )
        mailer.queue_for_customer(
            session,
            new,
            "trade_accepted",
            template="trade_received",
            product_name=product.name,
            other_name=old.display_name,
            product_link=link(f"/services/{product.id}"),
        )
        return product.id


def refuse_offer(actor: Actor, change_id: int, *, ip: str | None = None) -> None:
    """The recipient says no: the product stays where it is; the offerer is told."""
    with transaction() as session:
        change = _open_offer(session, change_id, lambda c: c.to_customer_id == actor.id)
        _close(session, change, Status.REFUSED, actor, ip, tell=(change.from_customer_id,))


def cancel_offer(actor: Actor, change_id: int, *, ip: str | None = None) -> None:
    """The offerer takes their offer back, or staff cancel it; both sides but the one who
    cancelled are told."""
    with transaction() as session:
        change = _open_offer(
            session, change_id, lambda c: actor.is_staff or c.from_customer_id == actor.id
        )
        change.cancelled_by_id = actor.id
        tell = (change.to_customer_id,)
        if actor.id != change.from_customer_id:
            tell = (change.from_customer_id, change.to_customer_id)
        _close(session, change, Status.CANCELLED, actor, ip, tell=tell)


def _close(session, change, status, actor, ip, *, tell: tuple[int, ...]) -> None:
    change.status, change.decided_at = status, clock.now()
    session.add(change)
    product = session.get(Product, change.product_id)
    audit.about(
        session,
        f"product.holder_offer_{status}",
        product,
        actor=actor,
        ip=ip,
        offer=change.id,
        to=change.to_customer_id,
    )
    for customer_id in tell:
        mailer.queue_for_account(session, customer_id, f"trade_{status}", product_name=product.name)


def expire_offers(_last_run: date | None = None) -> dict:
    """The job: offers unanswered after OFFER_DAYS expire, each once, whatever runs it;
    both sides are told."""
    return expire_unanswered(
        HolderChange,
        waiting=Status.OFFERED,
        expired=Status.EXPIRED,
        what="holder change",
        then=_expired,
    )


def _expired(session: Session, change: HolderChange) -> None:
    product = session.get(Product, change.product_id)
    audit.about(session, "product.holder_offer_expired", product, offer=change.id)
    for customer_id in (change.from_customer_id, change.to_customer_id):
        mailer.queue_for_account(session, customer_id, "trade_expired", product_name=product.name)


# ---------------------------------------------------------------- what the pages show


@dataclass(frozen=True)
class OfferRow:
    id: int
    product_id: int
    product_name: str
    kind: str
    sent: bool  # by the customer asking (else: to them; False on staff pages)
    from_name: str
    from_email: str
    to_name: str
    to_email: str
    status: str
    offered_at: datetime
    expires_at: datetime
    decided_at: datetime | None


def _rows(session: Session, changes: list[HolderChange], me: int | None) -> list[OfferRow]:
    """One query for the products and one for the people of a page of offers."""
    products = {
        p.id: p
        for p in session.exec(
            select(Product).where(col(Product.id).in_({c.product_id for c in changes}))
        ).all()
    }
    people_ids = {c.from_customer_id for c in changes} | {c.to_customer_id for c in changes}
    people = {
        p.id: p for p in session.exec(select(Customer).where(col(Customer.id).in_(people_ids)))
    }
    rows = []
    for c in changes:
        giver, taker = people[c.from_customer_id], people[c.to_customer_id]
        rows.append(
            OfferRow(
                id=c.id,
                product_id=c.product_id,
                product_name=products[c.product_id].name,
                kind=products[c.product_id].kind,
                sent=c.from_customer_id == me,
                from_name=giver.display_name,
                from_email=giver.email,
                to_name=taker.display_name,
                to_email=taker.email,
                status=c.status,
                offered_at=c.offered_at,
                expires_at=c.expires_at,
                decided_at=c.decided_at,
            )
        )
    return rows


def offers_of(customer_id: int, page: int = 1) -> Page:
    """The offers the customer sent or received, newest first, one page of OfferRow."""
    where = or_(
        HolderChange.from_customer_id == customer_id, HolderChange.to_customer_id == customer_id
    )
    with read_session() as session:
        found = paginate(
            session,
            select(HolderChange)
            .where(where)
            .order_by(col(HolderChange.offered_at).desc(), col(HolderChange.id).desc()),
            page,
            size=PAGE_SIZE,
            count=select(func.count()).select_from(HolderChange).where(where),
        )
        found.rows = _rows(session, found.rows, customer_id)
    return found


def waiting_for(customer_id: int) -> int:
    """How many offers wait for this customer's answer (the dashboard's notice)."""
    with read_session() as session:
        return session.exec(
            select(func.count())
            .select_from(HolderChange)
            .where(
                HolderChange.to_customer_id == customer_id,
                HolderChange.status == Status.OFFERED,
                col(HolderChange.expires_at) > clock.now(),
            )
        ).one()


@dataclass(frozen=True)
class ProductTrade:
    """The "Changer de titulaire" section of the holder's product page."""

    pending: OfferRow | None
    blocked: str | None  # why it cannot be offered now (an i18n key)


def product_trade(customer_id: int, product_id: int) -> ProductTrade:
    with read_session() as session:
        product = session.get(Product, product_id)
        if product is None or product.customer_id != customer_id:
            raise NotAllowed("product of another customer")
        # Without the ORM's cost per statement: every product page asks.
        about = {"product_id": product.id}
        changes = read_models(HolderChange, _pending_statement(), about, session)
        pending = _rows(session, changes, customer_id)[0] if changes else None
        return ProductTrade(pending, blocker(session, product))


def pending_changes(page: int = 1) -> Page:
    """Staff: every offer still waiting, the oldest first (staff door: products.staff)."""
    where = HolderChange.status == Status.OFFERED
    with read_session() as session:
        found = paginate(
            session,
            select(HolderChange).where(where).order_by(HolderChange.expires_at, HolderChange.id),
            page,
            size=PAGE_SIZE,
            count=select(func.count()).select_from(HolderChange).where(where),
        )
        found.rows = _rows(session, found.rows, None)
    return found


def pending_change_of(product_id: int) -> OfferRow | None:
    """Staff: the offer of this product still waiting, if any."""
    with read_session() as session:
        change = _pending(session, product_id)
        return _rows(session, [change], None)[0] if change else None
