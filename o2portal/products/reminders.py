"""Expiry reminders: each stage of the schedule at most once per product and expiry date.

The unique (product, expiry date, stage) row is the guarantee, not this code: two runs at
once, a crash or a replay cannot send a stage twice. A renewal moves the expiry date, so
the cycle starts again. After downtime only the latest stage that is due goes out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.billing import invoices as billing
from o2portal.catalog.pricing import PriceBook
from o2portal.core import clock
from o2portal.core.batches import JOB_BATCH, ItemFailures
from o2portal.core.clock import catch_up_days
from o2portal.core.db import read_session, transaction
from o2portal.core.money import totals_for
from o2portal.core.stored_settings import reminder_schedule
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import Amount, Part, link
from o2portal.products.expiry import CERTIFICATE_RENEW_DAYS, too_early
from o2portal.products.models import LIVE_STATUSES, Product, ReminderSent

BATCH = JOB_BATCH


@dataclass(frozen=True)
class DueReminder:
    product_id: int
    expiry_date: date
    stage: str


def due_stage(schedule: list[tuple[str, int]], expiry: date, today: date) -> str | None:
    """The most relevant stage on `today`: the latest whose day has come. Which products
    are looked at (those with a stage day since the last run) keeps stale stages out."""
    late = (today - expiry).days
    due = [name for name, offset in schedule if offset <= late]
    return due[-1] if due else None


def _candidate_filter(schedule, today: date, window: int):
    """Products whose stage day fell within the last `window` days: one indexed range per
    stage on (status, expiry_date), so the cost follows what is due."""
    ranges = []
    for _name, offset in schedule:
        newest = today - timedelta(days=offset)
        oldest = newest - timedelta(days=window - 1)
        ranges.append(and_(Product.expiry_date >= oldest, Product.expiry_date <= newest))
    return and_(col(Product.status).in_(LIVE_STATUSES), or_(*ranges))


def find_due(today: date | None = None, window: int = 1) -> list[DueReminder]:
    today = today or clock.today()
    with read_session() as session:
        schedule = reminder_schedule(session)
        where = _candidate_filter(schedule, today, window)
        candidates = session.exec(select(Product.id, Product.expiry_date).where(where)).all()
        if not candidates:
            return []
        sent = set(
            session.exec(
                select(ReminderSent.product_id, ReminderSent.expiry_date, ReminderSent.stage)
                .join(Product, col(Product.id) == col(ReminderSent.product_id))
                .where(where, col(ReminderSent.expiry_date) == col(Product.expiry_date))
            ).all()
        )
    due = []
    for product_id, expiry in sorted(candidates):
        stage = due_stage(schedule, expiry, today)
        if stage and (product_id, expiry, stage) not in sent:
            due.append(DueReminder(product_id, expiry, stage))
    return due


def send_due_reminders(last_run: date | None = None) -> dict:
    """The job: queue every due reminder (mail + unique row in one transaction each)."""
    today = clock.today()
    window = catch_up_days(last_run) if last_run else 1
    due = find_due(today, window)
    sent = skipped = 0
    failures = ItemFailures()
    for start in range(0, len(due), BATCH):
        batch = due[start : start + BATCH]
        with transaction() as session:
            prices = PriceBook(session)
            products = {
                p.id: p
                for p in session.exec(
                    select(Product).where(col(Product.id).in_([d.product_id for d in batch]))
                )
            }
            customers = {
                c.id: c
                for c in session.exec(
                    select(Customer).where(
                        col(Customer.id).in_({p.customer_id for p in products.values()})
                    )
                )
            }
            for item in batch:
                product = products[item.product_id]
                if product.expiry_date != item.expiry_date:
                    skipped += 1  # renewed meanwhile: a new cycle
                    continue
                with failures.item(f"reminder {item.stage} of product {product.id}"):
                    customer = customers[product.customer_id]
                    if _send_one(session, item, product, customer, prices):
                        sent += 1
                    else:
                        skipped += 1
    return {"due": len(due), "sent": sent, "skipped": skipped, **failures.summary()}


def _send_one(
    session: Session, item: DueReminder, product: Product, customer: Customer, prices: PriceBook
) -> bool:
    """Write the reminder row and its mail together; a concurrent runner that wrote it
    first makes the unique constraint refuse ours, and nothing goes twice."""
    try:
        with session.begin_nested():
            mail = mailer.queue_for_customer(
                session, customer, "reminder", **_message(item, product, customer, prices)
            )
            mail.dedupe_key = f"reminder:{product.id}:{item.expiry_date}:{item.stage}"
            session.add(
                ReminderSent(
                    product_id=product.id,
                    expiry_date=item.expiry_date,
                    stage=item.stage,
                    outbox_id=mail.id,
                    created_at=clock.now(),
                )
            )
            session.flush()
    except IntegrityError:
        return False
    return True


# The text of a reminder: one template per moment, the product's kind and the renewal
# plan as parts (templates hold no logic).
_PRODUCT_PART = {
    "hosting": "reminder_hosting",
    "domain": "reminder_domain",
    "server": "reminder_server",
    "ssl": "reminder_certificate",
}


def _plan(product: Product) -> Part:
    """How it renews: by itself, by the customer now, or (a certificate before its
    window) by the customer from a date."""
    if product.auto_renew:
        return Part("reminder_plan_auto")
    opens = too_early(product.kind, product.expiry_date, clock.today())
    if opens is not None:
        return Part("reminder_plan_later", opens=opens, days=CERTIFICATE_RENEW_DAYS)
    return Part("reminder_plan_manual")


def _message(item: DueReminder, product: Product, customer: Customer, prices: PriceBook) -> dict:
    rule = billing.vat_rule(customer)
    totals = totals_for([prices.one_year_renewal(product)], rule.rate_bp)
    days = (item.expiry_date - clock.today()).days
    if days > 1:
        template = "reminder_days"
    elif days == 1:
        template = "reminder_one_day"
    elif days == 0:
        template = "reminder_today"
    else:
        template = "reminder_past"
    return {
        "template": template,
        "product_name": product.name,
        "product": Part(_PRODUCT_PART.get(product.kind, "reminder_service"), name=product.name),
        "expiry": item.expiry_date,
        "days": days,
        "price": Amount(totals.ttc),
        "plan": _plan(product),
        "renew_link": link(f"/services/{product.id}#renew"),
    }
