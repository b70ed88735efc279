"""Shared fixtures: a real, migrated database per test, copied from one migrated template
per test process (migrating for every test was most of the suite's time).

The suite runs on SQLite by default and on PostgreSQL with O2PORTAL_TEST_DB=postgresql
(`make test` runs both): each test then gets its own database, made with
CREATE DATABASE … TEMPLATE from a migrated one, on the server at O2PORTAL_TEST_PG_URL.
"""

from __future__ import annotations

import itertools
import os
import shutil
import uuid

import pytest

os.environ.setdefault("O2PORTAL_SECRET_KEY", "test-secret-key-for-o2portal-tests-only")

BACKEND = os.environ.get("O2PORTAL_TEST_DB", "sqlite")
PG_URL = os.environ.get(
    "O2PORTAL_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def pytest_configure(config):
    # bcrypt at cost 4 in this process only; production stays at 12 or more, which
    # tests/unit/test_auth.py checks in a fresh process.
    from o2portal.accounts.passwords import use_cheap_hashes_for_tests

    use_cheap_hashes_for_tests()


def pytest_report_header(config):
    return f"o2portal database: {BACKEND}"


def _pg_admin():
    from sqlalchemy import create_engine

    return create_engine(PG_URL, isolation_level="AUTOCOMMIT", pool_size=1)


def _pg_url(name: str) -> str:
    return PG_URL.rsplit("/", 1)[0] + "/" + name


def _migrate(url: str) -> None:
    from sqlalchemy import text

    from o2portal.core.db import get_engine
    from o2portal.core.migrate import upgrade_database
    from o2portal.core.settings import reload_settings

    previous = os.environ.get("O2PORTAL_DATABASE_URL")
    os.environ["O2PORTAL_DATABASE_URL"] = url
    reload_settings()
    try:
        upgrade_database()
        engine = get_engine()
        if url.startswith("sqlite"):
            with engine.connect() as conn:
                conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        engine.dispose()
    finally:
        if previous is None:
            os.environ.pop("O2PORTAL_DATABASE_URL", None)
        else:
            os.environ["O2PORTAL_DATABASE_URL"] = previous
        reload_settings()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """One database migrated to head, made once per test process: a SQLite file, or a
    PostgreSQL database used as a template (dropped at the end)."""
    if BACKEND == "postgresql":
        from sqlalchemy import text

        name = f"o2t_tmpl_{uuid.uuid4().hex[:12]}"
        admin = _pg_admin()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        _migrate(_pg_url(name))
        yield name
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        return
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrate(f"sqlite:///{path}")
    yield path


_numbers = itertools.count()


def _actions_without_sentence() -> list[str]:
    """The actions this test wrote to the audit log that the log cannot say in words
    (reporting/audit_log.py, o2portal/core/i18n/parts/audit.py)."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    from o2portal.core.db import get_engine
    from o2portal.reporting.audit_log import has_sentence

    try:
        with get_engine().connect() as conn:
            actions = {
                row[0] for row in conn.execute(text("SELECT DISTINCT action FROM audit_event"))
            }
    except SQLAlchemyError:  # a test that broke its own database on purpose
        return []
    return sorted(a for a in actions if not has_sentence(a))


@pytest.fixture
def db(tmp_path, monkeypatch, migrated_template):
    """A fresh database at the latest migration; settings point at it for the test."""
    from o2portal.core.db import get_engine
    from o2portal.core.settings import reload_settings

    if BACKEND == "postgresql":
        from sqlalchemy import text

        name = f"{migrated_template}_{next(_numbers)}"
        admin = _pg_admin()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{migrated_template}"'))
        url = _pg_url(name)
    else:
        target = tmp_path / "test.db"
        shutil.copyfile(migrated_template, target)
        url = f"sqlite:///{target}"
    monkeypatch.setenv("O2PORTAL_DATABASE_URL", url)
    monkeypatch.setenv("O2PORTAL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("O2PORTAL_SMTP_HOST", "")
    reload_settings()
    yield
    unsaid = _actions_without_sentence()
    get_engine().dispose()
    reload_settings()
    if BACKEND == "postgresql":
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    assert not unsaid, f"audit actions without a sentence in words: {unsaid}"


@pytest.fixture(autouse=True)
def refusals_counted_afresh():
    """The audit log's limit on refusals counts per minute in memory: each test starts
    from nothing, as if a minute had passed."""
    from o2portal.web.guards import forget_refusals

    forget_refusals()
    yield


@pytest.fixture(autouse=True)
def clock_left_running():
    """A test that leaves the clock frozen would make every later test travel in time."""
    yield
    from o2portal.core import clock

    leaked, clock._frozen = clock._frozen, None
    assert leaked is None, f"the test left the clock frozen at {leaked}"
