"""The phases without a browser, through harness/sio.py: server time per event (one
client, one event at a time, nothing else running), concurrent users, logins under load,
memory per connected tab."""

from __future__ import annotations

import asyncio
import json
import math
import random
import re
import time
import urllib.request
from dataclasses import dataclass, field

from bench.harness.sio import Client, Closed, has_var
from bench.harness.stats import pct

SERVICES = "o2portal___web___customer___services___state____services_state"
PRODUCT = "o2portal___web___customer___services___product_state____product_state"
FAQ = "o2portal___web___customer___faq___state____faq_state"
TICKET = "o2portal___web___customer___tickets___state____ticket_state"
LOGIN = "o2portal___web___customer___auth___state____login_state"
FLOOR = "floor___floor____floor_state"
ROOT = "reflex___state____state"


def handler(state: str, name: str) -> str:
    return f"{ROOT}.{state}.{name}"


class EventError(Exception):
    pass


def _check_errors(update: dict) -> None:
    events = update.get("events") or []
    for event in events:
        text = str(event)
        if event.get("name") == "_redirect" and "/login" in text:
            raise EventError("redirected to /login")
        if "backend-error" in text or "forbidden" in text:
            raise EventError("backend error")


async def call(client: Client, state: str, name: str, payload: dict | None, var: str, timeout=30.0):
    """Seconds for one event until its update sets `var` of `state`."""
    want = has_var(state.split(".")[-1], var)

    def match(delta):
        return want(delta)

    start = time.perf_counter()
    while not client.updates.empty():
        client.updates.get_nowait()
    client.emit(handler(state, name), payload)
    deadline = start + timeout
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            raise TimeoutError(f"{name}: no update in {timeout}s")
        update = await asyncio.wait_for(client.updates.get(), left)
        if update is None:
            raise Closed("socket closed")
        _check_errors(update)
        if match(update.get("delta") or {}):
            return time.perf_counter() - start


def form(**values: str) -> dict:
    """A form's data as the frontend encodes it (encodeFormDataArgs)."""
    return {"form": {"__reflex_form_data__": [[k, v] for k, v in values.items()]}}


# ---------------------------------------------------------------- server time per event


async def server_times(
    floor_url: str, portal_url: str, cookie: str, ids: dict, runs: int
) -> dict[str, list[float]]:
    """One client per page, one event at a time, floor and portal interleaved."""
    floor = Client(floor_url)
    await floor.connect("/")
    services = Client(portal_url, cookie)
    await services.connect("/services")
    product = Client(portal_url, cookie)
    await product.connect(f"/services/{ids['product']}")
    faq = Client(portal_url, cookie)
    await faq.connect("/faq")
    ticket = Client(portal_url, cookie)
    await ticket.connect(f"/tickets/{ids['ticket']}")
    kinds, statuses = (
        ["domain", "hosting", "server"],
        ["active", "expired", "suspended", "expiring"],
    )
    sorts, words = (
        ["expiry_desc", "name", "expiry_asc"],
        ["domaine", "facture", "ticket", "mot de passe"],
    )
    out: dict[str, list[float]] = {}

    def add(key: str, seconds: float) -> None:
        out.setdefault(key, []).append(seconds * 1000)

    for i in range(runs + 2):  # two warm-up rounds, not kept
        got = []
        got.append(("floor counter", await call(floor, FLOOR, "increment", None, "count")))
        got.append(("floor one-query", await call(floor, FLOOR, "next_page", None, "rows")))
        got.append(
            (
                "floor text input",
                await call(floor, FLOOR, "set_query", {"value": f"item-{i % 50:02d}"}, "found"),
            )
        )
        await call(services, SERVICES, "set_kind", {"value": ""}, "rows")
        await call(services, SERVICES, "set_status", {"value": ""}, "rows")
        got.append(
            ("/services next page", await call(services, SERVICES, "next_page", None, "rows"))
        )
        got.append(
            (
                "/services filter by kind",
                await call(services, SERVICES, "set_kind", {"value": kinds[i % 3]}, "rows"),
            )
        )
        got.append(
            (
                "/services filter by status",
                await call(services, SERVICES, "set_status", {"value": statuses[i % 4]}, "rows"),
            )
        )
        got.append(
            (
                "/services sort",
                await call(services, SERVICES, "set_sort", {"value": sorts[i % 3]}, "rows"),
            )
        )
        got.append(("product detail (load)", await call(product, PRODUCT, "load", None, "name")))
        got.append(
            (
                "FAQ search (one event)",
                await call(faq, FAQ, "set_query", {"value": words[i % 4]}, "entries_fr"),
            )
        )
        body = f"Réponse du banc {i} {random.random()}"
        # The reply comes back in `recent` (the messages since the page opened).
        got.append(("ticket reply", await call(ticket, TICKET, "reply", form(body=body), "recent")))
        if i >= 2:
            for key, seconds in got:
                add(key, seconds)
    for c in (floor, services, product, faq, ticket):
        await c.close()
    return out


