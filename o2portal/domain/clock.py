"""The one source of "now", so that tests can travel in time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    """Timezone-aware UTC now."""
    return _now()


def today() -> date:
    """Today's date as the customer sees it, in Paris."""
    return now().astimezone(PARIS).date()


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Make now() return `moment` (aware) within the block."""
    global _now
    if moment.tzinfo is None:
        raise ValueError("frozen_at needs an aware datetime")
    previous = _now
    _now = lambda: moment  # noqa: E731
    try:
        yield
    finally:
        _now = previous
