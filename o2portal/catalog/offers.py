"""Reading the catalogue that customers can order from."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from sqlalchemy import literal, union_all
from sqlmodel import Session, col, select

from o2portal.catalog.models import CertificateOffer, HostingOffer, ServerModel, TldPrice
from o2portal.core.db import read_connection, read_session


@dataclass
class Catalogue:
    hosting: list[HostingOffer]
    tlds: list[TldPrice]
    servers: list[ServerModel]
    certificates: list[CertificateOffer]


def _on_sale(session: Session, model, order) -> list:
    """The rows of a catalogue table that are on sale, in the order given."""
    return list(
        session.exec(select(model).where(col(model.active).is_(True)).order_by(order)).all()
    )


def active_catalogue() -> Catalogue:
    with read_session() as session:
        return Catalogue(
            hosting=_on_sale(session, HostingOffer, HostingOffer.sort_order),
            tlds=_on_sale(session, TldPrice, TldPrice.tld),
            servers=_on_sale(session, ServerModel, ServerModel.sort_order),
            certificates=_on_sale(session, CertificateOffer, CertificateOffer.sort_order),
        )


@functools.cache
def _names_statement():
    """The union of the three offer tables' names, built once (building it cost more than
    running it, at every product page)."""
    hosting = select(literal("hosting"), HostingOffer.code, HostingOffer.name)
    servers = select(literal("server"), ServerModel.code, ServerModel.name)
    certificates = select(literal("ssl"), CertificateOffer.code, CertificateOffer.name)
    return union_all(hosting, servers, certificates)


def offer_names() -> dict[str, str]:
    """The name of every hosting offer, server model and SSL certificate, on sale or not, keyed
    'kind:code' (one query on a plain connection); give it to `offer_name`."""
    with read_connection() as connection:
        rows = connection.execute(_names_statement()).all()
    return {f"{kind}:{code}": name for kind, code, name in rows}


def offer_name(names: dict[str, str], kind: str, code: str) -> str:
    """A product's offer as the customer reads it: the catalogue's name, or a domain's
    extension ('.fr'); the code itself when the catalogue no longer knows it."""
    if kind == "domain":
        return f".{code}"
    return names.get(f"{kind}:{code}", code)
