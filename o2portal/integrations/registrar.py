"""Domain names: checking a name, asking the registrar if it is free, registering it.

`Registrar` is the interface a real registrar (EPP) plugs in behind; `LocalRegistrar` is the
built-in one, which keeps its own book (registry_domain): a name registered through
o2portal, reserved, or held for an order form being paid is taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import idna
from sqlmodel import Session, col, select

from o2portal.catalog.models import TldPrice
from o2portal.core import clock
from o2portal.core.errors import InvalidInput
from o2portal.products.models import RegistryDomain

MAX_LABEL = 63
MAX_NAME = 253
_LDH = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")


@dataclass(frozen=True)
class DomainName:
    ascii: str  # what registries use: "xn--caf-dma.fr"
    unicode: str  # what people read: "café.fr"
    tld: str


def check_domain_name(raw: str | None, supported_tlds: set[str]) -> DomainName:
    """Syntax, IDNA for accented names, a supported extension; raises InvalidInput
    {"domain": key} with a message that says what is wrong."""
    text = (raw or "").strip().lower().rstrip(".")
    if not text:
        raise InvalidInput({"domain": "error.required"})
    if len(text) > 300:
        raise InvalidInput({"domain": "error.domain_too_long"})
    if any(ch.isspace() for ch in text):
        raise InvalidInput({"domain": "error.domain_spaces"})
    text = re.sub(r"^(https?://)?(www\.)?", "", text).split("/")[0]
    labels = text.split(".")
    if len(labels) < 2 or any(not label for label in labels):
        raise InvalidInput({"domain": "error.domain_no_extension"})
    if len(labels) > 2:
        raise InvalidInput({"domain": "error.domain_subdomain"})
    tld = labels[-1]
    if tld not in supported_tlds:
        raise InvalidInput({"domain": "error.domain_extension"})
    label = labels[0]
    if len(label) > MAX_LABEL:
        raise InvalidInput({"domain": "error.domain_label_long"})
    if label.startswith("-") or label.endswith("-"):
        raise InvalidInput({"domain": "error.domain_hyphen"})
    try:
        ascii_label = idna.encode(label, uts46=True).decode("ascii")
    except idna.IDNAError:
        raise InvalidInput({"domain": "error.domain_characters"}) from None
    if len(ascii_label) > MAX_LABEL:
        raise InvalidInput({"domain": "error.domain_label_long"})
    if not _LDH.match(ascii_label) or (
        ascii_label[2:4] == "--" and not ascii_label.startswith("xn--")
    ):
        raise InvalidInput({"domain": "error.domain_characters"})
    ascii_name = f"{ascii_label}.{tld}"
    if len(ascii_name) > MAX_NAME:
        raise InvalidInput({"domain": "error.domain_too_long"})
    return DomainName(ascii_name, idna.decode(ascii_name), tld)


def supported_tlds(session: Session) -> set[str]:
    return set(session.exec(select(TldPrice.tld).where(col(TldPrice.active).is_(True))).all())


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
        session.add(row)
        session.flush()  # a second buyer's insert of the same name fails here

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
