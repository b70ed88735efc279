"""Staff (admin): the outbox by status and recipient, one mail's detail, and retry."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.core import formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.mail import staff as domain
from o2portal.mail.models import MAIL_STATUSES
from o2portal.web.guards import client_ip, require_staff
from o2portal.web.helpers import given_id, send_mail_soon
from o2portal.web.lists import Searched
from o2portal.web.session import language_of, load_staff, staff_of

ADMIN = ("admin",)


class AdminEmailsState(Searched, rx.State):
    status: str = ""
    recipient: str = ""
    rows: list[dict[str, str]] = []
    mail: dict[str, str] = {}
    message: str = ""
    error: str = ""

    async def _fill(self, page: int) -> None:
        user, lang = await load_staff(self, ADMIN)
        found = await asyncio.to_thread(
            domain.list_mail, user.actor, status=self.status, recipient=self.recipient, page=page
        )
        self.page, self.pages, self.total = found.page, found.pages, found.total
        self.rows = [
            {
                "id": str(m.id),
                "date": formatting.moment(m.created_at, lang),
                "to": m.to_addr,
                "kind": translate(f"mailkind.{m.kind}", lang),
                "subject": m.subject,
                "status": m.status,
                "status_label": translate(f"mail.status_{m.status}", lang),
                "attempts": str(m.attempts),
            }
            for m in found.rows
        ]

    async def _show(self, mail_id: int) -> None:
        user = await staff_of(self, ADMIN)
        lang = await language_of(self)
        try:
            view = await asyncio.to_thread(domain.mail_detail, user.actor, mail_id)
        except NotAllowed:
            self.mail = {}
            return
        self.mail = {
            "id": str(view.id),
            "to": view.to_addr,
            "kind": translate(f"mailkind.{view.kind}", lang),
            "subject": view.subject,
            "body": view.body,
            "status": view.status,
            "status_label": translate(f"mail.status_{view.status}", lang),
            "attempts": str(view.attempts),
            "error": view.last_error,
            "created": formatting.moment(view.created_at, lang),
            "sent": formatting.moment(view.sent_at, lang),
            "next": formatting.moment(view.next_attempt_at, lang)
            if view.status == "pending"
            else "",
        }

    @rx.event
    async def load(self):
        self.mail, self.message, self.error = {}, "", ""
        await self._fill(1)

    @rx.event
    async def set_status(self, value: str):
        await staff_of(self, ADMIN)
        self.status = value if value in MAIL_STATUSES else ""
        await self._fill(1)

    @rx.event
    def set_recipient(self, value: str):
        require_staff(self, roles=ADMIN)
        self.recipient = (value or "")[:254]

    @rx.event
    async def open_mail(self, mail_id: str):
        await staff_of(self, ADMIN)
        self.message, self.error = "", ""
        await self._show(given_id(mail_id))

    @rx.event
    def close_mail(self):
        self.mail, self.message, self.error = {}, "", ""

    @rx.event
    async def retry(self):
        user = await staff_of(self, ADMIN)
        lang = await language_of(self)
        mail_id = int(self.mail.get("id", "0") or 0)
        self.message, self.error = "", ""
        try:
            await asyncio.to_thread(domain.retry_mail, user.actor, mail_id, ip=client_ip(self))
        except InvalidInput as exc:
            self.error = translate(next(iter(exc.errors.values())), lang)
        except NotAllowed:
            self.mail = {}
            return
        else:
            self.message = translate("mail.retried", lang)
            send_mail_soon()
        await self._show(mail_id)
        await self._fill(self.page)
