"""The live thread of a ticket page, run by Reflex's own event processor as the app runs
it: the loop starts with the page's load, stops when the tab goes to another page or
its websocket disconnects (the tab is closed), and a tab never runs two of them."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import pytest
from reflex.state import OnLoadInternalState, State
from reflex_base.event import Event
from reflex_base.event.processor.base_state_processor import BaseStateEventProcessor
from reflex_base.utils.format import format_event_handler

from o2portal.support import tickets
from o2portal.web import thread
from o2portal.web.customer.tickets.state import TicketState
from o2portal.web.guards import SESSION_COOKIE
from o2portal.web.staff.tickets.state import AdminTicketState

# What the browser sends when its websocket connects, and when it goes to another page.
CONNECT = format_event_handler(State.event_handlers["hydrate_and_load"])
NAVIGATE = format_event_handler(OnLoadInternalState.event_handlers["on_load_internal"])
TICK = 0.05


class LoopSpy:
    """Stands for the asyncio module in web/thread.py: notes which task each tick of a
    loop runs in, and does the real thing."""

    def __init__(self):
        self.ticking: set[asyncio.Task] = set()

    def __getattr__(self, name):
        return getattr(asyncio, name)

    async def wait_for(self, awaitable, timeout):
        self.ticking.add(asyncio.current_task())
        return await asyncio.wait_for(awaitable, timeout)

    async def _window(self) -> set[asyncio.Task]:
        self.ticking = set()
        await asyncio.sleep(TICK * 8)
        return {task for task in self.ticking if not task.done()}

    async def until(self, count: int, seconds: float = 15.0) -> set[asyncio.Task]:
        """The loops that tick, looked at in windows of eight ticks until there are
        `count` of them: on a loaded machine a page's load may take several windows."""
        deadline = time.monotonic() + seconds
        while True:
            ticking = await self._window()
            if len(ticking) == count or time.monotonic() > deadline:
                return ticking

    async def ended(self, tasks: set[asyncio.Task], seconds: float = 15.0) -> bool:
        """Whether these loops' tasks have all finished within `seconds`."""
        deadline = time.monotonic() + seconds
        while not all(task.done() for task in tasks) and time.monotonic() < deadline:
            await asyncio.sleep(TICK)
        return all(task.done() for task in tasks)

    async def seen(self, seconds: float = 1.0) -> set[asyncio.Task]:
        """The loops seen ticking during `seconds` (several windows, not one) that are
        still running at the end."""
        seen: set[asyncio.Task] = set()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            seen |= await self._window()
        return {task for task in seen if not task.done()}


@pytest.fixture
def spy(monkeypatch) -> LoopSpy:
    spy = LoopSpy()
    monkeypatch.setattr(thread, "asyncio", spy)
    monkeypatch.setattr(thread, "CHECK_SECONDS", TICK)
    return spy


@pytest.fixture
def looked(monkeypatch) -> list[float]:
    """When a page looked at its ticket's version (the live loop's check, and the read of
    the news after it)."""
    seen: list[float] = []
    real_version = tickets.thread_version

    def version(*args, **kwargs):
        seen.append(time.monotonic())
        return real_version(*args, **kwargs)

    monkeypatch.setattr(thread.tickets, "thread_version", version)
    return seen


def _router(path: str, token: str) -> dict:
    return {
        "pathname": path,
        "asPath": path,
        "query": {},
        "headers": {"cookie": f"{SESSION_COOKIE}={token}", "user-agent": "pytest"},
        "ip": "192.0.2.10",
    }


def open_ticket(people) -> int:
    return tickets.open_ticket(
        people["customer"]["alice"].id,
        subject="Le site est lent",
        department="technique",
        priority="normale",
        product_id=None,
        body="Depuis hier soir.",
    )


async def _tab(scenario) -> None:
    errors: list[Exception] = []
    processor = BaseStateEventProcessor(backend_exception_handler=errors.append).configure()
    async with processor:
        await scenario(processor, str(uuid.uuid4()))
    assert errors == []


async def _open(processor, tab: str, path: str, cookie: str) -> None:
    """A tab opens a page (or reloads it): Reflex hydrates it and runs its on_load."""
    await processor.enqueue(tab, Event(name=CONNECT, payload={}, router_data=_router(path, cookie)))


async def _go(processor, tab: str, path: str, cookie: str) -> None:
    """The tab goes to another page of the app: Reflex runs that page's on_load."""
    await processor.enqueue(
        tab, Event(name=NAVIGATE, payload={}, router_data=_router(path, cookie))
    )


