"""Mail's job: deliver what is due in the outbox (last, after every job that queues mail)."""

from __future__ import annotations

from datetime import date

from o2portal.core.batches import ItemFailures
from o2portal.mail.outbox import deliver_all_due


def deliver_outbox(_last_run: date) -> dict:
    failures = ItemFailures()
    return {"sent": deliver_all_due(failures=failures), **failures.summary()}


JOBS = [("outbox", deliver_outbox)]
