"""Staff's work on one customer's file beside the file itself: the notes pinned to the
customer (shown on their tickets too), and a ticket opened for them."""

from __future__ import annotations

import asyncio
import contextlib
import re

import reflex as rx

from o2portal.billing import staff as billing_staff
from o2portal.core import formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.support import notes, queue, tickets
from o2portal.web.guards import client_ip
from o2portal.web.helpers import given_id, send_mail_soon, translated
from o2portal.web.payment import new_key, submitted_key
from o2portal.web.session import language_of, staff_of

# The manual order form's lines on the page (blank ones are left out).
BILL_LINES = 3
_PATH_ID = re.compile(r"/admin/customers/(\d{1,12})/?$")


def _text(form: dict, name: str, limit: int) -> str:
    value = (form or {}).get(name)
    return value[: limit + 1] if isinstance(value, str) else ""


class CustomerWorkState(rx.State):
    customer_id: int = 0
    notes: list[dict[str, str]] = []
    my_id: str = ""
    is_admin: bool = False
    note_key: int = 0
    note_errors: dict[str, str] = {}
    note_message: str = ""
    # The ticket form: the customer's products to pick from, and its key.
    products: list[dict[str, str]] = []
    ticket_open: bool = False
    ticket_key: str = ""
    ticket_errors: dict[str, str] = {}
    # The manual order form (admins): its key, and the form it made.
    bill_key: str = ""
    bill_errors: dict[str, str] = {}
    bill_done: str = ""
    bill_href: str = ""

    async def _fill(self) -> None:
        user = await staff_of(self)
        lang = await language_of(self)
        self.my_id, self.is_admin = str(user.customer.id), user.customer.role == "admin"
        try:
            found = await asyncio.to_thread(notes.customer_notes, user.actor, self.customer_id)
        except NotAllowed:
            self.notes = []
            return
        self.notes = [
            {
                "id": str(n.id),
                "body": n.body,
                "author": n.author,
                "date": formatting.moment(n.created_at, lang),
                "mine": "yes" if n.author_id == user.customer.id else "",
            }
            for n in found
        ]

    @rx.event
    async def load(self):
        match = _PATH_ID.search(self.router.url.path or "")
        self.customer_id = int(match.group(1)) if match else 0
        self.note_errors, self.note_message = {}, ""
        self.ticket_open, self.ticket_errors, self.products = False, {}, []
        self.bill_key, self.bill_errors, self.bill_done, self.bill_href = new_key(), {}, "", ""
        await self._fill()

    @rx.event
    async def add_note(self, form: dict):
        user = await staff_of(self)
        self.note_message = ""
        try:
            await asyncio.to_thread(
                notes.add_note,
                user.actor,
                self.customer_id,
                _text(form, "note", notes.NOTE_MAX),
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            self.note_errors = await translated(self, exc.errors)
            return
        except NotAllowed:
            return
        self.note_errors, self.note_key = {}, self.note_key + 1
        self.note_message = translate("support_tools.note_added", await language_of(self))
        await self._fill()

    @rx.event
    async def remove_note(self, note_id: str):
        user = await staff_of(self)
        with contextlib.suppress(NotAllowed):
            await asyncio.to_thread(
                notes.remove_note, user.actor, given_id(note_id), ip=client_ip(self)
            )
        await self._fill()

    @rx.event
    async def start_ticket(self):
        await staff_of(self)
        self.ticket_open, self.ticket_errors, self.ticket_key = True, {}, new_key()
        lang = await language_of(self)
        found = await asyncio.to_thread(tickets.product_choices, self.customer_id)
        self.products = [
            {"id": str(p.id), "name": f"{p.name} ({translate(f'kind.{p.kind}', lang)})"}
            for p in found
        ]

    @rx.event
    def close_ticket_form(self):
        self.ticket_open, self.ticket_errors = False, {}

    @rx.event
    async def open_ticket(self, form: dict):
        user = await staff_of(self)
        try:
            ticket_id = await asyncio.to_thread(
                queue.open_for_customer,
                user.actor,
                self.customer_id,
                subject=_text(form, "subject", tickets.SUBJECT_MAX),
                department=_text(form, "department", 20),
                priority=_text(form, "priority", 20),
                product_id=given_id(form.get("product_id")) or None,
                body=_text(form, "body", tickets.BODY_MAX),
                submit_key=submitted_key(form),
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            self.ticket_errors = await translated(self, exc.errors)
            return
        except NotAllowed:
            return
        send_mail_soon()
        return rx.redirect(f"/admin/tickets/{ticket_id}")

    @rx.event
    async def bill(self, form: dict):
        """Bill services outside the catalogue (admins): an order form mailed to the
        customer, made once however often the form is sent."""
        user = await staff_of(self, ("admin",))
        lines = [
            {name: _text(form, f"{name}_{n}", 300) for name in ("description", "quantity", "price")}
            for n in range(BILL_LINES)
        ]
        try:
            order_id = await asyncio.to_thread(
                billing_staff.create_manual_order,
                user.actor,
                self.customer_id,
                lines,
                key=submitted_key(form),
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            self.bill_errors = await translated(self, exc.errors)
            return
        except NotAllowed:
            return
        self.bill_errors = {}
        self.bill_done = translate(
            "admin.bill_done", await language_of(self), reference=f"BC-{order_id:06d}"
        )
        self.bill_href = f"/files/order-forms/{order_id}.pdf"
        send_mail_soon()

    @rx.event
    def bill_again(self):
        self.bill_key, self.bill_errors, self.bill_done, self.bill_href = new_key(), {}, "", ""
