"""Item isolation inside a job: one bad row is logged, counted and left for the next run,
and every other row goes on."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

log = logging.getLogger("o2portal.jobs")
# The most rows a job changes in one transaction: short transactions, so that customers
# who need to write are never held behind a job (on SQLite, its single write lock).
JOB_BATCH = 100
# How many errors a run keeps to show staff (all are in the log).
KEPT_ERRORS = 5


@dataclass
class ItemFailures:
    """Counts the items of a run that raised; `summary()` goes into the job's summary,
    where the runner reads it to call the run partial."""

    count: int = 0
    errors: list[str] = field(default_factory=list)

    @contextmanager
    def item(self, what: str) -> Iterator[None]:
        """Run one item: an exception is logged with `what` and swallowed."""
        try:
            yield
        except Exception as exc:  # noqa: BLE001 - one item must not stop the others
            log.exception("%s failed", what)
            self.count += 1
            if len(self.errors) < KEPT_ERRORS:
                self.errors.append(f"{what}: {type(exc).__name__}: {exc}"[:400])

    def summary(self) -> dict:
        if not self.count:
            return {}
        return {"failed_items": self.count, "errors": list(self.errors)}
