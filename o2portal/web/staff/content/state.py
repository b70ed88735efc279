"""Staff: FAQ entries and announcements. Support reads them; only admins change them."""

from __future__ import annotations

import asyncio
import contextlib

import reflex as rx

from o2portal.content import staff as domain
from o2portal.core import clock, formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.core.permissions import Actor
from o2portal.web.guards import client_ip, require_staff
from o2portal.web.helpers import given_id, translated
from o2portal.web.lists import Paged
from o2portal.web.session import language_of, load_staff, staff_of

ADMIN = ("admin",)


def _local(value) -> str:
    """A stored UTC moment as a datetime-local input shows it (Paris time)."""
    return value.astimezone(clock.PARIS).strftime("%Y-%m-%dT%H:%M") if value else ""


def _form_text(form: dict, limit: int) -> dict[str, str]:
    return {k: (v if isinstance(v, str) else "")[:limit] for k, v in (form or {}).items()}


def _id(value: str) -> int:
    text = str(value or "")
    return given_id(text)


class ContentList(Paged, mixin=True):
    """A list of Markdown content for staff (FAQ entries, announcements): support reads it,
    admins change it, one entry at a time in the form below the list. Each list says how
    it reads and stores its entries (`_list`, `_rows`, `_stored`, `_store`)."""

    rows: list[dict[str, str]] = []
    can_edit: bool = False
    editing: bool = False
    # The entry in the form (0: a new one), its fields, and its Markdown text.
    row_id: int = 0
    fields: dict[str, str] = {}
    text: str = ""
    form_key: int = 0
    tab: str = "write"
    errors: dict[str, str] = {}
    message: str = ""

    def _text_max(self) -> int:
        raise NotImplementedError

    def _list(self, staff: Actor, page: int):
        """One page of the entries (page, pages, total, rows)."""
        raise NotImplementedError

    def _rows(self, entries: list, lang: str) -> list[dict[str, str]]:
        raise NotImplementedError

    def _stored(self, staff: Actor, row_id: int) -> tuple[int, dict[str, str], str]:
        """An entry as the form shows it: its id, its fields and its text."""
        raise NotImplementedError

    def _blank(self) -> dict[str, str]:
        raise NotImplementedError

    def _page_showing(self, staff: Actor, row_id: int) -> int:
        """The page of the list that shows this entry once saved (by default, this one)."""
        return self.page

    def _store(self, staff: Actor, row_id: int | None, data: dict[str, str], ip: str) -> int:
        raise NotImplementedError

    async def _fill(self, page: int) -> None:
        user, lang = await load_staff(self)
        self.can_edit = user.customer.role == "admin"
        found = await asyncio.to_thread(self._list, user.actor, page)
        self.page, self.pages, self.total = found.page, found.pages, found.total
        self.rows = self._rows(found.rows, lang)

    def _show_form(self, row_id: int, fields: dict[str, str], text: str) -> None:
        self.editing, self.row_id, self.fields, self.text = True, row_id, fields, text
        self.errors, self.message, self.tab = {}, "", "write"
        self.form_key += 1

    def _open(self, raw_id: str) -> None:
        """Show a stored entry in the form (read-only for support)."""
        user = require_staff(self)
        try:
            row_id, fields, text = self._stored(user.actor, _id(raw_id))
        except NotAllowed:
            self.editing = False
            return
        self._show_form(row_id, fields, text)

    def _new(self) -> None:
        require_staff(self, roles=ADMIN)
        self._show_form(0, self._blank(), "")

    def _set_text(self, value: str) -> None:
        self.text = (value or "")[: self._text_max() + 1]

    @rx.event
    async def load(self):
        self.editing, self.errors, self.message = False, {}, ""
        await self._fill(1)

    @rx.event
    def close(self):
        self.editing, self.errors = False, {}

    @rx.event
    def set_tab(self, value: str):
        self.tab = "preview" if value == "preview" else "write"

    @rx.event
    async def save(self, form: dict):
        user = await staff_of(self, ADMIN)
        data = _form_text(form, self._text_max() + 1)
        try:
            saved = await asyncio.to_thread(
                self._store, user.actor, self.row_id or None, data, client_ip(self)
            )
        except InvalidInput as exc:
            self.errors = await translated(self, exc.errors)
            return
        except NotAllowed:
            self.editing = False
            return
        self.row_id, self.errors = saved, {}
        self.message = translate("content.saved", await language_of(self))
        await self._fill(await asyncio.to_thread(self._page_showing, user.actor, saved))


