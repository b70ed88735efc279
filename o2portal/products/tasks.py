"""Calls to the registrar, the hosting panel and the certificate authority (open a
request, sign, revoke) as durable tasks.

A task is written in the transaction that decides it (a payment, a renewal, an expiry
step, a nameserver change) and sent once that transaction has committed, never under its
locks: a registrar that is slow or down never rolls back an invoice once money was taken.
A task that fails is tried again with a growing delay (1 minute, then doubling, at most
6 hours) by the provider_tasks job until the provider answers, and staff see it (/admin/
jobs) with its attempts and last error. Its key is the request id the provider sees, so a
retry whose first answer was lost never registers, renews or creates twice. The tasks of
one product run in the order they were written (an account is created before it can be
suspended).
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import update
from sqlmodel import Session, col, select

from o2portal.core import clock
from o2portal.core.batches import JOB_BATCH, ItemFailures
from o2portal.core.db import after_commit, transaction
from o2portal.core.settings import get_settings
from o2portal.integrations.panel import AccountUnknown, panel
from o2portal.integrations.registrar import registrar
from o2portal.products.models import DomainHold, Product, ProductTask, TaskStatus

log = logging.getLogger("o2portal.tasks")

# While one runner sends a task, the others leave it alone (and take it back after this
# long if that runner died).
CLAIM = timedelta(minutes=5)
FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(hours=6)
BATCH = JOB_BATCH


class TaskAction(StrEnum):
    CREATE_HOSTING = "create_hosting"
    SUSPEND_HOSTING = "suspend_hosting"
    UNSUSPEND_HOSTING = "unsuspend_hosting"
    TERMINATE_HOSTING = "terminate_hosting"
    REGISTER_DOMAIN = "register_domain"
    TRANSFER_DOMAIN = "transfer_domain"
    RENEW_DOMAIN = "renew_domain"
    SET_NAMESERVERS = "set_nameservers"
    SET_LOCK = "set_lock"
    RELEASE_DOMAIN = "release_domain"
    CHANGE_HOLDER = "change_holder"  # a domain's new registrant (products/trades.py)
    # SSL certificates (products/certificates.py)
    OPEN_CERTIFICATE = "open_certificate"
    PUBLISH_DNS_RECORD = "publish_dns_record"
    ISSUE_CERTIFICATE = "issue_certificate"
    UNPUBLISH_DNS_RECORD = "unpublish_dns_record"
    REVOKE_CERTIFICATE = "revoke_certificate"


CERTIFICATE_ACTIONS = (
    TaskAction.OPEN_CERTIFICATE,
    TaskAction.ISSUE_CERTIFICATE,
    TaskAction.REVOKE_CERTIFICATE,
)


def enqueue(
    session: Session, product: Product, action: TaskAction, key: str | None = None, **payload
):
    """Write the task in the caller's transaction; it is sent right after the commit (and
    by the job when that first try fails). The same key twice is one task; calls that
    set a state (suspend, nameservers…) need none, those that add (register, renew) do."""
    key = request_id(key or f"{action}:{product.id}:{uuid.uuid4().hex}")
    existing = session.exec(select(ProductTask).where(ProductTask.key == key[:120])).first()
    if existing is not None:
        return existing
    task = ProductTask(
        product_id=product.id,
        action=action,
        key=key[:120],
        payload_json=json.dumps(payload, default=str),
        next_attempt_at=clock.now(),
        created_at=clock.now(),
    )
    session.add(task)
    session.flush()
    task_id = task.id
    after_commit(session, lambda: run_task(task_id))
    return task


def request_id(key: str) -> str:
    """The id the provider sees: the key, marked with this installation (from its secret),
    so that a restored backup or a staging copy that reuses row ids never gets another
    installation's answers back from the provider."""
    tag = hashlib.sha256(get_settings().secret_key.encode()).hexdigest()[:10]
    return f"{tag}:{key}"[:120]


