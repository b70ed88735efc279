"""Every background job, gathered from the subjects' scheduled.py, in the order that makes
sense for one day: payments left in doubt first, renewals before expiry, reminders after
both, mail last, then the purge of old records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from o2portal.billing import scheduled as billing
from o2portal.jobs.retention import RETENTION
from o2portal.mail import scheduled as mail
from o2portal.products import scheduled as products
from o2portal.support import scheduled as support

Job = tuple[str, Callable[[date], dict]]

JOBS: list[Job] = [
    billing.RECONCILE_PAYMENTS,
    billing.AUTO_RENEW,
    *products.JOBS,
    support.STALE_TICKETS,
    support.ESCALATE_TICKETS,
    billing.STALE_ORDER_FORMS,
    billing.CLIENT_ORDERS,
    *mail.JOBS,
    RETENTION,
]
