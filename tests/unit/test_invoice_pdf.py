"""Invoice and credit note PDFs: rendered in memory, then read back with pypdf."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import UTC, datetime

from pypdf import PdfReader

from o2portal.billing.models import CreditNote, Invoice, InvoiceLine
from o2portal.billing.pdf import (
    LATE_PAYMENT_MENTIONS,
    render_credit_note_pdf,
    render_invoice_pdf,
    vat_rate,
)
from o2portal.core.settings import get_settings

REVERSE_CHARGE = "Autoliquidation – article 283-2 du CGI / article 196 de la directive 2006/112/CE"


def seller_snapshot() -> str:
    settings = get_settings()
    return json.dumps(
        {
            "name": settings.seller_name,
            "address": settings.seller_address,
            "siret": settings.seller_siret,
            "vat_number": settings.seller_vat_number,
            "legal_form": settings.seller_legal_form,
            "rcs": settings.seller_rcs,
        },
        ensure_ascii=False,
    )


def french_customer() -> dict:
    return {
        "name": "Hélène Façonnier",
        "first_name": "Hélène",
        "last_name": "Façonnier",
        "company_name": None,
        "email": "helene@example.fr",
        "address_line1": "3 place de l'Église",
        "address_line2": "Bâtiment B",
        "postal_code": "69003",
        "city": "Lyon",
        "country": "FR",
        "siret": None,
        "vat_number": None,
    }


def german_business() -> dict:
    return {
        "name": "Müller Webdesign GmbH",
        "first_name": "Jürgen",
        "last_name": "Müller",
        "company_name": "Müller Webdesign GmbH",
        "email": "jm@example.de",
        "address_line1": "Hauptstraße 5",
        "address_line2": None,
        "postal_code": "10115",
        "city": "Berlin",
        "country": "DE",
        "siret": None,
        "vat_number": "DE136695976",
    }


def make_invoice(customer: dict, rate_bp: int = 2000, mention: str | None = None, **extra):
    values = {
        "id": 1,
        "number": "F2026-000123",
        "year": 2026,
        "sequence": 123,
        "order_id": 1,
        "customer_id": 1,
        # 23:30 UTC on 31 March is already 1 April in Paris.
        "issued_at": datetime(2026, 3, 31, 23, 30, tzinfo=UTC),
        "paid_at": datetime(2026, 3, 31, 23, 30, tzinfo=UTC),
        "payment_method": "card",
        "total_ht_cents": 19200,
        "total_vat_cents": 19200 * rate_bp // 10000,
        "total_ttc_cents": 19200 + 19200 * rate_bp // 10000,
        "vat_rate_bp": rate_bp,
        "vat_mention": mention,
        "seller_snapshot_json": seller_snapshot(),
        "customer_snapshot_json": json.dumps(customer, ensure_ascii=False),
    }
    values.update(extra)
    return Invoice(**values)


def hosting_line(rate_bp: int = 2000, **extra) -> InvoiceLine:
    values = {
        "invoice_id": 1,
        "description": "Hébergement Cloud — 1 an (exemple.fr)",
        "quantity": 1,
        "unit_price_ht_cents": 19200,
        "vat_rate_bp": rate_bp,
        "total_ht_cents": 19200,
    }
    values.update(extra)
    return InvoiceLine(**values)


def text_of(pdf: bytes) -> str:
    """All the text of the PDF with its whitespace normalized (see `normalize`)."""
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    return normalize("\n".join(page.extract_text() for page in reader.pages))


def normalize(text: str) -> str:
    """Babel's (narrow) no-break spaces as plain spaces, and any run of whitespace as one
    space: pypdf puts each table cell on its own line, so a label and its amount are
    "Total HT\n192,00 €" in the extracted text."""
    text = text.replace("\u202f", " ").replace("\xa0", " ")
    return " ".join(text.split())


def test_invoice_carries_the_mandatory_mentions():
    settings = get_settings()
    pdf = render_invoice_pdf(make_invoice(french_customer()), [hosting_line()])
    text = text_of(pdf)

    assert "FACTURE" in text
    assert "F2026-000123" in text
    assert "1 avr. 2026" in text  # issue date in Paris, not UTC
    assert settings.seller_name in text
    assert settings.seller_siret in text
    assert settings.seller_vat_number in text
    assert settings.seller_rcs in text
    assert normalize(settings.seller_legal_form) in text
    assert "12 rue de l'Hébergement" in text
    assert "Hélène Façonnier" in text
    assert "3 place de l'Église" in text
    assert "Bâtiment B" in text
    assert "69003 Lyon" in text
    assert "France" in text
    assert "Hébergement Cloud — 1 an (exemple.fr)" in text
    assert "Prix unitaire HT" in text
    assert "20 %" in text
    assert normalize("Total HT 192,00 €") in text
    assert normalize("TVA (20 %) 38,40 €") in text
    assert normalize("Total TTC 230,40 €") in text
    assert "Payée le 1 avr. 2026 par carte bancaire." in text
    # A consumer invoice has no reverse charge and no B2B late-payment mentions.
    assert "Autoliquidation" not in text
    assert "Pénalités de retard" not in text


def test_eu_business_invoice_states_the_reverse_charge():
    invoice = make_invoice(
        german_business(), rate_bp=0, mention=REVERSE_CHARGE, payment_method="transfer"
    )
    text = text_of(render_invoice_pdf(invoice, [hosting_line(rate_bp=0)]))

    assert "Müller Webdesign GmbH" in text
    assert "Hauptstraße 5" in text
    assert "10115 Berlin" in text
    assert "Allemagne" in text
    assert "DE136695976" in text
    assert "0 %" in text
    assert normalize("Total HT 192,00 €") in text
    assert normalize("TVA (0 %) 0,00 €") in text
    assert normalize("Total TTC 192,00 €") in text
    assert REVERSE_CHARGE in text
    assert "par virement" in text
    assert normalize(LATE_PAYMENT_MENTIONS) in text


def test_every_line_and_payment_method_is_printed():
    lines = [
        hosting_line(description="Domaine exemple.fr — enregistrement 1 an",
                     unit_price_ht_cents=825, total_ht_cents=825),
        hosting_line(description="Serveur infogéré — 12 mois", quantity=12,
                     unit_price_ht_cents=14000, total_ht_cents=168000),
    ]  # fmt: skip
    invoice = make_invoice(
        french_customer(),
        payment_method="cheque",
        total_ht_cents=168825,
        total_vat_cents=33765,
        total_ttc_cents=202590,
    )
    text = text_of(render_invoice_pdf(invoice, lines))

    assert "Domaine exemple.fr — enregistrement 1 an" in text
    assert "Serveur infogéré — 12 mois" in text
    assert normalize("8,25 €") in text
    assert normalize("140,00 €") in text
    assert normalize("1 680,00 €") in text
    assert normalize("Total HT 1 688,25 €") in text
    assert normalize("TVA (20 %) 337,65 €") in text
    assert normalize("Total TTC 2 025,90 €") in text
    assert "par chèque" in text


def test_long_description_wraps():
    long_text = ("Hébergement " + "très long libellé avec accents éèàç " * 10)[:300]
    unbroken = "x" * 300
    invoice = make_invoice(french_customer())
    pdf = render_invoice_pdf(invoice, [hosting_line(description=long_text),
                                       hosting_line(description=unbroken)])  # fmt: skip
    text = text_of(pdf)

    assert len(long_text) == 300
    words = long_text.split()
    assert words[0] in text and words[-1] in text
    assert unbroken in text.replace(" ", "")  # split over several lines, all there
    assert normalize("Total TTC 230,40 €") in text


def test_many_lines_flow_onto_a_second_page():
    lines = [hosting_line(description=f"Ligne n° {i}") for i in range(60)]
    pdf = render_invoice_pdf(make_invoice(french_customer()), lines)
    reader = PdfReader(io.BytesIO(pdf))

    assert len(reader.pages) >= 2
    text = text_of(pdf)
    assert "Ligne n° 0" in text and "Ligne n° 59" in text
    assert "Prix unitaire HT" in reader.pages[1].extract_text()  # header row repeated


def test_credit_note_refers_to_its_invoice():
    invoice = make_invoice(german_business(), rate_bp=0, mention=REVERSE_CHARGE)
    note = CreditNote(
        id=1,
        number="A2026-000004",
        year=2026,
        sequence=4,
        invoice_id=1,
        customer_id=1,
        issued_at=datetime(2026, 4, 10, 9, 0, tzinfo=UTC),
        reason="Résiliation anticipée à la demande du client",
        total_ht_cents=9600,
        total_vat_cents=0,
        total_ttc_cents=9600,
        vat_rate_bp=0,
        refund_method="credit",
        lines_json=json.dumps(
            [
                {
                    "description": "Remboursement partiel — Hébergement Cloud",
                    "quantity": 1,
                    "unit_price_ht_cents": 9600,
                    "vat_rate_bp": 0,
                    "total_ht_cents": 9600,
                }
            ],
            ensure_ascii=False,
        ),
    )
    text = text_of(render_credit_note_pdf(note, invoice))

    assert "AVOIR" in text
    assert "A2026-000004" in text
    assert "Avoir sur la facture F2026-000123 du 1 avr. 2026" in text
    assert "10 avr. 2026" in text
    assert "Résiliation anticipée à la demande du client" in text
    assert "Remboursement partiel — Hébergement Cloud" in text
    assert get_settings().seller_siret in text
    assert "Müller Webdesign GmbH" in text
    assert normalize("Total HT 96,00 €") in text
    assert normalize("Total TTC 96,00 €") in text
    assert REVERSE_CHARGE in text
    assert "crédit de compte" in text


def test_rendering_is_deterministic():
    invoice = make_invoice(french_customer())
    assert render_invoice_pdf(invoice, [hosting_line()]) == render_invoice_pdf(
        invoice, [hosting_line()]
    )


def test_characters_helvetica_lacks_do_not_break_the_pdf():
    customer = german_business() | {"name": "Łódź Usługi sp. z o.o.", "city": "Łódź"}
    customer["company_name"] = customer["name"]
    pdf = render_invoice_pdf(make_invoice(customer), [hosting_line(description="Řešení ✓")])
    text = text_of(pdf)

    assert "Lódz Uslugi sp. z o.o."  # ó is WinAnsi; Ł, ź and ł are not in text
    assert "Rešení ?" in text  # ř loses its accent; š and é are WinAnsi; ✓ is not


def test_vat_rate_text():
    assert normalize(vat_rate(2000)) == "20 %"
    assert normalize(vat_rate(0)) == "0 %"
    assert normalize(vat_rate(550)) == "5,5 %"
    assert normalize(vat_rate(210)) == "2,1 %"


def test_module_does_not_import_reflex():
    code = "import sys, o2portal.billing.pdf; sys.exit('reflex' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
