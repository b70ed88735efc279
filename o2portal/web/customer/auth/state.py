"""Sign-up, sign-in and its second step, lost password, email verification: the public
forms."""

from __future__ import annotations

import asyncio
import json

import reflex as rx

from o2portal.accounts import auth, totp
from o2portal.accounts.models import ACCOUNT_TYPES
from o2portal.core.errors import InvalidInput
from o2portal.core.i18n import translate
from o2portal.web.guards import (
    client_ip,
    current_user,
    session_token,
    user_agent,
)
from o2portal.web.helpers import (
    form_checked,
    form_text,
    said,
    send_mail_soon,
    start_busy,
    translated,
    with_password,
)
from o2portal.web.session import LEAVE_SCRIPT, customer_of, go_with_ticket, language_of


class LoginState(rx.State):
    error: str = ""
    notice: str = ""
    next_path: str = "/"
    busy: bool = False

    @rx.event
    async def load(self):
        params = self.router.url.query_parameters
        self.next_path = auth.safe_next_path(params.get("next", "/"))
        self.error = ""
        lang = await language_of(self)
        notice = {
            "bye": "login.bye",
            "expired": "login.expired",
            "reset": "login.reset_done",
            "deleted": "login.account_deleted",
        }
        key = notice.get(params.get("msg", ""))
        self.notice = translate(key, lang) if key else ""
        if await asyncio.to_thread(current_user, self) is not None:
            return rx.redirect(self.next_path)

    @rx.event
    async def submit(self, form: dict):
        if not start_busy(self, error=""):
            return
        yield
        try:
            result = await with_password(
                auth.log_in,
                form_text(form, "email", 300),
                form_text(form, "password", 200),
                ip=client_ip(self),
                user_agent=user_agent(self),
                next_path=self.next_path,
            )
        finally:
            self.busy = False
        if result.ok:
            yield go_with_ticket(result.ticket)
            return
        self.error = await said(self, result.error, minutes=result.retry_minutes)


class SignupState(rx.State):
    errors: dict[str, str] = {}
    account_type: str = "particulier"
    country: str = "FR"
    done: bool = False
    busy: bool = False

    @rx.event
    def load(self):
        self.errors = {}
        self.done = False
        self.busy = False
        if current_user(self) is not None:
            return rx.redirect("/")

    @rx.event
    def set_account_type(self, value: str):
        self.account_type = value if value in ACCOUNT_TYPES else "particulier"

    @rx.event
    def set_country(self, value: str):
        self.country = value[:2]

    @rx.event
    async def submit(self, form: dict):
        if self.busy or self.done:
            return
        self.busy = True
        self.errors = {}
        yield
        data = auth.SignupForm(
            account_type=self.account_type,
            first_name=form_text(form, "first_name"),
            last_name=form_text(form, "last_name"),
            company_name=form_text(form, "company_name"),
            siret=form_text(form, "siret"),
            vat_number=form_text(form, "vat_number"),
            email=form_text(form, "email"),
            phone=form_text(form, "phone"),
            address_line1=form_text(form, "address_line1"),
            address_line2=form_text(form, "address_line2"),
            postal_code=form_text(form, "postal_code"),
            city=form_text(form, "city"),
            country=self.country,
            password=form_text(form, "password", 200),
            password_confirm=form_text(form, "password_confirm", 200),
            accept_terms=form_checked(form, "accept_terms"),
        )
        lang = await language_of(self)
        try:
            await with_password(auth.sign_up, data, ip=client_ip(self), language=lang)
        except InvalidInput as exc:
            self.errors = await translated(self, exc.errors)
            return
        finally:
            self.busy = False
        self.done = True
        send_mail_soon()


class ForgotPasswordState(rx.State):
    errors: dict[str, str] = {}
    sent: bool = False

    @rx.event
    def load(self):
        self.errors = {}
        self.sent = False

    @rx.event
    async def submit(self, form: dict):
        self.errors = {}
        try:
            result = await asyncio.to_thread(
                auth.request_password_reset, form_text(form, "email", 300), ip=client_ip(self)
            )
        except InvalidInput as exc:
            self.errors = await translated(self, exc.errors)
            return
        if result.throttled:
            lang = await language_of(self)
            self.errors = {
                "email": translate("error.reset_throttled", lang, minutes=result.retry_minutes)
            }
            return
        self.sent = True
        send_mail_soon()


class ResetPasswordState(rx.State):
    errors: dict[str, str] = {}
    link_ok: bool = True
    # The link's secret stays on the server.
    _token: str = ""

    @rx.event
    def load(self):
        self._token = self.router.url.query_parameters.get("token", "")[:200]
        self.errors = {}
        self.link_ok = auth.reset_link_is_valid(self._token)

    @rx.event
    async def submit(self, form: dict):
        self.errors = {}
        try:
            await with_password(
                auth.reset_password,
                self._token,
                form_text(form, "password", 200),
                form_text(form, "password_confirm", 200),
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            if "token" in exc.errors:
                self.link_ok = False
                return
            self.errors = await translated(self, exc.errors)
            return
        self._token = ""
        send_mail_soon()
        return rx.call_script(LEAVE_SCRIPT % "reset")


class VerifyEmailState(rx.State):
    # "", "ok", "bad"
    outcome: str = ""
    resend_message: str = ""

    @rx.event
    def load(self):
        """Verify the address; a visitor who is not signed in is signed in by the link
        (accounts/auth.verify_and_sign_in) and lands on the dashboard."""
        token = self.router.url.query_parameters.get("token", "")[:200]
        self.resend_message = ""
        verified, ticket = auth.verify_and_sign_in(
            token,
            signed_in=current_user(self) is not None,
            ip=client_ip(self),
            user_agent=user_agent(self),
        )
        self.outcome = "ok" if verified else "bad"
        if ticket is not None:
            return go_with_ticket(ticket)

    @rx.event
    async def resend(self):
        user = await customer_of(self)
        sent = await asyncio.to_thread(auth.resend_verification, user.customer.id)
        self.resend_message = await said(self, "verify.resent" if sent else "verify.resend_wait")
        if sent:
            send_mail_soon()


class SecondFactorState(rx.State):
    error: str = ""
    next_path: str = "/"
    busy: bool = False

    @rx.event
    def load(self):
        self.error, self.busy = "", False
        self.next_path = auth.safe_next_path(self.router.url.query_parameters.get("next", "/"))
        if current_user(self) is not None:
            return rx.redirect(self.next_path)
        if totp.pending_sign_in(session_token(self)) is None:
            return rx.redirect("/login?msg=expired")

    @rx.event
    async def submit(self, form: dict):
        if not start_busy(self, error=""):
            return
        yield
        try:
            result = await asyncio.to_thread(
                totp.complete_sign_in,
                session_token(self),
                form_text(form, "code", 64),
                ip=client_ip(self),
                user_agent=user_agent(self),
            )
        finally:
            self.busy = False
        if result.ok:
            if result.used_recovery_code:
                send_mail_soon()
            # A full page load: the shell reads the now complete session from scratch.
            yield rx.call_script(f"window.location.replace({json.dumps(self.next_path)})")
            return
        if result.expired:
            yield rx.redirect("/login?msg=expired")
            return
        self.error = await said(self, result.error, minutes=result.retry_minutes)

    @rx.event
    def give_up(self):
        """Back to the login page; the half-open session ends."""
        auth.log_out(session_token(self), ip=client_ip(self))
        return rx.call_script(LEAVE_SCRIPT % "bye")
