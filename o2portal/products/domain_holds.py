"""Domain names held for an order form: from the moment it is written until it is
refused, cancelled, or paid and registered. The registrar knows nothing of them; the
portal's own table decides between two of its customers buying one name at once."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from o2portal.core import clock
from o2portal.integrations.registrar import DomainNotRegistered, DomainTaken, registrar
from o2portal.products.models import DomainHold


def is_held(session: Session, name: str) -> bool:
    return session.exec(select(DomainHold.id).where(DomainHold.name == name)).first() is not None


def is_available(session: Session, name: str) -> bool:
    """Free at the registry and not held for another order form."""
    return not is_held(session, name) and registrar().is_available(name)


def hold(session: Session, name: str, order_id: int, *, transfer: bool = False) -> None:
    """Hold the name for the order form. A registration needs a free name, a transfer one
    registered elsewhere; raises DomainTaken or DomainNotRegistered."""
    if is_held(session, name):
        raise DomainTaken(name)
    free = registrar().is_available(name)
    if transfer and free:
        raise DomainNotRegistered(name)
    if not transfer and not free:
        raise DomainTaken(name)
    try:
        # A second buyer's insert of the same name fails here (on PostgreSQL it waits
        # for the first buyer's commit): the name is taken, said as such.
        with session.begin_nested():
            session.add(
                DomainHold(name=name, order_id=order_id, transfer=transfer, created_at=clock.now())
            )
            session.flush()
    except IntegrityError:
        raise DomainTaken(name) from None


def release_holds(session: Session, order_id: int) -> None:
    """An order form that will not be paid gives its domain names back."""
    for row in session.exec(select(DomainHold).where(DomainHold.order_id == order_id)).all():
        session.delete(row)
