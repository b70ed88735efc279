"""News for the open pages: a subject says that something changed (a ticket's thread),
once its transaction has committed, and the pages that watch it hear it at once, in every
worker. With O2PORTAL_REDIS_URL the news goes through Redis pub/sub, so that a message
posted on one worker reaches a page held by another; without it (one worker), it is handed
to this process's listeners directly. Nobody polls the database to learn it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache

from sqlmodel import Session

from o2portal.core.db import after_commit
from o2portal.core.settings import get_settings

log = logging.getLogger("o2portal.events")
CHANNEL = "o2portal:news"
_listeners: list[Callable[[str], None]] = []


def listen(callback: Callable[[str], None]) -> None:
    """Hear every topic published in this process (the web layer's hub does)."""
    _listeners.append(callback)


def hand_out(topic: str) -> None:
    """Give a topic to this process's listeners (from here, or from the Redis channel)."""
    for callback in list(_listeners):
        try:
            callback(topic)
        except Exception:  # noqa: BLE001 - one listener must not silence the others
            log.exception("a listener of %s failed", topic)


@lru_cache(maxsize=2)
def _redis(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def publish(topic: str) -> None:
    """Tell every worker's pages (through Redis when set, this process's otherwise)."""
    url = get_settings().redis_url
    if not url:
        hand_out(topic)
        return
    try:
        _redis(url).publish(CHANNEL, topic)
    except Exception:  # noqa: BLE001 - a page that misses news catches up on its own
        log.exception("could not publish %s", topic)
        hand_out(topic)


def publish_after_commit(session: Session, topic: str) -> None:
    """Publish once the transaction of `session` has committed (once per topic)."""
    sent = session.info.setdefault("o2_published", set())
    if topic not in sent:
        sent.add(topic)
        after_commit(session, lambda: publish(topic))
