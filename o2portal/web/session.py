"""The shell's state: who is signed in (names only, never a secret) and the language."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import TypeVar

import reflex as rx
from reflex_base.event import EventSpec

from o2portal.accounts import auth
from o2portal.accounts.models import Customer
from o2portal.accounts.sessions import CurrentUser
from o2portal.accounts.staff import stop_acting_as
from o2portal.core.db import one_read
from o2portal.core.i18n import LANGUAGES
from o2portal.web.guards import (
    STAFF_ROLES,
    client_ip,
    current_user,
    require_account_owner,
    require_customer,
    require_staff,
    session_token,
)

# Revoke the cookie's own session and drop it (POST, from this page), forget the tab's
# Reflex state (a new client token), then reload on the login page.
LEAVE_SCRIPT = (
    "window.sessionStorage.clear();"
    "fetch('/auth/logout', {method: 'POST', credentials: 'same-origin'})"
    ".finally(() => window.location.replace('/login?msg=%s'));"
)


def go_with_ticket(ticket: str) -> EventSpec:
    """A full page load through the HTTP route that trades a one-time ticket for the
    HttpOnly cookie, in a fresh tab state (sessionStorage cleared) so that nothing of the
    previous person lingers."""
    url = json.dumps("/auth/session?ticket=" + ticket)
    return rx.call_script(f"window.sessionStorage.clear(); window.location.replace({url});")


def email_state(customer: Customer) -> str:
    """How the address on the customer's fiche stands: failing (mail to it bounced),
    unverified (its link not clicked yet) or verified."""
    if customer.email_failing_at is not None:
        return "failing"
    if customer.email_verified_at is None:
        return "unverified"
    return "verified"


class SessionState(rx.State):
    lang: str = rx.LocalStorage("fr", name="o2p_lang", sync=True)
    signed_in: bool = False
    display_name: str = ""
    is_staff: bool = False
    # Shows admin-only controls and links; every handler checks the role on the server.
    is_admin: bool = False
    # "", "unverified" or "failing": drives the email banner.
    email_status: str = ""
    impersonating: bool = False
    # Staff whose second factor is off: the banner says to turn it on; no staff link.
    staff_needs_second_factor: bool = False

    def _show(self, user: CurrentUser | None) -> None:
        """The shell for this person. Only what changed is set: every event of a page
        shows its person again, and an unchanged shell is then not sent again."""
        if user is None:
            shown = {
                "signed_in": False,
                "display_name": "",
                "is_staff": False,
                "is_admin": False,
                "staff_needs_second_factor": False,
                "impersonating": False,
                "email_status": "",
            }
        else:
            customer = user.customer
            state = email_state(customer)
            shown = {
                "signed_in": True,
                "display_name": customer.display_name,
                "is_staff": customer.acts_as_staff,
                "is_admin": customer.acts_as_staff and customer.role == "admin",
                "staff_needs_second_factor": customer.is_staff and not customer.acts_as_staff,
                "impersonating": user.impersonator_id is not None,
                "email_status": "" if state == "verified" else state,
            }
        for name, value in shown.items():
            if getattr(self, name) != value:
                setattr(self, name, value)

    @rx.event
    def refresh(self):
        """Update the shell for whoever the cookie says is here (public pages use it)."""
        self._show(current_user(self))

    @rx.event
    def toggle_language(self):
        self.lang = "en" if self.lang == "fr" else "fr"

    @rx.event
    def set_language(self, lang: str):
        if lang in LANGUAGES:
            self.lang = lang

    @rx.event
    def stop_acting(self):
        """Staff acting as a customer goes back to their own account (audited)."""
        ticket = stop_acting_as(session_token(self), ip=client_ip(self))
        if ticket is None:
            return
        return go_with_ticket(ticket)

    @rx.event
    def log_out(self):
        auth.log_out(session_token(self), ip=client_ip(self))
        self._show(None)
        return rx.call_script(LEAVE_SCRIPT % "bye")


async def show_user(state: rx.State, user: CurrentUser) -> None:
    """Fill the shell from a page handler that has already resolved the user."""
    shell = await state.get_state(SessionState)
    shell._show(user)


async def load_customer(state: rx.State) -> tuple[CurrentUser, str]:
    """The start of a customer page's load: the signed-in customer (anyone else is
    refused), shown in the shell, and the language to write the page in."""
    # The session's query runs off the event loop, as every door's database work should.
    user, lang, _ = await read_as_customer(state, lambda _user: None)
    return user, lang


T = TypeVar("T")


async def read_as_customer(
    state: rx.State, read: Callable[[CurrentUser], T]
) -> tuple[CurrentUser, str, T]:
    """load_customer and the page's reads in one worker thread: the signed-in customer
    (anyone else is refused before read runs), read(user), the shell shown and the
    page's language. One hop off the event loop for a whole page, not one per query, and
    one connection for its reads (core/db.one_read)."""
    lang = await language_of(state)

    def resolve_then_read() -> tuple[CurrentUser, T]:
        with one_read():  # the session's query and the page's reads: one connection
            user = require_customer(state)
            return user, read(user)

    user, found = await asyncio.to_thread(resolve_then_read)
    await show_user(state, user)
    return user, lang, found


async def load_staff(
    state: rx.State, roles: tuple[str, ...] = STAFF_ROLES
) -> tuple[CurrentUser, str]:
    """The start of a staff page's load: the staff member (anyone else is refused and the
    refusal audited, off the loop too), shown in the shell, and the page's language."""
    user = await staff_of(state, roles)
    await show_user(state, user)
    return user, await language_of(state)


async def customer_of(state: rx.State) -> CurrentUser:
    """require_customer, with its session query in a worker thread."""
    return await asyncio.to_thread(require_customer, state)


async def owner_of(state: rx.State) -> CurrentUser:
    """require_account_owner, with its session query in a worker thread."""
    return await asyncio.to_thread(require_account_owner, state)


async def staff_of(state: rx.State, roles: tuple[str, ...] = STAFF_ROLES) -> CurrentUser:
    """require_staff, with its session query (and a refusal's audit row) in a thread."""
    return await asyncio.to_thread(require_staff, state, roles)


async def language_of(state: rx.State) -> str:
    shell = await state.get_state(SessionState)
    return shell.lang if shell.lang in LANGUAGES else "fr"
