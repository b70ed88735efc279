"""Products' jobs: what happens after expiry, the expiry reminders, and the calls to the
registrar and the panel still to be sent."""

from __future__ import annotations

from o2portal.products.lifecycle import apply_expiry
from o2portal.products.reminders import send_due_reminders
from o2portal.products.tasks import run_due_tasks

JOBS = [
    ("expiry", apply_expiry),
    ("reminders", send_due_reminders),
    # The registrar's and the panel's calls that failed right after their commit.
    ("provider_tasks", run_due_tasks),
]
