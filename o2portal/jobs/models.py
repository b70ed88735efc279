"""The lease that keeps each background job to one runner at a time, across processes."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from o2portal.core.types import utc_field


class JobLease(SQLModel, table=True):
    __tablename__ = "job_lease"

    name: str = Field(primary_key=True, max_length=64)
    holder: str | None = Field(default=None, max_length=100)
    # Another runner may take the lease once this moment has passed (a crashed holder).
    leased_until: datetime | None = utc_field()
    last_started_at: datetime | None = utc_field()
    last_finished_at: datetime | None = utc_field()
    last_summary: str | None = Field(default=None, max_length=2000)