@pytest.mark.parametrize(
    ("state", "path", "who"),
    [(TicketState, "/tickets/{}", "alice"), (AdminTicketState, "/admin/tickets/{}", "sam")],
    ids=["customer", "staff"],
)
def test_the_loop_runs_while_the_tab_is_open_and_stops_when_it_disconnects(
    people, spy, state, path, who
):
    ticket_id = open_ticket(people)

    async def scenario(processor, tab):
        await _open(processor, tab, path.format(ticket_id), people["token"][who])
        running = await spy.until(1)
        assert len(running) == 1
        # What the app's websocket namespace does when the tab's socket closes.
        processor._on_disconnect(tab)
        assert await spy.ended(running)
        assert await spy.seen() == set()

    asyncio.run(_tab(scenario))


def test_the_loop_stops_when_the_tab_goes_to_another_page(people, spy):
    ticket_id = open_ticket(people)
    cookie = people["token"]["alice"]

    async def scenario(processor, tab):
        await _open(processor, tab, f"/tickets/{ticket_id}", cookie)
        running = await spy.until(1)
        assert len(running) == 1
        await _go(processor, tab, "/tickets", cookie)
        assert await spy.ended(running)
        assert await spy.seen() == set()

    asyncio.run(_tab(scenario))


def test_a_second_watch_does_not_start_a_second_loop(people, spy):
    ticket_id = open_ticket(people)
    cookie = people["token"]["alice"]
    watch = format_event_handler(TicketState.event_handlers["watch"])
    path = f"/tickets/{ticket_id}"

    async def scenario(processor, tab):
        await _open(processor, tab, path, cookie)
        running = await spy.until(1)
        assert len(running) == 1
        # Called by name, as any handler can be: still one loop for the tab.
        await processor.enqueue(
            tab, Event(name=watch, payload={}, router_data=_router(path, cookie))
        )
        assert len(await spy.seen()) == 1
        # The page loaded again (a reconnection): one loop still.
        await _open(processor, tab, path, cookie)
        assert len(await spy.until(1)) == 1
        assert len(await spy.seen()) == 1

    asyncio.run(_tab(scenario))


def test_no_loop_for_a_ticket_the_caller_may_not_see(people, spy):
    bobs = tickets.open_ticket(
        people["customer"]["bob"].id,
        subject="Privé",
        department="technique",
        priority="normale",
        product_id=None,
        body="Rien pour Alice.",
    )

    async def scenario(processor, tab):
        await _open(processor, tab, f"/tickets/{bobs}", people["token"]["alice"])
        assert await spy.seen(seconds=2.0) == set()

    asyncio.run(_tab(scenario))


def _staff_reply(people, ticket_id: int, body: str) -> None:
    from o2portal.support import queue
    from tests.unit.helpers import actor

    queue.add_staff_reply(actor(people["customer"]["sam"]), ticket_id, body)


async def _until_the_channel_is_followed(url: str) -> None:
    """This worker's subscription to the news channel is up: a probe published through
    Redis comes back to it."""
    import redis

    from o2portal.core import events
    from o2portal.web import live

    started = time.monotonic()
    with live.news("probe") as probe:
        while not probe.is_set() and time.monotonic() - started < 15:
            redis.Redis.from_url(url).publish(events.CHANNEL, "probe")
            await asyncio.sleep(0.1)
        assert probe.is_set(), "the worker never followed the news channel"


@pytest.mark.parametrize("through", ["this worker", "redis"])
def test_a_reply_wakes_the_open_page_by_news_not_by_looking(people, monkeypatch, through, looked):
    """The page's own check is an hour away: the reply's news, published after its commit
    in this worker or through Redis (as from another worker), wakes the page's loop, which
    reads the thread again at once."""
    from o2portal.core.settings import reload_settings
    from o2portal.web import live

    if through == "redis":
        import redis

        url = "redis://127.0.0.1:6379/6"
        redis.Redis.from_url(url).ping()
        monkeypatch.setenv("O2PORTAL_REDIS_URL", url)
        reload_settings()
    monkeypatch.setattr(thread, "CHECK_SECONDS", 3600)
    ticket_id = open_ticket(people)
    path = f"/tickets/{ticket_id}"
    cookie = people["token"]["alice"]

    async def scenario(processor, tab):
        try:
            await _open(processor, tab, path, cookie)
            started = time.monotonic()
            while live.watched() != 1 and time.monotonic() - started < 15:
                await asyncio.sleep(0.02)  # the loop comes to wait for news
            assert live.watched() == 1
            if through == "redis":
                await _until_the_channel_is_followed(url)
            before = len(looked)
            sent = time.monotonic()
            await asyncio.to_thread(_staff_reply, people, ticket_id, "Réglé de notre côté.")
            while len(looked) == before and time.monotonic() - sent < 5:
                await asyncio.sleep(0.02)
            assert len(looked) > before, "the news did not wake the page"
            # Woken by the news, not by its hourly check (a loaded machine may be slow).
            assert looked[before] - sent < 5.0
        finally:
            processor._on_disconnect(tab)
            await asyncio.sleep(0.1)

    try:
        asyncio.run(_tab(scenario))
    finally:
        reload_settings()


