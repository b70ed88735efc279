"""Staff: order forms, invoices and credit notes; record a transfer or a cheque; credit."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.accounts.sessions import CurrentUser
from o2portal.billing import staff as domain
from o2portal.billing.invoices import order_reference
from o2portal.billing.order_forms import cancel_order_form
from o2portal.core import formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.web.guards import client_ip, require_staff
from o2portal.web.helpers import given_id, send_mail_soon, translated
from o2portal.web.lists import Searched, StaffQuery, export_href
from o2portal.web.payment import method_name
from o2portal.web.session import language_of, load_staff, staff_of


class AdminInvoicesState(StaffQuery, Searched, rx.State):
    status: str = "unpaid"
    orders: list[dict[str, str]] = []
    invoices: list[dict[str, str]] = []
    notes: list[dict[str, str]] = []
    message: str = ""
    errors: dict[str, str] = {}
    credit_for: str = ""
    # The order form whose transfer or cheque is being recorded, how, and its words.
    recording: str = ""
    recording_method: str = ""
    recording_title: str = ""
    working: str = ""  # the order form whose payment is being recorded
    # The invoices' CSV, with the search of the list shown (not the text being typed).
    export_href: str = "/files/exports/invoices.csv"

    async def _fill(self, page: int = 1, *, keep_orders: bool = False) -> None:
        """Load the three lists; `keep_orders` leaves the order forms' rows as they are
        (a row just paid stays in its place, marked paid)."""
        user, lang = await load_staff(self)
        if not keep_orders:
            orders = await asyncio.to_thread(
                domain.list_order_forms, user.actor, status=self.status, query=self.query
            )
            self.orders = [
                {
                    "id": str(o.id),
                    "reference": order_reference(o),
                    "customer": c.email,
                    "customer_id": str(c.id),
                    "date": formatting.day(o.created_at, lang),
                    "amount": formatting.money(o.total_ttc_cents, lang),
                    "method": method_name(o.payment_method, lang),
                    "status": o.status,
                    "done": "",
                }
                for o, c in orders.rows
            ]
        invoices = await asyncio.to_thread(
            domain.list_invoices, user.actor, query=self.query, page=page
        )
        self.export_href = export_href("invoices", self.query)
        self.page, self.pages = invoices.page, invoices.pages
        self.invoices = [
            {
                "id": str(i.id),
                "number": i.number,
                "customer": c.email,
                "customer_id": str(c.id),
                "date": formatting.day(i.issued_at, lang),
                "amount": formatting.money(i.total_ttc_cents, lang),
                "ht": formatting.money(i.total_ht_cents, lang),
                "method": method_name(i.payment_method, lang),
            }
            for i, c in invoices.rows
        ]
        notes = await asyncio.to_thread(domain.list_credit_notes, user.actor)
        self.notes = [
            {
                "id": str(n.id),
                "number": n.number,
                "customer": c.email,
                "customer_id": str(c.id),
                "date": formatting.day(n.issued_at, lang),
                "amount": formatting.money(n.total_ttc_cents, lang),
                "reason": n.reason,
            }
            for n, c in notes.rows
        ]

    async def _admin_action(self) -> tuple[CurrentUser, str]:
        """The start of an admin's action: the admin (anyone else is refused) and the
        language, the previous action's message and errors cleared."""
        user = await staff_of(self, ("admin",))
        lang = await language_of(self)
        self.errors, self.message = {}, ""
        return user, lang

    @rx.event
    async def load(self):
        self.message, self.errors, self.credit_for, self.recording = "", {}, "", ""
        await self._fill()

    @rx.event
    async def set_status(self, value: str):
        self.status = value if value in ("unpaid", "paid", "cancelled", "") else "unpaid"
        await self._fill()

    @rx.event
    async def open_payment(self, order_id: str, method: str):
        """Ask for the reference of the transfer (or the cheque's number) before it is
        recorded: the form opens for this order form of the list."""
        _, lang = await self._admin_action()
        row = next((o for o in self.orders if o["id"] == str(given_id(order_id))), None)
        if row is None or method not in ("transfer", "cheque"):
            self.recording = ""
            return
        self.recording, self.recording_method = row["id"], method
        what = translate(f"admin.{method}_received", lang)
        self.recording_title = f"{what} — {row['reference']} — {row['amount']}"

    @rx.event
    def close_payment(self):
        self.recording = ""

    @rx.event
    async def mark_paid(self, form: dict):
        """Record the transfer or the cheque of the form (its order form and method were
        rendered into it, with the reference typed). The order form is paid once: a
        second click (or a replayed event) reads the invoice the first one issued."""
        user, lang = await self._admin_action()
        order_id = str(given_id(form.get("order")) or "")
        method = form.get("method") if form.get("method") in ("transfer", "cheque") else ""
        reference = form.get("reference") if isinstance(form.get("reference"), str) else ""
        self.working = order_id
        yield
        try:
            outcome = await asyncio.to_thread(
                domain.mark_paid,
                user.actor,
                given_id(order_id),
                method,
                reference[:200],
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            self.errors = await translated(self, exc.errors)
            return
        except NotAllowed:
            self.errors = {"order": translate("error.unexpected", lang)}
            return
        finally:
            self.working = ""
        if outcome.status != "paid":  # a card payment of the customer's is under way
            key = outcome.message_key or "error.unexpected"
            self.errors = {"order": translate(key, lang, invoice="")}
            return
        self.recording = ""
        invoice = outcome.invoice_number or ""
        self.message = translate("admin.marked_paid", lang, invoice=invoice)
        send_mail_soon()
        # The row stays where it was, marked paid: nothing moves under a second click.
        done = translate("admin.paid_row", lang, invoice=invoice)
        self.orders = [
            {**o, "status": "paid", "done": done} if o["id"] == order_id else o for o in self.orders
        ]
        await self._fill(self.page, keep_orders=True)

    @rx.event
    async def cancel_order(self, order_id: str):
        """Cancel an unpaid order form (the customer gave up): it can no longer be paid."""
        user, lang = await self._admin_action()
        try:
            done = await asyncio.to_thread(
                cancel_order_form,
                user.actor,
                given_id(order_id),
                ip=client_ip(self),
                reason="staff",
            )
        except NotAllowed:
            done = False
        if done:
            self.message = translate("invoices.cancelled", lang)
        else:
            self.errors = {"order": translate("error.unexpected", lang)}
        await self._fill()

    @rx.event
    def open_credit(self, invoice_id: str):
        require_staff(self, roles=("admin",))
        self.credit_for = str(given_id(invoice_id) or "")
        self.errors = {}

    @rx.event
    async def credit(self, form: dict):
        user, lang = await self._admin_action()
        try:
            note = await asyncio.to_thread(
                domain.credit_invoice,
                user.actor,
                given_id(self.credit_for),
                str(form.get("amount", ""))[:20],
                str(form.get("reason", ""))[:300],
                str(form.get("refund_method", "credit"))[:12],
            )
        except InvalidInput as exc:
            self.errors = await translated(self, exc.errors)
            return
        except NotAllowed:
            self.errors = {"amount": translate("error.unexpected", lang)}
            return
        self.credit_for = ""
        self.message = translate("admin.credited", lang, number=note.number)
        await self._fill()
