"""A customer's product list reads only that customer's rows, through an index, for every
filter and sort it offers, on SQLite and on PostgreSQL: the queries the page really makes
are caught as they run and explained by the database itself."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta

import pytest
from sqlalchemy import event, insert, text

from o2portal.core import clock
from o2portal.core.db import get_engine, transaction
from o2portal.core.migrate import analyze
from o2portal.products.customer import KIND_FILTERS, SORTS, STATUS_FILTERS, list_customer_products
from o2portal.products.models import Product
from tests.unit.test_orders_rules import person

KINDS = ("hosting", "domain", "server", "ssl")
STATUSES = ("active", "active", "active", "expired", "suspended", "terminated")


@pytest.fixture(scope="module")
def shapes():
    return list(itertools.product(KIND_FILTERS, STATUS_FILTERS, SORTS))


@pytest.fixture
def big_customer(db):
    """One customer with 1,000 products among 300 customers with 40 each."""
    owners = [person(f"p{n}@example.fr") for n in range(301)]
    today = clock.today()
    rows = []
    for n, owner in enumerate(owners):
        for i in range(1000 if n == 0 else 40):
            rows.append(
                {
                    "customer_id": owner,
                    "kind": KINDS[i % len(KINDS)],
                    "name": f"c{owner}-{i}.fr",
                    "offer_code": "fr",
                    # Every kind in every status: each filter finds rows, and its page
                    # is read (an empty list is only counted).
                    "status": STATUSES[(i // len(KINDS)) % len(STATUSES)],
                    "start_date": today - timedelta(days=300),
                    "expiry_date": today + timedelta(days=(i * 7) % 700 - 100),
                    "auto_renew": False,
                    "registrar_lock": True,
                }
            )
    with transaction() as session:
        session.execute(insert(Product), rows)
    analyze()
    return owners[0]


def _queries(fn, table: str | None = "product") -> list[tuple[str, object]]:
    """The SELECTs that fn() makes (on `table` only, unless None), with their parameters."""
    seen = []

    def catch(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and (
            table is None or f"FROM {table}" in statement
        ):
            seen.append((statement, parameters))

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", catch)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", catch)
    return seen


def _plan(statement: str, parameters) -> str:
    engine = get_engine()
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            return "\n".join(row[-1] for row in rows)
        rows = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).all()
        return json.dumps(rows[0][0])


def test_every_filter_and_sort_reads_only_the_customers_rows_by_index(big_customer, shapes):
    sqlite = get_engine().dialect.name == "sqlite"
    for kind, status, sort in shapes:
        queries = _queries(
            lambda kind=kind, status=status, sort=sort: list_customer_products(
                big_customer, 3, kind=kind, status=status, sort=sort
            )
        )
        assert len(queries) == 2, (kind, status, sort)  # the count and the page
        for statement, parameters in queries:
            plan = _plan(statement, parameters)
            where = f"{kind or 'all'}/{status or 'all'}/{sort}: {plan}"
            if sqlite:
                assert "SCAN product" not in plan, where
                assert "USING INDEX ix_product_customer_" in plan or (
                    "USING COVERING INDEX ix_product_customer_" in plan
                ), where
            else:
                assert '"Seq Scan"' not in plan, where
                assert "ix_product_customer_" in plan, where


def test_analyze_leaves_the_planner_statistics_of_the_product_table(big_customer):
    """The fixture ran analyze() after writing its rows: the planner knows their number."""
    engine = get_engine()
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            stat = conn.execute(
                text("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_product_customer_expiry'")
            ).scalar()
            assert stat is not None and int(stat.split()[0]) >= 13_000
        else:
            rows = conn.execute(
                text("SELECT reltuples FROM pg_class WHERE relname = 'product'")
            ).scalar()
            assert rows >= 13_000


def test_the_expired_filter_reads_only_the_expired_rows_by_index(big_customer):
    """Expired is two kinds of rows (ended by status, or active past their date). On
    SQLite, each is read from an index of the customer with its status or kind, not every
    product of the customer walked by date for the few that are expired. PostgreSQL picks
    its own way through the customer's rows (its planner takes the customer out of the OR
    itself), never a scan of the table."""
    sqlite = get_engine().dialect.name == "sqlite"
    for kind in ("", "hosting"):
        queries = _queries(
            lambda kind=kind: list_customer_products(big_customer, 1, kind=kind, status="expired")
        )
        assert len(queries) == 2
        for statement, parameters in queries:
            plan = _plan(statement, parameters)
            if sqlite:
                assert "MULTI-INDEX OR" in plan, plan
                assert plan.count("(customer_id=? AND ") == 2, plan
            else:
                assert '"Seq Scan"' not in plan, plan
