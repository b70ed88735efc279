"""The registrar, shaped like a real one (EPP), and the built-in one.

A real registrar plugs in by implementing Registrar; nothing here takes the portal's
database session, and every call may raise ProviderDown (the registrar did not answer):

    is_available(name)                      -> bool   nobody holds the name at the registry
    register(name, holder_ref=, years=, nameservers=, request_id=) -> DomainRecord
    transfer(name, auth_code=, holder_ref=, request_id=)           -> DomainRecord
                                               (a transfer adds one year)
    renew(name, years=, request_id=)        -> DomainRecord
    set_nameservers(name, nameservers)      -> None
    set_lock(name, locked)                  -> None   the transfer lock
    auth_code(name)                         -> str    the code a transfer out needs
    change_holder(name, holder_ref, request_id=) -> None
    release(name)                           -> None   given back to the registry
    add_txt_record(name, record_name, value)    -> None   a TXT value in the zone of `name`
    remove_txt_record(name, record_name, value) -> None   (record_name is fully qualified,
                                               `name` itself or under it; adding a value
                                               already there or removing one that is not
                                               changes nothing, so both can be retried)

`request_id` makes a call idempotent: the same id gets the first answer back, so a call
whose answer was lost can be sent again without registering or renewing twice.

The built-in LocalRegistrar keeps its own book (registry_domain) in its own transactions:
a name registered through o2portal or reserved (registered elsewhere) is taken. Holding a
name while an order form is paid is the portal's business, not the registry's
(products.domain_holds). It also serves a DNS zone for each name it holds, TXT records only
(registry_txt_record), which integrations.resolver.RegistryResolver answers from; the zone
starts empty at each registration.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlmodel import Session, delete, select

from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.integrations.models import RegistryDomain, RegistryTxtRecord
from o2portal.integrations.providers import Reachable, replay


class DomainTaken(Exception):
    """Somebody has (or is being given) this name."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


class DomainNotRegistered(Exception):
    """A transfer or a change was asked for a name that nobody holds here."""


@dataclass(frozen=True)
class DomainRecord:
    name: str
    expires_on: date
    auth_code: str
    locked: bool
    nameservers: tuple[str, ...]


class Registrar(Protocol):
    def is_available(self, name: str) -> bool: ...

    def register(
        self,
        name: str,
        *,
        holder_ref: str,
        years: int,
        nameservers: list[str],
        request_id: str,
    ) -> DomainRecord: ...

    def transfer(
        self, name: str, *, auth_code: str, holder_ref: str, request_id: str
    ) -> DomainRecord: ...

    def renew(self, name: str, *, years: int, request_id: str) -> DomainRecord: ...

    def set_nameservers(self, name: str, nameservers: list[str]) -> None: ...

    def set_lock(self, name: str, locked: bool) -> None: ...

    def auth_code(self, name: str) -> str: ...

    def change_holder(self, name: str, holder_ref: str, *, request_id: str) -> None: ...

    def release(self, name: str) -> None: ...

    def add_txt_record(self, name: str, record_name: str, value: str) -> None: ...

    def remove_txt_record(self, name: str, record_name: str, value: str) -> None: ...


def _free(row: RegistryDomain | None) -> bool:
    return row is None or (row.released_at is not None and not row.reserved)


def _record(row: RegistryDomain) -> dict:
    return {
        "name": row.name,
        "expires_on": row.expires_on.isoformat() if row.expires_on else None,
        "auth_code": row.auth_code or "",
        "locked": row.locked,
        "nameservers": json.loads(row.nameservers_json or "[]"),
    }


def is_held(row: RegistryDomain | None) -> bool:
    """Somebody holds the name: registered here and not released, or reserved."""
    return not _free(row)


def relative_host(name: str, record_name: str) -> str:
    """`record_name` relative to the zone `name` ("@" for the name itself); ValueError
    when it lies outside the zone."""
    name, record_name = name.lower().rstrip("."), record_name.lower().rstrip(".")
    if record_name == name:
        return "@"
    if record_name.endswith("." + name):
        return record_name[: -len(name) - 1]
    raise ValueError(f"{record_name} is not in the zone of {name}")


def _clear_zone(session: Session, row: RegistryDomain) -> None:
    if row.id is not None:
        session.execute(delete(RegistryTxtRecord).where(RegistryTxtRecord.domain_id == row.id))


def _answer(data: dict) -> DomainRecord:
    return DomainRecord(
        name=data["name"],
        expires_on=date.fromisoformat(data["expires_on"]),
        auth_code=data["auth_code"],
        locked=data["locked"],
        nameservers=tuple(data["nameservers"]),
    )


