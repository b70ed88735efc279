"""What every outside provider shares: one that does not answer raises ProviderDown, and a
request's id makes a call idempotent (the same id gets the first answer back, as real
registrars and panels do with their client transaction ids)."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlmodel import Session, select

from o2portal.core import clock
from o2portal.integrations.models import ProviderRequest


class ProviderDown(Exception):
    """The provider did not answer in time: the call may be tried again later."""


class Reachable:
    """A built-in provider that the tests can take down: `down = True` makes every call
    time out, as an unreachable provider does."""

    down = False
    label = "the provider"

    def _reachable(self) -> None:
        if self.down:
            raise ProviderDown(f"{self.label} did not answer")


def replay(session: Session, provider: str, request_id: str, answer: Callable[[], dict]) -> dict:
    """The first answer to `request_id`, or `answer()` recorded as it."""
    request_id = request_id[:120]
    first = recorded(session, provider, request_id)
    if first is not None:
        return first
    result = answer()
    session.add(
        ProviderRequest(
            provider=provider,
            request_id=request_id,
            answer_json=json.dumps(result, default=str),
            created_at=clock.now(),
        )
    )
    session.flush()
    return result


def recorded(session: Session, provider: str, request_id: str) -> dict | None:
    """The answer recorded for `request_id`, if any."""
    row = session.exec(
        select(ProviderRequest).where(
            ProviderRequest.provider == provider, ProviderRequest.request_id == request_id[:120]
        )
    ).first()
    return None if row is None else json.loads(row.answer_json)