# ---------------------------------------------------------------- concurrent users


@dataclass
class LoadResult:
    users: int
    seconds: float
    latencies: list[float] = field(default_factory=list)  # ms
    errors: int = 0
    connect_errors: int = 0
    cpu_seconds: float = 0.0

    @property
    def events_per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_event(self) -> float:
        return self.cpu_seconds * 1000 / len(self.latencies) if self.latencies else float("nan")


async def _connect_all(
    clients: list[Client], path: str, result: LoadResult, parallel: int = 25
) -> list[Client]:
    gate = asyncio.Semaphore(parallel)
    ok: list[Client] = []

    async def one(c: Client) -> None:
        async with gate:
            try:
                await c.connect(path, timeout=60)
                ok.append(c)
            except (TimeoutError, Closed, OSError):
                result.connect_errors += 1
                await c.close()

    await asyncio.gather(*(one(c) for c in clients))
    return ok


async def _page_loop(c: Client, steps, result: LoadResult, window: list[float]) -> None:
    """steps: the (state, handler, payload, var) events a user repeats in order, until
    window[1] (read at each event: the jobs phase moves it); latencies kept for the events
    sent and answered within the window."""
    i = random.randrange(len(steps))
    while time.perf_counter() < window[1]:
        state, name, payload, var = steps[i % len(steps)]
        i += 1
        sent = time.perf_counter()
        try:
            seconds = await call(c, state, name, payload, var, timeout=30)
        except (TimeoutError, EventError):
            if window[0] <= sent:
                result.errors += 1
            continue
        except Closed:
            if window[0] <= sent:
                result.errors += 1
            return
        if window[0] <= sent and sent + seconds <= window[1]:
            result.latencies.append(seconds * 1000)


PORTAL_STEPS = [
    (SERVICES, "load", None, "rows"),
    (SERVICES, "next_page", None, "rows"),
    (SERVICES, "next_page", None, "rows"),
    (SERVICES, "next_page", None, "rows"),
]
FLOOR_STEPS = [(FLOOR, "next_page", None, "rows")]


async def users(
    url: str,
    cookies: list[str | None],
    path: str,
    steps,
    seconds: float,
    server,
    warmup: float = 3.0,
) -> LoadResult:
    """len(cookies) users, each its own socket (and session), repeating `steps` without
    pause; events counted over `seconds` after `warmup`."""
    result = LoadResult(users=len(cookies), seconds=seconds)
    clients = await _connect_all([Client(url, c) for c in cookies], path, result)
    now = time.perf_counter()
    window = [now + warmup, now + warmup + seconds]
    loops = [asyncio.create_task(_page_loop(c, steps, result, window)) for c in clients]
    await asyncio.sleep(warmup)
    cpu = server.cpu_seconds()
    await asyncio.sleep(seconds)
    result.cpu_seconds = server.cpu_seconds() - cpu
    await asyncio.wait(loops, timeout=35)
    for c in clients:
        await c.close()
    return result


# ---------------------------------------------------------------- logins under load

_TICKET = re.compile(r"/auth/session\?ticket=([\w-]+)")


