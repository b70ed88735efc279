"""Rows that several pages show alike, as the dicts of text held in their states."""

from __future__ import annotations

from o2portal.core import formatting
from o2portal.core.i18n import translate


def ticket_row(ticket, lang: str) -> dict[str, str]:
    """A ticket in a short list (the customer's dashboard, the staff's customer file)."""
    return {
        "id": str(ticket.id),
        "subject": ticket.subject,
        "status": translate(f"status.{ticket.status}", lang),
        "updated": formatting.moment(ticket.updated_at, lang),
    }


def mail_row(mail, lang: str) -> dict[str, str]:
    """A message of the outbox, as staff follow its delivery."""
    return {
        "subject": mail.subject,
        "status": mail.status,
        "created": formatting.moment(mail.created_at, lang),
        "error": mail.last_error or "",
    }
