"""The report pages' handlers on real states: the VAT report shows the month picked (or
the month whose return is due, for anything else) with its totals and its CSV link; the
aging report pages its customers; support and customers are refused both; the invoices
and customers pages' export links carry the search of the list shown."""

from __future__ import annotations

import pytest

from o2portal.billing.orders import CartItem
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core import clock, formatting
from o2portal.core.db import transaction
from o2portal.reporting.vat_report import previous_month
from o2portal.web.guards import Forbidden
from o2portal.web.staff.customers.state import AdminCustomersState
from o2portal.web.staff.invoices.state import AdminInvoicesState
from o2portal.web.staff.reports.state import AgingState, VatReportState
from tests.state.conftest import make_state, run
from tests.unit.test_orders_rules import order


@pytest.fixture
def sale(people):
    with transaction() as session:
        ensure_catalogue(session)
    done = order(
        people["customer"]["alice"].id,
        [CartItem("domain", domain="rapport-tva.fr", action="register")],
        "report-key-0001",
    )
    assert done.status == "paid"
    return done


def test_the_vat_report_shows_the_month_picked(people, sale):
    state = make_state(VatReportState, token=people["token"]["ada"], path="/admin/reports/vat")
    run(state, "load")
    year, month = previous_month()
    assert state.month == f"{year}-{month:02d}"
    assert state.export_href == f"/files/exports/vat.csv?month={state.month}"
    assert state.sections == [] and state.total["net_ht"] == formatting.money(0)
    this_month = clock.today().strftime("%Y-%m")
    run(state, "set_month", this_month)
    assert state.month == this_month
    [line] = state.sections
    assert line["line"] == "Ventes taxées en France" and line["rate"] == formatting.percent(2000)
    assert state.total["net_ht"] == line["net_ht"] != formatting.money(0)
    assert state.months[0][0] == this_month and state.months[0][1][0].isupper()
    run(state, "set_month", "1999-01" + "x" * 300)  # not offered: the default month
    assert state.month == f"{year}-{month:02d}"


def test_the_aging_report_loads_for_admins(people):
    state = make_state(AgingState, token=people["token"]["ada"], path="/admin/reports/aging")
    run(state, "load")
    assert state.rows == [] and state.grand_total == formatting.money(0)
    assert state.count == "Clients avec un impayé : 0"


@pytest.mark.parametrize("who", ["sam", "alice"])
def test_support_and_customers_are_refused_the_reports(people, who):
    for cls, path in ((VatReportState, "/admin/reports/vat"), (AgingState, "/admin/reports/aging")):
        state = make_state(cls, token=people["token"][who], path=path)
        with pytest.raises(Forbidden):
            run(state, "load")


def test_export_links_carry_the_search_shown(people, sale):
    invoices = make_state(AdminInvoicesState, token=people["token"]["sam"], path="/admin/invoices")
    run(invoices, "load")
    assert invoices.export_href == "/files/exports/invoices.csv"
    run(invoices, "set_query", "alice@ex&x=1")
    assert invoices.export_href == "/files/exports/invoices.csv"  # not searched yet
    run(invoices, "search")
    assert invoices.export_href == "/files/exports/invoices.csv?q=alice%40ex%26x%3D1"
    customers = make_state(
        AdminCustomersState, token=people["token"]["sam"], path="/admin/customers"
    )
    run(customers, "set_query", "Test")
    run(customers, "search")
    assert customers.export_href == "/files/exports/customers.csv?q=Test"
