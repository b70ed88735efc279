"""Staff: customers, one page of search results and one customer's file."""

from __future__ import annotations

import asyncio
import json
import re

import reflex as rx

from o2portal.accounts import staff as domain
from o2portal.billing import staff as billing_staff
from o2portal.billing.invoices import order_reference
from o2portal.core import clock, formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.core.validation import format_phone_national
from o2portal.products import staff as products_staff
from o2portal.products.contact_models import OPEN_STATUSES
from o2portal.products.customer import display_status
from o2portal.web.guards import client_ip, require_staff, user_agent
from o2portal.web.helpers import document_row, given_id, send_mail_soon, translated
from o2portal.web.lists import Searched, StaffQuery, export_href
from o2portal.web.payment import new_key, submitted_key
from o2portal.web.rows import mail_row, ticket_row
from o2portal.web.session import language_of, load_staff, staff_of

_PATH_ID = re.compile(r"/admin/customers/(\d{1,12})/?$")


class AdminCustomersState(StaffQuery, Searched, rx.State):
    rows: list[dict[str, str]] = []
    # The customers' CSV, with the search of the list shown.
    export_href: str = "/files/exports/customers.csv"

    async def _fill(self, page: int) -> None:
        user, lang = await load_staff(self)
        result = await asyncio.to_thread(domain.search_customers, user.actor, self.query, page)
        self.export_href = export_href("customers", self.query)
        self.page, self.pages, self.total = result.page, result.pages, result.total
        self.rows = [
            {
                "id": str(c.id),
                "name": c.display_name,
                "email": c.email,
                "city": f"{c.postal_code} {c.city}",
                "state": translate(
                    "admin.disabled" if c.disabled_at else "admin.account_active", lang
                ),
            }
            for c in result.rows
        ]

    @rx.event
    async def load(self):
        await self._fill(1)


