"""Benchmark: the daily jobs over 1,000,000 products of which 1 % are due (not a test).

    .venv/bin/python bench/jobs_reminders.py [products]

Builds a temporary SQLite database: 10,000 customers, `products` products; 1 % of them
reach their D-30 stage today, the others expire 100 to 400 days from now. Times the
reminder job (10,000 mails queued), then the same job again (nothing left to send), and
the expiry and auto-renewal jobs (nothing due), and prints the query plan used.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
work = tempfile.mkdtemp(prefix="o2bench-")
os.environ["O2PORTAL_DATABASE_URL"] = f"sqlite:///{work}/bench.db"

from sqlalchemy import insert, text  # noqa: E402
from sqlmodel import select  # noqa: E402

from o2portal.accounts.models import Customer  # noqa: E402
from o2portal.billing.autorenew import run_auto_renewals  # noqa: E402
from o2portal.catalog.defaults import ensure_catalogue  # noqa: E402
from o2portal.core import clock  # noqa: E402
from o2portal.core.db import get_engine, read_session, transaction  # noqa: E402
from o2portal.core.migrate import upgrade_database  # noqa: E402
from o2portal.core.stored_settings import reminder_schedule  # noqa: E402
from o2portal.products.lifecycle import apply_expiry  # noqa: E402
from o2portal.products.models import Product  # noqa: E402
from o2portal.products.reminders import _candidate_filter, send_due_reminders  # noqa: E402

CUSTOMERS = 10_000


def build(products: int) -> int:
    upgrade_database()
    with transaction() as session:
        ensure_catalogue(session)
    today = clock.today()
    now = clock.now()
    engine = get_engine()
    with engine.begin() as conn:
        conn.execute(
            insert(Customer),
            [
                {
                    "email": f"c{i}@bench.example",
                    "password_hash": "x",
                    "role": "customer",
                    "account_type": "particulier",
                    "first_name": "C",
                    "last_name": str(i),
                    "phone": "+33612345678",
                    "address_line1": "1 rue",
                    "postal_code": "75001",
                    "city": "Paris",
                    "country": "FR",
                    "language": "fr",
                    "credit_balance_cents": 0,
                    "created_at": now,
                }
                for i in range(CUSTOMERS)
            ],
        )
    due = products // 100
    chunk = 50_000
    for start in range(0, products, chunk):
        rows = []
        for i in range(start, min(start + chunk, products)):
            expiry = today + timedelta(days=30 if i % 100 == 0 else 100 + i % 300)
            rows.append(
                {
                    "customer_id": 1 + i % CUSTOMERS,
                    "kind": "domain",
                    "name": f"d{i}.fr",
                    "offer_code": "fr",
                    "status": "active",
                    "start_date": today,
                    "expiry_date": expiry,
                    "auto_renew": False,
                    "registrar_lock": True,
                    "created_at": now,
                }
            )
        with engine.begin() as conn:
            conn.execute(insert(Product), rows)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return due


def timed(label: str, fn) -> float:
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<44} {elapsed * 1000:10.1f} ms   {result}")
    return elapsed


def main() -> None:
    products = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    start = time.perf_counter()
    due = build(products)
    print(f"built {products:,} products ({due:,} due) in {time.perf_counter() - start:.0f} s")
    first = timed("reminders, 1st run (1 % due)", send_due_reminders)
    second = timed("reminders, 2nd run (nothing left)", send_due_reminders)
    timed("expiry job (nothing due)", apply_expiry)
    timed("auto-renewal job (nothing due)", run_auto_renewals)
    print(f"second run / first run: {second / first:.4f} ({first / second:.0f}x cheaper)")
    # The plan of the reminder job's own candidate query (one range per stage).
    with read_session() as session:
        where = _candidate_filter(reminder_schedule(session), clock.today(), 1)
    query = select(Product.id, Product.expiry_date).where(where)
    sql = str(query.compile(get_engine(), compile_kwargs={"literal_binds": True}))
    with get_engine().connect() as conn:
        plan = conn.execute(text("EXPLAIN QUERY PLAN " + sql)).all()
    print("plan:", "; ".join(row[-1] for row in plan))


if __name__ == "__main__":
    main()
