"""Support's job: tickets awaiting the customer close themselves; stale uploads go."""

from __future__ import annotations

from datetime import date

from o2portal.core import clock
from o2portal.support.tickets import close_stale_tickets, purge_stale_staging


def stale_tickets(_last_run: date) -> dict:
    return {"closed": close_stale_tickets(clock.now()), "uploads": purge_stale_staging()}


STALE_TICKETS = ("stale_tickets", stale_tickets)
