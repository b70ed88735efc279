"""Ma fiche (/profile): the customer's details and email address; the page the email-change
link opens (/confirm-email)."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.accounts import auth, profile
from o2portal.accounts.identity import IDENTITY_FIELDS
from o2portal.accounts.models import ACCOUNT_TYPES
from o2portal.accounts.sessions import CurrentUser
from o2portal.core import formatting
from o2portal.core.errors import InvalidInput
from o2portal.core.i18n import LANGUAGES, translate
from o2portal.core.validation import COUNTRIES
from o2portal.web.customer.profile.personal_data_state import PrivacyState
from o2portal.web.customer.profile.security_state import (
    PasswordChangeState,
    SessionsState,
    TwoFactorState,
)
from o2portal.web.guards import client_ip
from o2portal.web.helpers import form_text, said, send_mail_soon, translated
from o2portal.web.session import SessionState, customer_of, email_state, language_of, show_user

TABS = ("details", "security", "data")
# The text fields of the edit form, in the fiche's own words: the identity but for the
# account type and the country (chosen from lists).
DETAIL_FIELDS = tuple(name for name in IDENTITY_FIELDS if name not in ("account_type", "country"))


class ProfileState(rx.State):
    tab: str = "details"
    details: list[dict[str, str]] = []
    editing: bool = False
    # Current values, as the edit form starts with them (nothing secret on a fiche).
    form: dict[str, str] = {}
    account_type: str = "particulier"
    country: str = "FR"
    language: str = "fr"
    errors: dict[str, str] = {}
    message: str = ""
    # The email address and its change.
    email: str = ""
    email_state: str = ""  # verified | unverified | failing
    email_failing_since: str = ""
    pending_email: str = ""
    pending_until: str = ""
    email_errors: dict[str, str] = {}
    email_message: str = ""
    email_busy: bool = False

    async def _fill(self, user: CurrentUser) -> None:
        await show_user(self, user)
        lang = await language_of(self)
        c, pending = await asyncio.to_thread(_customer_and_pending, user.customer.id)
        pairs = [
            ("field.account_type", translate(f"field.account_type.{c.account_type}", lang)),
            ("field.first_name", c.first_name),
            ("field.last_name", c.last_name),
            ("field.company_name", c.company_name or ""),
            ("field.siret", c.siret or ""),
            ("field.vat_number", c.vat_number or ""),
            ("field.phone", profile.phone_for_display(c.phone)),
            ("field.address_line1", c.address_line1),
            ("field.address_line2", c.address_line2 or ""),
            ("field.postal_code", c.postal_code),
            ("field.city", c.city),
            ("field.country", COUNTRIES.get(c.country, c.country)),
            ("field.language", translate(f"profile.language.{c.language}", lang)),
        ]
        self.details = [
            {"label": translate(key, lang), "value": value, "field": key.split(".", 1)[1]}
            for key, value in pairs
            if value
        ]
        values = {name: getattr(c, name) or "" for name in DETAIL_FIELDS}
        values["phone"] = profile.phone_for_edit(c.phone, c.country)
        self.form = values
        self.account_type, self.country = c.account_type, c.country
        self.language = c.language if c.language in LANGUAGES else "fr"
        self.email = c.email
        self.email_state = email_state(c)
        self.email_failing_since = formatting.day(c.email_failing_at, lang)
        self.pending_email = pending.new_email if pending else ""
        self.pending_until = formatting.moment(pending.expires_at, lang) if pending else ""

    @rx.event
    async def load(self):
        user = await customer_of(self)
        tab = self.router.url.query_parameters.get("tab", "")
        self.tab = tab if tab in TABS else "details"
        self.editing, self.email_busy = False, False
        self.errors, self.message, self.email_errors, self.email_message = {}, "", {}, ""
        await self._fill(user)
        # The other sections of the page, for the same customer, resolved once.
        for section in (PasswordChangeState, SessionsState, TwoFactorState, PrivacyState):
            state = await self.get_state(section)
            await state._start(user)

    @rx.event
    def set_tab(self, value: str):
        self.tab = value if value in TABS else "details"

    @rx.event
    async def edit(self):
        user = await customer_of(self)
        await self._fill(user)
        self.errors, self.message, self.editing = {}, "", True

    @rx.event
    async def cancel_edit(self):
        user = await customer_of(self)
        await self._fill(user)
        self.errors, self.editing = {}, False

    @rx.event
    def set_account_type(self, value: str):
        self.account_type = value if value in ACCOUNT_TYPES else "particulier"

    @rx.event
    def set_country(self, value: str):
        self.country = value if value in COUNTRIES else "FR"

    @rx.event
    def set_language(self, value: str):
        self.language = value if value in LANGUAGES else "fr"

    @rx.event
    async def save(self, form: dict):
        """Save the fiche for whoever the cookie says is here, never for an id sent."""
        user = await customer_of(self)
        self.errors, self.message = {}, ""
        data = profile.DetailsForm(
            account_type=self.account_type,
            country=self.country,
            language=self.language,
            **{name: form_text(form, name, 300) for name in DETAIL_FIELDS},
        )
        try:
            changed = await asyncio.to_thread(
                profile.update_details,
                user.customer.id,
                data,
                ip=client_ip(self),
                impersonator_id=user.impersonator_id,
            )
        except InvalidInput as exc:
            self.errors = await translated(self, exc.errors)
            return
        if "language" in changed:
            shell = await self.get_state(SessionState)
            shell.lang = self.language
        lang = await language_of(self)
        self.editing = False
        self.message = translate("profile.saved" if changed else "profile.unchanged", lang)
        await self._fill(await customer_of(self))

    @rx.event
    async def change_email(self, form: dict):
        user = await customer_of(self)
        if self.email_busy:
            return
        self.email_errors, self.email_message = {}, ""
        self.email_busy = True
        yield
        try:
            new = await asyncio.to_thread(
                profile.request_email_change,
                user.customer.id,
                form_text(form, "new_email", 300),
                form_text(form, "email_password", 200),
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            self.email_errors = await translated(self, exc.errors)
            return
        finally:
            self.email_busy = False
        send_mail_soon()
        self.email_message = await said(self, "profile.email_link_sent", email=new)
        await self._fill(user)
        yield rx.call_script("document.getElementById('email-form')?.reset()")

    @rx.event
    async def resend_email_link(self):
        user = await customer_of(self)
        self.email_errors, self.email_message = {}, ""
        try:
            new = await asyncio.to_thread(
                profile.resend_email_change, user.customer.id, ip=client_ip(self)
            )
        except InvalidInput as exc:
            self.email_errors = await translated(self, exc.errors)
            return
        send_mail_soon()
        self.email_message = await said(self, "profile.email_link_sent", email=new)
        await self._fill(user)

    @rx.event
    async def cancel_email_change(self):
        user = await customer_of(self)
        await asyncio.to_thread(profile.cancel_email_change, user.customer.id, ip=client_ip(self))
        self.email_errors = {}
        self.email_message = await said(self, "profile.email_change_cancelled")
        await self._fill(user)

    @rx.event
    async def send_check_link(self):
        """A link to the address on the fiche, to confirm it (or show it works again)."""
        user = await customer_of(self)
        sent = await asyncio.to_thread(auth.resend_verification, user.customer.id)
        if sent:
            send_mail_soon()
        lang = await language_of(self)
        self.email_errors = {}
        self.email_message = translate("verify.resent" if sent else "verify.resend_wait", lang)


def _customer_and_pending(customer_id: int):
    return profile.get_customer(customer_id), profile.pending_email_change(customer_id)


class ConfirmEmailState(rx.State):
    # "", "ok", "taken", "bad"
    outcome: str = ""

    @rx.event
    async def load(self):
        token = self.router.url.query_parameters.get("token", "")[:200]
        self.outcome = await asyncio.to_thread(
            profile.confirm_email_change, token, ip=client_ip(self)
        )
        if self.outcome == "ok":
            send_mail_soon()