def delay_after(attempts: int) -> timedelta:
    """1 minute after the first failure, then twice as long each time, at most 6 hours."""
    return min(FIRST_DELAY * 2 ** max(0, min(attempts - 1, 20)), LONGEST_DELAY)


@dataclass(frozen=True)
class _Call:
    product_id: int
    action: str
    key: str
    payload: dict
    name: str
    username: str | None


def _claim(task_id: int) -> _Call | None:
    """Take the task for this runner, if it is due, nobody else has it, and no earlier
    task of its product is still waiting."""
    now = clock.now()
    with transaction() as session:
        task = session.get(ProductTask, task_id)
        if task is None:
            return None
        earlier = session.exec(
            select(ProductTask.id).where(
                ProductTask.product_id == task.product_id,
                ProductTask.status == TaskStatus.PENDING,
                col(ProductTask.id) < task.id,
            )
        ).first()
        if earlier is not None:
            return None  # not its turn
        taken = session.execute(
            update(ProductTask)
            .where(
                ProductTask.id == task_id,
                ProductTask.status == TaskStatus.PENDING,
                col(ProductTask.next_attempt_at) <= now,
            )
            .values(
                attempts=ProductTask.attempts + 1,
                next_attempt_at=now + CLAIM,
                claimed_until=now + CLAIM,
            )
        )
        if taken.rowcount != 1:
            return None
        product = session.get(Product, task.product_id)
        return _Call(
            task.product_id,
            task.action,
            task.key,
            json.loads(task.payload_json or "{}"),
            product.name,
            product.hosting_username,
        )


def _send(call: _Call):
    """The provider call itself, outside any transaction of the portal."""
    p, name, key = call.payload, call.name, call.key
    if call.action in CERTIFICATE_ACTIONS:
        # Imported here: products.certificates writes its tasks through this module.
        from o2portal.products import certificates

        if call.action == TaskAction.OPEN_CERTIFICATE:
            return certificates.open_request(call.product_id)
        if call.action == TaskAction.REVOKE_CERTIFICATE:
            return certificates.revoke(p["serial"], p["reason"])
        return certificates.issue(call.product_id)
    if call.action == TaskAction.PUBLISH_DNS_RECORD:
        return registrar().add_txt_record(p["zone"], p["record_name"], p["value"])
    if call.action == TaskAction.UNPUBLISH_DNS_RECORD:
        return registrar().remove_txt_record(p["zone"], p["record_name"], p["value"])
    if call.action == TaskAction.REGISTER_DOMAIN:
        return registrar().register(
            name,
            holder_ref=p["holder_ref"],
            years=p["years"],
            nameservers=p["nameservers"],
            request_id=key,
        )
    if call.action == TaskAction.TRANSFER_DOMAIN:
        return registrar().transfer(
            name, auth_code=p.get("auth_code", ""), holder_ref=p["holder_ref"], request_id=key
        )
    if call.action == TaskAction.RENEW_DOMAIN:
        return registrar().renew(name, years=p["years"], request_id=key)
    if call.action == TaskAction.SET_NAMESERVERS:
        return registrar().set_nameservers(name, p["nameservers"])
    if call.action == TaskAction.SET_LOCK:
        return registrar().set_lock(name, p["locked"])
    if call.action == TaskAction.RELEASE_DOMAIN:
        return registrar().release(name)
    if call.action == TaskAction.CHANGE_HOLDER:
        return registrar().change_holder(name, p["holder_ref"], request_id=key)
    if call.action == TaskAction.CREATE_HOSTING:
        return panel().create_account(
            main_domain=name,
            plan=p["plan"],
            disk_mb=p["disk_mb"],
            owner_ref=p["owner_ref"],
            request_id=key,
        )
    if call.username is None:
        return None  # never created at the panel: nothing to suspend or terminate there
    if call.action == TaskAction.SUSPEND_HOSTING:
        return panel().suspend(call.username, p.get("reason", ""))
    if call.action == TaskAction.UNSUSPEND_HOSTING:
        return panel().unsuspend(call.username)
    if call.action == TaskAction.TERMINATE_HOSTING:
        try:
            return panel().terminate(call.username)
        except AccountUnknown:
            return None  # already gone
    raise ValueError(f"unknown task action {call.action}")


