"""Staff searches match a prefix, and take % and _ as the characters they are: typing
"%" finds what starts with "%" (nothing here), not every row."""

from __future__ import annotations

from datetime import timedelta

import pytest

from o2portal.accounts import staff as accounts_staff
from o2portal.billing import staff as billing_staff
from o2portal.core import clock
from o2portal.core.db import transaction
from o2portal.mail import staff as mail_staff
from o2portal.products import staff as products_staff
from o2portal.products.models import Product
from o2portal.reporting import audit_log
from tests.unit.helpers import actor
from tests.unit.test_orders_rules import person


@pytest.fixture
def admin(db):
    owner = person("joker_one@example.fr")
    person("jokerxone@example.fr")
    with transaction() as session:
        for name in ("abc_d.fr", "abcxd.fr"):
            session.add(
                Product(
                    customer_id=owner,
                    kind="domain",
                    name=name,
                    offer_code="fr",
                    start_date=clock.today(),
                    expiry_date=clock.today() + timedelta(days=90),
                )
            )
    return actor(person("admin-jokers@example.fr", role="admin"))


@pytest.mark.parametrize("joker", ["%", "_", "%@", "a%", "abc%"])
def test_a_wildcard_typed_in_a_search_matches_only_itself(admin, joker):
    assert accounts_staff.search_customers(admin, joker).rows == []
    assert products_staff.list_products(admin, query=joker).rows == []
    assert billing_staff.list_order_forms(admin, status="", query=joker).rows == []
    assert mail_staff.list_mail(admin, recipient=joker).rows == []


def test_an_underscore_is_an_underscore(admin):
    found = products_staff.list_products(admin, query="abc_")
    assert [p.name for p, _ in found.rows] == ["abc_d.fr"]
    customers = accounts_staff.search_customers(admin, "joker_")
    assert [c.email for c in customers.rows] == ["joker_one@example.fr"]
    assert audit_log.list_events(admin, customer="%").rows == []
    assert audit_log.list_events(admin, customer="_").rows == []
