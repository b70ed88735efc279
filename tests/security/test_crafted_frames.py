"""Frames no page sends, crafted by hand and run by Reflex's own event processor as the
app runs it: a setvar for a var without a setter, arguments of the wrong type, unknown
or missing arguments. Each is refused at the door with one warning line; none logs a
traceback, none changes what the page shows."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

from reflex_base.event import Event
from reflex_base.event.processor.base_state_processor import BaseStateEventProcessor
from reflex_base.utils.format import format_event_handler

from o2portal.web.app import handle_backend_error
from o2portal.web.customer.invoices.state import InvoicesState
from o2portal.web.customer.services.product_state import ProductState
from o2portal.web.customer.services.state import ServicesState
from o2portal.web.customer.tickets.state import NewTicketState
from o2portal.web.doors import BadEvent
from tests.state.conftest import make_state, run
from tests.state.test_live_thread import _open, _router


def _name(state, handler: str) -> str:
    return format_event_handler(state.event_handlers[handler])


CRAFTED = [
    (_name(ServicesState, "setvar"), {"var_name": "rows", "value": 1}),
    (_name(ServicesState, "setvar"), {"var_name": "no_such_var", "value": "x"}),
    (_name(InvoicesState, "choose"), {"order_id": {"x": 1}}),
    (_name(InvoicesState, "cancel_order"), {"order_id": [1, 2]}),
    (_name(InvoicesState, "pay"), {"form": "not a form"}),
    (_name(ProductState, "set_lock"), {"value": {"locked": True}}),
    (_name(ProductState, "set_years"), {"value": 3, "extra": 1}),
    (_name(NewTicketState, "submit"), {}),
    (_name(NewTicketState, "stage_files"), {"files": "x"}),
]


def test_a_hundred_crafted_frames_log_no_traceback(people, caplog):
    cookie = people["token"]["alice"]
    errors: list[Exception] = []

    def handler(exception: Exception):
        errors.append(exception)
        return handle_backend_error(exception)

    async def scenario():
        processor = BaseStateEventProcessor(backend_exception_handler=handler).configure()
        async with processor:
            tab = str(uuid.uuid4())
            await _open(processor, tab, "/services", cookie)
            futures = []
            for i in range(123):
                name, payload = CRAFTED[i % len(CRAFTED)]
                event = Event(name=name, payload=payload, router_data=_router("/services", cookie))
                futures.append(await processor.enqueue(tab, event))
            for future in futures:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(future, 10)

    with caplog.at_level(logging.WARNING):
        asyncio.run(scenario())
    assert len(errors) == 123, [type(e).__name__ for e in errors]
    tracebacks = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert tracebacks == [], [r.getMessage()[:200] for r in tracebacks]
    assert all(len(r.getMessage().splitlines()) == 1 for r in caplog.records)


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
