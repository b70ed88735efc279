"""Orders for a client (SPEC, "Contacts, change of holder, SSL certificates"): a webmaster
or an agency fills the cart on /order and proposes it to a client, found by the email of
their customer account. Nothing is charged and nothing is held yet: the client sees the
proposal on their own /contacts, priced for their own billing identity (country, VAT
number), and accepts or refuses it; unanswered, it expires after PROPOSAL_DAYS.

Accepting writes the order form, made out to the client with their billing identity
frozen in it (as for any order form), holds its domain names, and names the webmaster as
the form's agent: either of them may then pay it (the webmaster with their own means,
billing/agents.py). Once it is paid the products are the client's, the invoice is made out
to the client, and the webmaster becomes their administrative contact. The client may
take that right back while the form is unpaid (`revoke`), or cancel the form on /invoices.

Every step is audited in both accounts' logs and mailed to the other side.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.billing.agents import summary, tell
from o2portal.billing.checkout import record_vat_check, vat_checked
from o2portal.billing.models import ClientOrder, ClientOrderStatus, Order, OrderLine
from o2portal.billing.order_forms import write_order_form
from o2portal.billing.orders import CartItem, CartQuote, hold_names, quote_cart
from o2portal.core import audit, clock, events
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.lapse import expire_unanswered
from o2portal.core.receipts import clean_key
from o2portal.core.validation import clean_email
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import Amount, link
from o2portal.products.contacts import topic

PROPOSAL_DAYS = 14
# What a contact may order for a client. Not a certificate: its key is shown once, to
# whoever ordered it, and a client's key is theirs to make.
CLIENT_KINDS = ("hosting", "domain", "server")
LIST_LIMIT = 50
Status = ClientOrderStatus


def _client(session: Session, address: str, contact_id: int) -> Customer:
    """The account a proposal goes to; InvalidInput {"client_email": …} otherwise."""
    found = session.exec(select(Customer).where(Customer.email == address)).first()
    if found is None or found.deleted_at is not None:
        raise InvalidInput({"client_email": "error.contact_unknown"})
    if found.id == contact_id:
        raise InvalidInput({"client_email": "error.client_order_self"})
    if found.disabled_at is not None:
        raise InvalidInput({"client_email": "error.client_order_disabled"})
    if found.is_staff:
        raise InvalidInput({"client_email": "error.client_order_staff"})
    return found


def _items(proposal: ClientOrder) -> list[CartItem]:
    return [CartItem(**item) for item in json.loads(proposal.items_json or "[]")]


def _audit(session: Session, action: str, proposal: ClientOrder, actor, ip=None, **details):
    """One event in each side's log (both customers are concerned)."""
    for customer_id in (proposal.contact_id, proposal.client_id):
        audit.record(
            session,
            action,
            actor=actor,
            customer_id=customer_id,
            target_type="client_order",
            target_id=proposal.id,
            ip=ip,
            **details,
        )


