"""Staff work on products: find them by expiry and status, and change them by hand with a
reason (renew as a goodwill gesture, suspend, unsuspend, terminate)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func
from sqlmodel import col, select

from o2portal.accounts.models import Customer
from o2portal.billing.fulfilment import void_renewal_forms
from o2portal.core import audit, clock, receipts
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.core.paging import Page, paginate
from o2portal.core.permissions import Actor
from o2portal.core.search import starts_with
from o2portal.core.validation import clean_text
from o2portal.mail import outbox as mailer
from o2portal.products import certificates, contact_lists, contacts, provisioning, trades
from o2portal.products.expiry import refuse_too_early, renewal_dates
from o2portal.products.models import (
    PRODUCT_STATUSES,
    DomainHold,
    Product,
    ProductStatus,
    ProductTask,
    ReminderSent,
    TaskStatus,
)
from o2portal.products.tasks import TaskAction, forget_secrets, is_running, run_task

PAGE_SIZE = 25
WINDOWS = {"": None, "7": 7, "30": 30, "60": 60, "90": 90, "expired": -1}
STATUSES = ("", *PRODUCT_STATUSES)


def list_products(
    actor: Actor, *, window: str = "", status: str = "", query: str = "", page: int = 1
) -> Page:
    today = clock.today()
    where = []
    days = WINDOWS.get(window)
    if days == -1:
        where.append(Product.expiry_date < today)
    elif days:
        where += [Product.expiry_date >= today, Product.expiry_date <= today + timedelta(days=days)]
    if status in STATUSES[1:]:
        where.append(Product.status == status)
    text = (query or "").strip().lower()[:100]
    if text:
        where.append(starts_with(col(Product.name), text))
    with read_session() as session:
        actor.staff()
        found = paginate(
            session,
            select(Product, Customer)
            .join(Customer, col(Customer.id) == col(Product.customer_id))
            .where(*where)
            .order_by(Product.expiry_date, Product.id),
            page,
            size=PAGE_SIZE,
            count=select(func.count()).select_from(Product).where(*where),
        )
    return found


ACTIONS = {
    # action: (allowed from, new status, mail change or None)
    "suspend": (
        (ProductStatus.ACTIVE, ProductStatus.EXPIRED),
        ProductStatus.SUSPENDED,
        "suspended",
    ),
    "unsuspend": ((ProductStatus.SUSPENDED,), ProductStatus.ACTIVE, None),
    "terminate": (
        (ProductStatus.ACTIVE, ProductStatus.SUSPENDED, ProductStatus.EXPIRED),
        ProductStatus.TERMINATED,
        "terminated",
    ),
}


@dataclass(frozen=True)
class StaffProduct:
    """Everything staff see about one product: the product, whose it is, its name
    servers, and its history (the audit events about it and the reminders sent)."""

    product: Product
    customer: Customer
    nameservers: list[str]
    events: list[tuple[AuditEvent, str]]  # (event, the staff member's or customer's email)
    reminders: list[ReminderSent]


HISTORY_SIZE = 30


def product_for_staff(actor: Actor, product_id: int) -> StaffProduct:
    """One product for its staff page (support and admin); NotAllowed if there is none."""
    with read_session() as session:
        actor.staff()
        found = session.exec(
            select(Product, Customer)
            .join(Customer, col(Customer.id) == col(Product.customer_id))
            .where(Product.id == product_id)
        ).first()
        if found is None:
            raise NotAllowed("no such product")
        product, customer = found
        events = session.exec(
            select(AuditEvent, Customer.email)
            .join(Customer, col(Customer.id) == col(AuditEvent.actor_id), isouter=True)
            .where(AuditEvent.target_type == "product", AuditEvent.target_id == product.id)
            .order_by(col(AuditEvent.id).desc())
            .limit(HISTORY_SIZE)
        ).all()
        reminders = session.exec(
            select(ReminderSent)
            .where(ReminderSent.product_id == product.id)
            .order_by(col(ReminderSent.id).desc())
            .limit(HISTORY_SIZE)
        ).all()
    try:
        nameservers = [str(n) for n in json.loads(product.nameservers_json or "[]")]
    except ValueError:
        nameservers = []
    return StaffProduct(
        product,
        customer,
        nameservers,
        [(event, email or "") for event, email in events],
        list(reminders),
    )


def auth_code_for_staff(actor: Actor, product_id: int, *, ip=None) -> str:
    """A domain's transfer code, shown to an admin and audited (as the customer's is)."""
    with transaction() as session:
        staff = actor.admin()
        product = session.get(Product, product_id)
        if product is None or product.kind != "domain":
            raise NotAllowed("no such domain")
        audit.about(session, "staff.auth_code_shown", product, actor=staff, ip=ip)
        return product.auth_code or ""


def change_status(
    actor: Actor, product_id: int, action: str, reason: str, *, key: str | None = None, ip=None
) -> str:
    """Suspend, unsuspend or terminate by hand; the customer is told by email. With the
    form's `key`, the same form sent twice reads the first outcome."""
    if action not in ACTIONS:
        raise InvalidInput({"action": "error.choice_invalid"})
    if key is not None:
        key = receipts.clean_key(key)
    reason = clean_text("reason", reason, required=True, max_length=300)
    allowed, new_status, mail = ACTIONS[action]
    with transaction() as session:
        staff = actor.admin()
        if key is not None:
            done = receipts.receipt(session, key, staff.id, f"staff.product_{action}")
            if done is not None:
                return done["status"]
        product = session.exec(
            select(Product).where(Product.id == product_id).with_for_update()
        ).first()
        if product is None:
            raise NotAllowed("no such product")
        if product.status not in allowed:
            raise InvalidInput({"action": "error.status_change_invalid"})
        before = product.status
        product.status = new_status
        product.status_reason = reason
        if new_status == ProductStatus.SUSPENDED:
            product.suspended_at = clock.now()
        elif new_status == ProductStatus.ACTIVE:
            product.suspended_at = None
        else:
            product.terminated_at = clock.now()
            product.auto_renew = False
        session.add(product)
        provisioning.status_changed(session, product, new_status, reason)
        if key is not None:
            receipts.record_receipt(
                session, key, staff.id, f"staff.product_{action}", {"status": new_status}
            )
        if mail:
            _tell_customer(session, product, mail)
        audit.about(
            session,
            f"staff.product_{action}",
            product,
            actor=staff,
            ip=ip,
            before=before,
            reason=reason,
        )
        return new_status


