"""What happens after expiry: hosting and servers are suspended the day after their expiry
date and terminated 30 days later; an SSL certificate expires and ends 30 days later; a
domain expires, may be renewed for 30 days, restored
up to 50, then it is released at the registry. Every change is audited and emailed; the
panel and the registrar are told by tasks after the commit (products.tasks)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import col, select

from o2portal.accounts.models import Customer
from o2portal.core import audit, clock
from o2portal.core.batches import JOB_BATCH, ItemFailures
from o2portal.core.db import transaction
from o2portal.mail import outbox as mailer
from o2portal.products import provisioning
from o2portal.products.expiry import DOMAIN_RESTORE_DAYS
from o2portal.products.models import Product, ProductStatus

TERMINATE_AFTER_DAYS = 30
BATCH = JOB_BATCH

# (kinds, status now, days after expiry, new status)
TRANSITIONS = (
    (("hosting", "server"), ProductStatus.ACTIVE, 0, ProductStatus.SUSPENDED),
    (
        ("hosting", "server"),
        ProductStatus.SUSPENDED,
        TERMINATE_AFTER_DAYS,
        ProductStatus.TERMINATED,
    ),
    (("domain",), ProductStatus.ACTIVE, 0, ProductStatus.EXPIRED),
    (("domain",), ProductStatus.EXPIRED, DOMAIN_RESTORE_DAYS, ProductStatus.RELEASED),
    # A certificate past its date no longer protects anything, but renewing it re-issues
    # it from today for 30 days; then it is over.
    (("ssl",), ProductStatus.ACTIVE, 0, ProductStatus.EXPIRED),
    (("ssl",), ProductStatus.EXPIRED, TERMINATE_AFTER_DAYS, ProductStatus.TERMINATED),
)


def apply_expiry(last_run: date | None = None) -> dict:
    """The job. Each query reads only products past their next step, through the
    (status, expiry_date) index: after a run, nothing is left to find."""
    today = clock.today()
    done = {}
    failures = ItemFailures()
    failed_ids: set[int] = set()  # left for the next run, skipped by this one
    for kinds, status, days, new_status in TRANSITIONS:
        limit_date = today - timedelta(days=days)
        count = 0
        while True:
            with transaction() as session:
                batch = session.exec(
                    select(Product)
                    .where(
                        Product.status == status,
                        Product.expiry_date < limit_date,
                        col(Product.kind).in_(kinds),
                        col(Product.id).not_in(failed_ids),
                    )
                    # In index order: SQLite then reads only the rows past their step.
                    .order_by(Product.expiry_date)
                    .limit(BATCH)
                    .with_for_update()
                ).all()
                for product in batch:
                    changed = False
                    with failures.item(f"expiry step of product {product.id}"):
                        with session.begin_nested():
                            _change(session, product, new_status)
                        changed = True
                    if changed:
                        count += 1
                    else:
                        failed_ids.add(product.id)
            if len(batch) < BATCH:
                break
        done[new_status] = count
    return {**done, **failures.summary()}


def _change(session, product: Product, new_status: str) -> None:
    before = product.status
    product.status = new_status
    now = clock.now()
    if new_status == ProductStatus.SUSPENDED:
        product.suspended_at = now
        product.status_reason = "expired"
    elif new_status in (ProductStatus.TERMINATED, ProductStatus.RELEASED):
        product.terminated_at = now
        product.auto_renew = False
    session.add(product)
    provisioning.status_changed(session, product, new_status, "expired")
    customer = session.get(Customer, product.customer_id)
    subject = "certificate" if product.kind == "ssl" else "product"
    mailer.queue_for_customer(
        session, customer, f"{subject}_{new_status}", product_name=product.name
    )
    audit.about(
        session,
        f"product.{new_status}",
        product,
        before=before,
        expiry=product.expiry_date.isoformat(),
    )
