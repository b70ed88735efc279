"""Support's jobs: tickets awaiting the customer close themselves; stale uploads go;
overdue tickets escalate to the admins."""

from __future__ import annotations

from datetime import date

from o2portal.core import clock
from o2portal.support.escalation import escalate_tickets
from o2portal.support.tickets import close_stale_tickets, purge_stale_staging


def stale_tickets(_last_run: date) -> dict:
    return {"closed": close_stale_tickets(clock.now()), "uploads": purge_stale_staging()}


def escalate(_last_run: date) -> dict:
    return {"escalated": escalate_tickets(clock.now())}


STALE_TICKETS = ("stale_tickets", stale_tickets)
ESCALATE_TICKETS = ("escalate_tickets", escalate)
