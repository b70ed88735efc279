"""One "expiring soon": the dashboard list, the /services badge and its filter use the same
number of days, and the dashboard's title says it."""

from __future__ import annotations

from datetime import timedelta

from o2portal.core import clock
from o2portal.core.db import transaction
from o2portal.core.i18n import translate
from o2portal.products.customer import display_status, list_customer_products
from o2portal.products.expiry import EXPIRING_SOON_DAYS
from o2portal.products.models import Product
from o2portal.reporting.customer_overview import customer_overview
from tests.unit.test_jobs import jobs_customer


def test_the_dashboard_the_badge_and_the_filter_agree(db):
    customer = jobs_customer()
    today = clock.today()
    names = {}
    with transaction() as session:
        for days in (EXPIRING_SOON_DAYS, EXPIRING_SOON_DAYS + 1):
            product = Product(
                customer_id=customer.id,
                kind="domain",
                name=f"j{days}.fr",
                offer_code="fr",
                start_date=today - timedelta(days=300),
                expiry_date=today + timedelta(days=days),
            )
            session.add(product)
            session.flush()
            names[days] = product
    inside, outside = names[EXPIRING_SOON_DAYS], names[EXPIRING_SOON_DAYS + 1]

    assert display_status(inside, today) == "expiring"
    assert display_status(outside, today) == "active"
    filtered = list_customer_products(customer.id, status="expiring")
    assert [p.name for p in filtered.rows] == [inside.name]
    assert [p.name for p in customer_overview(customer.id).expiring] == [inside.name]
    for lang in ("fr", "en"):
        assert str(EXPIRING_SOON_DAYS) in translate("dash.expiring", lang)
        assert str(EXPIRING_SOON_DAYS) in translate("dash.none_expiring", lang)
