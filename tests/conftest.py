"""Shared fixtures: a real, migrated SQLite database per test, copied from one migrated
template per test process (migrating for every test was most of the suite's time)."""

from __future__ import annotations

import os
import shutil

import pytest

os.environ.setdefault("O2PORTAL_SECRET_KEY", "test-secret-key-for-o2portal-tests-only")


def pytest_configure(config):
    # bcrypt at cost 4 in this process only; production stays at 12 or more, which
    # tests/unit/test_auth.py checks in a fresh process.
    from o2portal.accounts.passwords import use_cheap_hashes_for_tests

    use_cheap_hashes_for_tests()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """One database migrated to head, made once per test process."""
    from sqlalchemy import text

    from o2portal.core.db import get_engine
    from o2portal.core.migrate import upgrade_database
    from o2portal.core.settings import reload_settings

    path = tmp_path_factory.mktemp("template") / "template.db"
    previous = os.environ.get("O2PORTAL_DATABASE_URL")
    os.environ["O2PORTAL_DATABASE_URL"] = f"sqlite:///{path}"
    reload_settings()
    try:
        upgrade_database()
        engine = get_engine()
        with engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        engine.dispose()
    finally:
        if previous is None:
            os.environ.pop("O2PORTAL_DATABASE_URL", None)
        else:
            os.environ["O2PORTAL_DATABASE_URL"] = previous
        reload_settings()
    return path


@pytest.fixture
def db(tmp_path, monkeypatch, migrated_template):
    """A fresh database at the latest migration; settings point at it for the test."""
    from o2portal.core.settings import reload_settings

    target = tmp_path / "test.db"
    shutil.copyfile(migrated_template, target)
    monkeypatch.setenv("O2PORTAL_DATABASE_URL", f"sqlite:///{target}")
    monkeypatch.setenv("O2PORTAL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("O2PORTAL_SMTP_HOST", "")
    reload_settings()
    yield
    reload_settings()


@pytest.fixture(autouse=True)
def clock_left_running():
    """A test that leaves the clock frozen would make every later test travel in time."""
    yield
    from o2portal.core import clock

    leaked, clock._frozen = clock._frozen, None
    assert leaked is None, f"the test left the clock frozen at {leaked}"
