"""An admin opens a customer's account by hand: the same checks as sign-up, a free email,
no usable password, a mail with a link to choose one (which proves the address), the
audit; support and customers refused; nothing saved on bad input."""

from __future__ import annotations

import pytest
from sqlmodel import select

from o2portal.accounts.auth import log_in
from o2portal.accounts.models import Customer
from o2portal.accounts.password_reset import reset_password
from o2portal.accounts.staff import create_customer
from o2portal.core.db import read_session
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from tests.unit.helpers import (
    actor,
    count,
    get_customer,
    link_token,
    make_customer,
    outbox,
    update_customer,
)

FORM = {
    "account_type": "entreprise",
    "first_name": "Jeanne",
    "last_name": "Roux",
    "company_name": "Atelier Roux",
    "siret": "73282932000074",
    "vat_number": "",
    "email": "Jeanne.Roux@Example.fr",
    "phone": "06 12 34 56 78",
    "address_line1": "3 place Bellecour",
    "address_line2": "",
    "postal_code": "69002",
    "city": "Lyon",
    "country": "FR",
    "language": "fr",
}


@pytest.fixture
def admin(db):
    person = make_customer(email="claire@o2portal.example", first_name="Claire")
    update_customer(person.id, role="admin")
    return get_customer(person.id)


def test_an_admin_opens_an_account_the_customer_then_chooses_a_password(admin):
    customer_id = create_customer(actor(admin), FORM, ip="192.0.2.7")
    customer = get_customer(customer_id)
    assert customer.email == "jeanne.roux@example.fr"
    assert customer.company_name == "Atelier Roux" and customer.phone == "+33612345678"
    assert customer.email_verified_at is None and customer.role == "customer"
    (mail,) = outbox("account_opened")
    assert mail.to_addr == "jeanne.roux@example.fr"
    assert "72 heures" in mail.body_text and "jeanne.roux@example.fr" in mail.body_text
    with read_session() as session:
        (event,) = session.exec(
            select(AuditEvent).where(AuditEvent.action == "staff.customer_created")
        ).all()
    assert (event.actor_id, event.customer_id) == (admin.id, customer_id)
    # Nobody can sign in before the link is used: there is no password to guess.
    assert not log_in("jeanne.roux@example.fr", "", ip="192.0.2.8").ok
    token = link_token(mail.body_text, "/reset-password")
    reset_password(token, "Un-mot-de-passe-solide-42", "Un-mot-de-passe-solide-42")
    assert get_customer(customer_id).email_verified_at is not None
    assert log_in("jeanne.roux@example.fr", "Un-mot-de-passe-solide-42", ip="192.0.2.8").ok


def test_bad_fields_are_all_answered_and_nothing_is_saved(admin):
    before = count(Customer)
    with pytest.raises(InvalidInput) as caught:
        create_customer(
            actor(admin),
            {
                **FORM,
                "first_name": "",
                "email": "pas-une-adresse",
                "postal_code": "ABC",
                "siret": "1",
            },
        )
    assert set(caught.value.errors) >= {"first_name", "email", "postal_code", "siret"}
    assert count(Customer) == before and outbox("account_opened") == []


def test_an_address_that_has_an_account_is_refused_by_its_field(admin):
    make_customer(email="jeanne.roux@example.fr")
    with pytest.raises(InvalidInput) as caught:
        create_customer(actor(admin), FORM)
    assert caught.value.errors == {"email": "error.email_taken"}
    assert outbox("account_opened") == []


def test_support_and_customers_cannot_open_accounts(admin):
    support = make_customer(email="sophie@o2portal.example")
    update_customer(support.id, role="support")
    customer = make_customer(email="paul@example.fr")
    before = count(Customer)
    for who in (support.id, customer.id):
        with pytest.raises(NotAllowed):
            create_customer(actor(who), FORM)
    assert count(Customer) == before
