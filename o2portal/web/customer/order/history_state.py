"""Mes commandes, on the order page: the customer's order forms, one page at a time, each
with what can be done with it (pay it, or download its invoice)."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.billing import invoices as billing
from o2portal.billing.models import OrderStatus
from o2portal.billing.orders import customer_order_page, order_kinds
from o2portal.core import formatting
from o2portal.core.i18n import translate
from o2portal.web.lists import Paged
from o2portal.web.session import customer_of, language_of

_KIND_LABELS = {
    "hosting": "order.tab_hosting",
    "domain": "order.tab_domain",
    "server": "order.tab_server",
    "ssl": "order.tab_ssl",
}


def history_kind(order, kinds: dict[int, list[str]], lang: str) -> str:
    """What was ordered: the products' kinds for a new order form, or a renewal."""
    if order.kind != "order":
        return translate("order.kind_renewal", lang)
    return ", ".join(translate(_KIND_LABELS[k], lang) for k in kinds.get(order.id, []))


def _history_page(customer_id: int, page: int):
    found = customer_order_page(customer_id, page)
    kinds = order_kinds([order.id for order, _ in found.rows if order.kind == "order"])
    return found, kinds


class OrderHistoryState(Paged, rx.State):
    rows: list[dict[str, str]] = []

    async def _fill(self, page: int) -> None:
        user = await customer_of(self)
        lang = await language_of(self)
        found, kinds = await asyncio.to_thread(_history_page, user.customer.id, page)
        self.page, self.pages, self.total = found.page, found.pages, found.total
        self.rows = [
            {
                "id": str(order.id),
                "reference": billing.order_reference(order),
                "date": formatting.day(order.created_at, lang),
                "kind": history_kind(order, kinds, lang),
                "amount": formatting.money(order.total_ttc_cents, lang),
                "status": translate(f"status.{order.status}", lang),
                # What the row offers: paying an unpaid form, or its invoice's PDF.
                "pay": "1" if order.status == OrderStatus.UNPAID else "",
                "invoice": str(invoice_id) if invoice_id else "",
            }
            for order, invoice_id in found.rows
        ]

    @rx.event
    async def load(self):
        await self._fill(1)
