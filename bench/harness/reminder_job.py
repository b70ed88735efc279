"""The daily reminder job in a process of its own, as cron or another worker would run it
beside the portal, against the database O2PORTAL_DATABASE_URL names (the jobs phase of
bench/run.py starts it).

    reminder_job.py COUNT EXCEPT_CUSTOMER_ID

It runs `send_due_reminders` through the job runner, under the job's lease, as the
portal's own timer does every minute: the portal cannot run the same job meanwhile (an
unleased run was split between the two processes). Inside the lease, first COUNT products
of the other customers, scattered, are moved to their D-30 day (not timed); then it prints
"start", runs the job, and prints one JSON line: the wall-clock seconds, its own CPU
seconds and the job's summary."""

from __future__ import annotations

import json
import resource
import sqlite3
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from o2portal.core import clock  # noqa: E402
from o2portal.core.settings import get_settings  # noqa: E402
from o2portal.jobs.runner import run_job  # noqa: E402
from o2portal.products.reminders import send_due_reminders  # noqa: E402


def make_due(count: int, except_customer: int) -> int:
    path = get_settings().database_url.removeprefix("sqlite:///")
    expiry = (clock.today() + timedelta(days=30)).isoformat()
    with sqlite3.connect(path, timeout=60) as conn:
        return conn.execute(
            "UPDATE product SET expiry_date = ? WHERE id IN (SELECT id FROM product "
            "WHERE customer_id != ? AND status = 'active' ORDER BY (id * 7919) % 1000003 "
            "LIMIT ?)",
            (expiry, except_customer, count),
        ).rowcount


def main() -> None:
    count, except_customer = int(sys.argv[1]), int(sys.argv[2])
    out: dict = {}

    def work(last_run):
        out["made_due"] = make_due(count, except_customer)
        before = resource.getrusage(resource.RUSAGE_SELF)
        print("start", flush=True)
        started = time.perf_counter()
        summary = send_due_reminders(last_run)
        out["seconds"] = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        out["cpu_seconds"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        return summary

    for _ in range(30):  # the portal's timer may hold the lease for a moment
        run = run_job("reminders", work)
        if run.ran:
            break
        time.sleep(1)
    out.update(ran=run.ran, outcome=run.outcome, summary=run.summary)
    print(json.dumps(out, default=str), flush=True)


if __name__ == "__main__":
    main()
