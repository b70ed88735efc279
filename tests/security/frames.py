"""Frames sent by hand over the websocket, as a forger would: run by Reflex's own event
processor, as the app runs them, in one tab signed in with a chosen cookie."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

from reflex_base.event import Event
from reflex_base.event.processor.base_state_processor import BaseStateEventProcessor
from reflex_base.utils.format import format_event_handler

from o2portal.web.app import handle_backend_error
from tests.state.test_live_thread import _open, _router


def frame_name(state, handler: str) -> str:
    """The name a frame gives to call `handler` of `state`."""
    return format_event_handler(state.event_handlers[handler])


def send_frames(path: str, cookie: str, frames: list[tuple[str, dict]]) -> list[Exception]:
    """Open `path` in a new tab, then send each (handler name, payload) frame and wait
    for them all (a background handler superseded by the next is cancelled: that is
    fine). The exceptions the app's backend error handler was given, in order."""
    errors: list[Exception] = []

    def handler(exception: Exception):
        errors.append(exception)
        return handle_backend_error(exception)

    async def scenario():
        processor = BaseStateEventProcessor(backend_exception_handler=handler).configure()
        async with processor:
            tab = str(uuid.uuid4())
            await _open(processor, tab, path, cookie)
            futures = []
            for name, payload in frames:
                event = Event(name=name, payload=payload, router_data=_router(path, cookie))
                futures.append(await processor.enqueue(tab, event))
            for future in futures:
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await asyncio.wait_for(future, 10)

    asyncio.run(scenario())
    return errors


def one_line_each(records) -> list[str]:
    """The log lines the frames left: none with a traceback or at error level, each on
    one line (a forger fills no log with stack traces). Their messages."""
    tracebacks = [r for r in records if r.levelno >= logging.ERROR or r.exc_info]
    assert tracebacks == [], [r.getMessage()[:200] for r in tracebacks]
    messages = [r.getMessage() for r in records]
    assert all(len(m.splitlines()) == 1 for m in messages), messages
    return messages
