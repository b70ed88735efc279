"""A long thread comes by pages: the page opens on the latest messages, older ones come
a page at a time on request, and a reply adds to the latest part only, so that what goes
to the browser does not grow with the thread."""

from __future__ import annotations

import functools
import json
import re
from datetime import timedelta

from sqlalchemy import insert

from o2portal.core import clock
from o2portal.core.db import transaction
from o2portal.support import tickets
from o2portal.support.models import TicketMessage
from o2portal.support.thread import THREAD_PAGE
from o2portal.web.customer.tickets.state import TicketState
from o2portal.web.staff.tickets.state import AdminTicketState
from tests.state.conftest import make_state, run
from tests.unit.helpers import actor

LENGTH = 240


def _long_ticket(people) -> int:
    alice, sam = people["customer"]["alice"], people["customer"]["sam"]
    ticket_id = tickets.open_ticket(
        alice.id,
        subject="Un long échange",
        department="technique",
        priority="normale",
        product_id=None,
        body="message 0",
    )
    start = clock.now() - timedelta(days=30)
    rows = [
        {
            "ticket_id": ticket_id,
            "author_id": sam.id if n % 2 else alice.id,
            "is_staff": bool(n % 2),
            "is_internal": n % 10 == 5,  # a few staff notes the customer never sees
            "body": f"message {n}",
            "created_at": start + timedelta(minutes=n),
        }
        for n in range(1, LENGTH)
    ]
    with transaction() as session:
        session.execute(insert(TicketMessage), rows)
    return ticket_id


def _bodies(rows) -> list[str]:
    return [m.body for m in rows]


