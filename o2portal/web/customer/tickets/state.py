"""Support tickets, customer side: the list, a new ticket, and the live thread."""

from __future__ import annotations

import asyncio
import re

import reflex as rx

from o2portal.accounts.sessions import CurrentUser
from o2portal.core.errors import InvalidInput
from o2portal.core.i18n import translate
from o2portal.support import tickets
from o2portal.support.models import DEPARTMENTS, PRIORITIES
from o2portal.web.doors import chained_only
from o2portal.web.guards import client_ip, require_customer
from o2portal.web.helpers import given_id, send_mail_soon, translated
from o2portal.web.lists import Paged
from o2portal.web.session import customer_of, load_customer
from o2portal.web.thread import MessageComposer, ThreadFields, follow_thread, ticket_row

_PATH_ID = re.compile(r"/tickets/(\d{1,12})/?$")


class TicketsState(Paged, rx.State):
    """/tickets: the open tickets and, on the other tab, the closed ones."""

    tab: str = "open"
    rows: list[dict[str, str]] = []

    async def _fill(self, page: int) -> None:
        user, lang = await load_customer(self)
        found = await asyncio.to_thread(
            tickets.customer_tickets, user.customer.id, closed=self.tab == "closed", page=page
        )
        self.page, self.pages, self.total = found.page, found.pages, found.total
        self.rows = [ticket_row(tk, lang) for tk in found.rows]

    @rx.event
    async def load(self):
        await self._fill(1)

    @rx.event
    async def set_tab(self, value: str):
        self.tab = "closed" if value == "closed" else "open"
        await self._fill(1)


class NewTicketState(MessageComposer, rx.State):
    """/tickets/new."""

    department: str = "technique"
    priority: str = "normale"
    product_id: str = ""
    products: list[dict[str, str]] = []
    errors: dict[str, str] = {}

    def _composer_user(self) -> CurrentUser:
        return require_customer(self)

    @rx.event
    async def load(self):
        user, lang = await load_customer(self)
        self._reset_composer()
        self.errors, self.department, self.priority = {}, "technique", "normale"
        wanted = str(self.router.url.query_parameters.get("product", ""))[:12]
        # 'exemple.fr (nom de domaine)': the kind inside a sentence, in small letters.
        self.products = [
            {"id": str(p.id), "label": f"{p.name} ({translate(f'kind.{p.kind}', lang).lower()})"}
            for p in await asyncio.to_thread(tickets.product_choices, user.customer.id)
        ]
        self.product_id = wanted if any(p["id"] == wanted for p in self.products) else ""

    @rx.event
    def set_department(self, value: str):
        self.department = value if value in DEPARTMENTS else "technique"

    @rx.event
    def set_priority(self, value: str):
        self.priority = value if value in PRIORITIES else "normale"

    @rx.event
    def set_product_id(self, value: str):
        self.product_id = str(given_id(value) or "")

    @rx.event
    async def submit(self, form: dict):
        user = await customer_of(self)
        if self.sending:
            return
        self.sending = True
        body = self._take_body(form)
        key = self._key_for(body)
        subject = str(form.get("subject", ""))[:1000]
        product_id = int(self.product_id) if self.product_id else None
        ip = client_ip(self)

        def write() -> int:
            ticket_id = tickets.open_ticket(
                user.customer.id,
                subject=subject,
                department=self.department,
                priority=self.priority,
                product_id=product_id,
                body=body,
                attachments=self._staged_files(user),
                submit_key=key,
                ip=ip,
            )
            self._sent(user, key)
            return ticket_id

        try:
            ticket_id = await asyncio.to_thread(write)
        except InvalidInput as exc:
            self.errors = await translated(self, exc.errors)
            self.compose_errors = {
                k: v for k, v in self.errors.items() if k in ("body", "attachments")
            }
            return
        finally:
            self.sending = False
        send_mail_soon()
        return rx.redirect(f"/tickets/{ticket_id}")


class TicketState(ThreadFields, MessageComposer, rx.State):
    """/tickets/[id]: the thread as its customer sees it, kept up to date live."""

    product_id: str = ""
    notice: str = ""

    def _composer_user(self) -> CurrentUser:
        return require_customer(self)

    def _thread(self, user: CurrentUser, window: tickets.Window) -> tickets.TicketView:
        return tickets.customer_thread(
            user.customer.id, self.ticket_id, window, caller=user.customer
        )

    def _with_internal(self) -> bool:
        return False

    def _show_more(self, view: tickets.TicketView, user: CurrentUser) -> None:
        self.product_id = str(view.ticket.product_id or "")

    @rx.event
    async def load(self):
        self.notice = ""
        if await self._open(_PATH_ID):
            return TicketState.watch

    # One loop per tab, stopped with its page: see follow_thread.
    @rx.event(background=True, supersedes=True)
    @chained_only
    async def watch(self):
        """Bring new messages and status changes to the open page, without reload."""
        require_customer(self)  # called by name like any handler: nobody else may start one
        await follow_thread(self, with_internal=False)

    @rx.event
    async def reply(self, form: dict):
        ticket_id = self.ticket_id

        def post(user: CurrentUser, body: str, files, key: str) -> None:
            tickets.add_customer_reply(
                user.customer.id, ticket_id, body, files, submit_key=key, caller=user.customer
            )

        await self._post(form, post)  # then the reply shown, without the thread again

    @rx.event
    async def close_ticket(self):
        await self._change(tickets.close_by_customer)

    @rx.event
    async def reopen_ticket(self):
        await self._change(tickets.reopen_by_customer)
