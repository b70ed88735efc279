"""Mes comptes: the customer's products, one page of rows in state at a time."""

from __future__ import annotations

import reflex as rx

from o2portal.domain import clock, formatting, overview
from o2portal.domain.products import list_customer_products
from o2portal.i18n import translate
from o2portal.state.guards import require_customer
from o2portal.state.session import language_of, show_user


class ServicesState(rx.State):
    rows: list[dict[str, str]] = []
    page: int = 1
    pages: int = 1
    total: int = 0

    async def _fill(self, page: int) -> None:
        user = require_customer(self)
        await show_user(self, user)
        lang = await language_of(self)
        result = list_customer_products(user.customer.id, page)
        today = clock.today()
        self.page, self.pages, self.total = result.page, result.pages, result.total
        self.rows = [
            {
                "id": str(p.id),
                "name": p.name,
                "kind": translate(f"kind.{p.kind}", lang),
                "offer": p.offer_code,
                "status": overview.display_status(p, today),
                "status_label": translate(f"status.{overview.display_status(p, today)}", lang),
                "expiry": formatting.day(p.expiry_date, lang),
                "days_left": str((p.expiry_date - today).days),
                "auto_renew": translate("yes" if p.auto_renew else "no", lang),
            }
            for p in result.rows
        ]

    @rx.event
    async def load(self):
        await self._fill(1)

    @rx.event
    async def next_page(self):
        await self._fill(self.page + 1)

    @rx.event
    async def previous_page(self):
        await self._fill(self.page - 1)
