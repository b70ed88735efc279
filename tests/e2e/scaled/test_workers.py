"""Two workers, Redis and PostgreSQL: the pages' state is in Redis, a reply from the staff
reaches the customer's open page whichever worker holds it, and a worker killed in the
middle of a session costs the page a reconnection, nothing else."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import redis
from playwright.sync_api import Page, expect
from sqlmodel import func, select

from o2portal.accounts.models import Customer
from o2portal.core.db import read_session
from o2portal.support import queue, tickets
from o2portal.support.models import TicketMessage
from tests.e2e.conftest import log_in, wait_signed_in
from tests.e2e.scaled.conftest import REDIS, WORKERS
from tests.unit.helpers import actor


def _workers(port: int) -> list[int]:
    """The pids of the app's worker processes (the children of its server)."""
    out = subprocess.run(
        ["ps", "-ww", "-eo", "pid,ppid,args"], capture_output=True, text=True
    ).stdout
    rows = [line.split(None, 2) for line in out.splitlines()[1:]]
    servers = {int(pid) for pid, _ppid, args in rows if f"--backend-port {port}" in args}
    return sorted(int(pid) for pid, ppid, _ in rows if int(ppid) in servers)


def _cpus(pid: int) -> set[str]:
    """The CPUs that the threads of a process may run on, as /proc lists them."""
    found = set()
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/status") as status:
            for line in status:
                if line.startswith("Cpus_allowed_list:"):
                    found.add(line.split(":", 1)[1].strip())
    return found


def _each_worker_on_a_cpu_of_its_own(port: int) -> None:
    """With a CPU for each, every worker keeps all its threads on one CPU, not another's;
    but the passwords' thread, once a sign-in started it, which may use every CPU the
    worker was given (web/cpu.free_this_thread)."""
    held = [_cpus(pid) for pid in _workers(port)]
    assert len(held) == WORKERS
    if len(os.sched_getaffinity(0)) < WORKERS:
        return  # fewer CPUs than workers: web/cpu.py leaves the extra ones free
    with open("/proc/self/status") as status:
        given = next(
            line.split(":", 1)[1].strip()
            for line in status
            if line.startswith("Cpus_allowed_list:")
        )
    # One CPU each ("1"), not a range ("0-1"); the passwords' thread aside.
    own = [{c for c in cpus if c.isdigit()} for cpus in held]
    assert all(len(mine) == 1 for mine in own), held
    assert all(cpus - mine <= {given} for cpus, mine in zip(held, own, strict=True)), held
    assert len(set().union(*own)) == WORKERS, held


def _person(email: str) -> Customer:
    with read_session() as session:
        return session.exec(select(Customer).where(Customer.email == email)).one()


def _messages(ticket_id: int) -> int:
    with read_session() as session:
        return session.exec(
            select(func.count())
            .select_from(TicketMessage)
            .where(TicketMessage.ticket_id == ticket_id)
        ).one()


def test_two_workers_share_the_state_and_survive_a_killed_worker(page: Page, app_env):
    port = app_env["port"]
    assert len(_workers(port)) == WORKERS
    _each_worker_on_a_cpu_of_its_own(port)
    customer = _person("client@o2portal.example")
    ticket_id = tickets.open_ticket(
        customer.id,
        subject="Deux serveurs",
        department="technique",
        priority="normale",
        product_id=None,
        body="Bonjour, mon site est lent.",
    )
    sockets = []
    page.on("websocket", lambda ws: sockets.append(ws))
    log_in(page, "client@o2portal.example", next_path=f"/tickets/{ticket_id}")
    wait_signed_in(page)
    thread = page.locator("#thread")
    expect(thread).to_contain_text("mon site est lent")
    # The page's state is in Redis, not in one worker's memory.
    assert redis.Redis.from_url(REDIS).dbsize() > 0

    support = actor(_person("support@o2portal.example"))
    queue.add_staff_reply(support, ticket_id, "Nous regardons tout de suite.")
    expect(thread).to_contain_text("Nous regardons tout de suite", timeout=15_000)

    opened = len(sockets)
    # Every worker killed in turn, so that the page's own surely is: it reconnects.
    for pid in _workers(port):
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            alive = _workers(port)
            if pid not in alive and len(alive) == WORKERS:
                break
            time.sleep(0.5)
        assert pid not in alive and len(alive) == WORKERS, "the server starts a new worker"
    # The new workers took the CPUs that the dead ones left.
    deadline = time.monotonic() + 30
    while True:
        try:
            _each_worker_on_a_cpu_of_its_own(port)
            break
        except (AssertionError, OSError):  # not pinned yet, or a pid gone meanwhile
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)

    # The page notices, and opens a new websocket to a live worker by itself.
    deadline = time.monotonic() + 60
    while len(sockets) <= opened or sockets[-1].is_closed():
        assert time.monotonic() < deadline, "the page reconnects"
        page.wait_for_timeout(250)
    expect(page.locator("#who")).to_be_visible()
    before = _messages(ticket_id)
    page.locator("#body").fill("Merci, j'attends votre retour.")
    page.locator("#send").click()
    expect(thread).to_contain_text("j'attends votre retour", timeout=30_000)
    queue.add_staff_reply(support, ticket_id, "C'est réglé : le cache était plein.")
    expect(thread).to_contain_text("le cache était plein", timeout=15_000)
    # Nothing lost, nothing done twice.
    assert _messages(ticket_id) == before + 2
    expect(thread.locator(".o2-message")).to_have_count(before + 2)
