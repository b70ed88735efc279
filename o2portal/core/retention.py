"""How long each kind of record is kept, as data: each subject lists its rules, the
retention job purges by them, and the README's table says the same.

A rule names a table, the moment a row becomes old (a column, or the later of two), how
long it is kept after that moment and why. Purging deletes in batches of 100 rows, each
batch its own short transaction, so it never holds a lock for long."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import col, select

from o2portal.core.batches import JOB_BATCH
from o2portal.core.db import transaction

BATCH = JOB_BATCH


@dataclass(frozen=True)
class Rule:
    what: str  # in the README's words
    kept: timedelta
    why: str
    model: type
    # The rows older than `cutoff` (now - kept): a SQL condition on `model`.
    old: Callable[[datetime], object]


def purge(rule: Rule, now: datetime) -> int:
    """Delete the rows past the rule's period; returns how many went."""
    cutoff = now - rule.kept
    removed = 0
    while True:
        with transaction() as session:
            ids = session.exec(select(rule.model.id).where(rule.old(cutoff)).limit(BATCH)).all()
            if ids:
                session.exec(delete(rule.model).where(col(rule.model.id).in_(ids)))
        removed += len(ids)
        if len(ids) < BATCH:
            return removed
