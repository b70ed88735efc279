"""Shared fixtures: a real, migrated SQLite database per test."""

from __future__ import annotations

import os

import pytest

# Keep bcrypt at the minimum the rules allow (12); tests must not lower it.
os.environ.setdefault("O2PORTAL_SECRET_KEY", "test-secret-key-for-o2portal-tests-only")


@pytest.fixture
def db(tmp_path, monkeypatch):
    """A fresh database migrated to head; settings point at it for the test."""
    from o2portal.core.migrate import upgrade_database
    from o2portal.core.settings import reload_settings

    monkeypatch.setenv("O2PORTAL_DATABASE_URL", f"sqlite:///{tmp_path / 'test.db'}")
    monkeypatch.setenv("O2PORTAL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("O2PORTAL_SMTP_HOST", "")
    reload_settings()
    upgrade_database()
    yield
    reload_settings()


@pytest.fixture(autouse=True)
def clock_left_running():
    """A test that leaves the clock frozen would make every later test travel in time."""
    yield
    from o2portal.core import clock

    leaked, clock._frozen = clock._frozen, None
    assert leaked is None, f"the test left the clock frozen at {leaked}"
