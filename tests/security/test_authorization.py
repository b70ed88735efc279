"""Every event handler of every state, from Reflex's own registry, called by name as an
anonymous visitor, a customer and a support agent. Each handler must be classified by the
decorator of a page that uses its state (o2portal/web/pages.py): a handler of a state that
no page names fails this test."""

from __future__ import annotations

import inspect
import typing

import pytest
import reflex as rx
from sqlmodel import func, select

import o2portal.o2portal  # noqa: F401  (registers every page and state)
from o2portal.core.db import read_session
from o2portal.core.models import AuditEvent
from o2portal.web.guards import AuthRequired, Forbidden, SecondFactorRequired
from o2portal.web.pages import handler_levels
from tests.state.conftest import make_state, run

# Who may call each handler, as the page decorators declare it (o2portal/web/pages.py):
# public: anyone (sign-in forms, FAQ, the shell, which resolves the caller itself)
# ui: a setter of the caller's own page state that reads and writes no stored data
# customer: a signed-in person, acting on their own things only
# staff: support and admin
# admin: admin only
LEVELS: dict[str, str] = handler_levels()


def _states() -> list[type[rx.State]]:
    found, todo = [], [rx.State]
    while todo:
        for sub in todo.pop().get_substates():
            found.append(sub)
            todo.append(sub)
    return [cls for cls in found if cls.__module__.startswith("o2portal.")]


# Reflex's own `setvar` only dispatches to a state's `set_*` handlers, classified too.
HANDLERS = sorted(
    ((cls, name) for cls in _states() for name in cls.event_handlers if name != "setvar"),
    key=lambda item: (item[0].__name__, item[1]),
)


def _key(cls, name) -> str:
    return f"{cls.__name__}.{name}"


def _args(cls, name) -> list:
    """Arguments of the types the handler declares (the door refuses others before any
    guard runs: tests/security/test_crafted_frames.py)."""
    fn = cls.event_handlers[name].fn
    hints = typing.get_type_hints(fn)
    samples = {bool: True, int: 1, float: 1.0, dict: {}, list: []}
    args = []
    for param in list(inspect.signature(fn).parameters)[1:]:
        kind = typing.get_origin(hints.get(param)) or hints.get(param)
        args.append(samples.get(kind, "1"))
    return args


def test_every_handler_is_classified():
    unknown = [_key(c, n) for c, n in HANDLERS if _key(c, n) not in LEVELS]
    assert unknown == [], f"name their states in a page decorator (web/pages.py): {unknown}"
    gone = set(LEVELS) - {_key(c, n) for c, n in HANDLERS}
    assert gone == set(), f"these classified handlers no longer exist: {sorted(gone)}"


def _refusals() -> int:
    with read_session() as session:
        return session.exec(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "admin.refused")
        ).one()


PROTECTED = [
    (c, n) for c, n in HANDLERS if LEVELS.get(_key(c, n)) in ("customer", "staff", "admin")
]


@pytest.mark.parametrize(("cls", "name"), PROTECTED, ids=lambda v: getattr(v, "__name__", v))
def test_protected_handlers_refuse_who_may_not_call_them(people, cls, name):
    level = LEVELS[_key(cls, name)]
    args = _args(cls, name)
    with pytest.raises(AuthRequired):
        run(make_state(cls), name, *args)
    if level == "customer":
        return
    before = _refusals()
    with pytest.raises(Forbidden):
        run(make_state(cls, token=people["token"]["alice"]), name, *args)
    assert _refusals() == before + 1, "a refused staff call must be audited"
    # Staff whose second factor is off: sent to turn it on, for every staff handler.
    with pytest.raises(SecondFactorRequired):
        run(make_state(cls, token=people["token"]["ned"]), name, *args)
    if level == "admin":
        with pytest.raises(Forbidden):
            run(make_state(cls, token=people["token"]["sam"]), name, *args)
