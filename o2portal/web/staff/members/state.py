"""Staff (admins): the staff accounts, their roles, and new members."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.accounts import staff_accounts as domain
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.web.guards import client_ip
from o2portal.web.helpers import given_id, send_mail_soon, translated
from o2portal.web.session import language_of, load_staff, staff_of

ADMIN = ("admin",)


class AdminStaffState(rx.State):
    rows: list[dict[str, str]] = []
    me: str = ""
    errors: dict[str, str] = {}
    message: str = ""
    # What the last action on a row did, in words.
    done: str = ""
    form_key: int = 0

    async def _fill(self) -> None:
        user, lang = await load_staff(self, ADMIN)
        self.me = str(user.customer.id)
        people = await asyncio.to_thread(domain.staff_members, user.actor)
        self.rows = [
            {
                "id": str(p.id),
                "name": p.name,
                "email": p.email,
                "role_code": p.role,
                "role": translate(f"staff.role_{p.role}", lang),
                "second_factor_code": "on" if p.second_factor else "off",
                "second_factor": translate(
                    "staff.second_factor_on" if p.second_factor else "staff.second_factor_off", lang
                ),
                "state_code": "disabled" if p.disabled else "active",
                "state": translate(
                    "admin.disabled" if p.disabled else "admin.account_active", lang
                ),
            }
            for p in people
        ]

    @rx.event
    async def load(self):
        self.errors, self.message, self.done = {}, "", ""
        await self._fill()

    async def _change(self, call, *args, done: str = "") -> bool:
        user = await staff_of(self, ADMIN)
        self.message, self.done = "", ""
        try:
            await asyncio.to_thread(call, user.actor, *args, ip=client_ip(self))
        except InvalidInput as exc:
            self.errors = await translated(self, exc.errors)
            changed = False
        except NotAllowed:
            changed = False
        else:
            self.errors, changed = {}, True
            if done:
                self.done = translate(done, await language_of(self))
        await self._fill()
        return changed

    @rx.event
    async def set_role(self, member_id: str, role: str):
        await self._change(domain.set_staff_role, given_id(member_id), str(role)[:10])

    @rx.event
    async def disable(self, member_id: str):
        await self._change(domain.set_staff_disabled, given_id(member_id), True)

    @rx.event
    async def enable(self, member_id: str):
        await self._change(domain.set_staff_disabled, given_id(member_id), False)

    @rx.event
    async def reset_second_factor(self, member_id: str):
        changed = await self._change(
            domain.reset_second_factor, given_id(member_id), done="staff.second_factor_reset_done"
        )
        if changed:
            send_mail_soon()

    @rx.event
    async def create(self, form: dict):
        user = await staff_of(self, ADMIN)
        data = {
            name: (form.get(name) if isinstance(form.get(name), str) else "")[:300]
            for name in ("first_name", "last_name", "email", "role")
        }
        try:
            await asyncio.to_thread(domain.open_staff_account, user.actor, data, ip=client_ip(self))
        except InvalidInput as exc:
            self.errors, self.message = await translated(self, exc.errors), ""
            return
        self.errors, self.form_key = {}, self.form_key + 1
        self.message = translate("staff.created", await language_of(self))
        send_mail_soon()
        await self._fill()
