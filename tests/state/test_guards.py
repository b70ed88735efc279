"""The handlers themselves refuse whoever may not call them, whatever page is shown."""

from __future__ import annotations

import reflex as rx
from sqlmodel import select, update

from o2portal.accounts import sessions
from o2portal.accounts.models import Customer, UserSession
from o2portal.core.db import read_session, transaction
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


def test_the_shell_is_sent_again_only_when_it_changed(people):
    """Every event of a customer page shows its person in the shell again. When nothing of
    it changed, nothing of the shell is marked to be sent; a change sends just that."""
    state = make_state(ServicesState, token=people["token"]["bob"])
    run(state, "load")
    shell = state.parent_state.get_substate(SessionState.get_full_name().split(".")[1:])
    assert shell.signed_in is True
    assert shell.display_name == "Bob Test"
    shell.dirty_vars.clear()
    run(state, "next_page")
    assert shell.dirty_vars == set()
    with transaction() as session:
        session.exec(
            update(Customer)
            .where(Customer.id == people["customer"]["bob"].id)
            .values(first_name="Robert")
        )
    run(state, "next_page")
    assert shell.dirty_vars == {"display_name"}
    assert shell.display_name == "Robert Test"
