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
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import typing
from collections.abc import Iterable

import reflex as rx

_MARK = "__o2portal_at_the_door__"
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


def at_the_door(state: type[rx.State], keep_on_loop: Iterable[str] = ()) -> None:
    """Re-register every handler of `state` behind the door: arguments checked, plain
    bodies in a worker thread (but those named in keep_on_loop: setters of the page's
    own vars, which touch nothing stored)."""
    kept = set(keep_on_loop)
    for name, handler in list(state.event_handlers.items()):
        if name == "setvar" or getattr(handler.fn, _MARK, False):
            continue
        state._add_event_handler(name, _guarded(handler.fn, in_thread=name not in kept))
