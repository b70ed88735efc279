"""The portal as `make run-scaled` runs it: PostgreSQL, Redis and two workers. Run apart
from the other browser tests (`make test-e2e` runs this folder in a pytest of its own),
since a session starts one app."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

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
    port, proxy_port = _free_port(), _free_port()
    database = PG_SERVER.rsplit("/", 1)[0] + f"/o2portal_scaled_{uuid.uuid4().hex[:8]}"
    create_database(database)
    redis.Redis.from_url(REDIS).flushdb()
    # The workers claim their CPUs (web/cpu.py) among themselves, not against a portal
    # that another run left going on this machine.
    (work / "tmp").mkdir()
    env = {
        "TMPDIR": str(work / "tmp"),
        "O2PORTAL_DATABASE_URL": database,
        "O2PORTAL_REDIS_URL": REDIS,
        "GRANIAN_WORKERS": str(WORKERS),
        "O2PORTAL_DATA_DIR": str(work / "data"),
        # The browser comes through the reverse proxy, as in production.
        "O2PORTAL_BASE_URL": f"http://localhost:{proxy_port}",
        "O2PORTAL_TRUSTED_PROXY_HOPS": "1",
        "O2PORTAL_SMTP_HOST": smtp.host,
        "O2PORTAL_SMTP_PORT": str(smtp.port),
        "O2PORTAL_SECRET_KEY": "e2e-secret-key-not-for-production-0123456789",
    }
    # As `make run-scaled` starts it: Reflex's run, with dead workers started again.
    launcher = [sys.executable, "-m", "o2portal.web.run_scaled"]
    return {
        "env": env,
        "port": port,
        "proxy_port": proxy_port,
        "work": work,
        "launcher": launcher,
    }


NGINX_CONF = Path(__file__).resolve().parents[3] / "deploy" / "nginx.conf"


@pytest.fixture(scope="session")
def base_url(base_url, app_env):
    """The app's address through nginx, run with deploy/nginx.conf as it is in the repo
    but for its ports and its files' places."""
    work = app_env["work"] / "nginx"
    work.mkdir(exist_ok=True)
    conf = NGINX_CONF.read_text()
    port = app_env["proxy_port"]
    conf = conf.replace("listen 8080;", f"listen 127.0.0.1:{port};\n        listen [::1]:{port};")
    conf = conf.replace("server 127.0.0.1:3000;", f"server 127.0.0.1:{app_env['port']};")
    conf = conf.replace("/tmp/o2portal-nginx", str(work / "nginx"))
    (work / "nginx.conf").write_text(conf)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    proc = subprocess.Popen(
        [nginx, "-c", str(work / "nginx.conf"), "-p", str(work), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=(work / "error.log").open("w"),
    )
    url = f"http://localhost:{app_env['proxy_port']}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/ping", timeout=2)
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError((work / "error.log").read_text())
    yield url
    proc.terminate()
    proc.wait(timeout=10)
