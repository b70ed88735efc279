"""Writing the audit log: who did what, when and from where."""

from __future__ import annotations

import json
from typing import Protocol

from sqlmodel import Session

from o2portal.core import clock
from o2portal.core.models import AuditEvent


class Person(Protocol):
    """Who acts: a customer or staff row, or an Actor (an id and a role)."""

    id: int
    role: str


def record(
    session: Session,
    action: str,
    *,
    actor: Person | None = None,
    customer_id: int | None = None,
    target_type: str | None = None,
    target_id: int | None = None,
    ip: str | None = None,
    **details,
) -> AuditEvent:
    event = AuditEvent(
        created_at=clock.now(),
        actor_id=actor.id if actor else None,
        actor_role=actor.role if actor else "anonymous",
        # The customer the event concerns: given, or the customer acting; staff work on
        # the catalogue or the settings concerns no customer.
        customer_id=customer_id
        if customer_id is not None
        else (actor.id if actor and actor.role == "customer" else None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        ip=ip,
        details_json=json.dumps(details, default=str, ensure_ascii=False),
    )
    session.add(event)
    return event


def about(
    session: Session,
    action: str,
    target,
    *,
    actor: Person | None = None,
    ip: str | None = None,
    **details,
) -> AuditEvent:
    """`record` about one row: its kind (its table's name, or `__audit_name__`) and id,
    and the customer it belongs to (its customer_id; a customer row is its own)."""
    kind = getattr(type(target), "__audit_name__", None) or target.__tablename__
    customer_id = target.id if kind == "customer" else getattr(target, "customer_id", None)
    return record(
        session,
        action,
        actor=actor,
        customer_id=customer_id,
        target_type=kind,
        target_id=target.id,
        ip=ip,
        **details,
    )
