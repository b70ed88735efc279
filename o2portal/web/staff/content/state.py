"""Staff: FAQ entries and announcements. Support reads them; only admins change them."""

from __future__ import annotations

import contextlib

import reflex as rx

from o2portal.content import staff as domain
from o2portal.core import clock, formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.web.guards import client_ip, require_staff
from o2portal.web.helpers import translated
from o2portal.web.session import language_of, show_user

ADMIN = ("admin",)


def _local(value) -> str:
    """A stored UTC moment as a datetime-local input shows it (Paris time)."""
    return value.astimezone(clock.PARIS).strftime("%Y-%m-%dT%H:%M") if value else ""


def _form_text(form: dict, limit: int) -> dict[str, str]:
    return {k: (v if isinstance(v, str) else "")[:limit] for k, v in (form or {}).items()}


def _id(value: str) -> int:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) <= 12 else 0


class AdminFaqState(rx.State):
    rows: list[dict[str, str]] = []
    page: int = 1
    pages: int = 1
    total: int = 0
    can_edit: bool = False
    editing: bool = False
    entry_id: int = 0
    fields: dict[str, str] = {}
    answer: str = ""
    form_key: int = 0
    tab: str = "write"
    errors: dict[str, str] = {}
    message: str = ""

    async def _fill(self, page: int) -> None:
        user = require_staff(self)
        await show_user(self, user)
        lang = await language_of(self)
        self.can_edit = user.customer.role == "admin"
        found = domain.list_faq(user.customer.id, page)
        self.page, self.pages, self.total = found.page, found.pages, found.total
        self.rows = [
            {
                "id": str(e.id),
                "topic": e.topic,
                "question": e.question,
                "language": e.language,
                "order": str(e.sort_order),
                "published": translate("content.yes" if e.published else "content.no", lang),
                "updated": formatting.moment(e.updated_at, lang),
            }
            for e in found.rows
        ]

    def _show_form(self, entry_id: int, fields: dict[str, str], answer: str) -> None:
        self.editing, self.entry_id, self.fields, self.answer = True, entry_id, fields, answer
        self.errors, self.message, self.tab = {}, "", "write"
        self.form_key += 1

    @rx.event
    async def load(self):
        self.editing, self.errors, self.message = False, {}, ""
        await self._fill(1)

    @rx.event
    async def next_page(self):
        await self._fill(self.page + 1)

    @rx.event
    async def previous_page(self):
        await self._fill(self.page - 1)

    @rx.event
    def open_entry(self, entry_id: str):
        user = require_staff(self)
        try:
            entry = domain.faq_entry(user.customer.id, _id(entry_id))
        except NotAllowed:
            self.editing = False
            return
        self._show_form(
            entry.id,
            {
                "topic": entry.topic,
                "question": entry.question,
                "language": entry.language,
                "sort_order": str(entry.sort_order),
                "published": "on" if entry.published else "",
            },
            entry.answer,
        )

    @rx.event
    def new_entry(self):
        require_staff(self, roles=ADMIN)
        self._show_form(
            0,
            {"topic": "", "question": "", "language": "fr", "sort_order": "0", "published": "on"},
            "",
        )

    @rx.event
    def close(self):
        self.editing, self.errors = False, {}

    @rx.event
    def set_answer(self, value: str):
        self.answer = (value or "")[: domain.ANSWER_MAX + 1]

    @rx.event
    def set_tab(self, value: str):
        self.tab = "preview" if value == "preview" else "write"

    @rx.event
    async def save(self, form: dict):
        user = require_staff(self, roles=ADMIN)
        data = _form_text(form, domain.ANSWER_MAX + 1)
        try:
            saved = domain.save_faq(
                user.customer.id, self.entry_id or None, data, ip=client_ip(self)
            )
        except InvalidInput as exc:
            self.errors = await translated(self, exc.errors)
            return
        except NotAllowed:
            self.editing = False
            return
        self.entry_id, self.errors = saved, {}
        self.message = translate("content.saved", await language_of(self))
        await self._fill(self.page)


