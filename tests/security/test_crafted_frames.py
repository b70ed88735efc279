"""Frames no page sends, crafted by hand and run by Reflex's own event processor as the
app runs it: a setvar for a var without a setter, arguments of the wrong type, unknown
or missing arguments. Each is refused at the door with one warning line; none logs a
traceback, none changes what the page shows."""

from __future__ import annotations

import logging

from o2portal.web.customer.invoices.state import InvoicesState
from o2portal.web.customer.services.product_state import ProductState
from o2portal.web.customer.services.state import ServicesState
from o2portal.web.customer.tickets.state import NewTicketState
from o2portal.web.doors import BadEvent
from tests.security.frames import frame_name, one_line_each, send_frames
from tests.state.conftest import make_state, run

CRAFTED = [
    (frame_name(ServicesState, "setvar"), {"var_name": "rows", "value": 1}),
    (frame_name(ServicesState, "setvar"), {"var_name": "no_such_var", "value": "x"}),
    (frame_name(InvoicesState, "choose"), {"order_id": {"x": 1}}),
    (frame_name(InvoicesState, "cancel_order"), {"order_id": [1, 2]}),
    (frame_name(InvoicesState, "pay"), {"form": "not a form"}),
    (frame_name(ProductState, "set_lock"), {"value": {"locked": True}}),
    (frame_name(ProductState, "set_years"), {"value": 3, "extra": 1}),
    (frame_name(NewTicketState, "submit"), {}),
    (frame_name(NewTicketState, "stage_files"), {"files": "x"}),
]


def test_a_hundred_crafted_frames_log_no_traceback(people, caplog):
    cookie = people["token"]["alice"]
    frames = [CRAFTED[i % len(CRAFTED)] for i in range(123)]
    with caplog.at_level(logging.WARNING):
        errors = send_frames("/services", cookie, frames)
    assert len(errors) == 123, [type(e).__name__ for e in errors]
    one_line_each(caplog.records)


def test_a_wrong_type_never_reaches_the_handler(people):
    state = make_state(InvoicesState, token=people["token"]["alice"], path="/invoices")
    for args in ([{"x": 1}], [None], [1], [True], []):
        try:
            run(state, "choose", *args)
        except BadEvent:
            continue
        raise AssertionError(f"{args} reached the handler")
    run(state, "choose", "12")  # a string id: the handler runs (no such order form)
    assert state.selected == ""


def test_a_handler_that_takes_nothing_refuses_what_is_sent_to_it(people):
    """The door lets an empty call through without binding it; anything sent along with
    it is still bound, and refused."""
    state = make_state(ServicesState, token=people["token"]["alice"], path="/services")
    run(state, "load")
    for args in ([1], ["x"], [{"page": 9}]):
        try:
            run(state, "next_page", *args)
        except BadEvent:
            continue
        raise AssertionError(f"{args} reached next_page")
    run(state, "next_page")  # nothing sent: it runs
    assert state.page == 1  # alice's one page: kept within the list
