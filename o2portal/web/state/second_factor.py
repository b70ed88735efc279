"""The second step of a sign-in when the account has a second factor: the code from the
app, or a recovery code. The cookie holds a session that is good for nothing else."""

from __future__ import annotations

import json

import reflex as rx

from o2portal.accounts import auth, totp
from o2portal.core.i18n import translate
from o2portal.web.state.auth import _text, send_mail_soon
from o2portal.web.state.guards import client_ip, current_user, session_token, user_agent
from o2portal.web.state.session import LEAVE_SCRIPT, language_of


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
        if self.busy:
            return
        self.busy = True
        self.error = ""
        yield
        try:
            result = totp.complete_sign_in(
                session_token(self),
                _text(form, "code", 64),
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
        lang = await language_of(self)
        self.error = translate(result.error, lang, minutes=result.retry_minutes)

    @rx.event
    def give_up(self):
        """Back to the login page; the half-open session ends."""
        auth.log_out(session_token(self), ip=client_ip(self))
        return rx.call_script(LEAVE_SCRIPT % "bye")
