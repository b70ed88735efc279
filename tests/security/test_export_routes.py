"""The staff's CSV exports over HTTP: staff get the invoices, credit notes and customers
as a French spreadsheet reads them (BOM, ';', decimal commas, dd/mm/yyyy, accents), as
filtered on their page; admins only get the VAT report. A customer, staff acting as a
customer and support asking for the VAT report get the same 404 as an export that does
not exist; no cookie gets 401; a link on another site gets 403. A cell someone typed
that a spreadsheet would run as a formula gets a leading apostrophe. Every export is
audited with its filters and its row count."""

from __future__ import annotations

import csv
import io
import json
import warnings

import pytest
from sqlmodel import col, select

from o2portal.accounts import auth
from o2portal.accounts import staff as admin_customers
from o2portal.billing.models import CreditNote, Invoice
from o2portal.billing.orders import CartItem
from o2portal.billing.staff import credit_invoice
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.models import AuditEvent
from o2portal.web.guards import SESSION_COOKIE
from o2portal.web.routes import build_routes
from tests.unit.helpers import actor, update_customer
from tests.unit.test_orders_rules import order

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

OURS = {"sec-fetch-site": "same-origin"}


@pytest.fixture
def client(db):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield TestClient(build_routes(), base_url="http://localhost:3000")


def get(client, path: str, token: str | None = None, headers=OURS):
    client.cookies.clear()
    if token:
        client.cookies.set(SESSION_COOKIE, token)
    return client.get(path, headers=headers, follow_redirects=False)


@pytest.fixture
def sales(people):
    """Hélène (Alice renamed) buys two domains; an admin credits one of them with a
    reason that starts like a formula; Bob's company name is a formula."""
    alice, bob = people["customer"]["alice"], people["customer"]["bob"]
    with transaction() as session:
        ensure_catalogue(session)
    update_customer(alice.id, first_name="Hélène", last_name="Lefèvre")
    update_customer(
        bob.id, account_type="entreprise", company_name='=HYPERLINK("http://x")', siret=None
    )
    first = order(
        alice.id, [CartItem("domain", domain="helene-a.fr", action="register")], "export-key-0001"
    )
    second = order(
        alice.id, [CartItem("domain", domain="helene-b.fr", action="register")], "export-key-0002"
    )
    assert first.status == second.status == "paid"
    with read_session() as session:
        invoice = session.exec(select(Invoice).where(Invoice.number == first.invoice_number)).one()
    note = credit_invoice(actor(people["customer"]["ada"]), invoice.id, "1,50", "-Remise fidélité")
    return {
        "invoices": (first.invoice_number, second.invoice_number),
        "note": note,
        "paid": invoice,
    }


def _table(response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"].startswith('attachment; filename="o2portal-')
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel reads UTF-8 by
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.mark.parametrize("who", ["sam", "ada"])  # support, admin
def test_staff_export_the_invoices_in_french(client, people, sales, who):
    rows = _table(get(client, "/files/exports/invoices.csv", people["token"][who]))
    header, *lines = rows
    assert header[:4] == ["Numéro", "Date", "Client", "E-mail"]
    assert "Total HT (€)" in header and "TVA (€)" in header
    assert {line[0] for line in lines} == set(sales["invoices"])
    line = next(row for row in lines if row[0] == sales["paid"].number)
    paid = sales["paid"]
    assert line[2] == "Hélène Lefèvre"
    assert line[1] == paid.issued_at.astimezone(clock.PARIS).strftime("%d/%m/%Y")
    ht = header.index("Total HT (€)")
    euros, cents = divmod(paid.total_ht_cents, 100)
    assert line[ht] == f"{euros},{cents:02d}"
    assert line[header.index("Taux de TVA (%)")] == "20"
    assert line[header.index("Moyen de paiement")] == "Carte bancaire"


def test_the_invoices_export_is_filtered_as_the_page_is_and_audited(client, people, sales):
    number = sales["invoices"][1]
    rows = _table(get(client, f"/files/exports/invoices.csv?q={number}", people["token"]["ada"]))
    assert [row[0] for row in rows[1:]] == [number]
    with read_session() as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "staff.export.invoices")
        ).one()
    assert event.actor_id == people["customer"]["ada"].id
    details = json.loads(event.details_json)
    assert details == {"filters": {"query": number}, "rows": 1}


