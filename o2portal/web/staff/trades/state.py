"""Staff: the changes of holder waiting for their recipient, and cancelling one."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.core import formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.products import staff as domain
from o2portal.web.guards import client_ip
from o2portal.web.helpers import given_id, send_mail_soon
from o2portal.web.lists import Paged
from o2portal.web.session import language_of, load_staff, staff_of


class AdminTradesState(Paged, rx.State):
    rows: list[dict[str, str]] = []
    message: str = ""

    async def _fill(self, page: int) -> None:
        user, lang = await load_staff(self)
        found = await asyncio.to_thread(domain.pending_holder_changes, user.actor, page)
        self.page, self.pages, self.total = found.page, found.pages, found.total
        self.rows = [
            {
                "id": str(o.id),
                "product": o.product_name,
                "product_id": str(o.product_id),
                "kind": translate(f"kind.{o.kind}", lang),
                "from": f"{o.from_name} ({o.from_email})",
                "to": f"{o.to_name} ({o.to_email})",
                "offered": formatting.day(o.offered_at, lang),
                "expires": formatting.day(o.expires_at, lang),
            }
            for o in found.rows
        ]

    @rx.event
    async def load(self):
        self.message = ""
        await self._fill(1)

    @rx.event
    async def cancel(self, change_id: str):
        user = await staff_of(self)
        lang = await language_of(self)
        try:
            await asyncio.to_thread(
                domain.cancel_holder_change, user.actor, given_id(change_id), ip=client_ip(self)
            )
        except (InvalidInput, NotAllowed):
            self.message = translate("trade.error_closed", lang)
        else:
            send_mail_soon()
            self.message = translate("admin.trade_cancelled", lang)
        await self._fill(self.page)