class AdminCustomerState(rx.State):
    found: bool = True
    customer_id: int = 0
    name: str = ""
    disabled: bool = False
    is_admin: bool = False
    fiche: dict[str, str] = {}
    products: list[dict[str, str]] = []
    invoices: list[dict[str, str]] = []
    tickets: list[dict[str, str]] = []
    mails: list[dict[str, str]] = []
    sign_ins: list[dict[str, str]] = []
    contacts: list[dict[str, str]] = []
    contact_notice: str = ""
    errors: dict[str, str] = {}
    message: str = ""
    # The credit form: its key (the same form sent twice adds once), and whether it
    # went through (its button then waits for «Nouvelle modification»).
    credit_key: str = ""
    credit_done: bool = False

    async def _fill(self) -> None:
        user, lang = await load_staff(self)
        self.is_admin = user.customer.role == "admin"
        match = _PATH_ID.search(self.router.url.path or "")
        self.customer_id = int(match.group(1)) if match else 0
        try:
            file = await asyncio.to_thread(domain.customer_file, user.actor, self.customer_id)
        except NotAllowed:
            self.found = False
            return
        self.found = True
        c = file.customer
        self.name, self.disabled = c.display_name, c.disabled_at is not None
        self.fiche = {
            "first_name": c.first_name,
            "last_name": c.last_name,
            "company_name": c.company_name or "",
            "siret": c.siret or "",
            "vat_number": c.vat_number or "",
            "email": c.email,
            "phone": format_phone_national(c.phone) if c.phone else "",
            "address_line1": c.address_line1,
            "address_line2": c.address_line2 or "",
            "postal_code": c.postal_code,
            "city": c.city,
            "country": c.country,
            "account_type": c.account_type,
            "verified": formatting.moment(c.email_verified_at, lang),
            "failing": c.email_failing_reason or "",
            "credit": formatting.money(c.credit_balance_cents, lang),
            "created": formatting.day(c.created_at, lang),
        }
        today = clock.today()
        self.products = [
            {
                "id": str(p.id),
                "name": p.name,
                "kind": translate(f"kind.{p.kind}", lang),
                "status": translate(f"status.{display_status(p, today)}", lang),
                "expiry": formatting.day(p.expiry_date, lang),
            }
            for p in file.products
        ]
        # Each number opens its PDF: the invoice, or the unpaid order form.
        self.invoices = [
            document_row(i, lang, href=f"/files/invoices/{i.id}.pdf") for i in file.invoices
        ] + [
            {
                "id": str(o.id),
                "number": order_reference(o),
                "href": f"/files/order-forms/{o.id}.pdf",
                "date": formatting.day(o.created_at, lang),
                "amount": formatting.money(o.total_ttc_cents, lang)
                + f" ({translate('status.unpaid', lang).lower()})",
            }
            for o in file.unpaid
        ]
        self.tickets = [ticket_row(t, lang) for t in file.tickets]
        self.mails = [mail_row(m, lang) for m in file.mails]
        found = await asyncio.to_thread(
            products_staff.customer_contacts, user.actor, self.customer_id
        )
        self.contacts = [
            {
                "id": str(r.id),
                "product_id": str(r.product_id),
                "product": r.product_name,
                "holder": r.holder_name,
                "contact": f"{r.contact_name} <{r.contact_email}>",
                "role": translate(f"contacts.role.{r.role}", lang),
                "status": translate(f"contacts.status.{r.status}", lang),
                "open": "1" if r.status in OPEN_STATUSES else "",
            }
            for r in found
        ]
        self.sign_ins = [
            {
                "date": formatting.moment(a.created_at, lang),
                "ip": a.ip,
                "ok": "oui" if a.success else "échec",
            }
            for a in file.sign_ins
        ]

    @rx.event
    async def load(self):
        self.errors, self.message = {}, ""
        self.credit_key, self.credit_done = new_key(), False
        await self._fill()

    @rx.event
    async def add_credit(self, form: dict):
        """Add account credit with a reason (admins), with the form's key."""
        user = await staff_of(self, ("admin",))
        lang = await language_of(self)
        if self.credit_done:
            return
        self.errors, self.message = {}, ""
        amount = form.get("credit_amount") if isinstance(form.get("credit_amount"), str) else ""
        reason = form.get("credit_reason") if isinstance(form.get("credit_reason"), str) else ""
        try:
            balance = await asyncio.to_thread(
                billing_staff.add_credit,
                user.actor,
                self.customer_id,
                amount[:20],
                reason[:300],
                key=submitted_key(form),
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            self.errors = await translated(self, exc.errors)
            return
        except NotAllowed:
            self.errors = {"credit_amount": translate("error.unexpected", lang)}
            return
        self.credit_done = True
        self.message = translate(
            "admin.credit_added", lang, balance=formatting.money(balance, lang)
        )
        await self._fill()

    @rx.event
    def credit_again(self):
        self.credit_key, self.credit_done, self.message = new_key(), False, ""

    @rx.event
    async def save(self, form: dict):
        user = await staff_of(self, ("admin",))
        lang = await language_of(self)
        self.errors, self.message = {}, ""
        data = {k: (v if isinstance(v, str) else "")[:300] for k, v in form.items()}
        try:
            await asyncio.to_thread(
                domain.update_customer, user.actor, self.customer_id, data, ip=client_ip(self)
            )
        except InvalidInput as exc:
            self.errors = await translated(self, exc.errors)
            return
        self.message = translate("admin.saved", lang)
        await self._fill()

    @rx.event
    async def toggle_disabled(self, form: dict):
        user = await staff_of(self, ("admin",))
        self.errors = {}
        try:
            await asyncio.to_thread(
                domain.set_disabled,
                user.actor,
                self.customer_id,
                not self.disabled,
                str(form.get("reason", ""))[:300],
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            self.errors = await translated(self, exc.errors)
            return
        await self._fill()

    @rx.event
    async def send_reset(self):
        user = await staff_of(self)
        lang = await language_of(self)
        await asyncio.to_thread(
            domain.send_reset_link, user.actor, self.customer_id, ip=client_ip(self)
        )
        self.message = translate("admin.reset_sent", lang)
        send_mail_soon()

    @rx.event
    async def revoke_contact(self, link_id: str):
        """Take a contact's access back (support and admins), audited."""
        user = await staff_of(self)
        lang = await language_of(self)
        self.contact_notice = ""
        try:
            await asyncio.to_thread(
                products_staff.revoke_contact, user.actor, given_id(link_id), ip=client_ip(self)
            )
        except (InvalidInput, NotAllowed):
            self.contact_notice = translate("contacts.not_found", lang)
        else:
            send_mail_soon()
            self.contact_notice = translate("contacts.revoked", lang)
        await self._fill()

    @rx.event
    def act_as(self):
        user = require_staff(self, roles=("admin",))
        ticket = domain.start_acting_as(
            user.actor, self.customer_id, ip=client_ip(self), user_agent=user_agent(self)
        )
        url = json.dumps("/auth/session?ticket=" + ticket)
        return rx.call_script(f"window.sessionStorage.clear(); window.location.replace({url});")
