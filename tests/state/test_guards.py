"""The handlers themselves refuse whoever may not call them, whatever page is shown."""

from __future__ import annotations

import inspect

import pytest
import reflex as rx
from sqlmodel import func, select

from o2portal.db import read_session, transaction
from o2portal.domain import auth, clock
from o2portal.models import AuditEvent, Product, UserSession
from o2portal.state.admin.dashboard import AdminDashboardState
from o2portal.state.dashboard import DashboardState
from o2portal.state.guards import AuthRequired, Forbidden
from o2portal.state.invoices import InvoicesState
from o2portal.state.order import OrderState
from o2portal.state.profile import ProfileState
from o2portal.state.services import ServicesState
from o2portal.state.session import SessionState
from o2portal.state.tickets import TicketsState
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


def staff_handlers() -> list[tuple[type[rx.State], str]]:
    # Reflex's own `setvar` only dispatches to the state's `set_*` handlers, which are
    # enumerated (and so checked) themselves.
    return [
        (cls, name)
        for cls in all_states()
        if cls.__module__.startswith("o2portal.state.admin.")
        for name in cls.event_handlers
        if name != "setvar"
    ]


@pytest.mark.parametrize("state_cls", CUSTOMER_LOADS, ids=lambda c: c.__name__)
def test_customer_pages_refuse_anonymous_and_dead_sessions(people, state_cls):
    with pytest.raises(AuthRequired):
        run(make_state(state_cls), "load")
    with pytest.raises(AuthRequired):
        run(make_state(state_cls, token="forged-token-value"), "load")
    token = people["token"]["alice"]
    auth.log_out(token)
    with pytest.raises(AuthRequired):
        run(make_state(state_cls, token=token), "load")


def test_services_show_only_the_callers_products(people):
    alice, bob = people["customer"]["alice"], people["customer"]["bob"]
    with transaction() as session:
        for owner, name in ((alice, "alice-site.fr"), (bob, "bob-secret.fr")):
            session.add(
                Product(
                    customer_id=owner.id,
                    kind="domain",
                    name=name,
                    offer_code="fr",
                    start_date=clock.today(),
                    expiry_date=clock.today().replace(year=clock.today().year + 1),
                )
            )
    state = make_state(ServicesState, token=people["token"]["alice"])
    run(state, "load")
    assert [row["name"] for row in state.rows] == ["alice-site.fr"]


def test_there_are_staff_handlers_to_check():
    names = {(cls.__name__, name) for cls, name in staff_handlers()}
    assert ("AdminDashboardState", "load") in names


@pytest.mark.parametrize(
    ("cls", "handler"), staff_handlers(), ids=lambda v: getattr(v, "__name__", v)
)
def test_every_staff_handler_refuses_customers_and_anonymous(people, cls, handler):
    def refusals() -> int:
        with read_session() as session:
            return session.exec(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "admin.refused")
            ).one()

    params = list(inspect.signature(cls.event_handlers[handler].fn).parameters)[1:]
    args = ["1"] * len(params)
    before = refusals()
    with pytest.raises(AuthRequired):
        run(make_state(cls), handler, *args)
    with pytest.raises(Forbidden):
        run(make_state(cls, token=people["token"]["alice"]), handler, *args)
    assert refusals() == before + 2


def test_staff_dashboard_loads_for_support_and_admin(people):
    for who in ("sam", "ada"):
        state = make_state(AdminDashboardState, token=people["token"][who])
        run(state, "load")
        assert state.customers == 2


# Public vars whose name looks secret but that are shown on purpose, to their owner only.
SHOWN_ON_PURPOSE = {
    # The domain's transfer code: displayed when its owner asks for it, each time logged.
    ("ProductState", "auth_code"),
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
    assert auth.resolve_session(token) is None
    with read_session() as session:
        row = session.exec(
            select(UserSession).where(UserSession.customer_id == people["customer"]["bob"].id)
        ).one()
    assert row.revoked_at is not None