def _tell_customer(session, product: Product, change: str) -> None:
    """The customer's mail of a change by hand. Terminated: a text of its own for each
    kind of product (what ends with it), saying staff did it (not an expiry), without
    the reason, which is staff's note; suspended: product_suspended."""
    customer = session.get(Customer, product.customer_id)
    if change != "terminated":
        mailer.queue_for_customer(session, customer, f"product_{change}", product_name=product.name)
        return
    subject = "certificate" if product.kind == "ssl" else product.kind
    mailer.queue_for_customer(
        session,
        customer,
        "certificate_terminated" if product.kind == "ssl" else "product_terminated",
        template=f"staff_terminated_{subject}",
        product_name=product.name,
    )


def renew_by_hand(
    actor: Actor,
    product_id: int,
    years: int,
    reason: str,
    *,
    key: str,
    expected_expiry: date,
    ip=None,
) -> date:
    """Extend without payment (a goodwill gesture), audited with its reason. `key` and
    `expected_expiry` come with the form staff submitted: the same form sent twice reads
    the first outcome, and a product renewed meanwhile is not renewed again."""
    key = receipts.clean_key(key)
    reason = clean_text("reason", reason, required=True, max_length=300)
    if years not in (1, 2, 3):
        raise InvalidInput({"years": "error.years_invalid"})
    with transaction() as session:
        staff = actor.admin()
        done = receipts.receipt(session, key, staff.id, "staff.product_renewed")
        if done is not None:
            return date.fromisoformat(done["after"])
        product = session.exec(
            select(Product).where(Product.id == product_id).with_for_update()
        ).first()
        if product is None:
            raise NotAllowed("no such product")
        if product.expiry_date != expected_expiry:
            # The same form sent from another socket may have won the lock just before.
            done = receipts.receipt(session, key, staff.id, "staff.product_renewed")
            if done is not None:
                return date.fromisoformat(done["after"])
            raise InvalidInput({"years": "error.renewal_changed"})
        if product.status in (ProductStatus.TERMINATED, ProductStatus.RELEASED):
            raise InvalidInput({"years": "error.not_renewable"})
        refuse_too_early(product.kind, product.expiry_date, clock.today())
        if product.kind == "ssl" and years != 1:
            raise InvalidInput({"years": "ssl.renew_one_year"})
        dates = renewal_dates(product.kind, product.expiry_date, years, clock.today())
        if dates is None:
            raise InvalidInput({"years": "error.not_renewable"})
        before = product.expiry_date
        provisioning.extend(session, product, dates.new_expiry, years, f"staff-renew-{key}")
        void_renewal_forms(session, product.id, reason="renewed by hand by staff")
        receipts.record_receipt(
            session,
            key,
            staff.id,
            "staff.product_renewed",
            {"product_id": str(product.id), "after": product.expiry_date.isoformat()},
        )
        audit.about(
            session,
            "staff.product_renewed",
            product,
            actor=staff,
            ip=ip,
            years=years,
            reason=reason,
            before=before.isoformat(),
            after=product.expiry_date.isoformat(),
        )
        return product.expiry_date


