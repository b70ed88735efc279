"""/trades: the offers of a change of holder the customer sent or received, one page at a
time, with accept / refuse (received) and cancel (sent) while they wait."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.core import formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.products import trades
from o2portal.products.models import HolderChangeStatus
from o2portal.web.guards import client_ip
from o2portal.web.helpers import given_id, send_mail_soon
from o2portal.web.lists import Paged
from o2portal.web.session import customer_of, language_of, load_customer


def _row(offer: trades.OfferRow, lang: str) -> dict[str, str]:
    waiting = offer.status == HolderChangeStatus.OFFERED
    accepted = offer.status == HolderChangeStatus.ACCEPTED
    # Whose product it is now: a link to its page for the customer who holds it.
    mine = (offer.sent and not accepted) or (not offer.sent and accepted)
    direction = (
        translate("trade.sent_to", lang, name=f"{offer.to_name} ({offer.to_email})")
        if offer.sent
        else translate("trade.received_from", lang, name=f"{offer.from_name} ({offer.from_email})")
    )
    return {
        "id": str(offer.id),
        "product": offer.product_name,
        "product_id": str(offer.product_id),
        "mine": "1" if mine else "",
        "kind": translate(f"kind.{offer.kind}", lang),
        "direction": direction,
        "status_code": offer.status,
        "status": translate(f"trade.status_{offer.status}", lang),
        "offered": formatting.day(offer.offered_at, lang),
        "expires": formatting.day(offer.expires_at, lang) if waiting else "",
        "answer": "1" if waiting and not offer.sent else "",
        "cancel": "1" if waiting and offer.sent else "",
    }


class TradesState(Paged, rx.State):
    rows: list[dict[str, str]] = []
    message: str = ""
    failed: bool = False

    async def _fill(self, page: int) -> None:
        user, lang = await load_customer(self)
        found = await asyncio.to_thread(trades.offers_of, user.customer.id, page)
        self.page, self.pages, self.total = found.page, found.pages, found.total
        self.rows = [_row(offer, lang) for offer in found.rows]

    @rx.event
    async def load(self):
        self.message, self.failed = "", False
        await self._fill(1)

    async def _act(self, action, change_id: str, done_key: str) -> None:
        user = await customer_of(self)
        lang = await language_of(self)
        self.message, self.failed = "", False
        try:
            await asyncio.to_thread(action, user.actor, given_id(change_id), ip=client_ip(self))
        except InvalidInput as exc:
            self.message, self.failed = translate(exc.errors["offer"], lang), True
        except NotAllowed:
            self.message, self.failed = translate("trade.error_closed", lang), True
        else:
            send_mail_soon()
            self.message = translate(done_key, lang)
        await self._fill(self.page)

    @rx.event
    async def accept(self, change_id: str):
        await self._act(trades.accept_offer, change_id, "trade.accepted_ok")

    @rx.event
    async def refuse(self, change_id: str):
        await self._act(trades.refuse_offer, change_id, "trade.refused_ok")

    @rx.event
    async def cancel(self, change_id: str):
        await self._act(trades.cancel_offer, change_id, "trade.cancelled_ok")