def test_credit_notes_are_exported_with_negative_free_amounts_and_no_formula(client, people, sales):
    header, line = _table(get(client, "/files/exports/credit-notes.csv", people["token"]["sam"]))
    note = sales["note"]
    assert line[0] == note.number and line[2] == sales["paid"].number
    assert line[header.index("Motif")] == "'-Remise fidélité"
    assert line[header.index("Total HT (€)")] == "1,50"
    assert line[header.index("TVA (€)")] == "0,30"


def test_customers_are_exported_as_searched_with_formulas_neutralised(client, people, sales):
    header, *lines = _table(get(client, "/files/exports/customers.csv", people["token"]["ada"]))
    # Staff are not customers: the page does not list them, nor does the file.
    assert {line[header.index("E-mail")] for line in lines} == {
        "alice@example.fr",
        "bob@example.fr",
    }
    bob = next(line for line in lines if line[header.index("E-mail")] == "bob@example.fr")
    assert bob[header.index("Société")] == '\'=HYPERLINK("http://x")'
    assert bob[header.index("Type de compte")] == "Entreprise"
    searched = _table(get(client, "/files/exports/customers.csv?q=lef", people["token"]["ada"]))
    assert [line[header.index("Nom")] for line in searched[1:]] == ["Lefèvre"]


def test_only_admins_get_the_vat_report(client, people, sales):
    month = clock.today().strftime("%Y-%m")
    path = f"/files/exports/vat.csv?month={month}"
    rows = _table(get(client, path, people["token"]["ada"]))
    assert rows[0][:2] == ["Rubrique", "Taux de TVA (%)"]
    total = next(row for row in rows if row[0] == "Total")
    with read_session() as session:
        invoices = session.exec(select(Invoice)).all()
        notes = session.exec(select(CreditNote)).all()
    net_ht = sum(i.total_ht_cents for i in invoices) - sum(n.total_ht_cents for n in notes)
    assert total[-2] == f"{net_ht // 100},{net_ht % 100:02d}"
    assert get(client, path, people["token"]["sam"]).status_code == 404
    assert (
        get(client, "/files/exports/vat.csv?month=1999-01", people["token"]["ada"]).status_code
        == 404
    )
    assert get(client, "/files/exports/vat.csv?month=x", people["token"]["ada"]).status_code == 404


EXPORTS = ["invoices", "credit-notes", "customers", "vat"]


@pytest.mark.parametrize("what", EXPORTS)
def test_customers_and_strangers_are_refused(client, people, sales, what):
    path = f"/files/exports/{what}.csv?month={clock.today().strftime('%Y-%m')}"
    assert get(client, path).status_code == 401
    assert get(client, path, people["token"]["alice"]).status_code == 404
    ticket = admin_customers.start_acting_as(
        actor(people["customer"]["ada"]), people["customer"]["alice"].id
    )
    acting = auth.exchange_ticket(ticket).token
    assert get(client, path, acting).status_code == 404
    foreign = {"sec-fetch-site": "cross-site"}
    assert get(client, path, people["token"]["ada"], headers=foreign).status_code == 403
    with read_session() as session:
        exports = select(AuditEvent).where(col(AuditEvent.action).startswith("staff.export"))
        assert session.exec(exports).all() == []


def test_an_unknown_export_is_not_found(client, people):
    assert get(client, "/files/exports/passwords.csv", people["token"]["ada"]).status_code == 404


def test_a_crafted_search_is_a_search_like_another(client, people, sales):
    """Control characters in the link's search are dropped (PostgreSQL refuses NUL in
    a string: the export must not end in a 500)."""
    number = sales["invoices"][0]
    crafted = f"/files/exports/invoices.csv?q=%00{number}%E2%80%AE"
    rows = _table(get(client, crafted, people["token"]["ada"]))
    assert [row[0] for row in rows[1:]] == [number]
    rows = _table(
        get(client, "/files/exports/customers.csv?q=%00" + "a" * 500, people["token"]["ada"])
    )
    assert rows[1:] == []


def test_an_english_speaking_admin_gets_english_titles(client, people, sales):
    update_customer(people["customer"]["ada"].id, language="en")
    header, *rows = _table(get(client, "/files/exports/invoices.csv", people["token"]["ada"]))
    assert header[:3] == ["Number", "Date", "Customer"]
    assert rows[0][header.index("Payment method")] == "Card"
