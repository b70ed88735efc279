"""The retention job: every subject's rules (core/retention.py), the built-in gateway's
records and the job runs themselves. Invoices and credit notes are kept ten years and the
portal deletes none of them: RETAINED_UNTOUCHED says so, for the README's table."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import col, select

from o2portal.accounts import retention as accounts
from o2portal.accounts.models import SavedCard
from o2portal.core import clock
from o2portal.core.migrate import analyze
from o2portal.core.retention import Rule, purge
from o2portal.integrations.models import GatewayCard, GatewayCharge
from o2portal.jobs.models import JobRunRecord

RULES: list[Rule] = [
    *accounts.RULES,
    Rule(
        "The built-in gateway's card tokens that no saved card uses",
        timedelta(days=1),
        "A token typed for one payment is used within the minute; only saved cards need "
        "theirs later.",
        GatewayCard,
        lambda cutoff: (
            (col(GatewayCard.created_at) < cutoff)
            & col(GatewayCard.token).not_in(select(SavedCard.gateway_token))
        ),
    ),
    Rule(
        "The built-in gateway's charge records",
        timedelta(days=540),
        "Eighteen months: the longest window in which a cardholder can dispute a charge "
        "(540 days under the card schemes' rules).",
        GatewayCharge,
        lambda cutoff: col(GatewayCharge.created_at) < cutoff,
    ),
    Rule(
        "Job runs (start, end, outcome, error)",
        timedelta(days=90),
        "Enough to see a pattern of failures over a quarter; the log keeps the detail.",
        JobRunRecord,
        lambda cutoff: col(JobRunRecord.started_at) < cutoff,
    ),
]

# Kept, and never deleted by the portal.
RETAINED_UNTOUCHED = [
    (
        "Invoices and credit notes (with their PDF and the billing identity they print)",
        "10 years",
        "Code de commerce, article L123-22: accounting documents are kept ten years.",
    ),
]


def purge_old_records(last_run: date) -> dict:
    """The job, once a day (the timer calls every job each minute): each rule in turn,
    in batches."""
    if last_run >= clock.today():
        return {"skipped": "already purged today"}
    now = clock.now()
    purged = {rule.model.__tablename__: purge(rule, now) for rule in RULES}
    analyze()  # the planner's statistics follow the tables' growth
    return purged


RETENTION = ("retention", purge_old_records)
