"""Staff (admin): the audit log, filtered by action, actor and customer."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.core import formatting
from o2portal.reporting.audit_log import list_events
from o2portal.web.guards import require_staff
from o2portal.web.lists import Searched
from o2portal.web.session import load_staff


class AdminAuditState(Searched, rx.State):
    action: str = ""
    actor: str = ""
    customer: str = ""
    rows: list[dict[str, str]] = []

    async def _fill(self, page: int) -> None:
        user, lang = await load_staff(self, ("admin",))
        result = await asyncio.to_thread(
            list_events,
            user.actor,
            action=self.action,
            actor=self.actor,
            customer_id=self.customer,
            page=page,
        )
        self.page, self.pages, self.total = result.page, result.pages, result.total
        self.rows = [
            {
                "when": formatting.moment(e.created_at, lang),
                "who": email or e.actor_role,
                "action": e.action,
                "customer": str(e.customer_id or ""),
                "ip": e.ip or "",
                "details": e.details_json[:300],
            }
            for e, email in result.rows
        ]

    @rx.event
    async def load(self):
        await self._fill(1)

    @rx.event
    def set_action(self, value: str):
        require_staff(self, roles=("admin",))
        self.action = value[:64]

    @rx.event
    def set_actor(self, value: str):
        require_staff(self, roles=("admin",))
        self.actor = value[:100]

    @rx.event
    def set_customer(self, value: str):
        require_staff(self, roles=("admin",))
        self.customer = value[:12]
