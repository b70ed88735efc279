"""The staff header's search box in a real browser: one box finds a customer by one of
their domains, an invoice by its number, an order form by its reference and a ticket by
its number, each a link to it."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlmodel import col, select

from o2portal.billing.models import Invoice, Order
from o2portal.core.db import read_session
from o2portal.support.models import Ticket
from tests.e2e.conftest import log_in


def _search(page: Page, text: str):
    box = page.locator("#staff-search")
    box.fill(text)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/admin/search\?q="))
    return page.locator("#search-results")


def test_one_box_finds_a_customer_an_invoice_an_order_form_and_a_ticket(page: Page):
    with read_session() as session:
        invoice = session.exec(select(Invoice).order_by(col(Invoice.id))).first()
        order = session.exec(select(Order).where(Order.status == "unpaid")).first()
        ticket = session.exec(select(Ticket).order_by(col(Ticket.id))).first()
    log_in(page, "support@o2portal.example", next_path="/admin")

    results = _search(page, "dupont-photo")
    expect(results).to_be_visible()
    expect(results).to_contain_text("Marie Dupont")
    expect(results.get_by_role("link", name=re.compile(r"^dupont-photo\.fr"))).not_to_have_count(0)

    results = _search(page, invoice.number)
    expect(results.get_by_role("link", name=re.compile(invoice.number))).to_have_attribute(
        "href", f"/files/invoices/{invoice.id}.pdf"
    )

    results = _search(page, f"BC-{order.id:06d}")
    expect(results).to_contain_text(f"BC-{order.id:06d}")

    results = _search(page, f"#{ticket.id}")
    link = results.get_by_role("link", name=re.compile(rf"^#{ticket.id} "))
    expect(link).to_have_attribute("href", f"/admin/tickets/{ticket.id}")
    # The ticket's page links to the product it is about (the demo's first ticket has one).
    assert ticket.product_id is not None
    link.click()
    expect(page.locator("#ticket-product")).to_have_attribute(
        "href", f"/admin/products/{ticket.product_id}"
    )
    page.goto("/admin")
    page.locator("#o2-hydrated").wait_for(state="attached")

    results = _search(page, "dupont-photo")
    results.get_by_role("link", name=re.compile("Marie Dupont")).click()
    expect(page.locator("#customer-name")).to_have_text("Marie Dupont")


def test_nothing_found_says_so(page: Page):
    log_in(page, "support@o2portal.example", next_path="/admin")
    results = _search(page, "zzz-personne-zzz")
    expect(page.get_by_text("Rien ne correspond.")).to_be_visible()
    expect(results).to_have_count(0)
