"""Invoice, credit-note and order-form PDFs over HTTP: the owner and staff get the file; another
customer gets the very answer a missing id gets (404); no cookie gets 401.

The documents are made through the real paths: a card renewal issues the invoice, staff
issues the credit note through admin_billing.credit_invoice."""

from __future__ import annotations

import io
import warnings
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlmodel import select

from o2portal.accounts import sessions
from o2portal.billing.models import Invoice
from o2portal.billing.payments import CardDetails, PaymentChoice
from o2portal.billing.renewals import renew_product
from o2portal.billing.staff import credit_invoice
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.products.models import Product
from o2portal.web.guards import SESSION_COOKIE
from o2portal.web.routes import build_routes
from tests.unit.helpers import actor

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@pytest.fixture
def client(db):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield TestClient(build_routes(), base_url="http://localhost:3000")


def get(client, path: str, token: str | None = None):
    client.cookies.clear()
    if token:
        client.cookies.set(SESSION_COOKIE, token)
    return client.get(path, follow_redirects=False)


@pytest.fixture
def documents(people):
    """Alice renews her domain by card (an invoice), then an admin credits part of it."""
    alice = people["customer"]["alice"]
    with transaction() as session:
        ensure_catalogue(session)
        product = Product(
            customer_id=alice.id,
            kind="domain",
            name="alice-docs.fr",
            offer_code="fr",
            start_date=clock.today() - timedelta(days=300),
            expiry_date=clock.today() + timedelta(days=40),
        )
        session.add(product)
        session.flush()
        product_id, expiry = product.id, product.expiry_date
    outcome = renew_product(
        customer_id=alice.id,
        product_id=product_id,
        years=1,
        expected_expiry=expiry,
        choice=PaymentChoice("card", CardDetails("4242424242424242", 12, 2030, "123", "A T")),
        key="docs-renewal-000001",
    )
    assert outcome.status == "paid", outcome
    with read_session() as session:
        invoice = session.exec(
            select(Invoice).where(Invoice.number == outcome.invoice_number)
        ).one()
    note = credit_invoice(
        actor(people["customer"]["ada"].id), invoice.id, "1,00", "Geste commercial"
    )
    return {
        "invoice": (f"/files/invoices/{invoice.id}.pdf", invoice.number),
        "credit_note": (f"/files/credit-notes/{note.id}.pdf", note.number),
        "order_form": (f"/files/order-forms/{invoice.order_id}.pdf", f"BC-{invoice.order_id:06d}"),
        "missing": {
            "invoice": f"/files/invoices/{invoice.id + 1000}.pdf",
            "credit_note": f"/files/credit-notes/{note.id + 1000}.pdf",
            "order_form": f"/files/order-forms/{invoice.order_id + 1000}.pdf",
        },
    }


KINDS = ["invoice", "credit_note", "order_form"]


def _assert_pdf(response, number: str) -> None:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response.headers["content-disposition"] == f'attachment; filename="{number}.pdf"'
    assert response.headers["cache-control"] == "no-store"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert number in text


@pytest.mark.parametrize("kind", KINDS)
def test_the_owner_downloads_the_pdf(client, people, documents, kind):
    path, number = documents[kind]
    _assert_pdf(get(client, path, people["token"]["alice"]), number)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("who", ["sam", "ada"])  # support, admin
def test_staff_download_the_pdf(client, people, documents, kind, who):
    assert people["customer"][who].role in ("support", "admin")
    path, number = documents[kind]
    _assert_pdf(get(client, path, people["token"][who]), number)


@pytest.mark.parametrize("kind", KINDS)
def test_another_customer_gets_the_same_404_as_a_missing_id(client, people, documents, kind):
    path, number = documents[kind]
    foreign = get(client, path, people["token"]["bob"])
    missing = get(client, documents["missing"][kind], people["token"]["bob"])
    assert foreign.status_code == 404
    assert missing.status_code == 404
    assert foreign.content == missing.content
    assert foreign.headers.get("content-type") == missing.headers.get("content-type")
    assert b"%PDF" not in foreign.content and number.encode() not in foreign.content
    # The owner gets a 404 for the missing id too: it is not a hidden "forbidden".
    assert get(client, documents["missing"][kind], people["token"]["alice"]).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("token", [None, "forged-session-token", ""])
def test_without_a_valid_cookie_the_answer_is_401(client, documents, kind, token):
    path, _ = documents[kind]
    response = get(client, path, token)
    assert response.status_code == 401
    assert b"%PDF" not in response.content


@pytest.mark.parametrize("kind", KINDS)
def test_a_logged_out_session_no_longer_opens_the_pdf(client, people, documents, kind):
    path, _ = documents[kind]
    token = people["token"]["alice"]
    assert get(client, path, token).status_code == 200
    sessions.log_out(token, ip="192.0.2.10")
    assert get(client, path, token).status_code == 401


def test_non_numeric_ids_do_not_reach_the_documents(client, people, documents):
    token = people["token"]["alice"]
    for path in ("/files/invoices/abc.pdf", "/files/invoices/-1.pdf", "/files/credit-notes/x.pdf"):
        assert get(client, path, token).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/files/invoices/99999999999999999999.pdf",
        "/files/credit-notes/99999999999999999999.pdf",
        "/files/order-forms/99999999999999999999.pdf",
        "/files/attachments/99999999999999999999",
        "/files/invoices/9223372036854775808.pdf",  # one past the largest id a row can have
        "/files/invoices/0.pdf",
    ],
)
def test_ids_out_of_range_are_not_found(client, people, path):
    """An id no row can have gets the 404 of a missing one, not a server error."""
    assert get(client, path, people["token"]["alice"]).status_code == 404
