"""Staff searches read an index, never a whole table, on SQLite and on PostgreSQL: the
queries the search functions really make are caught as they run and explained by the
database itself. And they find what starts with the text typed, whatever its case, and
nothing else (o2portal/core/search.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert
from sqlmodel import select

from o2portal.accounts import staff as accounts_staff
from o2portal.accounts.models import Customer
from o2portal.billing import staff as billing_staff
from o2portal.billing.models import Invoice, Order
from o2portal.core import clock
from o2portal.core.db import get_engine, transaction
from o2portal.core.migrate import analyze
from o2portal.core.models import AuditEvent
from o2portal.core.search import _after
from o2portal.mail import staff as mail_staff
from o2portal.mail.models import OutboxEmail
from o2portal.products import staff as products_staff
from o2portal.products.models import Product
from o2portal.reporting import audit_log
from tests.unit.helpers import actor
from tests.unit.test_orders_rules import person
from tests.unit.test_query_plans import _queries

TABLES = ("customer", "product", "invoice", "outbox_email", "audit_event", "order_form")
SIZE = 3000
# 30 kinds of event, as the log has: a search for one reads its rows, not the others'.
# Real actions (the audit log says each in words), ten of each kind the page filters by.
ACTIONS = [
    *(
        f"profile.{verb}"
        for verb in (
            "updated",
            "totp_enabled",
            "totp_disabled",
            "session_ended",
            "other_sessions_ended",
            "recovery_codes_renewed",
            "password_changed",
            "email_change_requested",
            "email_changed",
            "data_exported",
        )
    ),
    *(
        f"product.{verb}"
        for verb in ("renewed", "auto_renew_failed", "suspended", "terminated", "expired")
    ),
    "product.released",
    "ssl.verified",
    "ssl.issued",
    "ssl.key_downloaded",
    "staff.auth_code_shown",
    *(
        f"ticket.{verb}"
        for verb in (
            "opened",
            "answered",
            "closed",
            "reopened",
            "assigned",
            "routed",
            "escalated",
            "opened_for_customer",
        )
    ),
    "canned.saved",
    "escalation.rule_added",
]
SURNAMES = ("Dupont", "Martin", "Bernard", "Élise", "Leroy", "Moreau")


@pytest.fixture
def admin(db):
    """3,000 customers, each with three products, an order form and its invoice, a mail and
    an audit event; and the admin who searches."""
    now = clock.now()
    today = clock.today()
    customers = [
        {
            "email": f"client{n:05d}@example{n % 7}.fr",
            "password_hash": "x",
            "role": "customer",
            "account_type": "particulier",
            "first_name": f"Prénom{n}",
            "last_name": f"{SURNAMES[n % len(SURNAMES)]}{n}",
            "company_name": f"Société {n}" if n % 3 == 0 else None,
            "phone": "+33612345678",
            "address_line1": "1 rue",
            "postal_code": "75001",
            "city": "Paris",
            "country": "FR",
            "language": "fr",
            "created_at": now,
        }
        for n in range(SIZE)
    ]
    with transaction() as session:
        session.execute(insert(Customer), customers)
    with transaction() as session:
        ids = list(session.exec(select(Customer.id).order_by(Customer.id)))
        session.execute(
            insert(Product),
            [
                {
                    "customer_id": owner,
                    "kind": "domain",
                    "name": f"site{n:05d}-{i}.fr",
                    "offer_code": "fr",
                    "status": "active",
                    "start_date": today,
                    "expiry_date": today + timedelta(days=90),
                    "auto_renew": False,
                    "registrar_lock": True,
                }
                for n, owner in enumerate(ids)
                for i in range(3)
            ],
        )
        money = {"total_ht_cents": 1000, "total_vat_cents": 200, "total_ttc_cents": 1200}
        session.execute(
            insert(Order),
            [
                {
                    "customer_id": owner,
                    "kind": "order",
                    "status": "paid",
                    "idempotency_key": f"k{owner}",
                    "vat_rate_bp": 2000,
                    "created_at": now,
                    **money,
                }
                for owner in ids
            ],
        )
        orders = dict(session.exec(select(Order.customer_id, Order.id)).all())
        session.execute(
            insert(Invoice),
            [
                {
                    "number": f"F2026-{n + 1:06d}",
                    "year": 2026,
                    "sequence": n + 1,
                    "order_id": orders[owner],
                    "customer_id": owner,
                    "issued_at": now,
                    "paid_at": now,
                    "payment_method": "card",
                    "vat_rate_bp": 2000,
                    "seller_snapshot_json": "{}",
                    "customer_snapshot_json": "{}",
                    **money,
                }
                for n, owner in enumerate(ids)
            ],
        )
        session.execute(
            insert(OutboxEmail),
            [
                {
                    "customer_id": owner,
                    "kind": "welcome",
                    "to_addr": f"Client{n:05d}@Example.fr",
                    "subject": "Bienvenue",
                    "body_text": "...",
                    "status": "sent",
                    "attempts": 1,
                    "created_at": now,
                }
                for n, owner in enumerate(ids)
            ],
        )
        session.execute(
            insert(AuditEvent),
            [
                {
                    "actor_id": owner,
                    "actor_role": "customer",
                    "customer_id": owner,
                    "action": ACTIONS[n % len(ACTIONS)],
                    "created_at": now,
                    "details_json": "{}",
                }
                for n, owner in enumerate(ids)
            ],
        )
    staff = actor(person("admin-search@example.fr", role="admin"))
    analyze()
    return staff


def _searches(admin) -> dict[str, object]:
    return {
        "customer by surname": lambda: accounts_staff.search_customers(admin, "dupont12"),
        "customer by email": lambda: accounts_staff.search_customers(admin, "client0042"),
        "customer by domain": lambda: accounts_staff.search_customers(admin, "site00042-"),
        "customer by company": lambda: accounts_staff.search_customers(admin, "SOCIÉTÉ 30"),
        "products by name": lambda: products_staff.list_products(admin, query="site0012"),
        "order forms by email": lambda: billing_staff.list_order_forms(
            admin, status="", query="client0042"
        ),
        "invoices by number": lambda: billing_staff.list_invoices(admin, query="F2026-00012"),
        "invoices by email": lambda: billing_staff.list_invoices(admin, query="client0042"),
        "mail by recipient": lambda: mail_staff.list_mail(admin, recipient="client0042"),
        "audit by customer": lambda: audit_log.list_events(admin, customer="client0042"),
        "audit by staff member": lambda: audit_log.list_events(admin, staff_id="42"),
        # Not "audit by kind": a kind of action is a large share of the log (a third of
        # it here), which PostgreSQL rightly reads newest first along the primary key,
        # stopping at the page's 50th match, rather than through the action index.
    }


def _full_reads(statement: str, parameters) -> list[str]:
    """The big tables that the plan reads from end to end."""
    engine = get_engine()
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            steps = [row[-1] for row in rows]
            return [
                s
                for s in steps
                # "SCAN t" reads every row; "SCAN t USING ... INDEX" every index entry.
                if s.startswith("SCAN ") and s.split()[1] in TABLES
            ]
        # 3,000 rows are few enough that PostgreSQL may rightly prefer reading a table to
        # 30 index look-ups; with that priced out, a "Seq Scan" left in the plan is a read
        # that no index can serve.
        conn.exec_driver_sql("SET enable_seqscan = off")
        plan = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).all()
        conn.rollback()
    found = []

    def walk(node):
        kind, table = node.get("Node Type"), node.get("Relation Name")
        # An index scan with no condition reads the whole index, in its order.
        whole = kind == "Seq Scan" or (kind.startswith("Index") and "Index Cond" not in node)
        if whole and table in TABLES:
            found.append(f"{kind} on {table}")
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0][0][0]["Plan"])
    return found


def test_every_staff_search_reads_an_index_not_a_table(admin):
    for label, search in _searches(admin).items():
        queries = _queries(search, table=None)
        assert queries, label
        for statement, parameters in queries:
            if not any(f"FROM {table}" in statement for table in TABLES):
                continue  # the session and the staff check
            full = _full_reads(statement, parameters)
            assert full == [], f"{label}: {full}\n{statement}"


def test_searches_find_the_prefix_in_any_case_and_nothing_else(admin):
    def emails(page):
        return sorted(c.email for c in page.rows)

    assert emails(accounts_staff.search_customers(admin, "DUPONT120")) == [
        "client00120@example1.fr",
        *[f"client{n:05d}@example{n % 7}.fr" for n in range(1200, 1210) if n % 6 == 0],
    ]
    accented = accounts_staff.search_customers(admin, "élise2991")
    assert [c.last_name for c in accented.rows] == ["Élise2991"]
    by_domain = accounts_staff.search_customers(admin, "site00042-1")
    assert emails(by_domain) == ["client00042@example0.fr"]
    by_company = accounts_staff.search_customers(admin, "société 2997")
    assert [c.company_name for c in by_company.rows] == ["Société 2997"]
    invoices = billing_staff.list_invoices(admin, query="f2026-00001")
    assert sorted(i.number for i, _ in invoices.rows) == [f"F2026-{n:06d}" for n in range(10, 20)]
    mail = mail_staff.list_mail(admin, recipient="CLIENT0004")
    assert len(mail.rows) == 10
    assert audit_log.list_events(admin, group="support").total == SIZE // 3
    assert audit_log.list_events(admin, group="accounts").total == SIZE // 3
    (one,) = audit_log.list_events(admin, customer="client00042").rows
    assert one.customer_id is not None


def test_the_range_ends_just_after_the_prefix():
    assert _after("abc") == "abd"
    assert _after("az") == "a{"
    assert _after("a\U0010ffff") == "b"
    assert _after("\ud7ff") == "\ue000"
    assert _after("") == "\U0010ffff"
