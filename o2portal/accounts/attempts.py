"""Brakes on abuse, shared by sign-up, sign-in, the second factor and the lost password:
the attempts counted per account or per client address, and one-time links (found only
while unused and in time) that can be used once only."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select, update

from o2portal.accounts.models import AuthAttempt
from o2portal.accounts.passwords import token_hash
from o2portal.core import clock

# A client address may fail this many times more than one account before it is stopped.
IP_FAILURE_FACTOR = 4


def count_attempts(
    session: Session, kind: str, since, *, email=None, ip=None, failures_only: bool = False
) -> int:
    """The attempts of this kind since then, for this address and/or client address (only
    the failed ones with failures_only)."""
    query = (
        select(func.count())
        .select_from(AuthAttempt)
        .where(AuthAttempt.kind == kind, col(AuthAttempt.created_at) > since)
    )
    if failures_only:
        query = query.where(col(AuthAttempt.success).is_(False))
    if email is not None:
        query = query.where(AuthAttempt.email == email)
    if ip is not None:
        query = query.where(AuthAttempt.ip == ip)
    return session.exec(query).one()


def use_once(session: Session, model, row_id: int) -> bool:
    """Mark a one-time token used, if nobody did first: a conditional UPDATE, so that two
    requests racing with the same link cannot both use it, on any database."""
    result = session.exec(
        update(model)
        .where(model.id == row_id, col(model.used_at).is_(None))
        .values(used_at=clock.now())
    )
    return result.rowcount == 1


def unused_link(session: Session, model, token: str, *, column: str = "token_hash"):
    """The row of this one-time link (or login ticket), if it exists, is not used yet and
    has not expired; None otherwise."""
    row = session.exec(select(model).where(getattr(model, column) == token_hash(token))).first()
    if row is None or row.used_at is not None or row.expires_at < clock.now():
        return None
    return row