def propose(
    contact_id: int,
    items: list[CartItem],
    client_email: str | None,
    *,
    key: str,
    promo_code: str = "",
    ip: str | None = None,
) -> int:
    """Propose the cart to the client of `client_email`: the proposal's id. The key comes
    with the submitted form: the same form sent twice makes one proposal. Errors keyed
    client_email / cart / promo (and the cart's own fields); nothing is saved then."""
    try:
        key = clean_key(key)
    except InvalidInput:
        raise InvalidInput({"cart": "error.form_stale"}) from None
    earlier = _proposal_of_key(contact_id, key)
    if earlier is not None:
        return earlier
    errors: dict[str, str] = {}
    try:
        address = clean_email(client_email, "client_email")
    except InvalidInput as exc:
        errors.update(exc.errors)
        address = ""
    if promo_code:
        errors["promo"] = "error.client_order_promo"
    if not items:
        errors["cart"] = "error.cart_empty"
    elif any(item.kind not in CLIENT_KINDS for item in items):
        errors["cart"] = "error.client_order_kind"
    try:
        with transaction() as session:
            contact = session.get(Customer, contact_id)
            if contact is None or contact.disabled_at is not None or contact.is_staff:
                raise NotAllowed("no such customer")
            client = None
            if address:
                try:
                    client = _client(session, address, contact_id)
                except InvalidInput as exc:
                    errors.update(exc.errors)
            if errors:
                raise InvalidInput(errors)
            quote = quote_cart(session, client, items)
            now = clock.now()
            proposal = ClientOrder(
                contact_id=contact_id,
                client_id=client.id,
                status=Status.PROPOSED,
                idempotency_key=key,
                items_json=json.dumps([asdict(item) for item in items]),
                created_at=now,
                expires_at=now + timedelta(days=PROPOSAL_DAYS),
            )
            session.add(proposal)
            session.flush()
            _audit(session, "client_order.proposed", proposal, contact, ip)
            mailer.queue_for_customer(
                session,
                client,
                "client_order_proposed",
                contact_name=contact.display_name,
                summary=summary(quote.lines),
                total=Amount(quote.totals.ttc),
                expires=proposal.expires_at.astimezone(clock.PARIS).date(),
                contacts_link=link("/contacts"),
            )
            return proposal.id
    except IntegrityError:
        # The same form from another socket at the same moment: its proposal holds the key.
        earlier = _proposal_of_key(contact_id, key)
        if earlier is None:
            raise
        return earlier


def _proposal_of_key(contact_id: int, key: str) -> int | None:
    with read_session() as session:
        found = session.exec(select(ClientOrder).where(ClientOrder.idempotency_key == key)).first()
    if found is None:
        return None
    if found.contact_id != contact_id:
        raise NotAllowed("idempotency key of another customer")
    return found.id


def _locked(session: Session, proposal_id: int) -> ClientOrder | None:
    return session.exec(
        select(ClientOrder).where(ClientOrder.id == proposal_id).with_for_update()
    ).first()


def _waiting(session: Session, proposal_id: int, allowed) -> ClientOrder:
    """The proposal, locked, if `allowed(proposal)` and it still waits for its answer."""
    proposal = _locked(session, proposal_id)
    if proposal is None or not allowed(proposal):
        raise NotAllowed("proposal of somebody else")
    if proposal.status != Status.PROPOSED or proposal.expires_at <= clock.now():
        raise InvalidInput({"proposal": "error.client_order_closed"})
    return proposal


def accept(
    client_id: int,
    proposal_id: int,
    *,
    terms_accepted: bool,
    withdrawal_waived: bool,
    expected_ttc_cents: int | None = None,
    ip: str | None = None,
) -> int:
    """The client accepts, at the price they saw: the order form made out to them (its
    id), to be paid by them or by the contact. Errors keyed terms / withdrawal / proposal
    (the proposal closed, its price changed, a name taken meanwhile)."""
    vat = vat_checked(client_id)
    with transaction() as session:
        proposal = _waiting(session, proposal_id, lambda p: p.client_id == client_id)
        client = session.get(Customer, client_id)
        errors = {}
        if not terms_accepted:
            errors["terms"] = "error.terms_required"
        if client.account_type == "particulier" and not withdrawal_waived:
            errors["withdrawal"] = "error.withdrawal_required"
        if errors:
            raise InvalidInput(errors)
        try:
            quote = quote_cart(session, client, _items(proposal))
        except InvalidInput as exc:
            raise InvalidInput({"proposal": next(iter(exc.errors.values()))}) from None
        if expected_ttc_cents is not None and quote.totals.ttc != expected_ttc_cents:
            raise InvalidInput({"proposal": "error.price_changed"})
        order = write_order_form(
            session,
            client,
            kind="order",
            key=f"client-order:{proposal.id}",
            lines=quote.lines,
            totals=quote.totals,
            vat_rate_bp=quote.vat_rate_bp,
            vat_mention=quote.vat_mention,
            withdrawal_waived=withdrawal_waived,
        )
        order.agent_id = proposal.contact_id
        session.add(order)
        try:
            hold_names(session, quote.lines, order.id)
        except InvalidInput as exc:
            raise InvalidInput({"proposal": next(iter(exc.errors.values()))}) from None
        record_vat_check(session, order, vat)
        audit.about(session, "order.created", order, actor=client, ip=ip, client_order=proposal.id)
        proposal.status, proposal.decided_at, proposal.order_id = (
            Status.ACCEPTED,
            clock.now(),
            order.id,
        )
        session.add(proposal)
        _audit(session, "client_order.accepted", proposal, client, ip, order=order.id)
        tell(session, proposal.contact_id, client_id, "accepted", summary(quote.lines))
        return order.id


