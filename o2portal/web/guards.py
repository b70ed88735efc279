"""Who is asking, resolved on the server at every event from the HttpOnly session cookie.

Every handler that touches private data starts with require_customer() or require_staff().
These are plain functions, not state methods, so the browser cannot call them by name.
"""

from __future__ import annotations

from urllib.parse import quote

import reflex as rx
from starlette.requests import cookie_parser

from o2portal.accounts.sessions import CurrentUser, resolve_session
from o2portal.core import audit
from o2portal.core.db import transaction

SESSION_COOKIE = "o2p_session"
STAFF_ROLES = ("admin", "support")


class AuthRequired(Exception):
    """Nobody is signed in: the browser goes to the login page, then comes back."""

    def __init__(self, next_path: str = "/"):
        super().__init__("authentication required")
        self.next_path = next_path


class Forbidden(Exception):
    """Signed in, but not allowed to do this."""


def session_token(state: rx.State) -> str | None:
    raw = state.router.headers.cookie or ""
    # Starlette's lenient parser: one malformed cookie of another site must not hide ours.
    return cookie_parser(raw).get(SESSION_COOKIE) if raw else None


def client_ip(state: rx.State) -> str:
    return state.router.session.client_ip or ""


def user_agent(state: rx.State) -> str:
    return (state.router.headers.user_agent or "")[:300]


def current_user(state: rx.State) -> CurrentUser | None:
    return resolve_session(session_token(state))


def _here(state: rx.State) -> str:
    url = state.router.url
    path = url.path or "/"
    return (path + (f"?{url.query}" if url.query else ""))[:500]


def require_customer(state: rx.State) -> CurrentUser:
    """Anyone signed in (staff too: staff can have their own products)."""
    user = current_user(state)
    if user is None:
        raise AuthRequired(_here(state))
    return user


def require_staff(state: rx.State, roles: tuple[str, ...] = STAFF_ROLES) -> CurrentUser:
    """Staff only; a refusal is written to the audit log."""
    user = current_user(state)
    if user is None:
        with transaction() as session:
            audit.record(session, "admin.refused", ip=client_ip(state), path=_here(state))
        raise AuthRequired(_here(state))
    if user.customer.role not in roles:
        with transaction() as session:
            audit.record(
                session,
                "admin.refused",
                actor=user.customer,
                ip=client_ip(state),
                path=_here(state),
            )
        raise Forbidden(f"role {user.customer.role} may not use a staff handler")
    return user


def login_url(next_path: str) -> str:
    return "/login?next=" + quote(next_path, safe="/")


def require_account_owner(state: rx.State) -> CurrentUser:
    """The customer in person: staff acting as the customer may not change how the
    account is secured, nor delete it."""
    user = require_customer(state)
    if user.impersonator_id is not None:
        raise Forbidden("staff acting as a customer may not change the account's security")
    return user
