"""The databases the harness serves: the portal's (>= 1,000,000 products, one bench
customer with 1,000 of them, a 240-message ticket thread, the default FAQ) and the
floor's (a few thousand rows).

Built with bulk inserts (the product table's indexes dropped during the load and made
again after it, then ANALYZE), the daily jobs run once, then kept under CACHE keyed by
size and by the schema (the migrations' names and this file), so that a second run only
copies the file. Every run works on its own copy: the runs post ticket replies."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("O2BENCH_CACHE", "/tmp/o2bench-cache"))
PASSWORD = "Bench-password-2026"
BENCH_EMAIL = "bench@o2bench.example"
STAFF_EMAIL = "staff@o2bench.example"
OTHER_CUSTOMERS = 10_000
BENCH_PRODUCTS = 1_000
THREAD_MESSAGES = 240
LOGIN_ACCOUNTS = 300  # real cost-12 hashes, for the logins under load
FLOOR_ITEMS = 5_000


def other_email(i: int) -> str:
    return f"c{i}@o2bench.example"


def login_email(i: int) -> str:
    return f"login{i}@o2bench.example"


@dataclass
class PortalData:
    path: Path
    products: int
    bench_customer_id: int
    ticket_id: int
    built_seconds: float | None  # None: copied from the cache


def _schema_key() -> str:
    digest = hashlib.sha256()
    for migration in sorted((ROOT / "o2portal").rglob("versions/*.py")):
        digest.update(migration.name.encode())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:12]


def portal_db(products: int, target: Path) -> PortalData:
    """The portal's database at `target` (O2PORTAL_DATABASE_URL must already name it)."""
    cached = CACHE / f"portal-{products}-{_schema_key()}.db"
    built = None
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        _build_portal(products, target)
        built = time.perf_counter() - start
        partial = cached.with_suffix(".part")
        _checkpoint(target)
        shutil.copyfile(target, partial)
        partial.rename(cached)
    else:
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(cached, target)
    with sqlite3.connect(target) as conn:
        customer_id = conn.execute(
            "SELECT id FROM customer WHERE email = ?", (BENCH_EMAIL,)
        ).fetchone()[0]
        ticket_id = conn.execute(
            "SELECT min(id) FROM ticket WHERE customer_id = ?", (customer_id,)
        ).fetchone()[0]
    return PortalData(target, products, customer_id, ticket_id, built)


def _checkpoint(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _build_portal(products: int, target: Path) -> None:
    from sqlalchemy import insert, text

    from o2portal.accounts.models import Customer
    from o2portal.accounts.passwords import hash_password
    from o2portal.catalog.defaults import ensure_catalogue
    from o2portal.content.default_faq import ensure_faq
    from o2portal.core import clock
    from o2portal.core.db import get_engine, transaction
    from o2portal.core.migrate import upgrade_database
    from o2portal.jobs.runner import run_all
    from o2portal.products.models import Product
    from o2portal.support.models import Ticket, TicketMessage

    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    upgrade_database()
    with transaction() as session:
        ensure_catalogue(session)
        ensure_faq(session)
    engine = get_engine()
    now = clock.now()
    today = clock.today()
    real_hash = hash_password(PASSWORD)  # cost 12, once: every account shares it
    person = {
        "password_hash": real_hash,
        "account_type": "particulier",
        "phone": "+33612345678",
        "address_line1": "1 rue du Banc",
        "postal_code": "75001",
        "city": "Paris",
        "country": "FR",
        "language": "fr",
        "credit_balance_cents": 0,
        "created_at": now,
        "email_verified_at": now,
        "terms_accepted_at": now,
    }
    people = [
        {
            **person,
            "email": BENCH_EMAIL,
            "role": "customer",
            "first_name": "Bench",
            "last_name": "Mark",
        },
        {
            **person,
            "email": STAFF_EMAIL,
            "role": "support",
            "first_name": "Sam",
            "last_name": "Support",
        },
    ]
    people += [
        {
            **person,
            "email": other_email(i),
            "role": "customer",
            "first_name": "C",
            "last_name": str(i),
        }
        for i in range(OTHER_CUSTOMERS)
    ]
    people += [
        {
            **person,
            "email": login_email(i),
            "role": "customer",
            "first_name": "L",
            "last_name": str(i),
        }
        for i in range(LOGIN_ACCOUNTS)
    ]
    with engine.begin() as conn:
        conn.execute(insert(Customer), people)
        ids = dict(
            conn.execute(
                text("SELECT email, id FROM customer WHERE email IN (:a, :b)"),
                {"a": BENCH_EMAIL, "b": STAFF_EMAIL},
            ).all()
        )
        first_other = conn.execute(
            text("SELECT id FROM customer WHERE email = :e"), {"e": other_email(0)}
        ).scalar_one()
    bench_id, staff_id = ids[BENCH_EMAIL], ids[STAFF_EMAIL]

    # The product table's indexes are made again after the load: much faster than
    # keeping ten of them up to date row by row.
    with engine.begin() as conn:
        indexes = conn.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'product' AND sql IS NOT NULL"
            )
        ).all()
        for name, _ in indexes:
            conn.execute(text(f'DROP INDEX "{name}"'))
    _insert_products(engine, insert(Product), products, bench_id, first_other, today, now)
    with engine.begin() as conn:
        for _, sql in indexes:
            conn.execute(text(sql))
        conn.execute(text("ANALYZE"))

    with transaction() as session:
        ticket = Ticket(
            customer_id=bench_id,
            subject="Un long fil de 240 messages",
            department="technique",
            status="answered",
            created_at=now - timedelta(days=30),
            updated_at=now - timedelta(days=1),
        )
        session.add(ticket)
        session.flush()
        ticket_id = ticket.id
    start = now - timedelta(days=30)
    with engine.begin() as conn:
        conn.execute(
            insert(TicketMessage),
            [
                {
                    "ticket_id": ticket_id,
                    "author_id": staff_id if i % 2 else bench_id,
                    "is_staff": bool(i % 2),
                    "is_internal": False,
                    "body": f"Message {i + 1} : mon site **affiche une erreur 500** depuis "
                    f"la mise à jour, voici le journal.\n\n```\nPHP Fatal error line {i}\n```",
                    "created_at": start + timedelta(minutes=10 * i),
                }
                for i in range(THREAD_MESSAGES)
            ],
        )
    # The daily jobs once, so that the portal's own first run (at start) finds little to do.
    run_all()


