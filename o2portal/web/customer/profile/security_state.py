"""Ma fiche, security: password change, signed-in browsers and recent sign-ins, and the
second factor (TOTP) set-up. Every handler resolves the customer from the cookie."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.accounts import profile, totp
from o2portal.accounts.sessions import CurrentUser
from o2portal.core import formatting
from o2portal.core.errors import InvalidInput
from o2portal.core.i18n import translate
from o2portal.web.guards import client_ip, require_customer
from o2portal.web.helpers import (
    form_text,
    said,
    send_mail_soon,
    start_busy,
    translated,
    with_password,
)
from o2portal.web.session import language_of, owner_of, show_user


class PasswordChangeState(rx.State):
    errors: dict[str, str] = {}
    message: str = ""
    busy: bool = False

    async def _start(self, user: CurrentUser) -> None:
        self.errors, self.message, self.busy = {}, "", False

    @rx.event
    async def submit(self, form: dict):
        user = await owner_of(self)
        if not start_busy(self, errors={}, message=""):
            return
        yield
        try:
            await with_password(
                profile.change_password,
                user.customer.id,
                user.session_id,
                form_text(form, "current_password", 200),
                form_text(form, "password", 200),
                form_text(form, "password_confirm", 200),
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            self.errors = await translated(self, exc.errors)
            return
        finally:
            self.busy = False
        send_mail_soon()
        self.message = await said(self, "profile.password_changed")
        sessions = await self.get_state(SessionsState)
        await sessions._fill(user)
        # Empty the three fields: the form is remounted.
        yield rx.call_script("document.getElementById('password-form')?.reset()")


class SessionsState(rx.State):
    sessions: list[dict[str, str]] = []
    sign_ins: list[dict[str, str]] = []
    message: str = ""

    async def _fill(self, user: CurrentUser) -> None:
        lang = await language_of(self)
        sessions, sign_ins = await asyncio.to_thread(
            lambda: (
                profile.active_sessions(user.customer.id, user.session_id),
                profile.recent_sign_ins(user.customer.id),
            )
        )
        self.sessions = [
            {
                "id": str(s.id),
                "device": s.device,
                "ip": s.ip,
                "last_seen": formatting.moment(s.last_seen_at or s.created_at, lang),
                "started": formatting.moment(s.created_at, lang),
                "current": "1" if s.current else "",
                "staff": "1" if s.staff else "",
            }
            for s in sessions
        ]
        self.sign_ins = [
            {
                "at": formatting.moment(a.at, lang),
                "ip": a.ip,
                "device": a.device,
                "step": translate(f"profile.sign_in_step.{a.step}", lang),
                "result": translate(
                    "profile.sign_in_ok" if a.success else "profile.sign_in_refused", lang
                ),
                "ok": "1" if a.success else "",
            }
            for a in sign_ins
        ]

    async def _start(self, user: CurrentUser) -> None:
        self.message = ""
        await self._fill(user)

    @rx.event
    async def end_session(self, session_id: str):
        """End one other session: only one of the caller's own, whatever id is sent."""
        user = await owner_of(self)
        try:
            wanted = int(str(session_id)[:12])
        except ValueError:
            return
        ended = await asyncio.to_thread(
            profile.revoke_session, user.customer.id, wanted, user.session_id, ip=client_ip(self)
        )
        self.message = await said(
            self, "profile.session_ended" if ended else "profile.nothing_ended"
        )
        await self._fill(user)

    @rx.event
    async def end_other_sessions(self):
        user = await owner_of(self)
        count = await asyncio.to_thread(
            profile.revoke_other_sessions, user.customer.id, user.session_id, ip=client_ip(self)
        )
        self.message = await said(self, "profile.other_sessions_ended", count=count)
        await self._fill(user)


def _second_factor_of(customer_id: int):
    """The customer, and their recovery codes left when the second factor is on."""
    customer = profile.get_customer(customer_id)
    on = customer.totp_enabled_at is not None
    return customer, totp.recovery_codes_left(customer_id) if on else 0


