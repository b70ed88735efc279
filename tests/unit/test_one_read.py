"""core/db.one_read: a page's reads share one session and one connection, in the thread
that opened it only, and a write inside it is a transaction of its own."""

from __future__ import annotations

import threading

from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.core.db import (
    after_reads,
    get_engine,
    one_read,
    read_connection,
    read_session,
    transaction,
)
from tests.unit.helpers import make_customer


def test_reads_within_share_one_session_and_its_connection(db):
    make_customer()
    with one_read():
        with read_session() as first:
            customer = first.exec(select(Customer)).one()
        with read_session() as second:
            assert second is first
            assert second.get(Customer, customer.id) is customer  # one identity map
        with read_connection() as connection:
            assert connection is first.connection()
    with read_session() as after, read_session() as other:
        assert after is not first and other is not after


def test_nested_scopes_keep_the_outer_session(db):
    with one_read(), read_session() as outer:
        with one_read(), read_session() as inner:
            assert inner is outer
        with read_session() as again:
            assert again is outer


def test_another_thread_does_not_share_it(db):
    """A session is never used by two threads: one started inside the scope (the context
    is copied into it, as asyncio.to_thread does) opens its own."""
    import contextvars

    seen = {}

    def in_thread():
        with read_session() as session:
            seen["thread"] = session

    with one_read(), read_session() as mine:
        worker = threading.Thread(target=contextvars.copy_context().run, args=(in_thread,))
        worker.start()
        worker.join()
    assert seen["thread"] is not mine


def test_a_write_inside_is_committed_on_its_own(db):
    customer = make_customer()
    with one_read():
        with read_session() as session:
            assert session.get(Customer, customer.id).city == "Paris"
        with transaction() as writing:
            assert writing is not session
            writing.get(Customer, customer.id).city = "Lyon"
    with read_session() as fresh:
        assert fresh.get(Customer, customer.id).city == "Lyon"


def test_every_read_of_the_block_sees_one_moment(db):
    """On both databases: a row committed meanwhile by another transaction is not seen by
    the block's later reads (PostgreSQL's default, READ COMMITTED, would show it)."""
    customer = make_customer()
    city = select(Customer.city).where(Customer.id == customer.id)
    with one_read():
        with read_connection() as connection:
            assert connection.execute(city).scalar_one() == "Paris"
        with transaction() as writing:
            writing.get(Customer, customer.id).city = "Lyon"
        with read_connection() as connection:
            assert connection.execute(city).scalar_one() == "Paris"
    with read_connection() as connection:
        assert connection.execute(city).scalar_one() == "Lyon"


def test_an_error_inside_leaves_no_scope_behind(db):
    try:
        with one_read(), read_session() as inside:
            raise LookupError("a refused read")
    except LookupError:
        pass
    with read_session() as after:
        assert after is not inside


def test_a_write_asked_within_waits_for_the_connection_to_go_back(db):
    """after_reads: at once outside the scope; within it, once the shared connection is
    back in the pool (never two held by one thread), even from a nested scope."""
    engine = get_engine()
    done: list[tuple[str, int]] = []
    after_reads(lambda: done.append(("outside", engine.pool.checkedout())))
    assert done == [("outside", 0)]
    with one_read():
        with read_session() as session:
            session.exec(select(Customer)).all()
        with one_read():
            after_reads(lambda: done.append(("within", engine.pool.checkedout())))
        assert done == [("outside", 0)]
    assert done == [("outside", 0), ("within", 0)]


def test_a_failed_write_after_the_reads_fails_nothing_and_is_logged(db, caplog):
    """The writes asked with after_reads (a session's last-seen time) are best effort: one
    that fails is logged, the next still runs, and the page's reads stand, or their own
    error is the one raised."""
    done: list[str] = []

    def failing():
        raise RuntimeError("database is locked")

    with one_read():
        after_reads(failing)
        after_reads(lambda: done.append("second"))
    assert done == ["second"]
    assert "write after the reads failed" in caplog.text
    try:
        with one_read():
            after_reads(failing)
            raise LookupError("the page's own error")
    except LookupError as exc:
        assert str(exc) == "the page's own error"
    after_reads(failing)  # outside a scope: at once, and logged too
    assert caplog.text.count("write after the reads failed") == 3