def _apply(session: Session, product: Product, action: str, answer) -> None:
    """What the provider's answer changes on the product."""
    if action == TaskAction.CREATE_HOSTING:
        product.hosting_username = answer.username
        product.hosting_server = answer.server
        session.add(product)
    elif action in (TaskAction.REGISTER_DOMAIN, TaskAction.TRANSFER_DOMAIN):
        product.auth_code = answer.auth_code
        session.add(product)
        hold = session.exec(select(DomainHold).where(DomainHold.name == product.name)).first()
        if hold is not None:  # registered: the registry's book holds the name now
            session.delete(hold)
    elif action in CERTIFICATE_ACTIONS:
        from o2portal.products import certificates

        if action == TaskAction.OPEN_CERTIFICATE:
            certificates.opened(session, product, answer)
        elif action == TaskAction.REVOKE_CERTIFICATE:
            certificates.revoked(session, product, answer)
        else:
            certificates.issued(session, product, answer)


def run_task(task_id: int) -> str:
    """Send one task: done, retry (the provider failed; tried again later), or skipped
    (not due, taken by another runner, or waiting for an earlier task)."""
    call = _claim(task_id)
    if call is None:
        return "skipped"
    try:
        answer = _send(call)
    except Exception as exc:  # noqa: BLE001 - any failure is retried, and shown to staff
        log.warning("task %s (%s) failed: %s", task_id, call.action, exc)
        with transaction() as session:
            task = session.exec(
                select(ProductTask).where(ProductTask.id == task_id).with_for_update()
            ).one()
            task.claimed_until = None
            if task.status == TaskStatus.PENDING:
                task.last_error = f"{type(exc).__name__}: {exc}"[:500]
                task.next_attempt_at = clock.now() + delay_after(task.attempts)
            session.add(task)
        return "retry"
    with transaction() as session:
        task = session.exec(
            select(ProductTask).where(ProductTask.id == task_id).with_for_update()
        ).one()
        product = session.exec(
            select(Product).where(Product.id == task.product_id).with_for_update()
        ).one()
        # Done at the provider: what it answered is true, whatever happened here meanwhile.
        _apply(session, product, task.action, answer)
        task.status = TaskStatus.DONE
        task.done_at = clock.now()
        task.last_error = None
        task.claimed_until = None
        forget_secrets(task)
        session.add(task)
    return "done"


def forget_secrets(task: ProductTask) -> None:
    """A finished task keeps no transfer code."""
    payload = json.loads(task.payload_json or "{}")
    if payload.pop("auth_code", None) is not None:
        task.payload_json = json.dumps(payload)


def is_running(task: ProductTask) -> bool:
    """A runner is sending it now (its claim has not lapsed)."""
    return task.claimed_until is not None and task.claimed_until > clock.now()


def run_due_tasks(_last_run: date | None = None, *, send: Callable = run_task) -> dict:
    """The job: every task that is due, each once, oldest first. A provider that keeps
    failing makes the run partial, so that a streak of failed runs alerts support."""
    counts = {"done": 0, "retry": 0}
    failures = ItemFailures()
    seen: set[int] = set()
    while True:
        with transaction() as session:
            due = session.exec(
                select(ProductTask.id)
                .where(
                    ProductTask.status == TaskStatus.PENDING,
                    col(ProductTask.next_attempt_at) <= clock.now(),
                    col(ProductTask.id).not_in(seen),
                )
                .order_by(col(ProductTask.id))
                .limit(BATCH)
            ).all()
        if not due:
            break
        for task_id in due:
            seen.add(task_id)
            with failures.item(f"task {task_id}"):
                outcome = send(task_id)
                if outcome in counts:
                    counts[outcome] += 1
                if outcome == "retry":
                    failures.count += 1
    return {**counts, **failures.summary()}
