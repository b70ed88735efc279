"""Products' jobs: what happens after expiry, the expiry reminders, and the calls to the
registrar and the panel still to be sent, the offers of a change of holder that expire,
the SSL certificates whose domain control is looked for again."""

from __future__ import annotations

from o2portal.products.certificates import check_pending
from o2portal.products.lifecycle import apply_expiry
from o2portal.products.reminders import send_due_reminders
from o2portal.products.tasks import run_due_tasks
from o2portal.products.trades import expire_offers

JOBS = [
    ("expiry", apply_expiry),
    ("reminders", send_due_reminders),
    # The registrar's and the panel's calls that failed right after their commit.
    ("provider_tasks", run_due_tasks),
    # Changes of holder left unanswered for 14 days.
    ("holder_changes", expire_offers),
    # SSL certificates whose records the customer creates elsewhere: looked for every 15
    # minutes the first day, then hourly, for 30 days (each row at its own time).
    ("certificate_checks", check_pending),
]