def test_four_hundred_watch_events_keep_one_watcher(people, spy):
    from o2portal.web import live

    ticket_id = open_ticket(people)
    cookie = people["token"]["alice"]
    watch = format_event_handler(TicketState.event_handlers["watch"])
    path = f"/tickets/{ticket_id}"

    async def scenario(processor, tab):
        await _open(processor, tab, path, cookie)
        for _ in range(400):
            await processor.enqueue(
                tab, Event(name=watch, payload={}, router_data=_router(path, cookie))
            )
        running = await spy.until(1)
        assert len(running) == 1
        assert len(await spy.seen(seconds=2.0)) == 1
        assert live.watched() == 1
        processor._on_disconnect(tab)
        assert await spy.ended(running)
        assert await spy.seen() == set()
        assert live.watched() == 0

    asyncio.run(_tab(scenario))


def test_watch_sent_over_the_socket_is_refused_before_reflex(people, spy, monkeypatch):
    """The page's live loop is chained by its load on the server; the browser never sends
    `watch`. Sent by name over the app's websocket (a crafted client, 400 times), it is
    dropped at the socket door: Reflex's processor never sees it, the one loop of the page
    goes on, and any other event still reaches Reflex."""
    from o2portal.web import doors, live
    from o2portal.web.app import app

    ticket_id = open_ticket(people)
    cookie = people["token"]["alice"]
    path = f"/tickets/{ticket_id}"
    names = [format_event_handler(TicketState.event_handlers[h]) for h in ("watch", "set_body")]
    staff_watch = format_event_handler(AdminTicketState.event_handlers["watch"])
    namespace, sid = app.event_namespace, f"sid-{uuid.uuid4()}"

    async def scenario(processor, tab):
        reached: list[str] = []
        enqueue = processor.enqueue

        async def noted(token, *events):
            reached.extend(e.name for e in events)
            return await enqueue(token, *events)

        monkeypatch.setattr(processor, "enqueue", noted)
        monkeypatch.setattr(app, "_event_processor", processor)
        monkeypatch.setitem(namespace.sid_to_token, sid, tab)
        monkeypatch.setitem(
            namespace._static_router_data, sid, {"headers": _router(path, cookie)["headers"]}
        )
        await _open(processor, tab, path, cookie)
        running = await spy.until(1)
        assert len(running) == 1
        refused = doors.refusals.total
        reached.clear()

        def frame(name: str) -> dict:
            return {"name": name, "payload": {}, "router_data": {"pathname": path, "asPath": path}}

        for _ in range(400):
            await namespace.on_event(sid, frame(names[0]))
        await namespace.on_event(sid, frame(staff_watch))
        # Reflex also reads a frame sent as JSON text: refused all the same.
        await namespace.on_event(sid, json.dumps(frame(names[0])))
        await namespace.on_event(sid, frame(names[1]) | {"payload": {"value": "Bonjour"}})
        assert reached == [names[1]]
        assert doors.refusals.total - refused == 402
        assert len(await spy.seen(seconds=2.0)) == 1
        assert live.watched() == 1
        processor._on_disconnect(tab)
        assert await spy.ended(running)

    asyncio.run(_tab(scenario))


def test_news_are_read_once_settled_and_together(people, monkeypatch, looked):
    """A page reads its news a moment after they are announced, not at once: the event
    that committed them (often the tab's own reply, still being answered) ends first, and
    news that come meanwhile are read with them, in one look."""
    from o2portal.web import live

    monkeypatch.setattr(thread, "CHECK_SECONDS", 3600)
    monkeypatch.setattr(thread, "NEWS_SETTLE_SECONDS", 1.0)
    ticket_id = open_ticket(people)
    path = f"/tickets/{ticket_id}"

    async def scenario(processor, tab):
        try:
            await _open(processor, tab, path, people["token"]["alice"])
            started = time.monotonic()
            while live.watched() != 1 and time.monotonic() - started < 15:
                await asyncio.sleep(0.02)
            assert live.watched() == 1
            before = len(looked)

            def two_replies() -> float:
                _staff_reply(people, ticket_id, "Première réponse.")
                first = time.monotonic()
                _staff_reply(people, ticket_id, "Seconde réponse.")
                return first

            first = await asyncio.to_thread(two_replies)
            while len(looked) == before and time.monotonic() - first < 10:
                await asyncio.sleep(0.02)
            await asyncio.sleep(1.5)  # a second look would come within the settle time
            # One look (the version, then the page's news read with the version again).
            assert len(looked) == before + 2, "two pieces of news close together: one look"
            assert looked[before] - first >= 0.9, "read once settled, not at once"
            assert looked[before + 1] - looked[before] < 0.9
        finally:
            processor._on_disconnect(tab)
            await asyncio.sleep(0.1)

    asyncio.run(_tab(scenario))
