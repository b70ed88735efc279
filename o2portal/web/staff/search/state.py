"""Staff: the header's search box (/admin/search?q=…): one text, every kind of thing it
can name — a customer (name, company, email, one of their domains), a product, an invoice
(F…), an order form (BC-…) or a ticket (its number) — each found through an index."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import reflex as rx

from o2portal.accounts import staff as accounts
from o2portal.billing import staff as billing
from o2portal.billing.invoices import order_reference
from o2portal.core import formatting
from o2portal.core.i18n import translate
from o2portal.products import staff as products
from o2portal.support import queue
from o2portal.web.session import load_staff

# At most this many of each kind (the lists' own pages show the rest).
SHOWN = 8


def _found(actor, text: str) -> dict[str, list]:
    upper = text.upper()
    found: dict[str, list] = {"customers": [], "products": [], "invoices": [], "orders": []}
    found["customers"] = accounts.search_customers(actor, text).rows[:SHOWN]
    found["products"] = products.list_products(actor, query=text).rows[:SHOWN]
    if upper.startswith("F") and any(ch.isdigit() for ch in upper):
        found["invoices"] = billing.list_invoices(actor, query=text).rows[:SHOWN]
    if upper.startswith("BC-"):
        found["orders"] = billing.list_order_forms(actor, status="", query=text).rows[:SHOWN]
    ticket = queue.ticket_by_number(actor, text)
    found["tickets"] = [ticket] if ticket is not None else []
    return found


class AdminSearchState(rx.State):
    query: str = ""
    results: list[dict[str, str]] = []
    searched: bool = False

    @rx.event
    async def load(self):
        await self._search(str(self.router.url.query_parameters.get("q", "")))

    @rx.event
    async def go(self, form: dict):
        """The header's box: search, and show it at /admin/search?q=… (a link to keep)."""
        text = form.get("q") if isinstance(form.get("q"), str) else ""
        await self._search(text)
        return rx.redirect("/admin/search?q=" + quote(self.query))

    async def _search(self, raw: str) -> None:
        user, lang = await load_staff(self)
        text = raw.strip()[:100]
        self.query, self.results, self.searched = text, [], bool(text)
        if not text:
            return
        found = await asyncio.to_thread(_found, user.actor, text)
        rows = []
        for c in found["customers"]:
            rows.append(
                {
                    "kind": translate("search.customer", lang),
                    "label": f"{c.display_name} — {c.email}",
                    "href": f"/admin/customers/{c.id}",
                }
            )
        for p, c in found["products"]:
            rows.append(
                {
                    "kind": translate(f"kind.{p.kind}", lang),
                    "label": f"{p.name} — {c.email}",
                    "href": f"/admin/products/{p.id}",
                }
            )
        for i, c in found["invoices"]:
            rows.append(
                {
                    "kind": translate("search.invoice", lang),
                    "label": f"{i.number} — {c.email} — "
                    f"{formatting.money(i.total_ttc_cents, lang)}",
                    "href": f"/files/invoices/{i.id}.pdf",
                }
            )
        for o, c in found["orders"]:
            rows.append(
                {
                    "kind": translate("search.order", lang),
                    "label": f"{order_reference(o)} — {c.email} — "
                    f"{translate(f'status.{o.status}', lang)}",
                    "href": f"/files/order-forms/{o.id}.pdf",
                }
            )
        for t in found["tickets"]:
            rows.append(
                {
                    "kind": translate("search.ticket", lang),
                    "label": f"#{t.id} — {t.subject}",
                    "href": f"/admin/tickets/{t.id}",
                }
            )
        self.results = rows