class AdminAnnouncementsState(rx.State):
    rows: list[dict[str, str]] = []
    page: int = 1
    pages: int = 1
    total: int = 0
    can_edit: bool = False
    editing: bool = False
    item_id: int = 0
    fields: dict[str, str] = {}
    body: str = ""
    form_key: int = 0
    tab: str = "write"
    errors: dict[str, str] = {}
    message: str = ""

    async def _fill(self, page: int) -> None:
        user = require_staff(self)
        lang = await language_of(self)
        self.can_edit = user.customer.role == "admin"
        found = domain.list_announcements(user.customer.id, page)
        self.page, self.pages, self.total = found.page, found.pages, found.total
        now = clock.now()
        self.rows = [
            {
                "id": str(a.id),
                "title": a.title,
                "level": translate(f"content.level_{a.level}", lang),
                "starts": formatting.moment(a.starts_at, lang),
                "ends": formatting.moment(a.ends_at, lang),
                "published": "1" if a.published else "",
                "state": domain.visibility(a, now),
                "state_label": translate(f"content.state_{domain.visibility(a, now)}", lang),
            }
            for a in found.rows
        ]

    def _show_form(self, item_id: int, fields: dict[str, str], body: str) -> None:
        self.editing, self.item_id, self.fields, self.body = True, item_id, fields, body
        self.errors, self.message, self.tab = {}, "", "write"
        self.form_key += 1

    @rx.event
    async def load(self):
        self.editing, self.errors, self.message = False, {}, ""
        await self._fill(1)

    @rx.event
    async def next_page(self):
        await self._fill(self.page + 1)

    @rx.event
    async def previous_page(self):
        await self._fill(self.page - 1)

    @rx.event
    def open_item(self, item_id: str):
        user = require_staff(self)
        try:
            item = domain.announcement(user.customer.id, _id(item_id))
        except NotAllowed:
            self.editing = False
            return
        self._show_form(
            item.id,
            {
                "title": item.title,
                "level": item.level,
                "starts_at": _local(item.starts_at),
                "ends_at": _local(item.ends_at),
                "published": "on" if item.published else "",
            },
            item.body,
        )

    @rx.event
    def new_item(self):
        require_staff(self, roles=ADMIN)
        self._show_form(
            0,
            {"title": "", "level": "info", "starts_at": "", "ends_at": "", "published": ""},
            "",
        )

    @rx.event
    def close(self):
        self.editing, self.errors = False, {}

    @rx.event
    def set_body(self, value: str):
        self.body = (value or "")[: domain.BODY_MAX + 1]

    @rx.event
    def set_tab(self, value: str):
        self.tab = "preview" if value == "preview" else "write"

    @rx.event
    async def save(self, form: dict):
        user = require_staff(self, roles=ADMIN)
        data = _form_text(form, domain.BODY_MAX + 1)
        try:
            saved = domain.save_announcement(
                user.customer.id, self.item_id or None, data, ip=client_ip(self)
            )
        except InvalidInput as exc:
            self.errors = await translated(self, exc.errors)
            return
        except NotAllowed:
            self.editing = False
            return
        self.item_id, self.errors = saved, {}
        self.message = translate("content.saved", await language_of(self))
        await self._fill(self.page)

    async def _set_published(self, item_id: str, published: bool) -> None:
        user = require_staff(self, roles=ADMIN)
        with contextlib.suppress(NotAllowed):
            domain.set_announcement_published(
                user.customer.id, _id(item_id), published, ip=client_ip(self)
            )
        if self.editing and self.item_id == _id(item_id):
            self.fields = {**self.fields, "published": "on" if published else ""}
            self.form_key += 1
        await self._fill(self.page)

    @rx.event
    async def publish(self, item_id: str):
        await self._set_published(item_id, True)

    @rx.event
    async def unpublish(self, item_id: str):
        await self._set_published(item_id, False)