class AdminFaqState(ContentList, rx.State):
    def _text_max(self) -> int:
        return domain.ANSWER_MAX

    def _list(self, staff: Actor, page: int):
        return domain.list_faq(staff, page)

    def _rows(self, entries: list, lang: str) -> list[dict[str, str]]:
        return [
            {
                "id": str(e.id),
                "topic": e.topic,
                "question": e.question,
                "language": e.language,
                "order": str(e.sort_order),
                "published": translate("content.yes" if e.published else "content.no", lang),
                "updated": formatting.moment(e.updated_at, lang),
            }
            for e in entries
        ]

    def _stored(self, staff: Actor, row_id: int) -> tuple[int, dict[str, str], str]:
        entry = domain.faq_entry(staff, row_id)
        fields = {
            "topic": entry.topic,
            "question": entry.question,
            "language": entry.language,
            "sort_order": str(entry.sort_order),
            "published": "on" if entry.published else "",
        }
        return entry.id, fields, entry.answer

    def _blank(self) -> dict[str, str]:
        return {"topic": "", "question": "", "language": "fr", "sort_order": "0", "published": "on"}

    def _store(self, staff: Actor, row_id: int | None, data: dict[str, str], ip: str) -> int:
        return domain.save_faq(staff, row_id, data, ip=ip)

    def _page_showing(self, staff: Actor, row_id: int) -> int:
        return domain.faq_page_of(staff, row_id)

    @rx.event
    def open_entry(self, entry_id: str):
        self._open(entry_id)

    @rx.event
    def new_entry(self):
        self._new()

    @rx.event
    def set_answer(self, value: str):
        self._set_text(value)


class AdminAnnouncementsState(ContentList, rx.State):
    def _text_max(self) -> int:
        return domain.BODY_MAX

    def _list(self, staff: Actor, page: int):
        return domain.list_announcements(staff, page)

    def _rows(self, entries: list, lang: str) -> list[dict[str, str]]:
        now = clock.now()
        return [
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
            for a in entries
        ]

    def _stored(self, staff: Actor, row_id: int) -> tuple[int, dict[str, str], str]:
        item = domain.announcement(staff, row_id)
        fields = {
            "title": item.title,
            "level": item.level,
            "starts_at": _local(item.starts_at),
            "ends_at": _local(item.ends_at),
            "published": "on" if item.published else "",
        }
        return item.id, fields, item.body

    def _blank(self) -> dict[str, str]:
        return {"title": "", "level": "info", "starts_at": "", "ends_at": "", "published": ""}

    def _store(self, staff: Actor, row_id: int | None, data: dict[str, str], ip: str) -> int:
        return domain.save_announcement(staff, row_id, data, ip=ip)

    @rx.event
    def open_item(self, item_id: str):
        self._open(item_id)

    @rx.event
    def new_item(self):
        self._new()

    @rx.event
    def set_body(self, value: str):
        self._set_text(value)

    async def _set_published(self, item_id: str, published: bool) -> None:
        user = await staff_of(self, ADMIN)
        with contextlib.suppress(NotAllowed):
            await asyncio.to_thread(
                domain.set_announcement_published,
                user.actor,
                _id(item_id),
                published,
                ip=client_ip(self),
            )
        if self.editing and self.row_id == _id(item_id):
            self.fields = {**self.fields, "published": "on" if published else ""}
            self.form_key += 1
        await self._fill(self.page)

    @rx.event
    async def publish(self, item_id: str):
        await self._set_published(item_id, True)

    @rx.event
    async def unpublish(self, item_id: str):
        await self._set_published(item_id, False)
