"""Staff's exports and reports in a real browser, on the demo data: the invoices CSV
downloaded from the page with a search set holds that search's invoices, with accents and
decimal commas; the VAT report's totals are the month's invoices less its credit notes,
with the Belgian buyer's VAT number (reverse charge) and the Swiss sale (outside the EU);
the aging report lists the unpaid order forms with links; support sees none of it.
Screenshots at 1440 px in /tmp/shots-reports/."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.billing.models import CreditNote, Invoice, Order
from o2portal.core import clock, formatting
from o2portal.core.db import read_session
from o2portal.reporting.vat_report import report_months
from tests.e2e.conftest import log_in

SHOTS = Path("/tmp/shots-reports")
WIDE = {"width": 1440, "height": 900}


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _wide(new_context) -> Page:
    return new_context(viewport=WIDE).new_page()


def _csv(download) -> list[list[str]]:
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_staff_download_the_invoices_they_searched(new_context):
    page = _wide(new_context)
    log_in(page, "support@o2portal.example", next_path="/admin/invoices")
    page.locator("#invoice-search").fill("entreprise@")
    page.locator("#invoice-search-go").click()
    expect(page.locator("#export-invoices")).to_have_attribute(
        "href", re.compile(r"q=entreprise%40$")
    )
    expect(page.locator("#admin-invoices")).not_to_contain_text("client@o2portal.example")
    _shot(page, "admin-invoices")
    with page.expect_download() as download:
        page.locator("#export-invoices").click()
    header, *rows = _csv(download)
    assert header[:3] == ["Numéro", "Date", "Client"]
    with read_session() as session:
        owner = session.exec(
            select(Customer).where(Customer.email == "entreprise@o2portal.example")
        ).one()
        numbers = set(
            session.exec(select(Invoice.number).where(Invoice.customer_id == owner.id)).all()
        )
    assert numbers and {row[0] for row in rows} == numbers
    assert {row[2] for row in rows} == {"Atelier Lumière SARL"}
    for name in ("Total HT (€)", "TVA (€)", "Total TTC (€)"):
        assert all(re.fullmatch(r"\d+,\d\d", row[header.index(name)]) for row in rows)
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4}", row[1]) for row in rows)


def _month_sums(year: int, month: int) -> tuple[int, int]:
    """The month's invoices less its credit notes (HT, VAT), summed over the documents."""

    def of_month(moment) -> bool:
        local = moment.astimezone(clock.PARIS)
        return (local.year, local.month) == (year, month)

    with read_session() as session:
        invoices = [i for i in session.exec(select(Invoice)).all() if of_month(i.issued_at)]
        notes = [n for n in session.exec(select(CreditNote)).all() if of_month(n.issued_at)]
    ht = sum(i.total_ht_cents for i in invoices) - sum(n.total_ht_cents for n in notes)
    vat = sum(i.total_vat_cents for i in invoices) - sum(n.total_vat_cents for n in notes)
    return ht, vat


def test_the_vat_report_adds_up_to_the_months_documents(new_context):
    page = _wide(new_context)
    log_in(page, "admin@o2portal.example", next_path="/admin/reports/vat")
    expect(page.locator("#vat-sections")).to_be_visible()
    buyers, countries = "", ""
    for year, month in report_months(3):
        page.locator("#vat-month").select_option(f"{year}-{month:02d}")
        ht, vat = _month_sums(year, month)
        expect(page.locator("#vat-total-net_ht")).to_have_text(formatting.money(ht))
        expect(page.locator("#vat-total-net_vat")).to_have_text(formatting.money(vat))
        buyers += " ".join(page.locator("#vat-buyers").all_inner_texts())
        countries += " ".join(page.locator("#vat-countries").all_inner_texts())
        if month == clock.today().month:
            # The demo's credit note of today is listed (and taken off the totals).
            with read_session() as session:
                note = session.exec(
                    select(CreditNote).where(
                        CreditNote.reason == "Geste commercial : interruption de service"
                    )
                ).one()
            expect(page.locator("#vat-credits")).to_contain_text(note.number)
            _shot(page, "admin-reports-vat")
            with page.expect_download() as download:
                page.locator("#vat-export").click()
            rows = _csv(download)
            total = next(row for row in rows if row[0] == "Total")
            assert total[-2] == f"{ht // 100},{ht % 100:02d}"
    # Over the last months: the Belgian buyer by VAT number, the Swiss sale by country.
    assert "BE0776091951" in buyers and "Brasserie du Canal SRL" in buyers
    assert re.search(r"\bCH\b", countries), countries


def test_the_aging_report_lists_the_unpaid_forms(new_context):
    page = _wide(new_context)
    log_in(page, "admin@o2portal.example", next_path="/admin/reports/aging")
    with read_session() as session:
        unpaid = session.exec(select(Order).where(Order.status == "unpaid")).all()
    assert unpaid
    total = sum(o.total_ttc_cents for o in unpaid)
    expect(page.locator("#aging-total")).to_have_text(formatting.money(total))
    table = page.locator("#aging-table")
    # Whoever has unpaid forms now (earlier tests pay or cancel some of the demo's).
    with read_session() as session:
        owner = session.get(Customer, unpaid[0].customer_id)
        theirs = session.exec(
            select(Order.id).where(Order.status == "unpaid", Order.customer_id == owner.id)
        ).all()
    expect(table.get_by_role("link", name=owner.display_name)).to_have_attribute(
        "href", f"/admin/customers/{owner.id}"
    )
    for order_id in theirs:
        expect(table.get_by_role("link", name=f"BC-{order_id:06d}")).to_have_attribute(
            "href", f"/files/order-forms/{order_id}.pdf"
        )
    _shot(page, "admin-reports-aging")


def test_customers_page_exports_its_search(new_context):
    page = _wide(new_context)
    log_in(page, "admin@o2portal.example", next_path="/admin/customers")
    page.locator("#customer-search").fill("chocolaterie")
    page.locator("#customer-search-go").click()
    expect(page.locator("#customers-table")).to_contain_text("Chocolaterie Alpine SA")
    _shot(page, "admin-customers")
    with page.expect_download() as download:
        page.locator("#export-customers").click()
    header, *rows = _csv(download)
    assert [row[header.index("Prénom")] for row in rows] == ["Léa"]
    assert rows[0][header.index("Pays")] == "CH"


def test_support_is_shown_no_report(page: Page):
    log_in(page, "support@o2portal.example", next_path="/admin/reports/vat")
    expect(page.locator("#admins-only")).to_be_visible()
    expect(page.locator("#vat-export")).to_have_count(0)
    expect(page.locator("#admin-nav")).not_to_contain_text("Rapport de TVA")
    page.goto("/admin/reports/aging")
    expect(page.locator("#admins-only")).to_be_visible()
    expect(page.locator("#aging-table")).to_have_count(0)
