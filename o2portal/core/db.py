"""The database engine and the two ways to use it: read, or change in one transaction."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from pathlib import Path

from sqlalchemy import bindparam, event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import configure_mappers, make_transient_to_detached
from sqlmodel import Session, create_engine, select

from o2portal.core.errors import NotAllowed
from o2portal.core.settings import get_settings

log = logging.getLogger("o2portal.db")


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_on_connect(dbapi_conn, _record):  # pragma: no cover - driver hook
            # Let SQLAlchemy, not pysqlite, decide when transactions begin.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
            # lower() as PostgreSQL's and Python's, not ASCII only: "Élise" is found by
            # "élise" (staff searches, through the index on lower(last_name)).
            dbapi_conn.create_function("lower", 1, _lower, deterministic=True)

        @event.listens_for(engine, "begin")
        def _sqlite_on_begin(conn):  # pragma: no cover - driver hook
            # Writers take the write lock up front so that two writers never
            # both read a counter and then collide; readers stay concurrent.
            if conn.get_execution_options().get("o2_write"):
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.exec_driver_sql("BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


@event.listens_for(Session, "do_orm_execute")
def _locked_reads_are_fresh(state) -> None:
    """A row read under a lock (SELECT … FOR UPDATE) is the row as it is now, even when
    the session already holds an older copy of it: otherwise the identity map hands
    back the stale copy, and a balance or a counter checked under the lock is the one
    read before the lock was granted (a lost update that SQLite's single writer hides,
    and PostgreSQL shows)."""
    if state.is_select and getattr(state.statement, "_for_update_arg", None) is not None:
        state.update_execution_options(populate_existing=True)


@lru_cache(maxsize=4)
def _engine_for(url: str) -> Engine:
    return _make_engine(url)


def get_engine() -> Engine:
    return _engine_for(get_settings().database_url)


def is_sqlite() -> bool:
    return get_engine().dialect.name == "sqlite"


@contextmanager
def transaction() -> Iterator[Session]:
    """One write transaction: committed when the block ends, rolled back on any error."""
    engine = get_engine()
    with engine.connect() as conn:
        conn = conn.execution_options(o2_write=True)
        with Session(bind=conn, expire_on_commit=False) as session:
            with conn.begin():
                yield session
                session.flush()
            callbacks = session.info.pop(_AFTER_COMMIT, [])
    # Committed, and the connection given back: what was promised to the outside world.
    for callback in callbacks:
        try:
            callback()
        except Exception:  # noqa: BLE001 - what is durable is retried by its own job
            log.exception("after-commit step failed")


_AFTER_COMMIT = "o2_after_commit"


def after_commit(session: Session, callback: Callable[[], object]) -> None:
    """Run `callback` once the transaction of `session` has committed (never if it rolls
    back), outside it. For side effects that are also written down durably in the same
    transaction, so that a failure here is only a delay."""
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


def serialize_on(session: Session, name: str) -> None:
    """Make concurrent write transactions about `name` (an account's sign-in counter, say)
    run one after the other. SQLite's write transactions already do (BEGIN IMMEDIATE);
    PostgreSQL takes a transaction-scoped advisory lock."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})


# The session that the reads of one page share while `one_read` runs, with the thread it
# belongs to (a session is never used by two threads) and the writes waiting for its end.
_shared_read: ContextVar[tuple[int, Session, list[Callable[[], object]]] | None] = ContextVar(
    "o2_shared_read", default=None
)


@contextmanager
def one_read() -> Iterator[None]:
    """The reads made in this thread while the block runs (read_session, read_connection)
    share one session and its connection: one connection taken and one transaction begun
    for a page's whole load, instead of one per read (some 75 µs each), and every read of
    it sees the same moment. Only for reads: a write inside it goes through `after_reads`,
    once the connection is back in the pool."""
    if _shared_read.get() is not None:
        yield
        return
    waiting: list[Callable[[], object]] = []
    try:
        with Session(get_engine(), expire_on_commit=False) as session:
            if session.get_bind().dialect.name == "postgresql":
                # One moment for the whole block, as SQLite's read transaction gives: at
                # READ COMMITTED each statement would see its own (a thread's version
                # and its messages, read one after the other, must agree).
                session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
            mark = _shared_read.set((threading.get_ident(), session, waiting))
            try:
                yield
            finally:
                _shared_read.reset(mark)
    finally:
        for write in waiting:
            _best_effort(write)


def after_reads(write: Callable[[], object]) -> None:
    """Run `write` (its own `transaction`) at once, or, within `one_read`, when the shared
    connection has gone back to the pool: a thread never holds a connection while it
    waits for another (threads doing so by the pool's size would wait for each other
    until the pool's timeout). For a write that nothing read depends on and whose
    failure must not fail the page (a session's last-seen time): a failure is logged."""
    shared = _shared_read.get()
    if shared is not None and shared[0] == threading.get_ident():
        shared[2].append(write)
    else:
        _best_effort(write)


def _best_effort(write: Callable[[], object]) -> None:
    try:
        write()
    except Exception:  # noqa: BLE001 - the page's reads are done; the next event retries
        log.exception("write after the reads failed")


def _shared_session() -> Session | None:
    shared = _shared_read.get()
    if shared is not None and shared[0] == threading.get_ident():
        return shared[1]
    return None


@contextmanager
def read_connection() -> Iterator[Connection]:
    """A plain connection for reading, without an ORM session (for the reads made at
    every click: a statement built once, its values bound); what it began is rolled
    back when it closes. Within `one_read`, the shared session's connection."""
    shared = _shared_session()
    if shared is not None:
        yield shared.connection()
        return
    with get_engine().connect() as connection:
        yield connection


def model_from_row(model, values: dict):
    """An instance of a table model holding `values` (every column of a row read on a
    plain connection), put together as the ORM puts a loaded row together: its values
    placed at once, without an attribute event per column. A copy for reading, as a
    detached row is. The session's resolution builds one at every event: 4 µs this way,
    47 µs through the model's constructor."""
    configure_mappers()  # as a constructor would: a no-op once done
    instance = model._sa_class_manager.new_instance()
    instance.__dict__.update(values)
    object.__setattr__(instance, "__pydantic_fields_set__", set(values))
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance


def read_models(model, statement, params: dict, session: Session | None = None) -> list:
    """The rows of `model` that `statement` (a select of the model's columns, built once)
    reads on a plain connection, each put together by model_from_row: for the reads a
    page makes at each opening, without an ORM session's cost per statement (some
    0.1 ms). On `session`'s connection when given (the same moment as its other reads),
    else on read_connection's. Copies for reading, as detached rows are: not the
    session's own instances (its `get` would read the row again)."""
    if session is not None:
        return _models(model, session.connection().execute(statement, params))
    with read_connection() as connection:
        return _models(model, connection.execute(statement, params))


def held_or_read(session: Session, model, row_id):
    """`session.get(model, row_id)` for the reads at each page's opening, at half its
    cost: the session's own instance if it holds the row (read again through `get` if
    the session has expired it); else the row read by id on the session's connection
    (a statement built once per model), put together by model_from_row and taken into
    the session as a row it loaded itself, so that its later gets of it read nothing.
    None if there is no such row."""
    held = session.identity_map.get(session.identity_key(model, row_id))
    if held is not None:
        return session.get(model, row_id) if inspect(held).expired_attributes else held
    found = read_models(model, _by_id(model), {"row_id": row_id}, session)
    if not found:
        return None
    row = found[0]
    # The key as the row gives it (an id asked as "1" is the row of id 1).
    held = session.identity_map.get(session.identity_key(model, row.id))
    if held is not None:
        return held
    make_transient_to_detached(row)
    session.add(row)
    return row


@cache
def _by_id(model):
    return select(model).where(model.id == bindparam("row_id"))


def _models(model, result) -> list:
    keys = list(result.keys())
    return [model_from_row(model, dict(zip(keys, row, strict=True))) for row in result]


@contextmanager
def read_session() -> Iterator[Session]:
    """A session for reading; nothing it does is committed. Within `one_read`, the
    shared one."""
    shared = _shared_session()
    if shared is not None:
        yield shared
        return
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session


def existing(session: Session, model, row_id, missing: str):
    """The row of that id, or NotAllowed(missing) when there is none (a stale page, an id
    made up)."""
    row = session.get(model, row_id)
    if row is None:
        raise NotAllowed(missing)
    return row