def certificate_of(actor: Actor, product_id: int) -> certificates.CertificateView | None:
    """The certificate part of a product's staff page (support and admin); None for a
    product that is no certificate."""
    actor.staff()
    return certificates.certificate_for_staff(product_id)


def verify_certificate(actor: Actor, product_id: int, *, ip=None) -> bool:
    """Staff's "Vérifier maintenant": the CA looks for the domain's records now (support
    and admin; audited). True when issued; InvalidInput {"dcv": …} saying why not."""
    return certificates.verify_as_staff(actor.staff(), product_id, ip=ip)


TASK_FILTERS = ("pending", "all")


def provider_tasks(actor: Actor, *, show: str = "pending", limit: int = 200):
    """The calls to the registrar and the panel, waiting ones first (oldest first), with
    their product: (task, product) pairs. Support and admins read them."""
    actor.staff()
    with read_session() as session:
        query = select(ProductTask, Product).join(
            Product, col(Product.id) == col(ProductTask.product_id)
        )
        if show != "all":
            query = query.where(ProductTask.status == TaskStatus.PENDING)
        # The waiting ones oldest first (an old one holds up its product's later calls),
        # then the finished ones, latest first.
        query = query.order_by(
            col(ProductTask.status) != TaskStatus.PENDING,
            case((col(ProductTask.status) == TaskStatus.PENDING, col(ProductTask.id)), else_=0),
            col(ProductTask.id).desc(),
        )
        return list(session.exec(query.limit(limit)).all())


def _pending_task(session, task_id: int) -> ProductTask:
    """The task, locked, if it still waits; NotAllowed when there is no such task."""
    task = session.exec(
        select(ProductTask).where(ProductTask.id == task_id).with_for_update()
    ).first()
    if task is None:
        raise NotAllowed("no such task")
    if task.status != TaskStatus.PENDING:
        raise InvalidInput({"task": "error.task_not_pending"})
    if is_running(task):
        raise InvalidInput({"task": "error.task_running"})
    return task


def retry_task(actor: Actor, task_id: int, *, ip=None) -> str:
    """Send a waiting task now rather than at its next attempt; returns what became of it
    (done, retry, skipped)."""
    with transaction() as session:
        staff = actor.staff()
        task = _pending_task(session, task_id)
        task.next_attempt_at = clock.now()
        session.add(task)
        audit.about(session, "staff.task_retried", task, actor=staff, ip=ip)
    return run_task(task_id)


def cancel_task(actor: Actor, task_id: int, reason: str, *, ip=None) -> None:
    """An admin closes a task that will not be sent (done by hand at the provider, or no
    longer wanted), with the reason."""
    reason = clean_text("reason", reason, required=True, max_length=300)
    with transaction() as session:
        staff = actor.admin()
        task = _pending_task(session, task_id)
        task.status = TaskStatus.CANCELLED
        task.done_at = clock.now()
        task.last_error = f"closed by hand: {reason}"[:500]
        forget_secrets(task)
        session.add(task)
        if task.action in (TaskAction.REGISTER_DOMAIN, TaskAction.TRANSFER_DOMAIN):
            # Not registered through us after all: the name is nobody's hold any more.
            product = session.get(Product, task.product_id)
            for hold in session.exec(select(DomainHold).where(DomainHold.name == product.name)):
                session.delete(hold)
        audit.about(session, "staff.task_cancelled", task, actor=staff, ip=ip, reason=reason)


def customer_contacts(actor: Actor, customer_id: int) -> list[contact_lists.ContactRow]:
    """The customer's contacts, both ways: on their products, and theirs on others'."""
    actor.staff()
    with read_session() as session:
        return contact_lists.contacts_of_customer(session, customer_id)


def revoke_contact(actor: Actor, link_id: int, *, ip=None) -> None:
    """Staff take a contact's access back (or withdraw an invitation), at once; audited
    under the staff member's name, mailed to the contact."""
    actor.staff()
    with transaction() as session:
        contacts.revoke_as_staff(session, session.get(Customer, actor.id), link_id, ip)


# ---------------------------------------------------------------- changes of holder


def pending_holder_changes(actor: Actor, page: int = 1) -> Page:
    """The offers of a change of holder still waiting (products/trades.py), oldest first."""
    actor.staff()
    return trades.pending_changes(page)


def holder_change_of(actor: Actor, product_id: int) -> trades.OfferRow | None:
    """The offer of this product still waiting, for its staff page."""
    actor.staff()
    return trades.pending_change_of(product_id)


def cancel_holder_change(actor: Actor, change_id: int, *, ip=None) -> None:
    """Staff cancel a waiting offer (audited; both accounts are emailed)."""
    trades.cancel_offer(actor.staff(), change_id, ip=ip)
