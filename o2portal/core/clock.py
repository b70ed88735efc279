"""The one source of "now", so that tests can travel in time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

_frozen: datetime | None = None


def now() -> datetime:
    """Timezone-aware UTC now."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def today() -> date:
    """Today's date as the customer sees it, in Paris."""
    return now().astimezone(PARIS).date()


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Make now() return `moment` (aware) within the block."""
    global _frozen
    if moment.tzinfo is None:
        raise ValueError("frozen_at needs an aware datetime")
    previous = _frozen
    _frozen = moment
    try:
        yield
    finally:
        _frozen = previous
