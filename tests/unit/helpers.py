"""Helpers shared by the unit and security tests. They go through the real domain
functions and the real database; nothing is mocked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, func
from sqlmodel import select

from o2portal.accounts import auth, signup
from o2portal.accounts.models import Customer
from o2portal.accounts.signup import SignupForm
from o2portal.core import clock
from o2portal.core.db import get_engine, read_session, transaction
from o2portal.core.permissions import Actor
from o2portal.mail.models import OutboxEmail

PASSWORD = "Correct-Horse-42"
EMAIL = "jean.dupont@example.com"


def signup_form(**overrides) -> SignupForm:
    """A sign-up form a French consumer would fill in correctly."""
    values = {
        "account_type": "particulier",
        "first_name": "Jean",
        "last_name": "Dupont",
        "email": EMAIL,
        "phone": "06 12 34 56 78",
        "address_line1": "12 rue de la Roquette",
        "postal_code": "75011",
        "city": "Paris",
        "country": "FR",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "accept_terms": True,
    }
    values.update(overrides)
    return SignupForm(**values)


def make_customer(email: str = EMAIL, password: str = PASSWORD, **overrides) -> Customer:
    """Sign a customer up through signup.sign_up (one bcrypt hash, about 0.25 s)."""
    return signup.sign_up(
        signup_form(email=email, password=password, password_confirm=password, **overrides),
        ip="192.0.2.10",
    )


def get_customer(customer_id: int) -> Customer:
    with read_session() as session:
        return session.get(Customer, customer_id)


def update_customer(customer_id: int, **values) -> None:
    with transaction() as session:
        customer = session.get(Customer, customer_id)
        for name, value in values.items():
            setattr(customer, name, value)
        session.add(customer)


def make_staff(customer_id: int, role: str = "admin") -> None:
    """Make an account staff, with its second factor on (the staff area needs it)."""
    update_customer(
        customer_id, role=role, totp_secret="JBSWY3DPEHPK3PXP", totp_enabled_at=clock.now()
    )


def count(model) -> int:
    with read_session() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def rows(model) -> list:
    with read_session() as session:
        return list(session.exec(select(model).order_by(model.id)).all())


def outbox(kind: str | None = None) -> list[OutboxEmail]:
    with read_session() as session:
        query = select(OutboxEmail).order_by(OutboxEmail.id)
        if kind is not None:
            query = query.where(OutboxEmail.kind == kind)
        return list(session.exec(query).all())


def link_token(body: str, path: str) -> str:
    """The token of the link to `path` (e.g. "/verify-email") found in a mail body."""
    match = re.search(re.escape(path) + r"\?token=([A-Za-z0-9_\-]+)", body)
    assert match, f"no {path}?token= link in:\n{body}"
    return match.group(1)


def open_session(email: str = EMAIL, password: str = PASSWORD, ip: str = "192.0.2.20") -> str:
    """Log in and trade the ticket for a session token, as the browser would."""
    result = auth.log_in(email, password, ip=ip, user_agent="pytest")
    assert result.ok, result
    new = auth.exchange_ticket(result.ticket, ip=ip, user_agent="pytest")
    assert new is not None
    return new.token


def actor(person) -> Actor:
    """The Actor a door is called with: a person row, or its id (its role read here)."""
    if isinstance(person, int):
        person = get_customer(person)
    return Actor.of(person)


@contextmanager
def statements_run(prefix: str = "") -> Iterator[list[str]]:
    """The SQL statements that start with `prefix` ("SELECT customer.", say), run while
    the block runs, their whitespace folded: what a read really asks of the database."""
    seen: list[str] = []

    def catch(conn, cursor, statement, parameters, context, executemany):
        folded = " ".join(statement.split())
        if folded.upper().startswith(prefix.upper()):
            seen.append(folded)

    event.listen(get_engine(), "before_cursor_execute", catch)
    try:
        yield seen
    finally:
        event.remove(get_engine(), "before_cursor_execute", catch)
