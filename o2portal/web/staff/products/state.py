"""Staff: products by expiry window and status, and changes by hand with a reason."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.core import clock, formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.products import staff as domain
from o2portal.products.customer import display_status
from o2portal.web.guards import client_ip, require_staff
from o2portal.web.helpers import given_id
from o2portal.web.lists import Searched, StaffQuery
from o2portal.web.payment import new_key, submitted_date, submitted_int, submitted_key
from o2portal.web.session import language_of, load_staff, staff_of


class AdminProductsState(StaffQuery, Searched, rx.State):
    window: str = ""
    status: str = ""
    rows: list[dict[str, str]] = []
    selected: str = ""
    selected_name: str = ""
    # Rendered into the change form: its key and the expiry date staff saw.
    change_key: str = ""
    seen_expiry: str = ""
    applying: bool = False
    change_done: bool = False
    message: str = ""
    errors: dict[str, str] = {}

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
        self.selected, self.message, self.errors = "", "", {}
        await self._fill(1)

    @rx.event
    async def set_window(self, value: str):
        self.window = value if value in domain.WINDOWS else ""
        await self._fill(1)

    @rx.event
    async def set_status(self, value: str):
        self.status = value if value in domain.STATUSES else ""
        await self._fill(1)

    @rx.event
    def select(self, product_id: str):
        """Open the change form for one product of the list, with a fresh key."""
        require_staff(self, roles=("admin",))
        row = next((r for r in self.rows if r["id"] == product_id), None)
        self.errors, self.message = {}, ""
        if row is None:
            self.selected = ""
            return
        self.selected, self.selected_name = row["id"], row["name"]
        self.seen_expiry = row["expiry_iso"]
        self.change_key, self.change_done = new_key(), False

    @rx.event
    async def apply(self, form: dict):
        """One form for every change: the action, its reason, the years for a renewal.
        The product, the expiry seen and the key are those of the submitted form."""
        user = await staff_of(self, ("admin",))
        lang = await language_of(self)
        if self.applying:
            return
        self.errors, self.message = {}, ""
        action = str(form.get("action", ""))[:20]
        reason = str(form.get("reason", ""))[:300]
        try:
            product_id = submitted_int(form, "seen_product")
            key = submitted_key(form)
            if action == "renew":
                expected = submitted_date(form, "seen_expiry")
                years = str(form.get("years", "1"))
        except InvalidInput:
            self.errors = {"action": translate("error.form_stale", lang)}
            return
        self.applying = True
        yield
        try:
            if action == "renew":
                new = await asyncio.to_thread(
                    domain.renew_by_hand,
                    user.actor,
                    product_id,
                    given_id(years),
                    reason,
                    key=key,
                    expected_expiry=expected,
                    ip=client_ip(self),
                )
                self.message = translate("admin.renewed", lang, date=formatting.day(new, lang))
            else:
                await asyncio.to_thread(
                    domain.change_status,
                    user.actor,
                    product_id,
                    action,
                    reason,
                    key=key,
                    ip=client_ip(self),
                )
                self.message = translate("admin.saved", lang)
        except InvalidInput as exc:
            self.errors = {
                ("action" if k == "key" else k): translate(v, lang) for k, v in exc.errors.items()
            }
            return
        except NotAllowed:
            self.errors = {"action": translate("error.unexpected", lang)}
            return
        finally:
            self.applying = False
        self.change_done = True
        await self._fill(self.page)