def refuse(client_id: int, proposal_id: int, *, ip: str | None = None) -> None:
    """The client says no: nothing is ordered; the contact is told."""
    with transaction() as session:
        proposal = _waiting(session, proposal_id, lambda p: p.client_id == client_id)
        _close(session, proposal, Status.REFUSED, session.get(Customer, client_id), ip)
        tell(session, proposal.contact_id, client_id, "refused", _about(session, proposal))


def cancel(contact_id: int, proposal_id: int, *, ip: str | None = None) -> None:
    """The contact withdraws a proposal not yet answered; the client is told."""
    with transaction() as session:
        proposal = _waiting(session, proposal_id, lambda p: p.contact_id == contact_id)
        _close(session, proposal, Status.CANCELLED, session.get(Customer, contact_id), ip)
        tell(session, proposal.client_id, contact_id, "cancelled", _about(session, proposal))


def revoke(client_id: int, proposal_id: int, *, ip: str | None = None) -> None:
    """The client takes back the contact's right to pay an accepted order they have not
    paid yet (and to become its administrative contact), at once: the contact's open
    pages hear of it. The order form stays the client's, to pay or cancel."""
    with transaction() as session:
        proposal = _locked(session, proposal_id)
        if proposal is None or proposal.client_id != client_id:
            raise NotAllowed("proposal of somebody else")
        order = session.get(Order, proposal.order_id) if proposal.order_id else None
        if proposal.status != Status.ACCEPTED or order is None or order.status != "unpaid":
            raise InvalidInput({"proposal": "error.client_order_not_revocable"})
        _close(session, proposal, Status.REVOKED, session.get(Customer, client_id), ip)
        tell(session, proposal.contact_id, client_id, "revoked", _about(session, proposal))
        events.publish_after_commit(session, topic(proposal.contact_id))


def _close(session: Session, proposal: ClientOrder, status: str, actor, ip) -> None:
    proposal.status, proposal.decided_at = status, clock.now()
    session.add(proposal)
    _audit(session, f"client_order.{status}", proposal, actor, ip)


def _about(session: Session, proposal: ClientOrder) -> str:
    """The proposal's summary, from its cart (no price needed; never fails)."""
    return " + ".join(
        f"{item.kind} {item.domain or item.code}".strip() for item in _items(proposal)
    )[:300]


def expire_proposals(_last_run: date | None = None) -> dict:
    """The job: proposals unanswered after PROPOSAL_DAYS expire, each once, whatever runs
    it; both sides are told."""
    return expire_unanswered(
        ClientOrder,
        waiting=Status.PROPOSED,
        expired=Status.EXPIRED,
        what="client order",
        then=_expired,
    )


def _expired(session: Session, proposal: ClientOrder) -> None:
    _audit(session, "client_order.expired", proposal, None)
    about = _about(session, proposal)
    tell(session, proposal.contact_id, proposal.client_id, "expired", about)
    tell(session, proposal.client_id, proposal.contact_id, "expired_client", about)


# ---------------------------------------------------------------- what the pages show


