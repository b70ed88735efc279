"""Factures: order forms to pay, issued invoices and credit notes, with their PDFs."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.billing import invoices as billing
from o2portal.billing.order_forms import cancel_order_form
from o2portal.core import formatting
from o2portal.core.errors import NotAllowed
from o2portal.core.i18n import translate
from o2portal.web.guards import client_ip
from o2portal.web.helpers import document_row, given_id
from o2portal.web.lists import Paged
from o2portal.web.payment import PaymentFields, method_name
from o2portal.web.session import customer_of, language_of, load_customer


class InvoicesState(PaymentFields, Paged, rx.State):
    """page/pages/total (Paged): the invoices' pages; cn_page/cn_pages: the credit notes'."""

    invoices: list[dict[str, str]] = []
    unpaid: list[dict[str, str]] = []
    credit_notes: list[dict[str, str]] = []
    cn_page: int = 1
    cn_pages: int = 1
    year: str = ""  # the invoices' year filter ("": all)
    years: list[str] = []
    selected: str = ""  # the order form being paid
    selected_label: str = ""
    seen_ttc: str = ""  # its amount, rendered into the payment form

    async def _fill(self, page: int | None = None, cn_page: int | None = None) -> None:
        user, lang = await load_customer(self)
        customer_id = user.customer.id
        year = given_id(self.year) or None
        found, years = await asyncio.to_thread(
            lambda: (
                billing.customer_invoices(customer_id, page or self.page, year=year),
                billing.customer_invoice_years(customer_id),
            )
        )
        self.page, self.pages, self.total = found.page, found.pages, found.total
        self.years = [str(y) for y in years]
        self.invoices = [
            document_row(
                r.invoice,
                lang,
                description=r.description,
                ht=formatting.money(r.invoice.total_ht_cents, lang),
                status=translate(f"invoices.status.{r.status}", lang),
                method=method_name(r.invoice.payment_method, lang),
            )
            for r in found.rows
        ]
        self.unpaid = [
            {
                "id": str(o.id),
                "reference": billing.order_reference(o),
                "date": formatting.day(o.created_at, lang),
                "amount": formatting.money(o.total_ttc_cents, lang),
                "method": method_name(o.payment_method or "transfer", lang),
                "paid": "",
            }
            for o in await asyncio.to_thread(billing.customer_unpaid_orders, customer_id)
        ]
        notes = await asyncio.to_thread(
            billing.customer_credit_notes, customer_id, cn_page or self.cn_page
        )
        self.cn_page, self.cn_pages = notes.page, notes.pages
        self.credit_notes = [document_row(n, lang) for n in notes.rows]
        await self._show_means(user, lang)

    @rx.event
    async def set_year(self, value: str):
        """Only the invoices of one year ("" or "all": every year)."""
        self.year = str(given_id(value) or "")
        await self._fill(page=1)

    @rx.event
    async def next_credit_notes(self):
        await self._fill(cn_page=self.cn_page + 1)

    @rx.event
    async def previous_credit_notes(self):
        await self._fill(cn_page=self.cn_page - 1)

    @rx.event
    async def load(self):
        self.selected, self.pay_message, self.pay_errors, self.pay_ok = "", "", {}, False
        self.paying, self.offline = False, {}
        await self._fill(1, 1)
        # /invoices?pay=<id> (the dashboard's «Payer»): open that order form's panel.
        wanted = str(self.router.url.query_parameters.get("pay", ""))[:12]
        if wanted:
            await self._choose(wanted)

    async def _choose(self, order_id: str) -> None:
        user = await customer_of(self)
        lang = await language_of(self)
        order = await asyncio.to_thread(
            billing.unpaid_order_of, user.customer.id, given_id(order_id)
        )
        if order is None:
            self.selected = ""
            return
        self.selected = str(order.id)
        self.selected_label = (
            f"{billing.order_reference(order)} — {formatting.money(order.total_ttc_cents, lang)}"
        )
        self.seen_ttc = str(order.total_ttc_cents)
        self.method = "card"
        self.pay_errors, self.pay_message, self.pay_ok = {}, "", False
        self._arm()

    @rx.event
    async def choose(self, order_id: str):
        """Open the payment panel for one of the customer's own unpaid order forms."""
        await self._choose(order_id if isinstance(order_id, str) else "")

    @rx.event
    def close(self):
        self.selected = ""

    @rx.event
    async def cancel_order(self, order_id: str):
        """Cancel one of the customer's own unpaid order forms (its names are released)."""
        user = await customer_of(self)
        lang = await language_of(self)
        try:
            done = await asyncio.to_thread(
                cancel_order_form,
                user.actor,
                given_id(order_id),
                ip=client_ip(self),
            )
        except NotAllowed:
            done = False
        self.selected = ""
        self.pay_ok = done
        self.pay_message = translate("invoices.cancelled" if done else "error.unexpected", lang)
        await self._fill()

    @rx.event
    async def pay(self, form: dict):
        """Pay the order form named by the submitted form, for the amount it showed, with
        its key: the same form sent twice pays once and reads the first outcome."""
        started = await self._order_form_payment(form)
        if started is None:
            return
        yield
        outcome = await self._pay_order_form(started, form)
        if outcome is None:
            return
        user, order_id = started[0], started[1]
        lang = await language_of(self)
        self._paid(outcome, lang)
        await self._show_offline(user, outcome, lang)
        rows = list(self.unpaid)
        await self._fill()
        if outcome.status == "paid":
            # The paid form stays in its place, marked paid, until the page is left:
            # nothing moves under the pointer of a second click.
            index = next((i for i, r in enumerate(rows) if r["id"] == str(order_id)), None)
            if index is not None:
                fresh = [r for r in self.unpaid if r["id"] != str(order_id)]
                paid = {**rows[index], "paid": translate("pay.paid_button", lang)}
                fresh.insert(min(index, len(fresh)), paid)
                self.unpaid = fresh