class TwoFactorState(rx.State):
    enabled: bool = False
    # A staff account: its second factor opens the staff area and is not turned off here.
    staff: bool = False
    since: str = ""
    codes_left: int = 0
    # During set-up only, to their owner: the secret to scan or type into the app. Emptied
    # once the set-up is confirmed or cancelled, and at every page load.
    setup_qr: str = ""
    setup_secret: str = ""
    # Right after they are made, once: the recovery codes in clear (the database keeps
    # only their hashes). Emptied when the customer says they are saved, and at load.
    new_recovery_codes: list[str] = []
    errors: dict[str, str] = {}
    message: str = ""
    busy: bool = False

    async def _fill(self, user: CurrentUser) -> None:
        lang = await language_of(self)
        customer, codes_left = await asyncio.to_thread(_second_factor_of, user.customer.id)
        self.enabled = customer.totp_enabled_at is not None
        self.staff = customer.is_staff
        self.since = formatting.day(customer.totp_enabled_at, lang)
        self.codes_left = codes_left

    def _forget_secrets(self) -> None:
        self.setup_qr, self.setup_secret, self.new_recovery_codes = "", "", []

    async def _start(self, user: CurrentUser) -> None:
        self._forget_secrets()
        self.errors, self.message, self.busy = {}, "", False
        await self._fill(user)

    @rx.event
    async def start_setup(self):
        user = await owner_of(self)
        self.errors, self.message = {}, ""
        try:
            setup = await asyncio.to_thread(totp.begin_setup, user.customer.id)
        except InvalidInput as exc:
            self.errors = await translated(self, exc.errors)
            await self._fill(user)
            return
        self.setup_qr = totp.qr_data_uri(setup.uri)
        self.setup_secret = totp.grouped(setup.secret)

    @rx.event
    async def cancel_setup(self):
        user = await owner_of(self)
        await asyncio.to_thread(totp.cancel_setup, user.customer.id)
        self._forget_secrets()
        self.errors = {}
        await self._fill(user)

    @rx.event
    async def confirm_setup(self, form: dict):
        """Turn the second factor on with a code of the new authenticator, once the
        current password is checked: a session left open, or a stolen cookie, must not
        be enough to bind someone else's authenticator and lock the owner out."""
        user = await owner_of(self)
        if not start_busy(self, errors={}, message=""):
            return
        yield
        code = form_text(form, "totp_code", 20)
        done, codes = await self._after_password(
            user,
            form,
            "setup_password",
            lambda customer_id, ip: totp.enable(customer_id, code, ip=ip),
        )
        if not done:
            return
        send_mail_soon()
        self._forget_secrets()
        self.new_recovery_codes = codes
        self.message = await said(self, "profile.totp_on")
        await self._fill(user)
        # A staff member's shell gains the staff area now (its banner goes).
        await show_user(self, await owner_of(self))

    @rx.event
    def codes_saved(self):
        require_customer(self)
        self.new_recovery_codes = []

    async def _after_password(self, user: CurrentUser, form: dict, field: str, action):
        """Run action(customer_id, ip=…) once the current password typed in `field` is
        checked: (True, its result), or (False, None) with the errors shown."""
        try:
            await with_password(
                profile.check_current_password,
                user.customer.id,
                form_text(form, field, 200),
                ip=client_ip(self),
                field=field,
            )
            return True, await asyncio.to_thread(action, user.customer.id, ip=client_ip(self))
        except InvalidInput as exc:
            self.errors = await translated(self, exc.errors)
            return False, None
        finally:
            self.busy = False

    @rx.event
    async def new_codes(self, form: dict):
        """New recovery codes (the old ones stop working); needs the current password."""
        user = await owner_of(self)
        if not start_busy(self, errors={}, message=""):
            return
        yield
        done, codes = await self._after_password(
            user, form, "codes_password", totp.regenerate_recovery_codes
        )
        if not done:
            return
        self.new_recovery_codes = codes
        await self._fill(user)

    @rx.event
    async def disable(self, form: dict):
        user = await owner_of(self)
        if not start_busy(self, errors={}, message=""):
            return
        yield
        done, _ = await self._after_password(user, form, "disable_password", totp.disable)
        if not done:
            return
        send_mail_soon()
        self._forget_secrets()
        self.message = await said(self, "profile.totp_off")
        await self._fill(user)