async def one_login(url: str, email: str, password: str) -> float:
    """Sign in as the login page does: the form's event, the password checked on the
    server, the ticket traded for the cookie over HTTP. Seconds from submit to cookie."""
    c = Client(url)
    try:
        await c.connect("/login", timeout=30)
        start = time.perf_counter()
        c.emit(handler(LOGIN, "submit"), form(email=email, password=password))
        ticket = None
        deadline = start + 30
        while ticket is None:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError("no ticket")
            update = await asyncio.wait_for(c.updates.get(), left)
            if update is None:
                raise Closed("socket closed")
            found = _TICKET.search(str(update.get("events") or ""))
            if found:
                ticket = found.group(1)
            elif "error_rx_state_" in str(update.get("delta")) and "''" not in str(
                update.get("delta")
            ):
                delta = update["delta"]
                for key, value in delta.items():
                    if key.endswith("login_state") and value.get("error_rx_state_"):
                        raise EventError(value["error_rx_state_"])
        cookie = await asyncio.to_thread(_trade, url, ticket)
        if not cookie:
            raise EventError("no cookie")
        return time.perf_counter() - start
    finally:
        await c.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _trade(url: str, ticket: str) -> str | None:
    request = urllib.request.Request(
        f"{url}/auth/session?ticket={ticket}", headers={"Sec-Fetch-Site": "same-origin"}
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        response = opener.open(request, timeout=30)
        headers = response.headers
    except urllib.error.HTTPError as exc:  # the 303 arrives here without redirect handling
        headers = exc.headers
    cookie = headers.get("set-cookie") or ""
    return cookie if cookie.startswith("o2p_session=") and "o2p_session=;" not in cookie else None


async def logins_under_load(
    url: str,
    cookies: list[str],
    emails: list[str],
    password: str,
    rate: float,
    seconds: float,
    server,
) -> dict:
    """Baseline: the users page alone; then the same with `rate` logins a second."""
    base = await users(url, cookies, "/services", PORTAL_STEPS, seconds, server)
    login_times: list[float] = []
    login_errors = 0
    stop = asyncio.Event()

    async def logins() -> None:
        nonlocal login_errors
        tasks = []
        start = time.perf_counter()
        for n, email in enumerate(emails):
            at = start + n / rate
            if time.perf_counter() - start > seconds + 3:
                break
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            tasks.append(asyncio.create_task(one_login(url, email, password)))
        for task in tasks:
            try:
                login_times.append(await task * 1000)
            except (TimeoutError, EventError, Closed, OSError):
                login_errors += 1
        stop.set()

    login_task = asyncio.create_task(logins())
    loaded = await users(url, cookies, "/services", PORTAL_STEPS, seconds, server)
    await login_task
    return {
        "baseline": base,
        "loaded": loaded,
        "logins": login_times,
        "login_errors": login_errors,
        "login_p50": pct(login_times, 50),
        "login_p95": pct(login_times, 95),
    }


# ---------------------------------------------------------------- open ticket pages

_RECENT = has_var("ticket_state", "recent")


def _drain(c: Client) -> tuple[int, bool]:
    """(updates that brought the thread's `recent` messages, whether the socket closed)
    since the tab's queue was last emptied."""
    recent, closed = 0, False
    while not c.updates.empty():
        update = c.updates.get_nowait()
        if update is None:
            closed = True
        elif _RECENT(update.get("delta") or {}):
            recent += 1
    return recent, closed


async def _reply(tab: Client, text: str) -> None:
    await call(tab, TICKET, "reply", form(body=f"{text} {random.random()}"), "recent")


async def idle_pages(
    url: str, cookie: str | None, path: str, n: int, server, seconds: float, ticket: bool
) -> dict:
    """The server's CPU over `seconds` with no tab, then with n idle tabs open on `path`
    (all with the same cookie: one customer's tabs). For a ticket page, one reply from
    another tab afterwards: how many of the n pages it reached (their live watch runs)."""
    result = LoadResult(users=n, seconds=seconds)
    cpu = server.cpu_seconds()
    await asyncio.sleep(seconds)
    without = server.cpu_seconds() - cpu
    start = time.perf_counter()
    clients = await _connect_all([Client(url, cookie) for _ in range(n)], path, result)
    connect_seconds = time.perf_counter() - start
    await asyncio.sleep(5)
    for c in clients:
        _drain(c)
    cpu = server.cpu_seconds()
    await asyncio.sleep(seconds)
    with_pages = server.cpu_seconds() - cpu
    dropped = sum(_drain(c)[1] for c in clients)
    reached, reach_seconds = math.nan, math.nan
    if ticket:
        other = Client(url, cookie)
        await other.connect(path)
        start = time.perf_counter()
        await _reply(other, "Réponse vue par les pages ouvertes")

        async def seen(c: Client) -> float | None:
            try:
                await c.wait_for(_RECENT, 30)
                return time.perf_counter() - start
            except (TimeoutError, Closed):
                return None

        times = [t for t in await asyncio.gather(*(seen(c) for c in clients)) if t is not None]
        reached, reach_seconds = len(times), max(times, default=math.nan)
        await other.close()
    for c in clients:
        await c.close()
    await asyncio.sleep(2)
    return {
        "pages": len(clients),
        "connect_errors": result.connect_errors,
        "connect_seconds": connect_seconds,
        "seconds": seconds,
        "cpu_without": without,
        "cpu_with": with_pages,
        "dropped": dropped,
        "reached": reached,
        "reach_seconds": reach_seconds,
    }


async def watch_events(
    url: str, cookie: str, path: str, server, seconds: float, events: int, replies: int = 3
) -> list[dict]:
    """One ticket page, the server's CPU over `seconds` three times: the page alone; while
    the page sends `events` more `watch` events (by name, as a crafted client would); the
    page alone again afterwards (what those events left running). In each window a second
    tab of the same customer posts `replies` replies, so that every watcher of the ticket
    has news to check; `recent updates` counts the updates that brought them to the page."""
    page, other = Client(url, cookie), Client(url, cookie)
    await page.connect(path)
    await other.connect(path)
    await asyncio.sleep(3)
    out = []
    cases = [("1 page", 0), (f"1 page + {events} watch events", events), ("1 page, after", 0)]
    for label, n in cases:
        _drain(page)
        cpu = server.cpu_seconds()
        start = time.perf_counter()
        for _ in range(n):
            page.emit(handler(TICKET, "watch"))
        for k in range(replies):
            await asyncio.sleep(
                max(0.0, start + (k + 0.5) * seconds / replies - time.perf_counter())
            )
            await _reply(other, f"Nouvelle {k}")
        await asyncio.sleep(max(0.0, start + seconds - time.perf_counter()))
        recent, closed = _drain(page)
        out.append(
            {
                "case": label,
                "seconds": time.perf_counter() - start,
                "cpu": server.cpu_seconds() - cpu,
                "replies": replies,
                "recent": recent,
                "closed": closed,
            }
        )
    await page.close()
    await other.close()
    return out


# ---------------------------------------------------------------- users during a job


async def users_during_job(
    url: str,
    cookies: list[str],
    path: str,
    steps,
    server,
    command: list[str],
    env: dict,
    log_path,
    warmup: float = 3.0,
    limit: float = 900.0,
) -> tuple[LoadResult, dict]:
    """len(cookies) users page as in `users` while `command` (bench/harness/reminder_job.py)
    runs in a process of its own; latencies kept from its "start" line to its result."""
    result = LoadResult(users=len(cookies), seconds=0)
    clients = await _connect_all([Client(url, c) for c in cookies], path, result)
    window = [math.inf, math.inf]
    loops = [asyncio.create_task(_page_loop(c, steps, result, window)) for c in clients]
    await asyncio.sleep(warmup)
    job: dict = {}
    with open(log_path, "w") as log:
        proc = await asyncio.create_subprocess_exec(
            *command, env=env, stdout=asyncio.subprocess.PIPE, stderr=log
        )
        cpu = 0.0
        try:
            async with asyncio.timeout(limit):
                while line := (await proc.stdout.readline()).decode():
                    if line.strip() == "start":
                        window[0] = time.perf_counter()
                        cpu = server.cpu_seconds()
                    elif line.startswith("{"):
                        window[1] = time.perf_counter()
                        job = json.loads(line)
        except TimeoutError:
            proc.kill()
            job = {"error": f"no result in {limit:.0f} s"}
        if window[1] == math.inf:
            window[1] = time.perf_counter()
            job.setdefault("error", f"exit {await proc.wait()}")
        result.cpu_seconds = server.cpu_seconds() - cpu if cpu else math.nan
        result.seconds = window[1] - window[0] if window[0] != math.inf else 0.0
        await proc.wait()
    await asyncio.wait(loops, timeout=35)
    for c in clients:
        await c.close()
    return result, job


# ---------------------------------------------------------------- memory per tab


async def memory(
    url: str, cookies: list[str | None], path: str, server, settle: float = 10.0
) -> dict:
    """RSS before, with len(cookies) connected and hydrated tabs, and after they close."""
    before = server.rss_mib()
    result = LoadResult(users=len(cookies), seconds=0)
    clients = await _connect_all([Client(url, c) for c in cookies], path, result)
    await asyncio.sleep(3)
    during = server.rss_mib()
    for c in clients:
        await c.close()
    await asyncio.sleep(2)
    closed = server.rss_mib()
    await asyncio.sleep(settle)
    later = server.rss_mib()
    n = len(clients)
    return {
        "tabs": n,
        "connect_errors": result.connect_errors,
        "before": before,
        "during": during,
        "closed": closed,
        "later": later,
        "per_tab": (during - before) / n if n else float("nan"),
    }


def ping(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/ping", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False
