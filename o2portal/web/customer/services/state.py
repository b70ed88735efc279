"""Mes comptes: the customer's products, one page of rows in state at a time."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.catalog.offers import offer_names
from o2portal.core import clock
from o2portal.core.i18n import translate
from o2portal.products import contact_lists, contacts
from o2portal.products.contacts import Right
from o2portal.products.customer import KIND_FILTERS, SORTS, STATUS_FILTERS, list_customer_products
from o2portal.web.lists import Paged
from o2portal.web.rows import product_rows
from o2portal.web.session import load_customer


class ServicesState(Paged, rx.State):
    rows: list[dict[str, str]] = []
    kind: str = ""
    status: str = ""
    sort: str = "expiry_asc"
    managed: list[dict[str, str]] = []
    managed_page: int = 1
    managed_pages: int = 1
    _offers: dict[str, str] = {}  # the offers' names, read once when the page opens

    async def _fill(self, page: int, *, opening: bool = False) -> None:
        user, lang = await load_customer(self)
        if opening:
            self._offers = await asyncio.to_thread(offer_names)
        result = await asyncio.to_thread(
            list_customer_products,
            user.customer.id,
            page,
            kind=self.kind,
            status=self.status,
            sort=self.sort,
        )
        self.page, self.pages, self.total = result.page, result.pages, result.total
        self.rows = product_rows(result.rows, lang, clock.today(), self._offers)
        if opening:
            await self._fill_managed(1)

    async def _fill_managed(self, page: int) -> None:
        """Gérés pour d'autres: the products I look after as a contact of their holder."""
        user, lang = await load_customer(self)
        result = await asyncio.to_thread(contact_lists.managed_products, user.customer.id, page)
        self.managed_page, self.managed_pages = result.page, result.pages
        self.managed = [
            row
            | {
                "holder": contact_lists.holder_name(found),
                "role": translate(f"contacts.role.{found.role}", lang),
                # An administrative contact renews it from its page.
                "renew": "1"
                if row["renewable"] and Right.RENEW in contacts.RIGHTS.get(found.role, ())
                else "",
            }
            for row, found in zip(
                product_rows(result.rows, lang, clock.today(), self._offers),
                result.rows,
                strict=True,
            )
        ]

    @rx.event
    async def managed_next(self):
        await self._fill_managed(self.managed_page + 1)

    @rx.event
    async def managed_previous(self):
        await self._fill_managed(self.managed_page - 1)

    @rx.event
    async def load(self):
        await self._fill(1, opening=True)

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
