"""Who is asking, resolved on the server at every event from the HttpOnly session cookie.

Every handler that touches private data starts with require_customer() or require_staff().
These are plain functions, not state methods, so the browser cannot call them by name.
"""

from __future__ import annotations

import threading
from urllib.parse import quote

import reflex as rx
from starlette.requests import cookie_parser

from o2portal.accounts.sessions import CurrentUser, resolve_session
from o2portal.core import audit, clock
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


class SecondFactorRequired(Forbidden):
    """A staff account whose second factor is off: the staff area stays closed until it is
    on, and the browser goes to where it is turned on."""


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


# Refusals written per (address, person) and minute: that many rows, then one saying that
# more came, then none until the next minute. A socket sending refused staff events by
# the hundred must not fill the audit log. Counted in each worker's memory: with N
# workers, at most N times as many rows.
REFUSALS_PER_MINUTE = 5
_REFUSALS_KEPT = 10_000
_refusals: dict[tuple[str, int | None], tuple[int, int]] = {}
_refusals_lock = threading.Lock()


def _refusal_number(ip: str, person_id: int | None) -> int:
    """How many refusals this address and person have had this minute, this one included."""
    minute = int(clock.now().timestamp() // 60)
    with _refusals_lock:
        if len(_refusals) >= _REFUSALS_KEPT:
            for key in [k for k, (m, _) in _refusals.items() if m != minute]:
                del _refusals[key]
        seen, count = _refusals.get((ip, person_id), (minute, 0))
        number = count + 1 if seen == minute else 1
        # Past the last row written, the count stops: nothing more to decide.
        _refusals[(ip, person_id)] = (minute, min(number, REFUSALS_PER_MINUTE + 2))
    return number


def forget_refusals() -> None:
    """Start counting afresh (tests)."""
    with _refusals_lock:
        _refusals.clear()


def _audit_refusal(state: rx.State, user: CurrentUser | None) -> None:
    """Write a refused staff call to the audit log, within the limits above. The row
    names the state the event was for, as the server knows it; the path in the event's
    router data is the client's to write, and is left out."""
    ip = client_ip(state)
    number = _refusal_number(ip, user.customer.id if user else None)
    if number > REFUSALS_PER_MINUTE + 1:
        return
    details: dict[str, object] = {"state": type(state).__name__}
    if number == REFUSALS_PER_MINUTE + 1:
        details["more_this_minute"] = True
    with transaction() as session:
        audit.record(
            session, "admin.refused", actor=user.customer if user else None, ip=ip, **details
        )


def require_staff(state: rx.State, roles: tuple[str, ...] = STAFF_ROLES) -> CurrentUser:
    """Staff only; a refusal is written to the audit log (a few a minute per address)."""
    user = current_user(state)
    if user is None:
        _audit_refusal(state, None)
        raise AuthRequired(_here(state))
    if user.customer.role not in roles:
        _audit_refusal(state, user)
        raise Forbidden(f"role {user.customer.role} may not use a staff handler")
    if not user.customer.acts_as_staff:
        raise SecondFactorRequired("staff account without its second factor")
    return user


# Where a staff member without a second factor is sent: Ma fiche, its security tab.
SECOND_FACTOR_SETUP = "/profile?tab=security"


def login_url(next_path: str) -> str:
    return "/login?next=" + quote(next_path, safe="/")


def require_account_owner(state: rx.State) -> CurrentUser:
    """The customer in person: staff acting as the customer may not change how the
    account is secured, nor delete it."""
    user = require_customer(state)
    if user.impersonator_id is not None:
        raise Forbidden("staff acting as a customer may not change the account's security")
    return user
