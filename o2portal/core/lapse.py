"""The job behind something offered that lapses unanswered (a change of holder, an order
proposed to a client): each row closed once, whatever runs the job."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from o2portal.core import clock
from o2portal.core.batches import JOB_BATCH, ItemFailures
from o2portal.core.db import read_session, transaction


def expire_unanswered(
    model, *, waiting: str, expired: str, what: str, then: Callable[[Session, object], None]
) -> dict:
    """Every row of `model` still `waiting` whose `expires_at` has passed becomes
    `expired` (with its `decided_at`), and `then(session, row)` tells whom it concerns, in
    the same transaction. A conditional update lets only one runner close a row (another
    worker, or the answer given meanwhile, finds it closed). Rows are read JOB_BATCH at a
    time and each closed in a transaction of its own; one that fails is counted and left
    for the next run. The summary: {"expired": n, …failures}."""
    failures = ItemFailures()
    closed = 0
    seen: set[int] = set()
    while True:
        now = clock.now()
        with read_session() as session:
            due = session.exec(
                select(model.id)
                .where(
                    model.status == waiting,
                    col(model.expires_at) <= now,
                    col(model.id).not_in(seen),
                )
                .order_by(model.expires_at)
                .limit(JOB_BATCH)
            ).all()
        for row_id in due:
            seen.add(row_id)
            with failures.item(f"expiry of {what} {row_id}"):
                closed += _close(model, row_id, waiting, expired, now, then)
        if len(due) < JOB_BATCH:
            break
    return {"expired": closed, **failures.summary()}


def _close(model, row_id: int, waiting: str, expired: str, now: datetime, then) -> int:
    with transaction() as session:
        taken = session.execute(
            update(model)
            .where(model.id == row_id, model.status == waiting, col(model.expires_at) <= now)
            .values(status=expired, decided_at=now)
        )
        if taken.rowcount != 1:
            return 0  # answered or withdrawn meanwhile, or expired by another runner
        then(session, session.get(model, row_id))
        return 1
