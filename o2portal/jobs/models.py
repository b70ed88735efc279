"""The lease that keeps each background job to one runner at a time, across processes, and
the record of every run."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from o2portal.core.types import utc_field


class JobLease(SQLModel, table=True):
    __tablename__ = "job_lease"

    name: str = Field(primary_key=True, max_length=64)
    holder: str | None = Field(default=None, max_length=100)
    # Another runner may take the lease once this moment has passed (a crashed holder).
    leased_until: datetime | None = utc_field()
    last_started_at: datetime | None = utc_field()
    # The last run that went through without a failure: the next run catches up from it.
    last_finished_at: datetime | None = utc_field()
    last_summary: str | None = Field(default=None, max_length=2000)
    last_outcome: str | None = Field(default=None, max_length=16)
    last_success_at: datetime | None = utc_field()
    # Runs that failed (or failed for some items) one after the other, and when the
    # support address was told about this streak (once per streak).
    failures_in_a_row: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    streak_started_at: datetime | None = utc_field()
    streak_alerted_at: datetime | None = utc_field()


class JobRunRecord(SQLModel, table=True):
    """One run of one job: staff read them on /admin/jobs; kept 90 days."""

    __tablename__ = "job_run"
    __table_args__ = (Index("ix_job_run_name_started", "name", "started_at"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64)
    holder: str = Field(max_length=100)
    started_at: datetime = utc_field(nullable=False)
    finished_at: datetime | None = utc_field()
    # ok, partial (some items failed, the rest went through), failed (the job raised).
    outcome: str = Field(default="running", max_length=16)
    summary: str = Field(default="", max_length=2000)
    failed_items: int = Field(default=0)
    error: str | None = Field(default=None, max_length=2000)
