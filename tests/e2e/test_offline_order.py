"""An order paid by bank transfer or cheque, in a real browser: the admin sets the bank
details on /admin/settings (a bad IBAN refused by its field), a customer orders by
transfer and is shown the details and the reference to quote, and the order form's PDF
carries the same; by cheque, the address to send it to."""

from __future__ import annotations

import io
import json
import re
import uuid

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from o2portal.core.db import read_session, transaction
from o2portal.core.models import Setting
from tests.e2e.conftest import ARTIFACTS, log_in, wait_signed_in
from tests.e2e.test_orders import PASSWORD, new_customer

IBAN = "FR14 2004 1010 0505 0001 3M02 606"
CHEQUE_ADDRESS = [
    "Comptabilité Hébergeur Nouveau",
    "5 avenue des Volcans",
    "63100 Clermont-Ferrand",
]


def _saved_details():
    with read_session() as session:
        row = session.get(Setting, "payment_details")
        return None if row is None else json.loads(row.value_json)


@pytest.fixture
def bank_details(new_context):
    """The admin saves new bank details through the settings page; put back afterwards."""
    page = new_context().new_page()
    log_in(page, "admin@o2portal.example", next_path="/admin/settings")
    expect(page.locator("#payment_iban")).to_have_value("FR7630006000011234567890189")
    # A wrong check digit: refused by its field, nothing saved.
    page.locator("#payment_holder").fill("Hébergeur Nouveau SARL")
    page.locator("#payment_iban").fill("FR14 2004 1010 0505 0001 3M02 607")
    page.locator("#save-payment").click()
    expect(page.locator("#payment_iban-error")).to_contain_text("IBAN n'est pas valide")
    expect(page.locator("#payment_holder")).to_have_value("Hébergeur Nouveau SARL")
    assert _saved_details() is None

    page.locator("#payment_iban").fill(IBAN.lower())
    page.locator("#payment_bic").fill("psstfrpppar")
    page.locator("#payment_bank").fill("La Banque Postale")
    page.locator("#payment_cheque_payee").fill("Hébergeur Nouveau SARL")
    page.locator("#payment_cheque_address").fill("\n".join(CHEQUE_ADDRESS))
    page.locator("#save-payment").click()
    saved = page.locator("#settings-payment")
    expect(saved).to_contain_text("Coordonnées de règlement enregistrées")
    expect(page.locator("#payment_iban-error")).to_have_count(0)
    assert _saved_details()["iban"] == IBAN.replace(" ", "")
    page.context.close()
    yield
    with transaction() as session:
        row = session.get(Setting, "payment_details")
        if row is not None:
            session.delete(row)


def _order_a_domain(page: Page, method: str) -> None:
    email = new_customer()
    domain = f"virement-{uuid.uuid4().hex[:6]}.fr"
    log_in(page, email, PASSWORD, next_path="/order")
    wait_signed_in(page)
    page.locator("#tab-domain").click()
    page.locator("#domain-search").fill(domain)
    page.locator("#domain-check").click()
    page.locator("#add-domain").click()
    expect(page.locator("#cart-lines")).to_contain_text(domain)
    page.locator("#method").select_option(method)
    page.locator("#withdrawal").check()
    page.locator("#terms").check()
    page.locator("#order-form-submit").click()


def _pdf_text(page: Page) -> str:
    link = page.locator("#offline-pdf")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return "\n".join(p.extract_text() for p in reader.pages)


def test_an_order_by_transfer_shows_the_bank_details_and_the_pdf_has_them(page: Page, bank_details):
    _order_a_domain(page, "transfer")
    shown = page.locator("#offline-instructions")
    expect(shown).to_be_visible()
    expect(page.locator("#order-pending")).to_contain_text("Bon de commande enregistré")
    expect(page.locator("#offline-iban")).to_have_text(IBAN)
    expect(page.locator("#offline-bic")).to_have_text("PSSTFRPPPAR")
    expect(page.locator("#offline-holder")).to_have_text("Hébergeur Nouveau SARL")
    expect(page.locator("#offline-bank")).to_have_text("La Banque Postale")
    reference = page.locator("#offline-reference").inner_text()
    assert re.fullmatch(r"BC-\d{6}", reference), reference
    expect(shown).to_contain_text(f"la référence {reference} dans le libellé")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "order-by-transfer.png"), full_page=True)

    text = _pdf_text(page)
    assert "BON DE COMMANDE" in text and f"Référence à indiquer : {reference}" in text
    assert f"IBAN : {IBAN}" in text and "PSSTFRPPPAR" in text
    assert "Hébergeur Nouveau SARL" in text

    # The order form waits on /invoices, with its PDF.
    page.goto("/invoices")
    row = page.locator("#orders-table tr", has_text=reference)
    expect(row).to_contain_text("Virement bancaire")
    expect(row.locator("a[href$='.pdf']")).to_have_count(1)


def test_an_order_by_cheque_shows_where_to_send_it(page: Page, bank_details):
    _order_a_domain(page, "cheque")
    shown = page.locator("#offline-instructions")
    expect(shown).to_contain_text("Par chèque à l'ordre de Hébergeur Nouveau SARL")
    for line in CHEQUE_ADDRESS:
        expect(page.locator("#offline-address")).to_contain_text(line)
    reference = re.search(r"BC-\d{6}", page.locator("#offline-title").inner_text()).group(0)
    page.set_viewport_size({"width": 390, "height": 844})
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "order-by-cheque-390.png"), full_page=True)
    text = _pdf_text(page)
    assert f"Référence à indiquer : {reference}" in text
    assert "Par chèque à l'ordre de Hébergeur Nouveau SARL" in text
    assert "IBAN" not in text
