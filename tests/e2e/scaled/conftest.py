"""The portal as `make run-scaled` runs it: PostgreSQL, Redis and two workers. Run apart
from the other browser tests (`make test-e2e` runs this folder in a pytest of its own),
since a session starts one app."""

from __future__ import annotations

import os
import sys
import uuid

import pytest

from tests.e2e.conftest import _free_port

PG_SERVER = os.environ.get(
    "O2PORTAL_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS = os.environ.get("O2PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
WORKERS = 2


@pytest.fixture(scope="session")
def app_env(tmp_path_factory, smtp):
    """A database of its own on the PostgreSQL server, a Redis database emptied first, and
    two workers."""
    import redis

    from scripts.pg_database import main as create_database

    work = tmp_path_factory.mktemp("o2portal-scaled")
    port = _free_port()
    database = PG_SERVER.rsplit("/", 1)[0] + f"/o2portal_scaled_{uuid.uuid4().hex[:8]}"
    create_database(database)
    redis.Redis.from_url(REDIS).flushdb()
    env = {
        "O2PORTAL_DATABASE_URL": database,
        "O2PORTAL_REDIS_URL": REDIS,
        "GRANIAN_WORKERS": str(WORKERS),
        "O2PORTAL_DATA_DIR": str(work / "data"),
        "O2PORTAL_BASE_URL": f"http://localhost:{port}",
        "O2PORTAL_SMTP_HOST": smtp.host,
        "O2PORTAL_SMTP_PORT": str(smtp.port),
        "O2PORTAL_SECRET_KEY": "e2e-secret-key-not-for-production-0123456789",
    }
    # As `make run-scaled` starts it: Reflex's run, with dead workers started again.
    launcher = [sys.executable, "-m", "o2portal.web.run_scaled"]
    return {"env": env, "port": port, "work": work, "launcher": launcher}
