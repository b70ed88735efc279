"""Ma fiche: the customer's details as o2portal holds them."""

from __future__ import annotations

import reflex as rx

from o2portal.domain.validation import COUNTRIES, format_phone_national
from o2portal.i18n import translate
from o2portal.state.guards import require_customer
from o2portal.state.session import language_of, show_user


class ProfileState(rx.State):
    details: list[dict[str, str]] = []

    @rx.event
    async def load(self):
        user = require_customer(self)
        await show_user(self, user)
        lang = await language_of(self)
        c = user.customer
        pairs = [
            ("field.account_type", translate(f"field.account_type.{c.account_type}", lang)),
            ("field.first_name", c.first_name),
            ("field.last_name", c.last_name),
            ("field.company_name", c.company_name or ""),
            ("field.siret", c.siret or ""),
            ("field.vat_number", c.vat_number or ""),
            ("field.email", c.email),
            ("field.phone", format_phone_national(c.phone)),
            ("field.address_line1", c.address_line1),
            ("field.address_line2", c.address_line2 or ""),
            ("field.postal_code", c.postal_code),
            ("field.city", c.city),
            ("field.country", COUNTRIES.get(c.country, c.country)),
        ]
        self.details = [
            {"label": translate(key, lang), "value": value} for key, value in pairs if value
        ]
