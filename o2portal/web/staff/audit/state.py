"""Staff (admin): the audit log in sentences, filtered by date, staff member, customer
and kind of action."""

from __future__ import annotations

import asyncio
from dataclasses import asdict

import reflex as rx

from o2portal.reporting.audit_log import GROUPS, list_events, staff_choices
from o2portal.web.guards import require_staff
from o2portal.web.lists import Searched
from o2portal.web.session import load_staff

ADMIN = ("admin",)


def _row(line) -> dict[str, str]:
    values = asdict(line)
    return {k: "" if v is None else str(v) for k, v in values.items()}


class AdminAuditState(Searched, rx.State):
    group: str = ""
    staff_id: str = ""
    customer: str = ""
    since: str = ""
    until: str = ""
    staff: list[dict[str, str]] = []
    rows: list[dict[str, str]] = []

    async def _fill(self, page: int) -> None:
        user, lang = await load_staff(self, ADMIN)
        result = await asyncio.to_thread(
            list_events,
            user.actor,
            group=self.group,
            staff_id=self.staff_id,
            customer=self.customer,
            since=self.since,
            until=self.until,
            page=page,
            lang=lang,
        )
        self.page, self.pages, self.total = result.page, result.pages, result.total
        self.rows = [_row(line) for line in result.rows]

    @rx.event
    async def load(self):
        user, _lang = await load_staff(self, ADMIN)
        people = await asyncio.to_thread(staff_choices, user.actor)
        self.staff = [{"id": str(i), "name": name} for i, name in people]
        await self._fill(1)

    @rx.event
    async def set_group(self, value: str):
        self.group = value if value in GROUPS else ""
        await self._fill(1)

    @rx.event
    async def set_staff_id(self, value: str):
        self.staff_id = value[:12] if isinstance(value, str) and value.isdigit() else ""
        await self._fill(1)

    @rx.event
    def set_customer(self, value: str):
        require_staff(self, roles=ADMIN)
        self.customer = value[:100] if isinstance(value, str) else ""

    @rx.event
    async def set_since(self, value: str):
        self.since = value[:10] if isinstance(value, str) else ""
        await self._fill(1)

    @rx.event
    async def set_until(self, value: str):
        self.until = value[:10] if isinstance(value, str) else ""
        await self._fill(1)
