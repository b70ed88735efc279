"""The job runner: each job holds a lease in the database while it runs, so it never runs
twice at once, whether from the app's timer in several workers or from cron beside it.

Jobs are also safe to run twice in a row by construction (unique reminder rows,
idempotency keys): the lease avoids wasted work, the constraints make repeats harmless.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import col, select

from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.jobs.models import JobLease, JobRunRecord
from o2portal.jobs.registry import JOBS
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import link

log = logging.getLogger("o2portal.jobs")
LEASE = timedelta(minutes=15)


# After this many failed runs in a row, the support address is told, once per streak.
ALERT_AFTER_FAILURES = 3


@dataclass
class JobRun:
    name: str
    ran: bool
    summary: dict = field(default_factory=dict)
    # ok, partial (some items failed), failed (the job raised), skipped (another runner).
    outcome: str = "ok"


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


def _start_record(name: str, holder: str) -> int:
    with transaction() as session:
        record = JobRunRecord(name=name, holder=holder, started_at=clock.now())
        session.add(record)
        session.flush()
        return record.id


def _finish(name: str, holder: str, record_id: int, outcome: str, summary: dict, error: str | None):
    """Record the run's end and free the lease. Only a run without failure moves the
    catch-up point (last_finished_at): after a failure the next run covers the days again,
    and the unique keys make what already went through harmless."""
    now = clock.now()
    with transaction() as session:
        record = session.get(JobRunRecord, record_id)
        record.finished_at = now
        record.outcome = outcome
        record.summary = _short(summary)
        record.failed_items = int(summary.get("failed_items", 0))
        record.error = (error or "\n".join(summary.get("errors", [])))[:2000] or None
        session.add(record)
        lease = session.get(JobLease, name)
        if lease is None or lease.holder != holder:
            return
        lease.leased_until = None
        lease.last_outcome = outcome
        lease.last_summary = record.summary
        if outcome == "ok":
            lease.last_finished_at = now
            lease.last_success_at = now
            lease.failures_in_a_row = 0
            lease.streak_started_at = None
            lease.streak_alerted_at = None
        else:
            lease.failures_in_a_row += 1
            lease.streak_started_at = lease.streak_started_at or record.started_at
            if lease.failures_in_a_row >= ALERT_AFTER_FAILURES and lease.streak_alerted_at is None:
                lease.streak_alerted_at = now
                _alert(session, lease, record.error or outcome)
        session.add(lease)


def _alert(session, lease: JobLease, error: str) -> None:
    """One mail to the support address (staff read French), in the run's own transaction:
    the streak is marked told exactly when the mail is queued."""
    mailer.queue_for_staff(
        session,
        "job_failing",
        job=lease.name,
        failures=lease.failures_in_a_row,
        since=lease.streak_started_at.astimezone(clock.PARIS).strftime("%d/%m/%Y %H:%M"),
        error=error[:500],
        admin_link=link("/admin/jobs"),
    )


def _short(summary: dict) -> str:
    return json.dumps(summary, default=str, ensure_ascii=False)[:2000]


def run_job(name: str, work: Callable[[date], dict], *, holder: str | None = None) -> JobRun:
    """Run `work(last_run_date)` under the job's lease; skip when another runner has it.
    Never raises for the job's own failure: it is logged, recorded and counted."""
    holder = holder or holder_id()
    last = _acquire(name, holder)
    if last is None:
        return JobRun(name, False, {"skipped": "another runner holds the lease"}, "skipped")
    record_id = _start_record(name, holder)
    try:
        summary = work(last) or {}
    except Exception as exc:  # noqa: BLE001 - one job must not stop the others
        log.exception("job %s failed", name)
        error = f"{type(exc).__name__}: {exc}"
        _finish(name, holder, record_id, "failed", {}, error)
        return JobRun(name, True, {"error": error}, "failed")
    outcome = "partial" if summary.get("failed_items") else "ok"
    _finish(name, holder, record_id, outcome, summary, None)
    return JobRun(name, True, summary, outcome)


def run_all(holder: str | None = None) -> list[JobRun]:
    """Every job of the registry, in the order that makes sense for one day; each one
    runs whatever happened to the ones before it."""
    return [run_job(name, work, holder=holder) for name, work in JOBS]


def job_status() -> list[JobLease]:
    """Each job's lease row (last run, last outcome, last success, failures in a row), in
    the registry's order, for the staff page."""
    with read_session() as session:
        leases = {lease.name: lease for lease in session.exec(select(JobLease)).all()}
    order = [name for name, _work in JOBS]
    known = [leases[name] for name in order if name in leases]
    return known + sorted((v for k, v in leases.items() if k not in order), key=lambda v: v.name)


def recent_runs(limit: int = 50, name: str | None = None) -> list[JobRunRecord]:
    with read_session() as session:
        query = select(JobRunRecord)
        if name:
            query = query.where(JobRunRecord.name == name)
        return list(session.exec(query.order_by(col(JobRunRecord.id).desc()).limit(limit)).all())
