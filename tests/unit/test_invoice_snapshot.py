"""The invoice prints the billing identity frozen on the order form, with the VAT rule it
was ordered under: a reverse-charge business that drops its VAT number before paying by
transfer still gets an invoice with the number the law requires beside the mention."""

from __future__ import annotations

import json

from o2portal.billing.checkout import record_offline_payment
from o2portal.billing.invoices import invoice_of_order
from o2portal.billing.models import Order
from o2portal.billing.payments import PaymentChoice
from o2portal.core.db import read_session, transaction
from o2portal.core.permissions import Actor
from tests.unit import test_renewals
from tests.unit.test_renewals import (
    new_customer,
    new_product,
    renew,
)

shop = test_renewals.shop


def test_a_reverse_charge_order_prints_the_vat_number_it_was_ordered_with(shop):
    business = new_customer(
        "brasserie@example.be",
        account_type="entreprise",
        company_name="Brasserie du Coin",
        vat_number="BE0403170701",
        country="BE",
        postal_code="1000",
        city="Bruxelles",
    )
    admin = new_customer("admin@example.fr", role="admin")
    product_id = new_product(business, "domain", "com", name="brasserie.com")
    form = renew(business, product_id, choice=PaymentChoice("transfer"), key="be-form-0001")
    assert form.status == "pending"
    with read_session() as session:
        order = session.get(Order, form.order_id)
    assert order.vat_rate_bp == 0 and "autoliquidation" in (order.vat_mention or "").lower()

    # Two weeks later the business removes its VAT number and moves, then the transfer arrives.
    with transaction() as session:
        from o2portal.accounts.models import Customer

        customer = session.get(Customer, business)
        customer.vat_number = None
        customer.city = "Liège"
        session.add(customer)
    with read_session() as session:
        staff = Actor.of(session.get(Customer, admin))
    paid = record_offline_payment(staff=staff, order_id=form.order_id, method="transfer")
    assert paid.status == "paid"

    with read_session() as session:
        invoice = invoice_of_order(session, form.order_id)
    printed = json.loads(invoice.customer_snapshot_json)
    assert printed["vat_number"] == "BE0403170701"
    assert printed["city"] == "Bruxelles"  # the identity of the order, as a whole
    assert invoice.vat_rate_bp == 0 and invoice.vat_mention == order.vat_mention