def test_the_customer_pages_back_through_a_long_thread_and_a_reply_adds_one(people):
    ticket_id = _long_ticket(people)
    page = make_state(TicketState, token=people["token"]["alice"], path=f"/tickets/{ticket_id}")
    run(page, "load")
    visible = [f"message {n}" for n in range(LENGTH) if n % 10 != 5]
    assert _bodies(page.messages) == visible[-THREAD_PAGE:]
    assert page.earlier == [] and page.has_earlier is True

    page._clean()
    run(page, "reply", {"body": "Toujours en panne"})
    # The reply is what goes to the browser: the messages shown at opening are not sent
    # again (their var is not in the delta), nor anything older.
    assert "messages" not in page.dirty_vars and "earlier" not in page.dirty_vars
    assert _bodies(page.messages) == visible[-THREAD_PAGE:]
    assert _bodies(page.recent) == ["Toujours en panne"]
    page._clean()
    run(page, "reply", {"body": "Et maintenant ?"})
    assert "messages" not in page.dirty_vars
    assert _bodies(page.recent) == ["Toujours en panne", "Et maintenant ?"]
    size = len(json.dumps([m.body for m in page.recent]))
    assert size < 200

    pages = 0
    while page.has_earlier:
        run(page, "show_earlier")
        pages += 1
    assert pages == -(-(len(visible) - THREAD_PAGE) // THREAD_PAGE)
    shown = page.earlier + page.messages + page.recent
    assert _bodies(shown) == visible + ["Toujours en panne", "Et maintenant ?"]
    # The notes of staff never came, on any page.
    assert not any(m.internal for m in shown)


def test_staff_see_the_notes_on_every_page(people):
    ticket_id = _long_ticket(people)
    page = make_state(
        AdminTicketState, token=people["token"]["sam"], path=f"/admin/tickets/{ticket_id}"
    )
    run(page, "load")
    assert _bodies(page.messages) == [f"message {n}" for n in range(LENGTH - THREAD_PAGE, LENGTH)]
    while page.has_earlier:
        run(page, "show_earlier")
    everything = page.earlier + page.messages
    assert _bodies(everything) == [f"message {n}" for n in range(LENGTH)]
    assert sum(m.internal for m in everything) == LENGTH // 10


def test_a_reply_and_a_live_pages_news_read_only_what_came_since_the_last_shown(
    people, monkeypatch
):
    """Whatever the thread's length and however many messages came since the page opened,
    a reply (and the news a live page hears of) reads those after the last one shown."""
    import asyncio

    from o2portal.support import queue
    from o2portal.web.customer.tickets import state as customer_tickets

    ticket_id = _long_ticket(people)
    page = make_state(TicketState, token=people["token"]["alice"], path=f"/tickets/{ticket_id}")
    run(page, "load")
    read: list[int] = []
    real = customer_tickets.tickets.customer_thread

    def spy(*args, **kwargs):
        view = real(*args, **kwargs)
        read.append(len(view.messages))
        return view

    monkeypatch.setattr(customer_tickets.tickets, "customer_thread", spy)
    run(page, "reply", {"body": "Toujours en panne"})
    assert read == [1]
    assert _bodies(page.recent) == ["Toujours en panne"]

    sam = people["customer"]["sam"]
    queue.add_staff_reply(actor(sam.id), ticket_id, "Nous regardons.")
    asyncio.run(page._fill(news_only=True))  # what the page's live loop does on news
    assert read == [1, 1]
    assert _bodies(page.recent) == ["Toujours en panne", "Nous regardons."]
    assert _bodies(page.messages)[-1] == "message 239"
    for n in range(5):
        run(page, "reply", {"body": f"Encore {n}"})
    assert read == [1, 1, 1, 1, 1, 1, 1]
    assert _bodies(page.recent)[-1] == "Encore 4" and len(page.recent) == 7


def test_a_message_committed_out_of_order_is_still_shown(people):
    """On PostgreSQL a writer may take its id first and commit last: the message lands
    before the last one shown. The thread's count says so, and the news are read again
    from the page's opening, in order."""
    import asyncio

    ticket_id = _long_ticket(people)
    page = make_state(TicketState, token=people["token"]["alice"], path=f"/tickets/{ticket_id}")
    run(page, "load")
    sam = people["customer"]["sam"]
    opened = page._opened_through

    def message(message_id: int, body: str) -> None:
        with transaction() as session:
            session.add(
                TicketMessage(
                    id=message_id,
                    ticket_id=ticket_id,
                    author_id=sam.id,
                    is_staff=True,
                    body=body,
                    created_at=clock.now(),
                )
            )

    message(opened + 10, "committed first")
    asyncio.run(page._fill(news_only=True))
    assert _bodies(page.recent) == ["committed first"]
    message(opened + 5, "id taken first, committed last")
    asyncio.run(page._fill(news_only=True))
    assert _bodies(page.recent) == ["id taken first, committed last", "committed first"]
    run(page, "reply", {"body": "Merci"})
    # (Its id comes from PostgreSQL's sequence, which the ids written above did not move:
    # where it falls among them depends on the database.)
    assert sorted(_bodies(page.recent)) == sorted(
        ["id taken first, committed last", "committed first", "Merci"]
    )


def test_a_reply_is_one_hop_off_the_event_loop(people, monkeypatch):
    """A reply (the customer's or staff's) resolves its poster, writes the message and
    reads the news in one worker thread, not one hop for each; the news read uses one
    connection."""
    from sqlalchemy import event

    from o2portal.core.db import get_engine
    from o2portal.web import thread

    ticket_id = _long_ticket(people)
    pages = [
        (
            make_state(TicketState, token=people["token"]["alice"], path=f"/tickets/{ticket_id}"),
            "Toujours en panne",
        ),
        (
            make_state(
                AdminTicketState, token=people["token"]["sam"], path=f"/admin/tickets/{ticket_id}"
            ),
            "Nous regardons.",
        ),
    ]
    hops: list[str] = []
    real = thread.asyncio.to_thread

    async def counted(fn, *args, **kwargs):
        hops.append(getattr(fn, "__name__", "?"))
        return await real(fn, *args, **kwargs)

    for page, body in pages:
        run(page, "load")
        hops.clear()
        taken: list[int] = []
        statements: list[str] = []
        engine = get_engine()
        listener = functools.partial(lambda seen, *_: seen.append(1), taken)
        sql = functools.partial(lambda seen, _c, _cur, text, *_: seen.append(text), statements)
        monkeypatch.setattr(thread.asyncio, "to_thread", counted)
        event.listen(engine, "checkout", listener)
        event.listen(engine, "before_cursor_execute", sql)
        try:
            run(page, "reply", {"body": body})
        finally:
            event.remove(engine, "checkout", listener)
            event.remove(engine, "before_cursor_execute", sql)
            monkeypatch.setattr(thread.asyncio, "to_thread", real)
        # The news are what came since the opening: whether older messages exist is not
        # asked again (the page keeps what the opening found).
        assert not [s for s in statements if "ticket_message.id <" in s]
        if isinstance(page, TicketState):
            # The poster is the row the session's resolution has just read: not read
            # again inside the write (which holds SQLite's write lock meanwhile).
            written = next(i for i, s in enumerate(statements) if "INSERT INTO ticket_message" in s)
            assert not [s for s in statements[:written] if re.search(r"\bFROM customer\b", s)]
        assert page.has_earlier
        assert hops == ["write_then_read"], type(page).__name__
        assert _bodies(page.recent)[-1] == body
        # The write's transaction, the news read's one connection; the session's touch too
        # when its minute has passed.
        assert len(taken) <= 3, type(page).__name__
