"""An id or a number sent over the websocket that no row can have (twenty digits, a
superscript digit that str.isdigit() accepts) is treated as a missing one: the handler
answers as for an unknown id, and never reaches the database driver's OverflowError or
int()'s ValueError (a traceback in the log for each crafted frame)."""

from __future__ import annotations

import pytest

from o2portal.web.customer.invoices.state import InvoicesState
from o2portal.web.customer.order.state import OrderState
from o2portal.web.helpers import given_id
from o2portal.web.staff.emails.state import AdminEmailsState
from o2portal.web.staff.invoices.state import AdminInvoicesState
from o2portal.web.staff.tickets.state import AdminTicketState
from tests.state.conftest import make_state, run

BAD = ["99999999999999999999", "²", "١٢", "-1", "", "1e3", " 7"]

CALLS = [
    (InvoicesState, "choose", "alice", lambda bad: [bad]),
    (InvoicesState, "cancel_order", "alice", lambda bad: [bad]),
    (OrderState, "set_domain_years", "alice", lambda bad: [bad]),
    (OrderState, "remove_item", "alice", lambda bad: [bad]),
    (AdminInvoicesState, "cancel_order", "ada", lambda bad: [bad]),
    (
        AdminInvoicesState,
        "mark_paid",
        "ada",
        lambda bad: [{"order": bad, "method": "transfer", "reference": "VIR-1"}],
    ),
    (AdminInvoicesState, "open_payment", "ada", lambda bad: [bad, "transfer"]),
    (AdminEmailsState, "open_mail", "ada", lambda bad: [bad]),
    (AdminTicketState, "assign", "sam", lambda bad: [bad]),
]


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize(
    ("cls", "name", "who", "args"), CALLS, ids=lambda v: getattr(v, "__name__", v)
)
def test_a_crafted_id_is_an_unknown_one(people, cls, name, who, args, bad):
    state = make_state(cls, token=people["token"][who], path="/")
    run(state, name, *args(bad))  # no OverflowError, no ValueError


def test_given_id():
    assert given_id("42") == 42
    assert given_id(42) == 42
    assert given_id("999999999999") == 999_999_999_999
    for bad in [*BAD, None, "4.2", True, [1]]:
        assert given_id(bad) == 0, bad
