"""An admin bills a customer for services outside the catalogue: an unpaid order form at
the customer's VAT (French, EU reverse charge), mailed with how to pay; the same form
sent twice makes one; once paid it is an invoice with the same lines; bad lines answered
by their field; support and customers refused."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.billing.documents import invoice_pdf, order_form_pdf
from o2portal.billing.models import Invoice, InvoiceLine, Order, OrderLine
from o2portal.billing.staff import create_manual_order, mark_paid
from o2portal.core.db import read_session
from o2portal.core.errors import InvalidInput, NotAllowed
from tests.unit.helpers import actor, count, get_customer, make_customer, outbox, update_customer

LINES = [
    {"description": "Migration de 3 sites WordPress", "quantity": "3", "price": "45,50"},
    {"description": "", "quantity": "", "price": ""},
    {"description": "Restauration d'une sauvegarde", "quantity": "", "price": "30"},
]


@pytest.fixture
def people(db):
    admin = make_customer(email="claire@o2portal.example", first_name="Claire")
    update_customer(admin.id, role="admin")
    support = make_customer(email="sophie@o2portal.example", first_name="Sophie")
    update_customer(support.id, role="support")
    marie = make_customer(email="marie@example.fr", first_name="Marie", last_name="Dupont")
    return {
        "admin": get_customer(admin.id),
        "support": get_customer(support.id),
        "marie": marie,
    }


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_an_admin_bills_services_and_the_paid_form_becomes_an_invoice(people):
    admin, marie = people["admin"], people["marie"]
    order_id = create_manual_order(actor(admin), marie.id, LINES, key="k-manual-1")
    assert create_manual_order(actor(admin), marie.id, LINES, key="k-manual-1") == order_id
    assert count(Order) == 1
    with read_session() as session:
        order = session.get(Order, order_id)
        lines = session.exec(
            select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.id)
        ).all()
    assert (order.customer_id, order.status, order.kind) == (marie.id, "unpaid", "manual")
    assert [
        (li.description, li.quantity, li.unit_price_ht_cents, li.total_ht_cents) for li in lines
    ] == [
        ("Migration de 3 sites WordPress", 3, 4550, 13650),
        ("Restauration d'une sauvegarde", 1, 3000, 3000),
    ]
    assert (order.total_ht_cents, order.vat_rate_bp) == (16650, 2000)
    assert (order.total_vat_cents, order.total_ttc_cents) == (3330, 19980)
    (mail,) = outbox("order_form")
    assert mail.to_addr == "marie@example.fr" and "199,80" in mail.body_text
    form_text = _text(order_form_pdf(get_customer(marie.id), order_id)[1])
    assert "Migration de 3 sites WordPress" in form_text and "BON DE COMMANDE" in form_text

    mark_paid(actor(admin), order_id, "transfer", "VIR-2026-0042")
    with read_session() as session:
        invoice = session.exec(select(Invoice).where(Invoice.order_id == order_id)).one()
        invoiced = session.exec(
            select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id).order_by(InvoiceLine.id)
        ).all()
    assert invoice.total_ttc_cents == 19980
    assert [(li.quantity, li.unit_price_ht_cents) for li in invoiced] == [(3, 4550), (1, 3000)]
    invoice_text = _text(invoice_pdf(get_customer(marie.id), invoice.id)[1])
    assert invoice.number in invoice_text and "Restauration d'une sauvegarde" in invoice_text


def test_an_eu_business_with_a_vat_number_is_billed_without_vat(people):
    admin = people["admin"]
    shop = make_customer(
        email="boutique@example.be",
        account_type="entreprise",
        company_name="Boutique SPRL",
        vat_number="BE0403170701",
        country="BE",
        postal_code="1000",
        city="Bruxelles",
        phone="+32 2 555 12 12",
    )
    order_id = create_manual_order(actor(admin), shop.id, LINES[:1], key="k-manual-be")
    with read_session() as session:
        order = session.get(Order, order_id)
    assert (order.vat_rate_bp, order.total_ttc_cents) == (0, 13650)
    assert "autoliquidation" in (order.vat_mention or "").lower()
    assert order.vat_check == "valid" and order.vat_checked_at is not None


@pytest.mark.parametrize(
    ("lines", "errors"),
    [
        ([{"description": "", "quantity": "", "price": ""}], {"description_0": "error.required"}),
        (
            [{"description": "Audit", "quantity": "0", "price": "douze"}],
            {"quantity_0": "error.quantity_range", "price_0": "error.amount_invalid"},
        ),
        (
            [
                {"description": "Audit", "quantity": "1", "price": "12"},
                {"description": "", "quantity": "2", "price": "-5"},
            ],
            {"description_1": "error.required", "price_1": "error.amount_invalid"},
        ),
        (
            [{"description": "Gros chantier", "quantity": "999", "price": "9999999"}],
            {"price_0": "error.manual_total"},
        ),
    ],
)
def test_bad_lines_are_answered_by_their_field_and_nothing_is_made(people, lines, errors):
    with pytest.raises(InvalidInput) as caught:
        create_manual_order(actor(people["admin"]), people["marie"].id, lines, key="k-manual-bad")
    assert caught.value.errors == errors
    assert count(Order) == 0 and outbox("order_form") == []


def test_support_customers_and_staff_accounts_are_refused(people):
    for who in ("support", "marie"):
        with pytest.raises(NotAllowed):
            create_manual_order(
                actor(people[who]), people["marie"].id, LINES, key=f"k-manual-{who}"
            )
    with pytest.raises(NotAllowed):
        create_manual_order(
            actor(people["admin"]), people["support"].id, LINES, key="k-manual-staff"
        )
    assert count(Order) == 0
    assert count(Customer) == 3
