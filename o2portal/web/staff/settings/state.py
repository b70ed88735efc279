"""Staff (admin): the portal's settings — reminder schedule, seller identity on invoices,
offline payment details (bank transfer, cheque), ticket auto-close delay. Every handler
checks the admin role first; the domain checks it again and validates."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.core import stored_settings as domain
from o2portal.core.errors import InvalidInput
from o2portal.core.i18n import translate
from o2portal.web.guards import client_ip
from o2portal.web.helpers import form_text, translated
from o2portal.web.session import language_of, load_staff, staff_of

ADMIN = ("admin",)
# The settings typed as one text: (field, its length limit, the domain's saver, the
# variable that shows it), by the topic of its handler and message.
TEXT_SETTINGS = {
    "schedule": ("reminder_schedule", 500, "save_reminder_schedule", "schedule"),
    "autoclose": ("ticket_autoclose_days", 10, "save_ticket_autoclose_days", "autoclose_days"),
    "mass_mail": ("mass_mail_per_minute", 10, "save_mass_mail_per_minute", "mass_mail_per_minute"),
}


class AdminSettingsState(rx.State):
    loaded: bool = False
    schedule: str = ""
    seller: dict[str, str] = {}
    seller_saved: bool = False
    payment: dict[str, str] = {}
    autoclose_days: str = ""
    errors: dict[str, str] = {}
    schedule_message: str = ""
    seller_message: str = ""
    payment_message: str = ""
    autoclose_message: str = ""
    mass_mail_per_minute: str = ""
    mass_mail_message: str = ""

    async def _fill(self, staff) -> None:
        current = await asyncio.to_thread(domain.settings_for_staff, staff)
        self.schedule = ", ".join(current.reminder_schedule)
        # Page field names: seller_name, seller_siret, … (the domain's keys, prefixed).
        self.seller = {f"seller_{k}": v for k, v in current.seller.items()}
        self.seller_saved = current.seller_saved
        self.payment = {f"payment_{k}": v for k, v in current.payment.items()}
        self.autoclose_days = str(current.ticket_autoclose_days)
        self.mass_mail_per_minute = str(current.mass_mail_per_minute)
        self.loaded = True

    def _clear(self) -> None:
        self.errors = {}
        self.schedule_message = self.seller_message = self.autoclose_message = ""
        self.payment_message = self.mass_mail_message = ""

    @rx.event
    async def load(self):
        user, _ = await load_staff(self, ADMIN)
        self._clear()
        await self._fill(user.actor)

    async def _save_text(self, user, form: dict, topic: str) -> None:
        """Save the text setting of `topic` (TEXT_SETTINGS): on an error, what was typed
        stays with the errors; else the settings as saved, and the topic's message."""
        name, limit, save, shown = TEXT_SETTINGS[topic]
        lang = await language_of(self)
        self._clear()
        value = form_text(form, name, limit)
        try:
            await asyncio.to_thread(getattr(domain, save), user.actor, value, ip=client_ip(self))
        except InvalidInput as exc:
            setattr(self, shown, value)
            self.errors = await translated(self, exc.errors)
            return
        await self._fill(user.actor)
        setattr(self, f"{topic}_message", translate(f"settings.{topic}_saved", lang))

    @rx.event
    async def save_schedule(self, form: dict):
        user = await staff_of(self, ADMIN)
        await self._save_text(user, form, "schedule")

    async def _save_fields(self, user, form: dict, topic: str, fields, save) -> None:
        """Save a form of several fields (the page names them `<topic>_<field>`): on an
        error, what was typed stays with each field's error; else the saved values."""
        lang = await language_of(self)
        self._clear()
        data = {k: form_text(form, f"{topic}_{k}", 1000) for k in fields}
        try:
            await asyncio.to_thread(save, user.actor, data, ip=client_ip(self))
        except InvalidInput as exc:
            # Keep what was typed, so the admin corrects one field and not all of them.
            setattr(self, topic, {f"{topic}_{k}": v for k, v in data.items()})
            self.errors = {f"{topic}_{k}": translate(v, lang) for k, v in exc.errors.items()}
            return
        await self._fill(user.actor)
        setattr(self, f"{topic}_message", translate(f"settings.{topic}_saved", lang))

    @rx.event
    async def save_seller(self, form: dict):
        user = await staff_of(self, ADMIN)
        await self._save_fields(
            user, form, "seller", domain.SELLER_FIELDS, domain.save_seller_identity
        )

    @rx.event
    async def save_payment(self, form: dict):
        user = await staff_of(self, ADMIN)
        await self._save_fields(
            user, form, "payment", domain.PAYMENT_FIELDS, domain.save_payment_details
        )

    @rx.event
    async def save_autoclose(self, form: dict):
        user = await staff_of(self, ADMIN)
        await self._save_text(user, form, "autoclose")

    @rx.event
    async def save_mass_mail(self, form: dict):
        user = await staff_of(self, ADMIN)
        await self._save_text(user, form, "mass_mail")