class LocalRegistrar(Reachable):
    label = "the registrar"

    @staticmethod
    def _row(session: Session, name: str) -> RegistryDomain | None:
        return session.exec(
            select(RegistryDomain).where(RegistryDomain.name == name).with_for_update()
        ).first()

    def _held(self, session: Session, name: str) -> RegistryDomain:
        row = self._row(session, name)
        if _free(row):
            raise DomainNotRegistered(name)
        return row

    def is_available(self, name: str) -> bool:
        self._reachable()
        # A read of its own: the portal may be asking from inside its order transaction.
        with read_session() as session:
            row = session.exec(select(RegistryDomain).where(RegistryDomain.name == name)).first()
            return _free(row)

    def register(
        self,
        name: str,
        *,
        holder_ref: str,
        years: int,
        nameservers: list[str],
        request_id: str,
    ) -> DomainRecord:
        self._reachable()

        def create() -> dict:
            row = self._row(session, name)
            if not _free(row):
                raise DomainTaken(name)
            if row is not None:
                _clear_zone(session, row)  # a name registered again starts with no records
            row = row or RegistryDomain(name=name)
            row.reserved, row.released_at, row.locked = False, None, True
            row.holder_ref = holder_ref
            row.registered_at = clock.now()
            row.expires_on = clock.add_years(clock.today(), max(1, years))
            row.auth_code = secrets.token_urlsafe(12)
            row.nameservers_json = json.dumps(list(nameservers))
            session.add(row)
            return _record(row)

        with transaction() as session:
            return _answer(replay(session, "registrar", request_id, create))

    def transfer(
        self, name: str, *, auth_code: str, holder_ref: str, request_id: str
    ) -> DomainRecord:
        self._reachable()

        def move() -> dict:
            row = self._held(session, name)
            if row.auth_code and row.auth_code != auth_code:
                raise DomainTaken(name)  # the losing holder's code is wrong: refused
            row.reserved = False
            row.holder_ref = holder_ref
            base = max(row.expires_on or clock.today(), clock.today())
            row.expires_on = clock.add_years(base, 1)
            row.auth_code = secrets.token_urlsafe(12)
            session.add(row)
            return _record(row)

        with transaction() as session:
            return _answer(replay(session, "registrar", request_id, move))

    def renew(self, name: str, *, years: int, request_id: str) -> DomainRecord:
        self._reachable()

        def extend() -> dict:
            row = self._held(session, name)
            row.expires_on = clock.add_years(row.expires_on or clock.today(), max(1, years))
            session.add(row)
            return _record(row)

        with transaction() as session:
            return _answer(replay(session, "registrar", request_id, extend))

    def _change(self, name: str, **values) -> RegistryDomain:
        self._reachable()
        with transaction() as session:
            row = self._held(session, name)
            for key, value in values.items():
                setattr(row, key, value)
            session.add(row)
            return row

    def set_nameservers(self, name: str, nameservers: list[str]) -> None:
        self._change(name, nameservers_json=json.dumps(list(nameservers)))

    def set_lock(self, name: str, locked: bool) -> None:
        self._change(name, locked=bool(locked))

    def auth_code(self, name: str) -> str:
        self._reachable()
        with transaction() as session:
            row = self._held(session, name)
            if not row.auth_code:
                row.auth_code = secrets.token_urlsafe(12)
                session.add(row)
            return row.auth_code

    def change_holder(self, name: str, holder_ref: str, *, request_id: str) -> None:
        self._reachable()

        def change() -> dict:
            row = self._held(session, name)
            row.holder_ref = holder_ref
            session.add(row)
            return _record(row)

        with transaction() as session:
            replay(session, "registrar", request_id, change)

    def release(self, name: str) -> None:
        self._reachable()
        with transaction() as session:
            row = self._row(session, name)
            if row is not None and row.released_at is None:
                row.released_at = clock.now()
                session.add(row)
                _clear_zone(session, row)

    def add_txt_record(self, name: str, record_name: str, value: str) -> None:
        host = relative_host(name, record_name)
        if not 0 < len(value) <= 255 or not value.isascii() or not value.isprintable():
            raise ValueError("a TXT value is 1 to 255 printable ASCII characters")
        self._reachable()
        with transaction() as session:
            row = self._held(session, name)  # locked: one writer of the zone at a time
            if row.reserved:
                raise DomainNotRegistered(name)  # registered elsewhere: not our zone
            there = session.exec(
                select(RegistryTxtRecord.id).where(
                    RegistryTxtRecord.domain_id == row.id,
                    RegistryTxtRecord.host == host,
                    RegistryTxtRecord.value == value,
                )
            ).first()
            if there is None:
                session.add(
                    RegistryTxtRecord(
                        domain_id=row.id, host=host, value=value, created_at=clock.now()
                    )
                )

    def remove_txt_record(self, name: str, record_name: str, value: str) -> None:
        host = relative_host(name, record_name)
        self._reachable()
        with transaction() as session:
            row = self._row(session, name)
            if row is None:
                return
            session.execute(
                delete(RegistryTxtRecord).where(
                    RegistryTxtRecord.domain_id == row.id,
                    RegistryTxtRecord.host == host,
                    RegistryTxtRecord.value == value,
                )
            )


_registrar: Registrar = LocalRegistrar()


def registrar() -> Registrar:
    return _registrar
