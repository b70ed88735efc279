"""The customer's invoice list says what each invoice was for, its amounts HT and TTC, how it
was paid and whether a credit note came since; it pages, and it filters by year."""

from __future__ import annotations

from datetime import UTC, datetime

from o2portal.billing.invoices import customer_invoice_years, customer_invoices
from o2portal.billing.orders import CartItem
from o2portal.billing.staff import credit_invoice
from o2portal.core import clock
from tests.unit.helpers import actor
from tests.unit.test_orders_rules import order, person


def test_the_list_describes_each_invoice_and_filters_by_year(db):
    buyer = person("factures@example.fr")
    admin = actor(person("admin-factures@example.fr", role="admin"))
    with clock.frozen_at(datetime(2025, 6, 2, 10, 0, tzinfo=UTC)):
        old = order(
            buyer, [CartItem("domain", domain="ancien-2025.fr", action="register")], "k-list-0001"
        )
    new = order(
        buyer,
        [
            CartItem("domain", domain="nouveau-a.fr", action="register"),
            CartItem("domain", domain="nouveau-b.com", action="register"),
        ],
        "k-list-0002",
    )
    everything = customer_invoices(buyer, 1)
    assert [r.invoice.number for r in everything.rows] == [new.invoice_number, old.invoice_number]
    latest = everything.rows[0]
    assert "nouveau-a.fr" in latest.description and "nouveau-b.com" in latest.description
    assert latest.credited_ttc_cents == 0 and latest.status == "paid"

    credit_invoice(admin, everything.rows[1].invoice.id, "1,00", "Geste")
    older = customer_invoices(buyer, 1, year=2025).rows
    assert [r.invoice.number for r in older] == [old.invoice_number]
    assert older[0].status == "partly_credited" and older[0].credited_ttc_cents == 120
    assert "ancien-2025.fr" in older[0].description
    assert customer_invoices(buyer, 1, year=2024).rows == []
    assert customer_invoice_years(buyer) == [clock.today().year, 2025]
