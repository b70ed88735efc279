"""Signed-in sessions: the session cookie resolved to the person asking, signing out,
ending sessions; and what Ma fiche shows of them (the browsers signed in now, the
recent sign-ins)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import Session, col, select, update

from o2portal.accounts.models import AuthAttempt, Customer, UserSession
from o2portal.accounts.passwords import token_hash
from o2portal.core import audit, clock
from o2portal.core.db import (
    after_reads,
    model_from_row,
    read_connection,
    read_session,
    transaction,
)
from o2portal.core.errors import NotAllowed
from o2portal.core.permissions import Actor, Role

SESSION_TOUCH_SECONDS = 60
SESSIONS_SHOWN = 50
SIGN_INS_SHOWN = 20


def live_customer(session: Session, customer_id: int) -> Customer:
    """The customer, unless the account was deleted (NotAllowed then)."""
    customer = session.get(Customer, customer_id)
    if customer is None or customer.deleted_at is not None:
        raise NotAllowed(f"no customer {customer_id}")
    return customer


@dataclass
class CurrentUser:
    """Who is asking, as resolved from the session cookie on the server."""

    customer: Customer
    session_id: int
    impersonator_id: int | None

    @property
    def actor(self) -> Actor:
        """What the doors are called with: this person, on behalf of the staff member
        acting as them when there is one. Staff without their second factor act as a
        customer: the staff area's doors refuse them."""
        if self.customer.is_staff and not self.customer.acts_as_staff:
            return Actor(self.customer.id, Role.CUSTOMER)
        return Actor.of(self.customer, on_behalf_of=self.impersonator_id)


_CUSTOMERS = Customer.__table__
_CUSTOMER_COLUMNS = tuple(_CUSTOMERS.columns)
_SESSIONS = UserSession.__table__.c
# The session's columns that decide whether it still holds, then its person's row: on the
# tables themselves (a Core statement, no ORM compilation), the token's hash bound later.
_RESOLVE = (
    select(
        _SESSIONS.id,
        _SESSIONS.revoked_at,
        _SESSIONS.expires_at,
        _SESSIONS.second_factor_ok,
        _SESSIONS.impersonator_id,
        _SESSIONS.last_seen_at,
        *_CUSTOMER_COLUMNS,
    )
    .join_from(UserSession.__table__, _CUSTOMERS, _SESSIONS.customer_id == _CUSTOMERS.c.id)
    .where(_SESSIONS.token_hash == bindparam("token_hash"))
)


def resolve_session(token: str | None) -> CurrentUser | None:
    """Who holds this session token, or None (unknown, revoked, expired, disabled, or still
    waiting for its second factor: only domain/totp.py deals with such a session).

    Every event of every page asks this: one indexed query (the token's unique hash) on
    a plain connection, its person built from the row, without an ORM session (half the
    time of one). The customer is a copy for reading, as any detached row would be."""
    if not token or len(token) > 200:
        return None
    now = clock.now()
    with read_connection() as connection:
        found = connection.execute(_RESOLVE, {"token_hash": token_hash(token)}).first()
        if found is None:
            return None
    session_id, revoked_at, expires_at, second_factor_ok, impersonator_id, last_seen = found[:6]
    if revoked_at is not None or expires_at <= now or not second_factor_ok:
        return None
    customer = model_from_row(
        Customer, {c.key: v for c, v in zip(_CUSTOMER_COLUMNS, found[6:], strict=True)}
    )
    if customer.disabled_at is not None or customer.deleted_at is not None:
        return None
    if impersonator_id is not None and not _may_still_act(impersonator_id):
        return None
    stale = last_seen is None or (now - last_seen).total_seconds() > SESSION_TOUCH_SECONDS
    if stale:
        after_reads(lambda: _touch(session_id, now))
    return CurrentUser(customer=customer, session_id=session_id, impersonator_id=impersonator_id)


def _touch(session_id: int, now) -> None:
    with transaction() as session:
        session.exec(
            update(UserSession).where(UserSession.id == session_id).values(last_seen_at=now)
        )


def _may_still_act(staff_id: int) -> bool:
    """An acting session lives only while the staff member behind it is an enabled admin
    (second factor still on) who has not logged out since it began."""
    with read_session() as session:
        staff = session.get(Customer, staff_id)
    if staff is None or staff.role != "admin" or staff.disabled_at is not None:
        return False
    if not staff.acts_as_staff:
        return False
    return staff.deleted_at is None


