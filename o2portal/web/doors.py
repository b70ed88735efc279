"""The one async boundary at the doors: a plain (synchronous) event handler runs in a worker
thread, never on the event loop that serves every other tab of the worker.

Reflex runs a plain handler on the event loop itself, so its database work (and the
session's query in require_customer) would hold up every other event of the process. The
page decorator (web/pages.py) hands each state of a page to `off_the_loop`, which
re-registers its plain handlers as coroutines that run the body in a thread; a generator
handler becomes an async generator that runs each step in a thread, so what it yields
still reaches the page between steps. The state is the event's own and locked while the
handler runs, so one thread at a time touches it. Async handlers are left as they are:
they do their own blocking work through asyncio.to_thread (tests/state/test_event_loop.py
checks that no handler queries the database on the loop).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Iterable

import reflex as rx

_MARK = "__o2portal_off_the_loop__"


def _step(gen):
    """The next item of a generator in a worker thread (StopIteration cannot cross into
    a future: the end, and the generator's return value, come back as a pair)."""
    try:
        return False, next(gen)
    except StopIteration as end:
        return True, end.value


def _threaded(fn):
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        async def steps(self, *args, **kwargs):
            gen = fn(self, *args, **kwargs)  # runs nothing of the body yet
            while True:
                done, item = await asyncio.to_thread(_step, gen)
                if done:
                    if item is not None:
                        yield item
                    return
                yield item

        wrapper = steps
    else:

        @functools.wraps(fn)
        async def call(self, *args, **kwargs):
            return await asyncio.to_thread(fn, self, *args, **kwargs)

        wrapper = call
    setattr(wrapper, _MARK, True)
    return wrapper


def runs_off_the_loop(fn) -> bool:
    return (
        getattr(fn, _MARK, False)
        or inspect.iscoroutinefunction(fn)
        or inspect.isasyncgenfunction(fn)
    )


def off_the_loop(state: type[rx.State], keep: Iterable[str] = ()) -> None:
    """Re-register the plain handlers of `state` (but those named in keep: setters of
    the page's own vars, which touch nothing stored) to run in a worker thread."""
    kept = set(keep)
    for name, handler in list(state.event_handlers.items()):
        if name == "setvar" or name in kept or runs_off_the_loop(handler.fn):
            continue
        state._add_event_handler(name, _threaded(handler.fn))
