"""Mes comptes: the customer's products, one page of rows in state at a time."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.core import clock, formatting
from o2portal.core.i18n import translate
from o2portal.products.customer import (
    KIND_FILTERS,
    SORTS,
    STATUS_FILTERS,
    display_status,
    list_customer_products,
)
from o2portal.web.lists import Paged
from o2portal.web.session import load_customer


class ServicesState(Paged, rx.State):
    rows: list[dict[str, str]] = []
    kind: str = ""
    status: str = ""
    sort: str = "expiry_asc"

    async def _fill(self, page: int) -> None:
        user, lang = await load_customer(self)
        result = await asyncio.to_thread(
            list_customer_products,
            user.customer.id,
            page,
            kind=self.kind,
            status=self.status,
            sort=self.sort,
        )
        today = clock.today()
        self.page, self.pages, self.total = result.page, result.pages, result.total
        rows = []
        for p in result.rows:
            status = display_status(p, today)
            rows.append(
                {
                    "id": str(p.id),
                    "name": p.name,
                    "kind": translate(f"kind.{p.kind}", lang),
                    "offer": p.offer_code,
                    "status": status,
                    "status_label": translate(f"status.{status}", lang),
                    "expiry": formatting.day(p.expiry_date, lang),
                    "days_left": str((p.expiry_date - today).days),
                    "auto_renew": translate("yes" if p.auto_renew else "no", lang),
                    "soon": "1" if status in ("expiring", "expired") else "",
                }
            )
        self.rows = rows

    @rx.event
    async def load(self):
        await self._fill(1)

    @rx.event
    async def set_kind(self, value: str):
        self.kind = value if value in KIND_FILTERS else ""
        await self._fill(1)

    @rx.event
    async def set_status(self, value: str):
        self.status = value if value in STATUS_FILTERS else ""
        await self._fill(1)

    @rx.event
    async def set_sort(self, value: str):
        self.sort = value if value in SORTS else "expiry_asc"
        await self._fill(1)