def log_out(token: str | None, *, ip: str | None = None) -> None:
    if not token or len(token) > 200:
        return
    with transaction() as session:
        row = session.exec(
            select(UserSession).where(UserSession.token_hash == token_hash(token))
        ).first()
        if row is None or row.revoked_at is not None:
            return
        row.revoked_at = clock.now()
        session.add(row)
        if row.impersonator_id is None:
            # A staff member who logs out ends the sessions they opened as customers too.
            end_acting_sessions(session, row.customer_id)
        customer = session.get(Customer, row.customer_id)
        audit.record(session, "auth.logout", actor=customer, ip=ip)


def end_acting_sessions(session: Session, staff_id: int) -> int:
    result = session.exec(
        update(UserSession)
        .where(UserSession.impersonator_id == staff_id, col(UserSession.revoked_at).is_(None))
        .values(revoked_at=clock.now())
    )
    return result.rowcount


def revoke_sessions(
    session: Session, customer_id: int, *, keep_session_id: int | None = None
) -> int:
    query = update(UserSession).where(
        UserSession.customer_id == customer_id, col(UserSession.revoked_at).is_(None)
    )
    if keep_session_id is not None:
        query = query.where(UserSession.id != keep_session_id)
    result = session.exec(query.values(revoked_at=clock.now()))
    return result.rowcount or 0


@dataclass
class SessionView:
    id: int
    device: str
    ip: str
    created_at: datetime
    last_seen_at: datetime | None
    current: bool
    staff: bool


def active_sessions(customer_id: int, current_session_id: int | None) -> list[SessionView]:
    """The browsers signed in to the account now, the most recently used first."""
    with read_session() as session:
        rows = session.exec(
            select(UserSession)
            .where(
                UserSession.customer_id == customer_id,
                col(UserSession.revoked_at).is_(None),
                col(UserSession.expires_at) > clock.now(),
                col(UserSession.second_factor_ok).is_(True),
            )
            .order_by(col(UserSession.last_seen_at).desc(), col(UserSession.id).desc())
            .limit(SESSIONS_SHOWN)
        ).all()
    return [
        SessionView(
            id=row.id,
            device=describe_device(row.user_agent),
            ip=row.ip or "",
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            current=row.id == current_session_id,
            staff=row.impersonator_id is not None,
        )
        for row in rows
    ]


def revoke_session(
    customer_id: int, session_id: int, current_session_id: int | None, *, ip: str = ""
) -> bool:
    """End one other session of this customer; any other id changes nothing."""
    if session_id == current_session_id:
        return False
    with transaction() as session:
        result = session.exec(
            update(UserSession)
            .where(
                UserSession.id == session_id,
                UserSession.customer_id == customer_id,
                col(UserSession.revoked_at).is_(None),
            )
            .values(revoked_at=clock.now())
        )
        if result.rowcount != 1:
            return False
        customer = live_customer(session, customer_id)
        audit.record(
            session,
            "profile.session_ended",
            actor=customer,
            ip=ip,
            target_type="user_session",
            target_id=session_id,
        )
    return True


def revoke_other_sessions(customer_id: int, current_session_id: int, *, ip: str = "") -> int:
    """ "Log out everywhere else": every session but this one ends."""
    with transaction() as session:
        customer = live_customer(session, customer_id)
        ended = revoke_sessions(session, customer_id, keep_session_id=current_session_id)
        audit.record(session, "profile.other_sessions_ended", actor=customer, ip=ip, count=ended)
    return ended


@dataclass
class SignInView:
    at: datetime
    ip: str
    device: str
    step: str  # password | code
    success: bool


def recent_sign_ins(customer_id: int) -> list[SignInView]:
    with read_session() as session:
        rows = session.exec(
            select(AuthAttempt)
            .where(
                AuthAttempt.customer_id == customer_id,
                col(AuthAttempt.kind).in_(("login", "totp")),
            )
            .order_by(col(AuthAttempt.created_at).desc(), col(AuthAttempt.id).desc())
            .limit(SIGN_INS_SHOWN)
        ).all()
    return [
        SignInView(
            at=row.created_at,
            ip=row.ip or "",
            device=describe_device(row.user_agent),
            step="code" if row.kind == "totp" else "password",
            success=row.success,
        )
        for row in rows
    ]


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe_device(user_agent: str | None) -> str:
    """ "Firefox · Windows" from a User-Agent header, enough to recognise one's browsers."""
    ua = user_agent or ""
    browser = next((name for mark, name in _BROWSERS if mark in ua), "")
    system = next((name for mark, name in _SYSTEMS if mark in ua), "")
    text = " · ".join(part for part in (browser, system) if part)
    if text:
        return text
    return re.sub(r"\s+", " ", ua)[:60] or "?"
