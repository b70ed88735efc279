"""The registrar: asking if a name is free, holding it for an order form, registering it.

`Registrar` is the interface a real registrar (EPP) plugs in behind; `LocalRegistrar` is the
built-in one, which keeps its own book (registry_domain): a name registered through
o2portal, reserved, or held for an order form being paid is taken.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from o2portal.core import clock
from o2portal.integrations.models import RegistryDomain


class DomainTaken(Exception):
    """Somebody has (or is being given) this name."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


class DomainNotRegistered(Exception):
    """A transfer was asked for a name that nobody holds."""


class Registrar(Protocol):
    def is_available(self, session: Session, name: str) -> bool: ...

    def hold(self, session: Session, name: str, order_id: int) -> None: ...

    def hold_transfer(self, session: Session, name: str, order_id: int) -> None: ...

    def drop_hold(self, session: Session, name: str, order_id: int) -> None: ...

    def register(
        self, session: Session, name: str, order_id: int, holder_ref: str, expires_on: date
    ) -> None: ...


class LocalRegistrar:
    def _row(self, session: Session, name: str) -> RegistryDomain | None:
        return session.exec(
            select(RegistryDomain).where(RegistryDomain.name == name).with_for_update()
        ).first()

    def is_available(self, session: Session, name: str) -> bool:
        row = self._row(session, name)
        return row is None or (
            row.released_at is not None and not row.reserved and row.pending_order_id is None
        )

    def hold(self, session: Session, name: str, order_id: int) -> None:
        """Take the name for an order form: the unique name decides between two buyers."""
        row = self._row(session, name)
        if row is None:
            row = RegistryDomain(name=name, registered_at=clock.now())
        elif not self.is_available(session, name):
            raise DomainTaken(name)
        row.pending_order_id = order_id
        row.released_at = None
        row.reserved = False
        row.holder_ref = None
        row.expires_on = None
        try:
            # A second buyer's insert of the same name fails here (on PostgreSQL it waits
            # for the first buyer's commit): the name is taken, said as such.
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            raise DomainTaken(name) from None

    def hold_transfer(self, session: Session, name: str, order_id: int) -> None:
        """Hold a name registered elsewhere for its transfer in (one transfer at a time)."""
        row = self._row(session, name)
        if row is None or self.is_available(session, name):
            raise DomainNotRegistered(name)
        if row.pending_order_id is not None:
            raise DomainTaken(name)
        row.pending_order_id = order_id
        session.add(row)
        session.flush()

    def drop_hold(self, session: Session, name: str, order_id: int) -> None:
        row = self._row(session, name)
        if row is None or row.pending_order_id != order_id:
            return
        if row.reserved or row.holder_ref is not None:
            row.pending_order_id = None  # a transfer hold on a name that stays where it is
            session.add(row)
        else:
            session.delete(row)  # the row existed only for this hold

    def register(
        self, session: Session, name: str, order_id: int, holder_ref: str, expires_on: date
    ) -> None:
        row = self._row(session, name)
        if row is None or row.pending_order_id != order_id:
            raise DomainTaken(name)
        row.pending_order_id = None
        row.reserved = False
        row.holder_ref = holder_ref
        row.registered_at = clock.now()
        row.expires_on = expires_on
        session.add(row)


_registrar: Registrar = LocalRegistrar()


def registrar() -> Registrar:
    return _registrar
