"""Staff (admins): canned replies and escalation rules."""

from __future__ import annotations

import asyncio
import contextlib

import reflex as rx

from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.support import canned, escalation
from o2portal.web.guards import client_ip
from o2portal.web.helpers import given_id, translated
from o2portal.web.session import language_of, load_staff, staff_of

ADMIN = ("admin",)


def _text(form: dict, name: str, limit: int) -> str:
    value = (form or {}).get(name)
    return value[: limit + 1] if isinstance(value, str) else ""


def _hours(minutes: int, lang: str) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


class AdminSupportToolsState(rx.State):
    canned: list[dict[str, str]] = []
    rules: list[dict[str, str]] = []
    # The canned reply in the form (0: a new one) and its fields.
    editing: bool = False
    row_id: int = 0
    fields: dict[str, str] = {}
    form_key: int = 0
    errors: dict[str, str] = {}
    message: str = ""
    rule_errors: dict[str, str] = {}
    rule_message: str = ""

    async def _fill(self) -> None:
        user, lang = await load_staff(self, ADMIN)
        replies = await asyncio.to_thread(canned.canned_replies, user.actor)
        rules = await asyncio.to_thread(escalation.rules, user.actor)
        self.canned = [
            {
                "id": str(r.id),
                "title": r.title,
                "department": translate(f"tickets.dept.{r.department}", lang)
                if r.department
                else translate("support_tools.any_department", lang),
                "body": r.body if len(r.body) <= 120 else r.body[:119] + "…",
            }
            for r in replies
        ]
        self.rules = [
            {
                "id": str(r.id),
                "department": translate(f"tickets.dept.{r.department}", lang)
                if r.department
                else translate("support_tools.any_department", lang),
                "priority": translate(f"tickets.priority.{r.priority}", lang),
                "after": _hours(r.after_minutes, lang),
            }
            for r in rules
        ]

    @rx.event
    async def load(self):
        self.editing, self.errors, self.message = False, {}, ""
        self.rule_errors, self.rule_message = {}, ""
        await self._fill()

    @rx.event
    async def new_canned(self):
        await staff_of(self, ADMIN)
        self.editing, self.row_id, self.errors, self.message = True, 0, {}, ""
        self.fields = {"title": "", "body": "", "department": ""}
        self.form_key += 1

    @rx.event
    async def edit_canned(self, reply_id: str):
        user = await staff_of(self, ADMIN)
        wanted = given_id(reply_id)
        replies = await asyncio.to_thread(canned.canned_replies, user.actor)
        found = next((r for r in replies if r.id == wanted), None)
        if found is None:
            self.editing = False
            return
        self.editing, self.row_id, self.errors, self.message = True, found.id, {}, ""
        self.fields = {"title": found.title, "body": found.body, "department": found.department}
        self.form_key += 1

    @rx.event
    def close(self):
        self.editing, self.errors = False, {}

    @rx.event
    async def save_canned(self, form: dict):
        user = await staff_of(self, ADMIN)
        try:
            self.row_id = await asyncio.to_thread(
                canned.save_canned,
                user.actor,
                self.row_id or None,
                title=_text(form, "title", canned.TITLE_MAX),
                body=_text(form, "body", canned.BODY_MAX),
                department=_text(form, "department", 20),
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            self.errors, self.message = await translated(self, exc.errors), ""
            return
        except NotAllowed:
            self.editing = False
            return
        self.errors = {}
        self.message = translate("support_tools.canned_saved", await language_of(self))
        await self._fill()

    @rx.event
    async def delete_canned(self, reply_id: str):
        user = await staff_of(self, ADMIN)
        wanted = given_id(reply_id)
        await asyncio.to_thread(canned.delete_canned, user.actor, wanted, ip=client_ip(self))
        if wanted == self.row_id:
            self.editing = False
        await self._fill()

    @rx.event
    async def add_rule(self, form: dict):
        user = await staff_of(self, ADMIN)
        self.rule_message = ""
        try:
            await asyncio.to_thread(
                escalation.add_rule,
                user.actor,
                department=_text(form, "rule_department", 20),
                priority=_text(form, "rule_priority", 20),
                hours=_text(form, "hours", 20),
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            # The form's selects are named rule_department and rule_priority.
            named = {
                ("rule_" + k if k in ("department", "priority") else k): v
                for k, v in exc.errors.items()
            }
            self.rule_errors = await translated(self, named)
            return
        self.rule_errors = {}
        self.rule_message = translate("support_tools.rule_added", await language_of(self))
        await self._fill()

    @rx.event
    async def remove_rule(self, rule_id: str):
        user = await staff_of(self, ADMIN)
        with contextlib.suppress(NotAllowed):
            await asyncio.to_thread(
                escalation.remove_rule, user.actor, given_id(rule_id), ip=client_ip(self)
            )
        await self._fill()
