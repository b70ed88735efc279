"""Browser tests: the real app in production mode, a real SMTP server, real Chromium.

One server for the whole run (the frontend build takes a minute): a temporary SQLite
database with the demo data, mail delivered to an aiosmtpd sink in this process.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.smtp_server import SmtpSink

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("O2PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "Demo-o2portal-2026"
ARTIFACTS = ROOT / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_ping(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app stopped while starting:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url + "/ping", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError(f"the app did not answer within {timeout}s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def smtp():
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def app_env(tmp_path_factory, smtp):
    """Environment shared by the app process and this test process (same database)."""
    work = tmp_path_factory.mktemp("o2portal-e2e")
    port = _free_port()
    env = {
        "O2PORTAL_DATABASE_URL": f"sqlite:///{work / 'e2e.db'}",
        "O2PORTAL_DATA_DIR": str(work / "data"),
        "O2PORTAL_BASE_URL": f"http://localhost:{port}",
        "O2PORTAL_SMTP_HOST": smtp.host,
        "O2PORTAL_SMTP_PORT": str(smtp.port),
        "O2PORTAL_SECRET_KEY": "e2e-secret-key-not-for-production-0123456789",
    }
    return {"env": env, "port": port, "work": work}


_START_FAILURE: list[BaseException] = []


@pytest.fixture(scope="session")
def base_url(app_env):
    # A failed start is reported once, not retried for every test.
    if _START_FAILURE:
        pytest.fail(f"the app could not start: {_START_FAILURE[0]}", pytrace=False)
    env = {**os.environ, **app_env["env"]}
    env.update(
        REFLEX_USE_NPM="1",
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="false",
        PATH=f"{Path(sys.executable).parent}:{env.get('PATH', '')}",
    )
    subprocess.run(
        [str(Path(sys.executable).parent / "o2portal"), "seed-demo"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    port = app_env["port"]
    log = app_env["work"] / "app.log"
    with log.open("w") as out:
        launcher = app_env.get("launcher") or [str(Path(sys.executable).parent / "reflex")]
        proc = subprocess.Popen(
            [
                *launcher,
                "run",
                "--env",
                "prod",
                "--frontend-port",
                str(port),
                "--backend-port",
                str(port),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://localhost:{port}"
    try:
        try:
            _wait_for_ping(url, proc, log, timeout=600)
        except RuntimeError as exc:
            _START_FAILURE.append(exc)
            raise
        yield url
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def shared_db(app_env):
    """Point this process's settings at the app's database, to check what was saved."""
    from o2portal.core.settings import reload_settings

    previous = {k: os.environ.get(k) for k in app_env["env"]}
    os.environ.update(app_env["env"])
    reload_settings()
    yield
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    reload_settings()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser: Browser, base_url, shared_db, request):
    """Make as many independent browsers (contexts) as a test needs."""
    contexts: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        context = browser.new_context(base_url=base_url, locale="fr-FR", **options)
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context

    yield make
    failed = getattr(request.node, "rep_call", None)
    for i, context in enumerate(contexts):
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            for j, page in enumerate(context.pages):
                name = re.sub(r"[^\w]+", "_", request.node.name)
                page.screenshot(path=str(ARTIFACTS / f"{name}-{i}-{j}.png"), full_page=True)
        context.close()


@pytest.fixture
def page(new_context) -> Page:
    return new_context().new_page()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


# The demo's staff accounts: their second factor is on (the staff area needs one).
DEMO_STAFF = ("admin@o2portal.example", "support@o2portal.example")


def log_in(page: Page, email: str, password: str = DEMO_PASSWORD, next_path: str = "/") -> None:
    page.goto("/login?next=" + next_path)
    # The page reads ?next= when it connects: typing before that would lose it.
    page.locator("#o2-hydrated").wait_for(state="attached")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.get_by_role("button", name=re.compile("Se connecter|Log in")).click()
    if email in DEMO_STAFF and password == DEMO_PASSWORD:
        give_staff_code(page, email)


def give_staff_code(page: Page, email: str) -> None:
    """The second step of a demo staff member's sign-in: the code of their authenticator
    (the demo's public secret), typed on the code page as they would.

    The tests sign staff in many times a minute, faster than the 30-second step, and a
    code already used is refused (replay). So the earlier successful codes of this account
    are dated back by three steps first: the one thing the tests change in the rule."""
    from sqlmodel import select

    from o2portal.accounts.models import AuthAttempt, Customer
    from o2portal.core.db import transaction
    from o2portal.demo.specs import DEMO_STAFF_TOTP_SECRET

    page.wait_for_url(re.compile(r"/two-factor"))
    page.locator("#o2-hydrated").wait_for(state="attached")
    with transaction() as session:
        person = session.exec(select(Customer).where(Customer.email == email)).one()
        used = session.exec(
            select(AuthAttempt).where(
                AuthAttempt.kind == "totp",
                AuthAttempt.customer_id == person.id,
                AuthAttempt.success == True,  # noqa: E712
            )
        ).all()
        for attempt in used:
            attempt.created_at = attempt.created_at - timedelta(seconds=90)
            session.add(attempt)
    page.locator("#code").fill(pyotp.TOTP(DEMO_STAFF_TOTP_SECRET).now())
    page.get_by_role("button", name=re.compile("Vérifier|Verify")).click()


def wait_signed_in(page: Page) -> None:
    page.locator("#who").wait_for()


def eventually(check, timeout: float = 10.0):
    """Wait until check() returns a truthy value (the app works in another process)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


FRESH_PASSWORD = "Profil-e2e-mot-de-passe"


def fresh_customer(name: str) -> str:
    """A new customer of our own: the demo accounts are shared by every test, and some
    tests change their password or their data."""
    from o2portal.accounts import signup

    # A domain of its own: sign-ups are slowed past 20 a day for one email domain.
    tag = uuid.uuid4().hex[:8]
    email = f"{name}.{tag}@{tag}.exemple.fr"
    signup.sign_up(
        signup.SignupForm(
            first_name="Camille",
            last_name="Profil",
            email=email,
            phone="06 12 34 56 78",
            address_line1="8 rue des Tests",
            postal_code="31000",
            city="Toulouse",
            password=FRESH_PASSWORD,
            password_confirm=FRESH_PASSWORD,
            accept_terms=True,
        )
    )
    return email


def customer_with_domain(name: str, days_left: int) -> tuple[str, int, int]:
    """A fresh customer owning one domain `<name>-<their id>.fr` that expires in
    `days_left` days (known to the portal only, not at the registry): their email, their
    id and the product's id."""
    from datetime import timedelta

    from sqlmodel import select

    from o2portal.accounts.models import Customer
    from o2portal.core import clock
    from o2portal.core.db import transaction
    from o2portal.products.models import Product

    email = fresh_customer(name)
    with transaction() as session:
        customer = session.exec(select(Customer).where(Customer.email == email)).one()
        product = Product(
            customer_id=customer.id,
            kind="domain",
            name=f"{name}-{customer.id}.fr",
            offer_code="fr",
            start_date=clock.today() - timedelta(days=300),
            expiry_date=clock.today() + timedelta(days=days_left),
        )
        session.add(product)
        session.flush()
        return email, customer.id, product.id
