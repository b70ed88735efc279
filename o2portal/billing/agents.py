"""Paying a holder's order form as their contact (SPEC, "Contacts, change of holder, SSL
certificates"): the contact who placed the form (Order.agent_id) may pay it with their own
means (their card, their saved card, their credit, a transfer or a cheque); the form and
its invoice stay the holder's, and the holder's saved cards are never used for it.

The right lasts as long as what gave it:
- an order for a client (billing/client_orders.py): the proposal accepted, and not taken
  back by the client;
- a renewal placed by an administrative contact: they are still an active administrative
  contact of every product on the form, under its holder. The holder (or staff) revoking
  them ends it at once, for a form they left unpaid too.
The rows that give the right are locked (shared) in the payment's first transaction: a
revocation at the same moment comes wholly before it (the payment is refused) or after
it (the payment had started while the right lasted).

Once such a form is paid, the holder is told what the contact did (ContactAction and a
mail), and the products of a client order get the contact as administrative contact.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.billing.models import ClientOrder, ClientOrderStatus, Order, OrderLine
from o2portal.core import formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import link
from o2portal.products import contacts
from o2portal.products.contact_models import ContactRole, ProductContact
from o2portal.products.contacts import Right
from o2portal.products.models import Product


def summary(lines) -> str:
    """An order in one line: what each line of its quote or order form is."""
    return " + ".join(line.description for line in lines if line.action != "discount")[:300]


def tell(session: Session, customer_id: int, other_id: int, what: str, about: str) -> None:
    """Mail one side of an order for a client that it (`about`: its summary) is `what`
    now; `other_id` is the other side, named in the mail."""
    customer = session.get(Customer, customer_id)
    other = session.get(Customer, other_id)
    if customer is None or customer.deleted_at is not None or other is None:
        return
    mailer.queue_for_customer(
        session,
        customer,
        "client_order_news",
        summary=about,
        news=translate(f"client_orders.news.{what}", customer.language),
        detail=translate(
            f"client_orders.news_detail.{what}", customer.language, name=other.display_name
        ),
        contacts_link=link("/contacts"),
    )


def check_agent(session: Session, order: Order, payer_id: int) -> None:
    """May `payer_id`, who is not the form's holder, pay it now? NotAllowed for anyone but
    the contact who placed it; InvalidInput {"method": …} once their right is gone."""
    if order.agent_id is None or order.agent_id != payer_id:
        raise NotAllowed("order of another customer")
    if order.kind == "order":
        proposal = session.exec(
            select(ClientOrder).where(ClientOrder.order_id == order.id).with_for_update(read=True)
        ).first()
        if (
            proposal is None
            or proposal.contact_id != payer_id
            or proposal.status != ClientOrderStatus.ACCEPTED
        ):
            raise InvalidInput({"method": "error.agent_right_gone"})
        return
    product_ids = _product_ids(session, order)
    if not product_ids:
        raise NotAllowed("nothing of a contact's on this form")
    for product_id in product_ids:
        try:
            product, _link = contacts.access(session, payer_id, product_id, Right.RENEW, lock=True)
        except NotAllowed:
            raise InvalidInput({"method": "error.agent_right_gone"}) from None
        if product.customer_id != order.customer_id:  # it changed hands since
            raise InvalidInput({"method": "error.agent_right_gone"})


def _product_ids(session: Session, order: Order) -> list[int]:
    return sorted(
        {
            pid
            for pid in session.exec(
                select(OrderLine.product_id).where(
                    OrderLine.order_id == order.id, col(OrderLine.product_id).is_not(None)
                )
            )
        }
    )


def _details(session: Session, order: Order, **more) -> dict:
    """What the holder reads about the payment: its amount, in the holder's language."""
    holder = session.get(Customer, order.customer_id)
    lang = holder.language if holder else "fr"
    return {**more, "amount": formatting.money(order.total_ttc_cents, lang)}


def after_paid(session: Session, order: Order, created: list[Product]) -> None:
    """A form placed by a contact is paid (by them, the holder, or staff recording a
    transfer): the holder is told, and a client order's products get their contact."""
    if order.agent_id is None:
        return
    if order.kind == "order":
        proposal = session.exec(select(ClientOrder).where(ClientOrder.order_id == order.id)).first()
        if proposal is None or proposal.status != ClientOrderStatus.ACCEPTED:
            return  # the client took the contact's right back before it was paid
        for product in created:
            found = contacts.grant(
                session, product, proposal.contact_id, ContactRole.ADMINISTRATIVE
            )
            contacts.note_action(session, found, "client_order_paid", **_details(session, order))
        lines = session.exec(select(OrderLine).where(OrderLine.order_id == order.id)).all()
        tell(session, proposal.contact_id, order.customer_id, "paid", summary(lines))
        return
    holder = session.get(Customer, order.customer_id)
    for product_id in _product_ids(session, order):
        product = session.get(Product, product_id)
        found = contacts.latest_link(session, order.agent_id, product)
        if found is not None:
            until = formatting.day(product.expiry_date, holder.language if holder else "fr")
            contacts.note_action(session, found, "renewed", **_details(session, order, until=until))


def note_left_unpaid(session: Session, order: Order, method: str) -> None:
    """A contact's renewal form left to pay by transfer or cheque: the holder is told
    (the form is among their unpaid ones)."""
    if order.agent_id is None or order.kind == "order":
        return
    for product_id in _product_ids(session, order):
        found: ProductContact | None = contacts.latest_link(
            session, order.agent_id, session.get(Product, product_id)
        )
        if found is not None:
            contacts.note_action(session, found, f"renewal_by_{method}", **_details(session, order))
