"""Staff's view of the background jobs: each job's last run and its failures, and the
latest runs. Support and admins read it (the failure alert mail links here)."""

from __future__ import annotations

from dataclasses import dataclass

from o2portal.core.permissions import Actor
from o2portal.jobs.models import JobLease, JobRunRecord
from o2portal.jobs.runner import job_status, recent_runs


@dataclass(frozen=True)
class JobsOverview:
    jobs: list[JobLease]
    runs: list[JobRunRecord]


def overview(actor: Actor, *, name: str = "", limit: int = 50) -> JobsOverview:
    actor.staff()
    return JobsOverview(job_status(), recent_runs(limit=limit, name=name[:64] or None))
