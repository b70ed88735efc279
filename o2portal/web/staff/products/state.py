"""Staff: products by expiry window and status; each opens its own page
(/admin/products/<id>), where admins change it by hand."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.core import clock, formatting
from o2portal.core.i18n import translate
from o2portal.products import staff as domain
from o2portal.products.customer import display_status
from o2portal.web.lists import Searched, StaffQuery
from o2portal.web.session import load_staff


class AdminProductsState(StaffQuery, Searched, rx.State):
    window: str = ""
    status: str = ""
    rows: list[dict[str, str]] = []

    async def _fill(self, page: int) -> None:
        user, lang = await load_staff(self)
        result = await asyncio.to_thread(
            domain.list_products,
            user.actor,
            window=self.window,
            status=self.status,
            query=self.query,
            page=page,
        )
        today = clock.today()
        self.page, self.pages, self.total = result.page, result.pages, result.total
        self.rows = [
            {
                "id": str(p.id),
                "name": p.name,
                "kind": translate(f"kind.{p.kind}", lang),
                "customer": c.email,
                "customer_id": str(c.id),
                "status_code": p.status,
                "status": translate(f"status.{display_status(p, today)}", lang),
                "expiry": formatting.day(p.expiry_date, lang),
                "expiry_iso": p.expiry_date.isoformat(),
            }
            for p, c in result.rows
        ]

    @rx.event
    async def load(self):
        await self._fill(1)

    @rx.event
    async def set_window(self, value: str):
        self.window = value if value in domain.WINDOWS else ""
        await self._fill(1)

    @rx.event
    async def set_status(self, value: str):
        self.status = value if value in domain.STATUSES else ""
        await self._fill(1)
