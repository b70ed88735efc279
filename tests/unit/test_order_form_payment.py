"""An order form paid offline: the bank details and cheque address staff set on
/admin/settings, on the order form's mail and PDF with the reference to quote."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.billing.documents import DocumentNotFound, order_form_pdf
from o2portal.billing.invoices import order_reference
from o2portal.billing.models import Order
from o2portal.core import stored_settings as settings_store
from o2portal.core.db import read_session
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.demo.seed import seed_demo
from tests.unit.helpers import actor, outbox

NEW_DETAILS = {
    "holder": "Hébergeur Nouveau SARL",
    "iban": "fr14 2004 1010 0505 0001 3m02 606",
    "bic": "psst fr pp par",
    "bank": "La Banque Postale",
    "cheque_payee": "Hébergeur Nouveau SARL",
    "cheque_address": "Comptabilité\r\n5 avenue des Volcans\n\n63100 Clermont-Ferrand",
}


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def demo(db):
    seed_demo()
    with read_session() as session:
        people = {c.email: c for c in session.exec(select(Customer)).all()}
        order = session.exec(
            select(Order).where(
                Order.customer_id == people["client@o2portal.example"].id,
                Order.status == "unpaid",
            )
        ).one()
    return people, order


def test_the_unpaid_order_form_pdf_says_how_to_pay_with_the_reference(demo):
    people, order = demo
    reference, content = order_form_pdf(people["client@o2portal.example"], order.id)
    assert reference == order_reference(order)
    text = _pdf_text(content)
    assert "BON DE COMMANDE" in text and reference in text
    assert "n'est pas une facture" in text
    assert f"Référence à indiquer : {reference}" in text
    assert "FR76 3000 6000 0112 3456 7890 189" in text and "AGRIFRPP" in text
    # Staff see it too; another customer gets the same answer as for a missing one.
    order_form_pdf(people["admin@o2portal.example"], order.id)
    stranger = next(c for e, c in people.items() if not c.is_staff and c.id != order.customer_id)
    with pytest.raises(DocumentNotFound):
        order_form_pdf(stranger, order.id)
    with pytest.raises(DocumentNotFound):
        order_form_pdf(people["client@o2portal.example"], 10**9)


def test_saved_details_go_on_the_next_pdf_and_mail(demo):
    people, order = demo
    admin = actor(people["admin@o2portal.example"])
    saved = settings_store.save_payment_details(admin, NEW_DETAILS)
    assert saved == {
        "holder": "Hébergeur Nouveau SARL",
        "iban": "FR1420041010050500013M02606",
        "bic": "PSSTFRPPPAR",
        "bank": "La Banque Postale",
        "cheque_payee": "Hébergeur Nouveau SARL",
        "cheque_address": "Comptabilité\n5 avenue des Volcans\n63100 Clermont-Ferrand",
    }
    assert settings_store.settings_for_staff(admin).payment == saved
    text = _pdf_text(order_form_pdf(people["client@o2portal.example"], order.id)[1])
    assert "FR14 2004 1010 0505 0001 3M02 606" in text and "PSSTFRPPPAR" in text
    assert "FR76 3000" not in text


def test_an_order_by_transfer_or_cheque_mails_the_saved_details(demo):
    from o2portal.billing.checkout import pay_order
    from o2portal.billing.payments import PaymentChoice

    people, order = demo
    settings_store.save_payment_details(actor(people["admin@o2portal.example"]), NEW_DETAILS)
    client = people["client@o2portal.example"]
    before = len(outbox())
    outcome = pay_order(
        customer_id=client.id, order_id=order.id, choice=PaymentChoice("cheque"), key="k" * 32
    )
    assert (outcome.status, outcome.message_key) == ("pending", "pay.pending_cheque")
    [mail] = outbox()[before:]
    assert order_reference(order) in mail.body_text
    assert "Hébergeur Nouveau SARL" in mail.body_text and "5 avenue des Volcans" in mail.body_text


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"iban": "FR1420041010050500013M02607"}, {"iban": "error.iban_invalid"}),
        ({"iban": ""}, {"iban": "error.required"}),
        ({"bic": "PSST"}, {"bic": "error.bic_invalid"}),
        (
            {"holder": " ", "bank": "", "cheque_payee": ""},
            dict.fromkeys(("holder", "bank", "cheque_payee"), "error.required"),
        ),
        ({"cheque_address": "\n"}, {"cheque_address": "error.required"}),
        ({"cheque_address": "\n".join(["l"] * 7)}, {"cheque_address": "settings.address_lines"}),
        ({"holder": "O2\u202eSAS"}, {"holder": "error.bad_characters"}),
    ],
)
def test_bad_details_are_refused_and_nothing_is_saved(demo, changes, errors):
    people, _ = demo
    with pytest.raises(InvalidInput) as caught:
        settings_store.save_payment_details(
            actor(people["admin@o2portal.example"]), {**NEW_DETAILS, **changes}
        )
    assert caught.value.errors == errors
    with read_session() as session:
        assert settings_store.saved_payment_details(session) is None


def test_only_an_admin_changes_them(demo):
    people, _ = demo
    for who in ("client@o2portal.example", "support@o2portal.example"):
        with pytest.raises(NotAllowed):
            settings_store.save_payment_details(actor(people[who]), NEW_DETAILS)
    with read_session() as session:
        assert settings_store.saved_payment_details(session) is None


def test_the_default_details_pass_the_checks(demo):
    default = settings_store.default_payment_details()
    assert settings_store.clean_payment_details(default) == default
