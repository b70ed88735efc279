"""The handlers themselves refuse whoever may not call them, whatever page is shown."""

from __future__ import annotations

import reflex as rx
from sqlmodel import select

from o2portal.accounts import sessions
from o2portal.accounts.models import UserSession
from o2portal.core.db import read_session
from o2portal.web.customer.dashboard.state import DashboardState
from o2portal.web.customer.invoices.state import InvoicesState
from o2portal.web.customer.order.state import OrderState
from o2portal.web.customer.profile.state import ProfileState
from o2portal.web.customer.services.state import ServicesState
from o2portal.web.customer.tickets.state import TicketsState
from o2portal.web.session import SessionState
from o2portal.web.staff.dashboard.state import AdminDashboardState
from tests.state.conftest import make_state, run

CUSTOMER_LOADS = [
    DashboardState,
    ServicesState,
    InvoicesState,
    TicketsState,
    ProfileState,
    OrderState,
]


def all_states() -> list[type[rx.State]]:
    found, todo = [], [rx.State]
    while todo:
        cls = todo.pop()
        for sub in cls.get_substates():
            found.append(sub)
            todo.append(sub)
    return [cls for cls in found if cls.__module__.startswith("o2portal.")]


def test_staff_dashboard_loads_for_support_and_admin(people):
    for who in ("sam", "ada"):
        state = make_state(AdminDashboardState, token=people["token"][who])
        run(state, "load")
        assert state.customers == 2


# Public vars whose name looks secret but that are shown on purpose, to their owner only.
SHOWN_ON_PURPOSE = {
    # The domain's transfer code: displayed when its owner asks for it, each time logged.
    ("ProductState", "auth_code"),
    # The same code on the staff product page: shown to an admin on request (audited),
    # emptied at every load of the page.
    ("AdminProductState", "auth_code"),
    # The TOTP secret while the second factor is being set up: its owner must scan or type
    # it; emptied once confirmed or cancelled and at every load of the page.
    ("TwoFactorState", "setup_secret"),
}


def test_no_public_var_can_hold_a_secret():
    suspicious = ("password", "hash", "token", "secret", "totp", "auth_code", "cookie")
    for cls in all_states():
        for name in cls.base_vars:
            if name.startswith("_") or name in ("router", "is_hydrated"):
                continue
            if (cls.__name__, name) in SHOWN_ON_PURPOSE:
                continue
            assert not any(word in name.lower() for word in suspicious), f"{cls.__name__}.{name}"


def test_logout_handler_revokes_the_session(people):
    token = people["token"]["bob"]
    state = make_state(SessionState, token=token)
    run(state, "log_out")
    assert sessions.resolve_session(token) is None
    with read_session() as session:
        row = session.exec(
            select(UserSession).where(UserSession.customer_id == people["customer"]["bob"].id)
        ).one()
    assert row.revoked_at is not None
