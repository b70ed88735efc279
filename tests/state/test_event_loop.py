"""Nothing a handler does holds up the event loop that serves every tab of a worker: every
handler of every page, called as someone its guard lets in, makes its database queries in
a worker thread (web/doors.py for plain handlers, asyncio.to_thread in async ones)."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from sqlalchemy import event

from o2portal.core.db import get_engine
from tests.security.test_authorization import HANDLERS, LEVELS, _args, _key
from tests.state.conftest import make_state, run

WHO = {"public": "alice", "customer": "alice", "staff": "sam", "admin": "ada"}
# A live ticket page's `watch` checks the caller on the loop, once when the page opens
# (one indexed query), before it becomes the tab's only watcher. With that check in a
# thread, a burst of crafted `watch` events left one watcher running after its tab had
# disconnected (tests/state/test_live_thread.py, 400 watch events): kept as it was.
# A contact's product page watches for its access the same way (watch_access), and so
# does /contacts for the right to pay an order proposed to a client (watch_rights).
ON_THE_LOOP = {
    "TicketState.watch",
    "AdminTicketState.watch",
    "ProductState.watch_access",
    "ClientOrdersState.watch_rights",
}
CALLED = [
    (c, n) for c, n in HANDLERS if LEVELS.get(_key(c, n)) in WHO and _key(c, n) not in ON_THE_LOOP
]


def _on_the_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@pytest.fixture
def queries_on_the_loop():
    seen: list[str] = []

    def catch(conn, cursor, statement, parameters, context, executemany):
        if _on_the_loop():
            seen.append(" ".join(statement.split())[:200])

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", catch)
    yield seen
    event.remove(engine, "before_cursor_execute", catch)


def test_the_listener_sees_a_query_made_on_the_loop(people, queries_on_the_loop):
    """The check itself: a query made on the loop is caught, one made in a thread is not."""
    from o2portal.web.guards import current_user

    state = make_state(HANDLERS[0][0], token=people["token"]["alice"])

    async def on_loop():
        current_user(state)

    asyncio.run(on_loop())
    assert queries_on_the_loop, "a query on the loop went unseen"
    queries_on_the_loop.clear()

    async def in_thread():
        await asyncio.to_thread(current_user, state)

    asyncio.run(in_thread())
    assert queries_on_the_loop == []


@pytest.mark.parametrize(("cls", "name"), CALLED, ids=lambda v: getattr(v, "__name__", v))
def test_no_handler_queries_the_database_on_the_event_loop(people, queries_on_the_loop, cls, name):
    level = LEVELS[_key(cls, name)]
    state = make_state(cls, token=people["token"][WHO[level]], path="/")
    with contextlib.suppress(Exception):  # dummy arguments: refusals are not the point
        run(state, name, *_args(cls, name))
    assert queries_on_the_loop == [], f"{_key(cls, name)} ({level}): {queries_on_the_loop[:2]}"