def _insert_products(engine, statement, products, bench_id, first_other, today, now) -> None:
    def row(customer_id: int, i: int, kind: str, status: str, expiry: date, auto: bool):
        return {
            "customer_id": customer_id,
            "kind": kind,
            "name": f"{'srv' if kind == 'server' else 'site'}-{customer_id}-{i:07d}.fr",
            "offer_code": "fr" if kind == "domain" else "start",
            "status": status,
            "start_date": expiry - timedelta(days=365),
            "expiry_date": expiry,
            "auto_renew": auto,
            "registrar_lock": True,
            "created_at": now,
        }

    kinds = ("domain", "hosting", "server")
    # The bench customer: mixed kinds, statuses and expiries (some past, some within the
    # reminder window, most later).
    bench = []
    for i in range(BENCH_PRODUCTS):
        kind = kinds[i % 3] if i % 10 else "server"
        status = "active"
        if i % 13 == 0:
            status = "suspended"
        elif i % 17 == 0:
            status = "terminated"
        expiry = today + timedelta(days=(i * 37) % 760 - 60)
        bench.append(row(bench_id, i, kind, status, expiry, auto=i % 7 == 0))
    with engine.begin() as conn:
        conn.execute(statement, bench)
    rest = products - BENCH_PRODUCTS
    chunk = 100_000
    for start in range(0, rest, chunk):
        rows = []
        for i in range(start, min(start + chunk, rest)):
            customer_id = first_other + i % OTHER_CUSTOMERS
            kind = kinds[(i // OTHER_CUSTOMERS) % 3]
            # 100 to 460 days ahead: nothing reaches a reminder stage for weeks, so a
            # cached copy stays as quiet for the jobs as a fresh one.
            expiry = today + timedelta(days=100 + (i * 7919) % 360)
            rows.append(row(customer_id, i, kind, "active", expiry, auto=False))
        with engine.begin() as conn:
            conn.execute(statement, rows)


def add_sessions(path: Path, customer_ids: list[int], prefix: str) -> list[str]:
    """A signed-in session per customer (the cookie values), written straight into the
    table as exchange_ticket does, without bcrypt. O2PORTAL_SECRET_KEY must be set."""
    from sqlalchemy import insert

    from o2portal.accounts.models import UserSession
    from o2portal.accounts.passwords import token_hash
    from o2portal.core.db import get_engine

    now = datetime.now(UTC)
    tokens = [f"{prefix}-{i}-{os.urandom(12).hex()}" for i in range(len(customer_ids))]
    with get_engine().begin() as conn:
        conn.execute(
            insert(UserSession),
            [
                {
                    "customer_id": cid,
                    "token_hash": token_hash(token),
                    "created_at": now,
                    "expires_at": now + timedelta(days=1),
                    "last_seen_at": now,
                    "ip": "127.0.0.1",
                    "user_agent": "o2bench",
                    "second_factor_ok": True,
                }
                for cid, token in zip(customer_ids, tokens, strict=True)
            ],
        )
    return tokens


def customer_ids(path: Path, emails: list[str]) -> list[int]:
    with sqlite3.connect(path) as conn:
        found = dict(
            conn.execute(
                f"SELECT email, id FROM customer WHERE email IN ({','.join('?' * len(emails))})",
                emails,
            ).fetchall()
        )
    return [found[e] for e in emails]


def floor_db(target: Path) -> Path:
    """The floor's table: FLOOR_ITEMS rows, names item-00000…, expiry dates spread."""
    cached = CACHE / f"floor-{FLOOR_ITEMS}-{_schema_key()}.db"
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".part")
        partial.unlink(missing_ok=True)
        with sqlite3.connect(partial) as conn:
            conn.execute(
                "CREATE TABLE item (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "kind VARCHAR NOT NULL, expiry_date DATE NOT NULL)"
            )
            conn.execute("CREATE INDEX ix_item_name ON item (name)")
            conn.execute("CREATE INDEX ix_item_expiry_date ON item (expiry_date)")
            today = date.today()
            conn.executemany(
                "INSERT INTO item (name, kind, expiry_date) VALUES (?, ?, ?)",
                [
                    (
                        f"item-{i:05d}",
                        ("domain", "hosting", "server")[i % 3],
                        (today + timedelta(days=(i * 37) % 700)).isoformat(),
                    )
                    for i in range(FLOOR_ITEMS)
                ],
            )
            conn.execute("ANALYZE")
        partial.rename(cached)
    shutil.copyfile(cached, target)
    return target
