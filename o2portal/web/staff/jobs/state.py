"""Staff (support and admin): the background jobs, their last outcome and their runs."""

from __future__ import annotations

import asyncio
import json

import reflex as rx

from o2portal.core import formatting
from o2portal.core.i18n import translate
from o2portal.jobs import staff as domain
from o2portal.web.session import load_staff, staff_of


def _summary(text: str) -> str:
    """A run's summary as 'key: value' pairs, without the error list (shown apart)."""
    try:
        values = json.loads(text or "{}")
    except ValueError:
        return text[:300]
    if not isinstance(values, dict):
        return text[:300]
    return ", ".join(f"{k}: {v}" for k, v in values.items() if k != "errors")[:300]


class AdminJobsState(rx.State):
    jobs: list[dict[str, str]] = []
    runs: list[dict[str, str]] = []
    job: str = ""  # the job whose runs are shown ("" for all)

    async def _fill(self) -> None:
        user, lang = await load_staff(self)
        found = await asyncio.to_thread(domain.overview, user.actor, name=self.job)
        self.jobs = [
            {
                "name": lease.name,
                "outcome": lease.last_outcome or "",
                "outcome_label": translate(f"jobs.outcome_{lease.last_outcome or 'none'}", lang),
                "started": formatting.moment(lease.last_started_at, lang),
                "success": formatting.moment(lease.last_success_at, lang),
                "failures": str(lease.failures_in_a_row),
                "summary": _summary(lease.last_summary or ""),
            }
            for lease in found.jobs
        ]
        self.runs = [
            {
                "name": run.name,
                "outcome": run.outcome,
                "outcome_label": translate(f"jobs.outcome_{run.outcome}", lang),
                "started": formatting.moment(run.started_at, lang),
                "seconds": (
                    f"{(run.finished_at - run.started_at).total_seconds():.1f}"
                    if run.finished_at
                    else ""
                ),
                "summary": _summary(run.summary),
                "error": run.error or "",
            }
            for run in found.runs
        ]

    @rx.event
    async def load(self):
        self.job = ""
        await self._fill()

    @rx.event
    async def show_job(self, name: str):
        """The runs of one job ("" for all); any other name shows none."""
        await staff_of(self)
        self.job = str(name)[:64]
        await self._fill()
