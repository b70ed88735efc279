"""The doors of every event handler: what the browser sent is checked against the handler's
signature, and a plain (synchronous) handler runs in a worker thread, never on the event
loop that serves every other tab of the worker.

Arguments. Anyone can send any event by name with any payload over the websocket. Before
a handler runs, its arguments are bound to its signature and each one annotated str,
int, float, bool, dict or list must be of that type; otherwise the event is refused
with BadEvent, which the app logs as one warning line (web/app.py), not as the traceback
the handler would have raised on a dict where it expected a str.

Threads. Reflex runs a plain handler on the event loop itself, so its database work (and
the session's query in require_customer) would hold up every other event of the
process. The page decorator (web/pages.py) hands each state of a page to `at_the_door`,
which re-registers its handlers: a plain one as a coroutine that runs the body in a
thread; a generator one as an async generator that runs each step in a thread, so what
it yields still reaches the page between steps. The state is the event's own and locked
while the handler runs, so one thread at a time touches it. Async handlers do their own
blocking work through asyncio.to_thread (tests/state/test_event_loop.py checks that no
handler queries the database on the loop); setters of the page's own vars, which touch
nothing stored, stay on the loop.

The socket. A page's live loops (`watch` and the like) are started by its own load:
Reflex chains the event on the server and the browser never sends it. They are marked
`chained_only`, and the app's socket door (`at_the_socket`) drops such an event when it
comes over the websocket by name, before Reflex reads any state for it: a crafted
client that sends it 400 times costs 400 lookups in a set, not 400 events.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import logging
import time
import typing
from collections.abc import Iterable

import reflex as rx
from reflex_base.utils.format import format_event_handler

log = logging.getLogger("o2portal")
_MARK = "__o2portal_at_the_door__"
_CHAINED = "__o2portal_chained_only__"
# The full event names (state.handler) of the handlers marked chained_only.
_CHAINED_NAMES: set[str] = set()
REFUSALS_LINE_SECONDS = 60.0
_PLAIN = (str, int, float, bool, dict, list)


class BadEvent(Exception):
    """An event whose arguments do not fit its handler: refused before it runs."""


def _expected(annotation) -> type | None:
    kind = typing.get_origin(annotation) or annotation
    return kind if kind in _PLAIN else None


def _checker(fn):
    """check(args, kwargs): raises BadEvent unless they fit fn's signature and types."""
    signature = inspect.signature(fn)
    try:
        hints = typing.get_type_hints(fn)
    except Exception:  # noqa: BLE001 - an annotation not resolvable here: types unchecked
        hints = {}
    wanted = {name: _expected(hints.get(name)) for name in list(signature.parameters)[1:]}

    def check(args, kwargs) -> None:
        if not (args or kwargs or wanted):  # nothing sent to a handler that takes nothing
            return
        try:
            bound = signature.bind(None, *args, **kwargs)
        except TypeError as exc:
            raise BadEvent(f"{fn.__qualname__}: {exc}") from None
        for name, value in list(bound.arguments.items())[1:]:
            kind = wanted.get(name)
            if kind is None:
                continue
            fits = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
            if kind is float:
                fits = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not fits:
                raise BadEvent(
                    f"{fn.__qualname__}: {name} is {type(value).__name__}, not {kind.__name__}"
                )

    return check


def _step(gen):
    """The next item of a generator in a worker thread (StopIteration cannot cross into
    a future: the end, and the generator's return value, come back as a pair)."""
    try:
        return False, next(gen)
    except StopIteration as end:
        return True, end.value


def _guarded(fn, *, in_thread: bool):
    check = _checker(fn)
    if inspect.isasyncgenfunction(fn):

        @functools.wraps(fn)
        async def stream(self, *args, **kwargs):
            check(args, kwargs)
            async for item in fn(self, *args, **kwargs):
                yield item

        wrapper = stream
    elif inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def run(self, *args, **kwargs):
            check(args, kwargs)
            return await fn(self, *args, **kwargs)

        wrapper = run
    elif inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        async def steps(self, *args, **kwargs):
            check(args, kwargs)
            gen = fn(self, *args, **kwargs)  # runs nothing of the body yet
            while True:
                if in_thread:
                    done, item = await asyncio.to_thread(_step, gen)
                else:
                    done, item = _step(gen)
                if done:
                    if item is not None:
                        yield item
                    return
                yield item

        wrapper = steps
    else:

        @functools.wraps(fn)
        async def call(self, *args, **kwargs):
            check(args, kwargs)
            if in_thread:
                return await asyncio.to_thread(fn, self, *args, **kwargs)
            return fn(self, *args, **kwargs)

        wrapper = call
    setattr(wrapper, _MARK, True)
    return wrapper


def chained_only(fn):
    """Mark a handler that only the server chains (a page's live loop, returned by its
    load): refused when a client sends it by name over the websocket."""
    setattr(fn, _CHAINED, True)
    return fn


class _Refusals:
    """Events refused at the socket (`total`, for the tests and the benchmarks), logged as
    one line a minute at most whatever their number: a flood must not fill the log."""

    def __init__(self) -> None:
        self.total, self.unlogged, self.last_line = 0, 0, -REFUSALS_LINE_SECONDS

    def note(self, name: str) -> None:
        self.total += 1
        self.unlogged += 1
        now = time.monotonic()
        if now - self.last_line >= REFUSALS_LINE_SECONDS:
            log.warning(
                "refused at the socket: %d event(s) only the server chains, the last %s",
                self.unlogged,
                name[-120:],
            )
            self.unlogged, self.last_line = 0, now


refusals = _Refusals()


def at_the_socket(namespace) -> None:
    """Put the door on the app's websocket namespace: an event named after a chained_only
    handler is dropped before Reflex reads the tab's state for it; any other event goes on
    to Reflex as before."""
    on_event = namespace.on_event

    async def guarded(sid: str, data) -> None:
        fields = data
        if isinstance(data, str):  # Reflex reads a frame sent as JSON text too
            try:
                fields = json.loads(data)
            except ValueError:
                fields = None
        name = fields.get("name") if isinstance(fields, dict) else None
        if isinstance(name, str) and name in _CHAINED_NAMES:
            refusals.note(name)
            return
        await on_event(sid, data)

    namespace.on_event = guarded


def at_the_door(state: type[rx.State], keep_on_loop: Iterable[str] = ()) -> None:
    """Re-register every handler of `state` behind the door: arguments checked, plain
    bodies in a worker thread (but those named in keep_on_loop: setters of the page's
    own vars, which touch nothing stored)."""
    kept = set(keep_on_loop)
    for name, handler in list(state.event_handlers.items()):
        if getattr(handler.fn, _CHAINED, False):
            _CHAINED_NAMES.add(format_event_handler(handler))
        if name == "setvar" or getattr(handler.fn, _MARK, False):
            continue
        state._add_event_handler(name, _guarded(handler.fn, in_thread=name not in kept))
