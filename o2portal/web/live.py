"""The open pages' side of core/events.py, in one worker: a page that watches a topic
waits on an asyncio event, which the worker sets when the topic's news arrives (from this
process, or from the Redis channel that every worker listens to when O2PORTAL_REDIS_URL
is set, in a thread of its own)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from o2portal.core import events
from o2portal.core.settings import get_settings

log = logging.getLogger("o2portal.live")
_waiting: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = {}
_lock = threading.Lock()
_subscribed: set[str] = set()


def _wake(topic: str) -> None:
    with _lock:
        waiting = list(_waiting.get(topic, ()))
    for loop, event in waiting:
        loop.call_soon_threadsafe(event.set)


events.listen(_wake)


def _follow_channel(url: str) -> None:
    """The worker's one subscription to the news channel; reconnects if Redis goes."""
    import redis

    while True:
        try:
            pubsub = redis.Redis.from_url(url).pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe(events.CHANNEL)
            for message in pubsub.listen():
                data = message.get("data")
                if isinstance(data, bytes):
                    _wake(data.decode())
        except Exception:  # noqa: BLE001 - pages fall back on their slow check meanwhile
            log.exception("the news channel was lost; subscribing again")
            time.sleep(1)


def _subscribe() -> None:
    url = get_settings().redis_url
    if not url:
        return
    with _lock:
        if url in _subscribed:
            return
        _subscribed.add(url)
    threading.Thread(target=_follow_channel, args=(url,), name="o2-news", daemon=True).start()


@contextmanager
def news(topic: str) -> Iterator[asyncio.Event]:
    """An event set whenever `topic` has news, for as long as the block runs."""
    _subscribe()
    entry = (asyncio.get_running_loop(), asyncio.Event())
    with _lock:
        _waiting.setdefault(topic, set()).add(entry)
    try:
        yield entry[1]
    finally:
        with _lock:
            waiting = _waiting.get(topic)
            if waiting is not None:
                waiting.discard(entry)
                if not waiting:
                    del _waiting[topic]


async def until_lost(topic: str, still, *, every: float, lasting: float) -> bool:
    """Wait for news of `topic` (or every `every` seconds, in case the news was missed),
    asking `still()` (async) each time: True as soon as it answers False, False once
    `lasting` seconds have passed. One page's watch of an access it may lose."""
    deadline = time.monotonic() + lasting
    with news(topic) as heard:
        while time.monotonic() < deadline:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(heard.wait(), timeout=every)
            heard.clear()
            if not await still():
                return True
    return False


def watched() -> int:
    """How many pages of this worker wait for news (for the tests and the benchmarks)."""
    with _lock:
        return sum(len(waiting) for waiting in _waiting.values())
