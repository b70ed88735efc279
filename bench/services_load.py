"""Benchmark: /services for a customer with 1,000 products (run on demand, not a test).

    .venv/bin/python bench/services_load.py

Builds a temporary database, then times the page's load handler (guard, one page query,
formatting) as the browser triggers it, and the domain query alone.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
work = tempfile.mkdtemp(prefix="o2bench-")
os.environ["O2PORTAL_DATABASE_URL"] = f"sqlite:///{work}/bench.db"

from o2portal.accounts import auth  # noqa: E402
from o2portal.accounts.models import Customer  # noqa: E402
from o2portal.accounts.passwords import hash_password  # noqa: E402
from o2portal.core import clock  # noqa: E402
from o2portal.core.db import transaction  # noqa: E402
from o2portal.core.migrate import upgrade_database  # noqa: E402
from o2portal.products.customer import list_customer_products  # noqa: E402
from o2portal.products.models import Product  # noqa: E402
from o2portal.web.customer.services.state import ServicesState  # noqa: E402
from tests.state.conftest import make_state, run  # noqa: E402

PRODUCTS = 1000
RUNS = 50


def setup() -> tuple[int, str]:
    upgrade_database()
    with transaction() as session:
        customer = Customer(
            email="bench@example.fr",
            password_hash=hash_password("Bench-password-1"),
            first_name="Bench",
            last_name="Mark",
            phone="+33612345678",
            address_line1="1 rue",
            postal_code="75001",
            city="Paris",
        )
        session.add(customer)
        session.flush()
        for i in range(PRODUCTS):
            session.add(
                Product(
                    customer_id=customer.id,
                    kind=("domain", "hosting", "server")[i % 3],
                    name=f"site-{i:04d}.fr",
                    offer_code="fr",
                    start_date=clock.today(),
                    expiry_date=clock.today() + timedelta(days=i % 700),
                )
            )
        customer_id = customer.id
    ticket = auth.log_in("bench@example.fr", "Bench-password-1").ticket
    return customer_id, auth.exchange_ticket(ticket).token


def timed(fn) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    customer_id, token = setup()
    state = make_state(ServicesState, token=token, path="/services")

    def page_load():
        run(state, "load")
        assert len(state.rows) == 25 and state.total == PRODUCTS

    query = timed(lambda: list_customer_products(customer_id, 20))
    load = timed(page_load)
    for label, values in (("domain query (page 20)", query), ("load handler", load)):
        print(
            f"{label:<24} median {statistics.median(values):6.2f} ms   "
            f"p95 {sorted(values)[int(RUNS * 0.95) - 1]:6.2f} ms   "
            f"({RUNS} runs, {PRODUCTS} products)"
        )
    print(f"rows held in state: {len(state.rows)} of {state.total}")


if __name__ == "__main__":
    main()
