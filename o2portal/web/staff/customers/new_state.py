"""Staff (admins): open a customer's account by hand, from the customers' list."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.accounts import staff as domain
from o2portal.accounts.models import ACCOUNT_TYPES
from o2portal.core.errors import InvalidInput
from o2portal.core.validation import COUNTRIES
from o2portal.web.guards import client_ip
from o2portal.web.helpers import send_mail_soon, translated
from o2portal.web.session import staff_of

ADMIN = ("admin",)
FIELDS = (
    "account_type",
    "first_name",
    "last_name",
    "company_name",
    "siret",
    "vat_number",
    "email",
    "phone",
    "address_line1",
    "address_line2",
    "postal_code",
    "city",
    "country",
    "language",
)


class NewCustomerState(rx.State):
    open: bool = False
    account_type: str = "particulier"
    country: str = "FR"
    form_key: int = 0
    errors: dict[str, str] = {}

    @rx.event
    async def start(self):
        await staff_of(self, ADMIN)
        self.open, self.errors, self.account_type, self.country = True, {}, "particulier", "FR"
        self.form_key += 1

    @rx.event
    def close(self):
        self.open, self.errors = False, {}

    @rx.event
    def set_account_type(self, value: str):
        self.account_type = value if value in ACCOUNT_TYPES else "particulier"

    @rx.event
    def set_country(self, value: str):
        self.country = value if value in COUNTRIES else "FR"

    @rx.event
    async def create(self, form: dict):
        user = await staff_of(self, ADMIN)
        data = {
            name: (form.get(name) if isinstance(form.get(name), str) else "")[:300]
            for name in FIELDS
        }
        try:
            customer_id = await asyncio.to_thread(
                domain.create_customer, user.actor, data, ip=client_ip(self)
            )
        except InvalidInput as exc:
            self.errors = await translated(self, exc.errors)
            return
        self.open, self.errors = False, {}
        send_mail_soon()
        return rx.redirect(f"/admin/customers/{customer_id}")
