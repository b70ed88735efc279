"""Products' daily jobs: what happens after expiry, then the expiry reminders."""

from __future__ import annotations

from o2portal.products.lifecycle import apply_expiry
from o2portal.products.reminders import send_due_reminders

JOBS = [("expiry", apply_expiry), ("reminders", send_due_reminders)]
