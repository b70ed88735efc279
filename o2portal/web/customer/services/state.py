"""Mes comptes: the customer's products, one page of rows in state at a time."""

from __future__ import annotations

import reflex as rx

from o2portal.accounts.sessions import CurrentUser
from o2portal.catalog.offers import offer_names
from o2portal.core import clock
from o2portal.core.i18n import translate
from o2portal.core.paging import Page
from o2portal.products import contact_lists, contacts
from o2portal.products.contacts import Right
from o2portal.products.customer import KIND_FILTERS, SORTS, STATUS_FILTERS, list_customer_products
from o2portal.web.lists import Paged
from o2portal.web.rows import product_rows
from o2portal.web.session import read_as_customer


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
        def read(user: CurrentUser):
            # One hop off the event loop: the session, then the page of the list (and, as
            # the page opens, the offers' names and the products managed for others).
            me = user.customer.id
            found = list_customer_products(
                me, page, kind=self.kind, status=self.status, sort=self.sort
            )
            if not opening:
                return found, None, None
            return found, offer_names(), contact_lists.managed_products(me, 1)

        _, lang, (result, offers, managed) = await read_as_customer(self, read)
        if offers is not None:
            self._offers = offers
        self.page, self.pages, self.total = result.page, result.pages, result.total
        self.rows = product_rows(result.rows, lang, clock.today(), self._offer_names())
        if managed is not None:
            self._show_managed(managed, lang)

    def _offer_names(self) -> dict[str, str]:
        """The offers' names as read, not through the proxy that Reflex puts around a
        state's dict to see it change: 50 lookups through it were a tenth of the CPU of
        a page of the list under load."""
        return self.get_value("_offers")

    async def _fill_managed(self, page: int) -> None:
        """Gérés pour d'autres: the products I look after as a contact of their holder."""
        _, lang, result = await read_as_customer(
            self, lambda user: contact_lists.managed_products(user.customer.id, page)
        )
        self._show_managed(result, lang)

    def _show_managed(self, result: Page, lang: str) -> None:
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
                product_rows(result.rows, lang, clock.today(), self._offer_names()),
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
