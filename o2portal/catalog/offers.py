"""Reading the catalogue that customers can order from."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from o2portal.catalog.models import HostingOffer, ServerModel, TldPrice
from o2portal.core.db import read_session


@dataclass
class Catalogue:
    hosting: list[HostingOffer]
    tlds: list[TldPrice]
    servers: list[ServerModel]


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
        )