@dataclass(frozen=True)
class ProposalRow:
    id: int
    sent: bool  # by the customer asking (else: to them)
    contact_name: str
    client_name: str
    client_email: str  # the address the contact typed: shown to them only
    summary: str
    # proposed | accepted | paid | refused | expired | cancelled | revoked | void (the
    # order form cancelled, or refused with a card)
    status: str
    ht_cents: int | None
    vat_cents: int | None
    ttc_cents: int | None
    vat_rate_bp: int | None
    vat_mention: str
    problem: str  # why it cannot be accepted now (an i18n key), or ""
    created_at: datetime
    expires_at: datetime
    order_id: int | None
    payable: bool  # the contact may pay it now


def _quote(session: Session, proposal: ClientOrder, client: Customer) -> CartQuote | str:
    """Today's price of a proposal for the client, or why it has none."""
    try:
        return quote_cart(session, client, _items(proposal))
    except InvalidInput as exc:
        return next(iter(exc.errors.values()))


def _row(session, proposal: ClientOrder, people: dict, orders: dict, me: int) -> ProposalRow:
    contact, client = people[proposal.contact_id], people[proposal.client_id]
    order = orders.get(proposal.order_id)
    status, problem = proposal.status, ""
    ht = vat = ttc = rate = None
    mention, about = "", _about(session, proposal)
    if order is not None:
        ht, vat, ttc = order.total_ht_cents, order.total_vat_cents, order.total_ttc_cents
        rate, mention = order.vat_rate_bp, order.vat_mention or ""
        if order.status == "paid":
            status = "paid"
        elif order.status != "unpaid":
            status = "void"
    elif status == Status.PROPOSED:
        if proposal.expires_at <= clock.now():
            status = Status.EXPIRED  # the job has not run yet: the answer is refused anyway
        else:
            found = _quote(session, proposal, client)
            if isinstance(found, str):
                problem = found
            else:
                ht, vat, ttc = found.totals.ht, found.totals.vat, found.totals.ttc
                rate, mention, about = (
                    found.vat_rate_bp,
                    found.vat_mention or "",
                    summary(found.lines),
                )
    if order is not None:
        about = order_summary(session, order)
    sent = proposal.contact_id == me
    return ProposalRow(
        id=proposal.id,
        sent=sent,
        contact_name=contact.display_name,
        client_name=client.display_name,
        client_email=client.email if sent else "",
        summary=about,
        status=status,
        ht_cents=ht,
        vat_cents=vat,
        ttc_cents=ttc,
        vat_rate_bp=rate,
        vat_mention=mention,
        problem=problem,
        created_at=proposal.created_at,
        expires_at=proposal.expires_at,
        order_id=proposal.order_id,
        payable=sent and status == Status.ACCEPTED,
    )


def order_summary(session: Session, order: Order) -> str:
    lines = session.exec(
        select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.id)
    ).all()
    return summary(lines)


def proposals_of(customer_id: int) -> list[ProposalRow]:
    """The proposals the customer sent (as a contact) or received (as a client), the
    latest LIST_LIMIT, newest first, each priced as it stands."""
    with read_session() as session:
        proposals = session.exec(
            select(ClientOrder)
            .where(or_(ClientOrder.contact_id == customer_id, ClientOrder.client_id == customer_id))
            .order_by(col(ClientOrder.created_at).desc(), col(ClientOrder.id).desc())
            .limit(LIST_LIMIT)
        ).all()
        ids = {p.contact_id for p in proposals} | {p.client_id for p in proposals}
        people = {c.id: c for c in session.exec(select(Customer).where(col(Customer.id).in_(ids)))}
        order_ids = {p.order_id for p in proposals if p.order_id}
        orders = {o.id: o for o in session.exec(select(Order).where(col(Order.id).in_(order_ids)))}
        return [_row(session, p, people, orders, customer_id) for p in proposals]


def waiting_for(client_id: int) -> int:
    """How many proposals wait for this client's answer (the dashboard's notice)."""
    with read_session() as session:
        return session.exec(
            select(func.count())
            .select_from(ClientOrder)
            .where(
                ClientOrder.client_id == client_id,
                ClientOrder.status == Status.PROPOSED,
                col(ClientOrder.expires_at) > clock.now(),
            )
        ).one()
