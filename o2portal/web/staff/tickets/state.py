"""Staff (support and admin): the ticket queue and a ticket's thread with replies,
internal notes, assignment and closing; the thread page is live like the customer's."""

from __future__ import annotations

import asyncio
import contextlib
import re

import reflex as rx

from o2portal.accounts.auth import CurrentUser
from o2portal.core import formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.support import tickets
from o2portal.support.models import DEPARTMENTS, TICKET_STATUSES
from o2portal.web.guards import client_ip, require_staff
from o2portal.web.helpers import send_mail_soon, translated
from o2portal.web.session import language_of, show_user
from o2portal.web.thread import MessageComposer, ThreadFields, follow_thread

_PATH_ID = re.compile(r"/admin/tickets/(\d{1,12})/?$")


class AdminTicketsState(rx.State):
    status: str = ""
    department: str = ""
    assigned: str = ""
    rows: list[dict[str, str]] = []
    page: int = 1
    pages: int = 1
    total: int = 0

    async def _fill(self, page: int) -> None:
        user = require_staff(self)
        await show_user(self, user)
        lang = await language_of(self)
        found = tickets.staff_queue(
            user.customer.id,
            status=self.status,
            department=self.department,
            assigned=self.assigned,
            page=page,
        )
        self.page, self.pages, self.total = found.page, found.pages, found.total
        self.rows = [
            {
                "id": str(tk.id),
                "ref": f"#{tk.id}",
                "subject": tk.subject,
                "customer": found.names.get(tk.customer_id, ""),
                "department": translate(f"tickets.dept.{tk.department}", lang),
                "priority": translate(f"tickets.priority.{tk.priority}", lang),
                "status": tk.status,
                "status_label": translate(f"status.{tk.status}", lang),
                "assigned": found.names.get(tk.assigned_to_id, "") if tk.assigned_to_id else "",
                "updated": formatting.moment(tk.updated_at, lang),
            }
            for tk in found.rows
        ]

    @rx.event
    async def load(self):
        await self._fill(1)

    @rx.event
    async def set_status(self, value: str):
        self.status = value if value in (*TICKET_STATUSES, "all") else ""
        await self._fill(1)

    @rx.event
    async def set_department(self, value: str):
        self.department = value if value in DEPARTMENTS else ""
        await self._fill(1)

    @rx.event
    async def set_assigned(self, value: str):
        self.assigned = value if value in ("me", "none") else ""
        await self._fill(1)

    @rx.event
    async def next_page(self):
        await self._fill(self.page + 1)

    @rx.event
    async def previous_page(self):
        await self._fill(self.page - 1)


class AdminTicketState(ThreadFields, MessageComposer, rx.State):
    customer_id: str = ""
    customer_name: str = ""
    customer_email: str = ""
    assigned_to: str = ""
    staff: list[dict[str, str]] = []
    internal: bool = False
    await_customer: bool = False

    def _composer_user(self) -> CurrentUser:
        return require_staff(self)

    async def _fill(self) -> None:
        user = require_staff(self)
        await show_user(self, user)
        lang = await language_of(self)
        try:
            view = tickets.staff_thread(user.customer.id, self.ticket_id)
        except NotAllowed:
            self.found, self.messages = False, []
            return
        self._show_ticket(view, lang, with_internal=True)
        ticket = view.ticket
        self.customer_id = str(ticket.customer_id)
        self.customer_name, self.customer_email = view.customer_name, view.customer_email
        self.assigned_to = str(ticket.assigned_to_id or "")
        self.staff = [
            {"id": str(p.id), "name": f"{p.first_name} {p.last_name}"}
            for p in tickets.staff_members(user.customer.id)
        ]

    @rx.event
    async def load(self):
        match = _PATH_ID.search(self.router.url.path or "")
        self.ticket_id = int(match.group(1)) if match else 0
        self.internal, self.await_customer = False, False
        self._reset_composer()
        await self._fill()
        if self.found:
            self._watch += 1
            return AdminTicketState.watch

    # One loop per tab, stopped with its page: see follow_thread.
    @rx.event(background=True, supersedes=True)
    async def watch(self):
        """New customer messages appear on the staff page without reload too."""
        require_staff(self)  # called by name like any handler: nobody else may start one
        await follow_thread(self, with_internal=True)

    @rx.event
    def set_internal(self, value: bool):
        require_staff(self)
        self.internal = bool(value)

    @rx.event
    def set_await_customer(self, value: bool):
        require_staff(self)
        self.await_customer = bool(value)

    @rx.event
    async def reply(self, form: dict):
        user = require_staff(self)
        if self.sending:
            return
        self.sending = True
        body = self._take_body(form)
        key = self._key_for(body)
        try:
            await asyncio.to_thread(
                tickets.add_staff_reply,
                user.customer.id,
                self.ticket_id,
                body,
                self._staged_files(user),
                internal=self.internal,
                await_customer=self.await_customer,
                submit_key=key,
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            self.compose_errors = await translated(self, exc.errors)
            return
        except NotAllowed:
            self.found, self.messages = False, []
            return
        finally:
            self.sending = False
        self._sent(user, key)
        self.internal, self.await_customer = False, False
        send_mail_soon()
        await self._fill()

    @rx.event
    async def assign(self, value: str):
        user = require_staff(self)
        with contextlib.suppress(InvalidInput, NotAllowed):
            tickets.assign(
                user.customer.id,
                self.ticket_id,
                int(value) if value.isdigit() else None,
                ip=client_ip(self),
            )
        await self._fill()

    @rx.event
    async def close_ticket(self):
        user = require_staff(self)
        try:
            tickets.close_by_staff(user.customer.id, self.ticket_id, ip=client_ip(self))
        except NotAllowed:
            self.found, self.messages = False, []
            return
        await self._fill()

    @rx.event
    async def reopen_ticket(self):
        user = require_staff(self)
        try:
            tickets.reopen_by_staff(user.customer.id, self.ticket_id, ip=client_ip(self))
        except NotAllowed:
            self.found, self.messages = False, []
            return
        await self._fill()
