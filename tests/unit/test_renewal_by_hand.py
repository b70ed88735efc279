"""A goodwill renewal by staff voids the product's payable renewal forms: paying one later
would extend the product a second time for one period."""

from __future__ import annotations

from o2portal.billing.checkout import pay_order, record_offline_payment
from o2portal.billing.models import Order
from o2portal.billing.payments import PaymentChoice
from o2portal.core.db import read_session
from o2portal.products import staff as admin_products
from o2portal.products.expiry import add_years
from tests.unit import test_renewals
from tests.unit.helpers import actor
from tests.unit.test_renewals import card, count, expiry_of, new_customer, new_product, renew

shop = test_renewals.shop


def test_a_renewal_by_hand_cancels_the_payable_renewal_forms(shop):
    customer_id = new_customer()
    admin_id = new_customer("admin@example.fr", role="admin")
    product_id = new_product(customer_id, "domain", "com", name="geste.com")
    other_id = new_product(customer_id, "domain", "fr", name="autre.fr")
    expiry = expiry_of(product_id)
    form = renew(customer_id, product_id, choice=PaymentChoice("transfer"), key="hand-form-0001")
    other = renew(customer_id, other_id, choice=PaymentChoice("transfer"), key="hand-form-0002")
    assert form.status == other.status == "pending"

    new = admin_products.renew_by_hand(
        actor(admin_id), product_id, 1, "Geste", key="hand-key-0001", expected_expiry=expiry
    )
    assert new == add_years(expiry, 1)
    with read_session() as session:
        assert session.get(Order, form.order_id).status == "cancelled"
        assert session.get(Order, other.order_id).status == "unpaid"  # another product's
    # The transfer arriving late, or a card, pays nothing and extends nothing.
    late = record_offline_payment(staff=actor(admin_id), order_id=form.order_id, method="transfer")
    assert late.status != "paid"
    by_card = pay_order(
        customer_id=customer_id, order_id=form.order_id, choice=card(), key="hand-pay-0001"
    )
    assert by_card.status != "paid"
    assert expiry_of(product_id) == new
    from o2portal.billing.models import Invoice

    assert count(Invoice) == 0
