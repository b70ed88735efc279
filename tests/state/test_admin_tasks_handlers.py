"""The staff page of the registrar's and the panel's calls: support and admins see the
waiting ones with their last error and send one again; only an admin closes one, with a
reason; a customer is refused everything."""

from __future__ import annotations

import pytest

from o2portal.billing.orders import CartItem, checkout
from o2portal.billing.payments import CardDetails, PaymentChoice
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core.db import transaction
from o2portal.core.i18n import translate
from o2portal.integrations.registrar import registrar
from o2portal.web.guards import Forbidden
from o2portal.web.staff.tasks.state import AdminTasksState
from tests.state.conftest import make_state, run

CARD = PaymentChoice("card", card=CardDetails("4242424242424242", 12, 2031, "123", "Test"))


@pytest.fixture
def waiting(people, monkeypatch):
    """Alice bought a domain while the registrar was down: one registration waits."""
    with transaction() as session:
        ensure_catalogue(session)
    monkeypatch.setattr(registrar(), "register", _down)
    checkout(
        customer_id=people["customer"]["alice"].id,
        items=[CartItem("domain", domain="attend-le-registre.fr", action="register")],
        promo_code="",
        choice=CARD,
        key="k-tasks-page-1",
        terms_accepted=True,
        withdrawal_waived=True,
    )
    return monkeypatch


def _down(*args, **kwargs):
    from o2portal.integrations.providers import ProviderDown

    raise ProviderDown("the registrar did not answer")


def _page(people, who: str) -> AdminTasksState:
    state = make_state(AdminTasksState, token=people["token"][who], path="/admin/tasks")
    run(state, "load")
    return state


def test_support_sees_the_waiting_call_and_sends_it_again(people, waiting):
    state = _page(people, "sam")
    (row,) = state.rows
    assert row["product"] == "attend-le-registre.fr"
    assert row["action"] == "Enregistrement du domaine" and row["attempts"] == "1"
    assert "did not answer" in row["error"] and state.can_close is False
    run(state, "retry", row["id"])
    assert state.message == translate("tasks.retried_retry", "fr")
    assert state.rows[0]["attempts"] == "2"
    waiting.undo()  # the registrar answers again
    run(state, "retry", row["id"])
    assert state.message == translate("tasks.retried_done", "fr")
    assert state.rows == []
    run(state, "set_show", "all")
    assert [r["status"] for r in state.rows] == ["Fait"]
    run(state, "retry", "not-a-number")
    assert state.message == translate("error.form_stale", "fr")
    # Support may not close a call, whatever the page shows.
    with pytest.raises(Forbidden):
        run(state, "select", row["id"])
    with pytest.raises(Forbidden):
        run(state, "close_task", {"task": row["id"], "reason": "Fait à la main"})


def test_an_admin_closes_a_call_with_a_reason(people, waiting):
    state = _page(people, "ada")
    (row,) = state.rows
    assert state.can_close is True
    run(state, "select", row["id"])
    assert state.selected == row["id"]
    run(state, "close_task", {"task": row["id"], "reason": "  "})
    assert state.errors == {"reason": translate("error.required", "fr")}
    run(state, "close_task", {"task": row["id"], "reason": "Enregistré à la main chez l'AFNIC"})
    assert state.message == translate("tasks.closed", "fr") and state.rows == []
    run(state, "set_show", "all")
    assert state.rows[0]["status"] == "Clos à la main"
    assert "AFNIC" in state.rows[0]["error"]
    run(state, "close_task", {"task": row["id"], "reason": "Encore"})
    assert state.errors == {"task": translate("error.task_not_pending", "fr")}


def test_a_customer_is_refused(people, waiting):
    state = make_state(AdminTasksState, token=people["token"]["alice"], path="/admin/tasks")
    for handler, args in (("load", ()), ("retry", ("1",)), ("set_show", ("all",))):
        with pytest.raises(Forbidden):
            run(state, handler, *args)
