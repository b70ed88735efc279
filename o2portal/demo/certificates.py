"""The demo's SSL certificate: Marie Dupont's www.marie-dupont.com, ordered and paid by
card through the real checkout once the demo's people exist, then issued by the tasks
after the payment (her domain is managed here: the portal publishes the record itself).
The key the portal made waits, encrypted, for her one download."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.billing.orders import CartItem, checkout
from o2portal.billing.payments import CardDetails, PaymentChoice
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.demo.specs import PEOPLE
from o2portal.mail.models import MailStatus, OutboxEmail

DEMO_CERTIFICATE = ("client", "ssl-dv", "www.marie-dupont.com")


def order_demo_certificate() -> None:
    owner, offer, name = DEMO_CERTIFICATE
    email = PEOPLE[owner][1]["email"]
    with read_session() as session:
        customer_id = session.exec(select(Customer.id).where(Customer.email == email)).one()
    year = clock.today().year + 2
    outcome = checkout(
        customer_id=customer_id,
        items=[CartItem("ssl", code=offer, domain=name)],
        promo_code="",
        choice=PaymentChoice("card", card=CardDetails("4242424242424242", 12, year, "123", "M D")),
        key=f"demo-ssl-{customer_id}-{name}",
        terms_accepted=True,
        withdrawal_waived=True,
    )
    if outcome.status != "paid":
        raise RuntimeError(f"the demo certificate was not paid: {outcome.status}")
    # Like the rest of the demo's history, its confirmation went out already (nobody is
    # mailed by seeding the demo).
    with transaction() as session:
        session.execute(
            update(OutboxEmail)
            .where(
                OutboxEmail.customer_id == customer_id,
                OutboxEmail.status == MailStatus.PENDING,
                OutboxEmail.kind == "order_confirmation",
            )
            .values(status=MailStatus.SENT, attempts=1, sent_at=clock.now())
        )
