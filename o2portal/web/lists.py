"""What the states of the list pages share: one page of rows at a time (never more in
state), a search button, and the staff's search box."""

from __future__ import annotations

from urllib.parse import urlencode

import reflex as rx

from o2portal.web.guards import require_staff


class Paged(rx.State, mixin=True):
    """A list shown one page at a time; `_fill(page)` loads that page of it (the domain
    keeps the page number within the list)."""

    page: int = 1
    pages: int = 1
    total: int = 0

    async def _fill(self, page: int) -> None:
        raise NotImplementedError

    @rx.event
    async def next_page(self):
        await self._fill(self.page + 1)

    @rx.event
    async def previous_page(self):
        await self._fill(self.page - 1)


class Searched(Paged, mixin=True):
    """A list with filters typed into the page, applied by a search button."""

    @rx.event
    async def search(self):
        await self._fill(1)


class StaffQuery(rx.State, mixin=True):
    """The text of a staff list's search box."""

    query: str = ""

    @rx.event
    def set_query(self, value: str):
        require_staff(self)
        self.query = value[:100]


def export_href(kind: str, query: str) -> str:
    """The CSV export of a staff list (web/routes.py), with the search the list shown was
    made with: the file holds the rows of every page of it."""
    search = query.strip()
    return f"/files/exports/{kind}.csv" + (f"?{urlencode({'q': search})}" if search else "")
