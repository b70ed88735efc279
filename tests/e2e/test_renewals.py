"""Renewing in a real browser: in advance, with the invoice and its PDF; a declined card."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlmodel import col, func, select

from o2portal.billing.models import Invoice, Order, Payment
from o2portal.core import formatting
from o2portal.core.db import read_session
from o2portal.core.settings import get_settings
from o2portal.products.expiry import add_years
from o2portal.products.models import Product
from tests.e2e.conftest import log_in, wait_signed_in


def product(name: str) -> Product:
    with read_session() as session:
        return session.exec(
            select(Product).where(Product.name == name, Product.kind == "domain")
        ).one()


def count(model) -> int:
    with read_session() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def open_product(page: Page, name: str) -> None:
    page.goto("/services")
    page.locator("#filter-kind").select_option("domain")
    expect(page.locator("#services-table")).not_to_contain_text("Hébergement")
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.locator("#product-name")).to_have_text(name)
    page.locator("#quote-ttc").wait_for()


def fill_card(page: Page, number: str) -> None:
    page.locator("#card_number").fill(number)
    page.locator("#card_expiry").fill("12/30")
    page.locator("#card_cvc").fill("123")
    page.locator("#card_holder").fill("Marie Dupont")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


def test_declined_card_shows_a_message_and_keeps_only_the_refusal(page: Page):
    before = product("dupont-photo.fr")
    orders, payments, invoices = count(Order), count(Payment), count(Invoice)
    log_in(page, "client@o2portal.example")
    wait_signed_in(page)
    open_product(page, "dupont-photo.fr")
    fill_card(page, "4000 0000 0000 0002")
    page.locator("#renew-form-submit").click()
    expect(page.locator("#pay-message")).to_contain_text("Paiement refusé")
    expect(page.locator("#product-expiry")).to_have_text(formatting.day(before.expiry_date))
    after = product("dupont-photo.fr")
    assert after.expiry_date == before.expiry_date
    # The refusal is kept (a refused order form and its declined payment), nothing else.
    assert (count(Order), count(Payment), count(Invoice)) == (orders + 1, payments + 1, invoices)
    with read_session() as session:
        refused = session.exec(select(Payment).order_by(col(Payment.id).desc())).first()
        form = session.get(Order, refused.order_id)
    assert (refused.status, refused.failure_reason, form.status) == (
        "declined",
        "declined",
        "refused",
    )


def test_renew_a_domain_two_years_in_advance_and_download_the_invoice(page: Page):
    name = "marie-dupont.com"
    before = product(name).expiry_date
    assert before > date.today()  # renewing in advance
    expected = add_years(before, 2)
    log_in(page, "client@o2portal.example")
    wait_signed_in(page)
    open_product(page, name)
    page.locator("#years").select_option("2")
    expect(page.locator("#quote-new-expiry")).to_have_text(formatting.day(expected))
    ttc = page.locator("#quote-ttc").inner_text()
    fill_card(page, "4242 4242 4242 4242")
    page.locator("#renew-form-submit").click()
    expect(page.locator("#pay-message")).to_contain_text("Paiement accepté")
    expect(page.locator("#product-expiry")).to_have_text(formatting.day(expected))
    assert product(name).expiry_date == expected

    number = re.search(r"F\d{4}-\d{6}", page.locator("#pay-message").inner_text()).group(0)
    invoices = page.locator("#product-invoices")
    expect(invoices).to_contain_text(number)

    page.goto("/invoices")
    row = page.locator("#invoices-table tr", has_text=number)
    expect(row).to_contain_text(ttc)
    with page.expect_download() as download_info:
        row.get_by_role("link", name="PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"{number}.pdf"
    text = flat("\n".join(p.extract_text() for p in PdfReader(download.path()).pages))
    assert number in text
    assert get_settings().seller_siret in text
    with read_session() as session:
        invoice = session.exec(select(Invoice).where(Invoice.number == number)).one()
    for cents in (invoice.total_ht_cents, invoice.total_vat_cents, invoice.total_ttc_cents):
        assert flat(formatting.money(cents)) in text
    assert flat(ttc) in text


def test_invoice_pdf_is_refused_to_other_customers(new_context, base_url):
    with read_session() as session:
        invoice = session.exec(
            select(Invoice)
            .join(Product, Product.customer_id == Invoice.customer_id)
            .where(Product.name == "dupont-photo.fr")
        ).first()
    url = f"{base_url}/files/invoices/{invoice.id}.pdf"
    anonymous = new_context()
    assert anonymous.request.get(url).status == 401
    other = new_context()
    page = other.new_page()
    log_in(page, "entreprise@o2portal.example")
    wait_signed_in(page)
    assert other.request.get(url).status == 404
    owner = new_context()
    page = owner.new_page()
    log_in(page, "client@o2portal.example")
    wait_signed_in(page)
    response = owner.request.get(url)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"


def test_auto_renew_without_a_saved_card_says_how_it_will_go(page: Page):
    """A customer with no saved card turns auto-renewal on: the page says that the order
    form will come by mail to be paid, and how to save a card."""
    from tests.e2e.conftest import FRESH_PASSWORD, customer_with_domain

    email, _customer_id, product_id = customer_with_domain("sans-carte", 90)
    log_in(page, email, FRESH_PASSWORD, next_path=f"/services/{product_id}")
    wait_signed_in(page)
    expect(page.locator("#auto-renew-note")).to_have_count(0)
    page.locator("#auto-renew").click()
    expect(page.locator("#auto-renew-note")).to_contain_text("Aucune carte n'est enregistrée")
    expect(page.locator("#auto-renew-note")).to_contain_text("Enregistrer cette carte")
    page.locator("#auto-renew").click()
    expect(page.locator("#auto-renew-note")).to_have_count(0)


def test_a_second_tab_refused_after_a_renewal_shows_the_product_as_it_is(new_context):
    """Two tabs on one product: the first renews it; the second, still showing the old
    dates, is refused without a charge and then shows the new expiry and the next
    renewal's date."""
    from tests.e2e.conftest import FRESH_PASSWORD, customer_with_domain

    email, _customer_id, product_id = customer_with_domain("deux-onglets", 60)
    context = new_context()
    first, second = context.new_page(), context.new_page()
    log_in(first, email, FRESH_PASSWORD, next_path=f"/services/{product_id}")
    wait_signed_in(first)
    second.goto(f"/services/{product_id}")
    wait_signed_in(second)
    with read_session() as session:
        before = session.get(Product, product_id).expiry_date
    renewed = add_years(before, 1)
    for page in (first, second):
        expect(page.locator("#quote-new-expiry")).to_have_text(formatting.day(renewed))
    payments = count(Payment)
    fill_card(first, "4242 4242 4242 4242")
    first.locator("#renew-form-submit").click()
    expect(first.locator("#pay-message")).to_contain_text("Paiement accepté")

    fill_card(second, "4242 4242 4242 4242")
    second.locator("#renew-form-submit").click()
    expect(second.locator("#pay-message")).to_contain_text("vient d'être renouvelé")
    expect(second.locator("#product-expiry")).to_have_text(formatting.day(renewed))
    expect(second.locator("#quote-new-expiry")).to_have_text(formatting.day(add_years(renewed, 1)))
    assert count(Payment) == payments + 1
