"""Idempotency keys that travel with a submitted form, and the receipts of actions done
once per key. A key is single-use: the same form submitted twice (a double click, a
replayed event, a reconnecting socket) reads the first outcome instead of acting again."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from o2portal.core import clock
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import ActionReceipt


def clean_key(key: object) -> str:
    """Anything else than 8 to 80 plain characters is a page too old (or a forged event),
    answered by a message, never a crash."""
    key = key.strip() if isinstance(key, str) else ""
    if not 8 <= len(key) <= 80 or not key.isascii() or not key.isprintable():
        raise InvalidInput({"key": "error.form_stale"})
    return key


def receipt(session: Session, key: str, actor_id: int, action: str) -> dict | None:
    """The outcome recorded for this key, or None. Locks nothing: a racing duplicate is
    stopped by the unique key when it records."""
    row = session.exec(select(ActionReceipt).where(ActionReceipt.key == key)).first()
    if row is None:
        return None
    if row.actor_id != actor_id or row.action != action:
        raise NotAllowed("key of another action")
    return json.loads(row.outcome_json)


def record_receipt(
    session: Session, key: str, actor_id: int, action: str, outcome: dict[str, str]
) -> None:
    session.add(
        ActionReceipt(
            key=key,
            actor_id=actor_id,
            action=action,
            outcome_json=json.dumps(outcome),
            created_at=clock.now(),
        )
    )
    session.flush()
