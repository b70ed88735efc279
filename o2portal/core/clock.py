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


# After downtime, a daily job looks back at most this far for what was missed.
MAX_CATCH_UP_DAYS = 60


def catch_up_days(last_run: date) -> int:
    """How many past days a run must cover: 1 normally, more after downtime (bounded)."""
    return max(1, min((today() - last_run).days, MAX_CATCH_UP_DAYS))


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
