"""The job runner: each job holds a lease in the database while it runs, so it never runs
twice at once, whether from the app's timer in several workers or from cron beside it.

Jobs are also safe to run twice in a row by construction (unique reminder rows,
idempotency keys): the lease avoids wasted work, the constraints make repeats harmless.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import select

from o2portal.core import clock
from o2portal.core.db import transaction
from o2portal.jobs.models import JobLease
from o2portal.jobs.registry import JOBS

log = logging.getLogger("o2portal.jobs")
LEASE = timedelta(minutes=15)


@dataclass
class JobRun:
    name: str
    ran: bool
    summary: dict = field(default_factory=dict)


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _acquire(name: str, holder: str) -> date | None:
    """Take the lease if free (or expired). Returns the Paris date of the last finished run
    (or yesterday when there was none), or None when another runner holds it."""
    now = clock.now()
    with transaction() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(pg_insert(JobLease).values(name=name).on_conflict_do_nothing())
        lease = session.exec(
            select(JobLease).where(JobLease.name == name).with_for_update()
        ).first()
        if lease is None:
            lease = JobLease(name=name)
        if lease.leased_until is not None and lease.leased_until > now:
            return None
        last = lease.last_finished_at
        lease.holder = holder
        lease.leased_until = now + LEASE
        lease.last_started_at = now
        session.add(lease)
    if last is None:
        return clock.today() - timedelta(days=1)
    return last.astimezone(clock.PARIS).date()


def _release(name: str, holder: str, summary: str | None) -> None:
    with transaction() as session:
        lease = session.get(JobLease, name)
        if lease is not None and lease.holder == holder:
            lease.leased_until = None
            lease.last_finished_at = clock.now()
            lease.last_summary = (summary or "")[:2000]
            session.add(lease)


def run_job(name: str, work: Callable[[date], dict], *, holder: str | None = None) -> JobRun:
    """Run `work(last_run_date)` under the job's lease; skip when another runner has it."""
    holder = holder or holder_id()
    last = _acquire(name, holder)
    if last is None:
        return JobRun(name, False, {"skipped": "another runner holds the lease"})
    summary: dict = {}
    try:
        summary = work(last) or {}
    except Exception:
        log.exception("job %s failed", name)
        # Free the lease without recording a finished run: the next run catches up.
        with transaction() as session:
            lease = session.get(JobLease, name)
            if lease is not None and lease.holder == holder:
                lease.leased_until = None
                session.add(lease)
        raise
    _release(name, holder, repr(summary))
    return JobRun(name, True, summary)


def run_all(holder: str | None = None) -> list[JobRun]:
    """Every job of the registry, in the order that makes sense for one day."""
    return [run_job(name, work, holder=holder) for name, work in JOBS]
