"""Reading the catalogue that customers can order from."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from o2portal.catalog.models import HostingOffer, ServerModel, TldPrice
from o2portal.core.db import read_session


@dataclass
class Catalogue:
    hosting: list[HostingOffer]
    tlds: list[TldPrice]
    servers: list[ServerModel]


def active_catalogue() -> Catalogue:
    with read_session() as session:
        return Catalogue(
            hosting=list(
                session.exec(
                    select(HostingOffer)
                    .where(col(HostingOffer.active).is_(True))
                    .order_by(HostingOffer.sort_order)
                ).all()
            ),
            tlds=list(
                session.exec(
                    select(TldPrice).where(col(TldPrice.active).is_(True)).order_by(TldPrice.tld)
                ).all()
            ),
            servers=list(
                session.exec(
                    select(ServerModel)
                    .where(col(ServerModel.active).is_(True))
                    .order_by(ServerModel.sort_order)
                ).all()
            ),
        )
