"""Staff (support and admin): the ticket queue and a ticket's thread with replies,
internal notes, assignment and closing; the thread page is live like the customer's."""

from __future__ import annotations

import asyncio
import contextlib
import re

import reflex as rx

from o2portal.accounts.sessions import CurrentUser
from o2portal.core import clock, formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.support import canned, tickets
from o2portal.support.models import DEPARTMENTS, TICKET_STATUSES, TicketStatus
from o2portal.web.doors import chained_only
from o2portal.web.guards import client_ip, require_staff
from o2portal.web.helpers import given_id, send_mail_soon
from o2portal.web.lists import Searched, StaffQuery
from o2portal.web.session import load_staff, staff_of
from o2portal.web.thread import MessageComposer, ThreadFields, follow_thread, ticket_row

_PATH_ID = re.compile(r"/admin/tickets/(\d{1,12})/?$")


def _last_reply(found, tk, lang: str) -> dict[str, str]:
    """Who wrote last, and since when a ticket awaiting staff waits ("" otherwise)."""
    last = found.last.get(tk.id)
    if last is None:
        return {"last_by": "", "waiting": ""}
    author, at = last
    waiting = ""
    if tk.status == TicketStatus.OPEN:
        waiting = formatting.waited(clock.now() - at, lang)
    return {"last_by": found.names.get(author, ""), "waiting": waiting}


class AdminTicketsState(StaffQuery, Searched, rx.State):
    status: str = ""
    department: str = ""
    assigned: str = ""
    rows: list[dict[str, str]] = []

    async def _fill(self, page: int) -> None:
        user, lang = await load_staff(self)
        found = await asyncio.to_thread(
            tickets.staff_queue,
            user.actor,
            status=self.status,
            department=self.department,
            assigned=self.assigned,
            query=self.query,
            page=page,
        )
        self.page, self.pages, self.total = found.page, found.pages, found.total
        self.rows = [
            {
                **ticket_row(tk, lang),
                "customer": found.names.get(tk.customer_id, ""),
                "priority": translate(f"tickets.priority.{tk.priority}", lang),
                "assigned": found.names.get(tk.assigned_to_id, "") if tk.assigned_to_id else "",
                **_last_reply(found, tk, lang),
                "escalated": translate("support_tools.escalated", lang) if tk.escalated_at else "",
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
        self.assigned = value if value in ("me", "none", "escalated") else ""
        await self._fill(1)


class AdminTicketState(ThreadFields, MessageComposer, rx.State):
    customer_id: str = ""
    customer_name: str = ""
    customer_email: str = ""
    assigned_to: str = ""
    department_code: str = ""
    priority_code: str = ""
    staff: list[dict[str, str]] = []
    internal: bool = False
    await_customer: bool = False
    escalated: bool = False
    # Staff's notes on the customer, and the canned replies that fit the department.
    notes: list[dict[str, str]] = []
    canned: list[dict[str, str]] = []

    def _composer_user(self) -> CurrentUser:
        return require_staff(self)

    def _thread(self, user: CurrentUser, window: tickets.Window) -> tickets.TicketView:
        return tickets.staff_thread(user.actor, self.ticket_id, window)

    def _with_internal(self) -> bool:
        return True

    def _show_more(self, view: tickets.TicketView, user: CurrentUser) -> None:
        ticket = view.ticket
        self.customer_id = str(ticket.customer_id)
        self.customer_name, self.customer_email = view.customer_name, view.customer_email
        self.assigned_to = str(ticket.assigned_to_id or "")
        self.department_code, self.priority_code = ticket.department, ticket.priority
        self.staff = [
            {"id": str(p.id), "name": f"{p.first_name} {p.last_name}"}
            for p in tickets.staff_members(user.actor)
        ]
        self.escalated = ticket.escalated_at is not None
        self.notes = [
            {
                "id": str(n.id),
                "body": n.body,
                "author": n.author,
                "date": formatting.day(n.created_at, user.customer.language),
            }
            for n in view.notes
        ]
        self.canned = [
            {"id": str(r.id), "title": r.title}
            for r in canned.canned_replies(user.actor, ticket.department)
        ]

    @rx.event
    async def load(self):
        self.internal, self.await_customer = False, False
        if await self._open(_PATH_ID):
            return AdminTicketState.watch

    # One loop per tab, stopped with its page: see follow_thread.
    @rx.event(background=True, supersedes=True)
    @chained_only
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
    async def use_canned(self, value: str):
        """Put a canned reply, filled in for this ticket, at the end of the message."""
        user = await staff_of(self)
        reply_id = given_id(value)
        if not reply_id:
            return
        try:
            text = await asyncio.to_thread(canned.fill_canned, user.actor, reply_id, self.ticket_id)
        except NotAllowed:
            return
        body = f"{self.body.rstrip()}\n\n{text}" if self.body.strip() else text
        self.body = body[: tickets.BODY_MAX]
        self.compose_key += 1

    @rx.event
    async def reply(self, form: dict):
        ticket_id, ip = self.ticket_id, client_ip(self)
        internal, await_customer = self.internal, self.await_customer

        def post(user: CurrentUser, body: str, files, key: str) -> None:
            tickets.add_staff_reply(
                user.actor,
                ticket_id,
                body,
                files,
                internal=internal,
                await_customer=await_customer,
                submit_key=key,
                ip=ip,
            )
            # Written: whatever happens to the read that follows, the mail goes and the
            # boxes are clear for the next message.
            self.internal, self.await_customer = False, False
            send_mail_soon()

        await self._post(form, post)  # then the reply shown, without the thread again

    @rx.event
    async def assign(self, value: str):
        user = await staff_of(self)
        with contextlib.suppress(InvalidInput, NotAllowed):
            await asyncio.to_thread(
                tickets.assign,
                user.actor,
                self.ticket_id,
                given_id(value) or None,
                ip=client_ip(self),
            )
        await self._fill()

    async def _route(self, **change) -> None:
        user = await staff_of(self)
        with contextlib.suppress(InvalidInput, NotAllowed):
            await asyncio.to_thread(
                tickets.route, user.actor, self.ticket_id, ip=client_ip(self), **change
            )
        await self._fill()

    @rx.event
    async def route_department(self, value: str):
        """Move the ticket to another department."""
        await self._route(department=value if isinstance(value, str) else "")

    @rx.event
    async def route_priority(self, value: str):
        await self._route(priority=value if isinstance(value, str) else "")

    @rx.event
    async def close_ticket(self):
        await self._change(tickets.close_by_staff)

    @rx.event
    async def reopen_ticket(self):
        await self._change(tickets.reopen_by_staff)
