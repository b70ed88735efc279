"""Staff domain functions: roles, validation, audit, and their effects."""

from __future__ import annotations

import pytest
from sqlmodel import select

from o2portal.accounts import auth, sessions
from o2portal.accounts import staff as admin_customers
from o2portal.accounts.models import Customer
from o2portal.billing import staff as admin_billing
from o2portal.billing.models import CreditNote, Invoice
from o2portal.core import clock, money
from o2portal.core.db import read_session
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.demo.seed import seed_demo
from o2portal.mail.models import OutboxEmail
from o2portal.products import staff as admin_products
from o2portal.products.expiry import add_years
from o2portal.products.models import Product
from tests.unit.helpers import actor


@pytest.fixture
def demo(db):
    seed_demo()
    with read_session() as session:
        return {c.email.split("@")[0]: c for c in session.exec(select(Customer)).all()}


def actions() -> list[str]:
    with read_session() as session:
        return [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]


def test_search_by_name_email_and_domain(demo):
    admin = demo["admin"].id
    assert [
        c.email for c in admin_customers.search_customers(actor(admin), "dupont-photo").rows
    ] == ["client@o2portal.example"]
    assert [c.email for c in admin_customers.search_customers(actor(admin), "Bern").rows] == [
        "paul.bernard@o2portal.example"
    ]
    # The demo's five customers; staff are not listed.
    assert admin_customers.search_customers(actor(admin), "").total == 5
    with pytest.raises(NotAllowed):
        admin_customers.search_customers(actor(demo["client"].id), "")


def test_only_admins_edit_and_bad_input_changes_nothing(demo):
    client = demo["client"]
    form = {
        "first_name": "Marie",
        "last_name": "Durand",
        "email": client.email,
        "phone": "06 99 88 77 66",
        "address_line1": "2 rue Neuve",
        "postal_code": "75010",
        "city": "Paris",
        "country": "FR",
    }
    with pytest.raises(NotAllowed):
        admin_customers.update_customer(actor(demo["support"].id), client.id, form)
    with pytest.raises(InvalidInput) as caught:
        admin_customers.update_customer(
            actor(demo["admin"].id), client.id, {**form, "phone": "12", "postal_code": "7"}
        )
    assert set(caught.value.errors) == {"phone", "postal_code"}
    admin_customers.update_customer(actor(demo["admin"].id), client.id, form)
    with read_session() as session:
        saved = session.get(Customer, client.id)
    assert (saved.last_name, saved.phone) == ("Durand", "+33699887766")
    assert "staff.customer_edited" in actions()


def test_disabling_ends_sessions_and_sign_in(demo):
    client = demo["client"]
    ticket = auth.log_in(client.email, "Demo-o2portal-2026").ticket
    token = auth.exchange_ticket(ticket).token
    with pytest.raises(InvalidInput):
        admin_customers.set_disabled(actor(demo["admin"].id), client.id, True, "")
    admin_customers.set_disabled(actor(demo["admin"].id), client.id, True, "Fraude à la carte")
    assert sessions.resolve_session(token) is None
    assert auth.log_in(client.email, "Demo-o2portal-2026").error == "error.account_disabled"


def test_reset_link_and_acting_as_a_customer(demo):
    client = demo["client"]
    admin_customers.send_reset_link(actor(demo["support"].id), client.id)
    with read_session() as session:
        mail = session.exec(select(OutboxEmail).where(OutboxEmail.kind == "password_reset")).one()
    assert "/reset-password?token=" in mail.body_text
    with pytest.raises(NotAllowed):
        admin_customers.start_acting_as(actor(demo["support"].id), client.id)
    ticket = admin_customers.start_acting_as(actor(demo["admin"].id), client.id)
    acting = auth.exchange_ticket(ticket)
    current = sessions.resolve_session(acting.token)
    assert current.customer.id == client.id and current.impersonator_id == demo["admin"].id
    back = admin_customers.stop_acting_as(acting.token)
    assert sessions.resolve_session(acting.token) is None
    own = sessions.resolve_session(auth.exchange_ticket(back).token)
    assert own.customer.id == demo["admin"].id and own.impersonator_id is None
    assert {"staff.act_as_start", "staff.act_as_stop"} <= set(actions())


def test_product_changes_by_hand(demo):
    with read_session() as session:
        hosting = session.exec(select(Product).where(Product.kind == "hosting")).first()
    admin = demo["admin"].id
    with pytest.raises(NotAllowed):
        admin_products.change_status(actor(demo["support"].id), hosting.id, "suspend", "test")
    with pytest.raises(InvalidInput):
        admin_products.change_status(actor(admin), hosting.id, "suspend", "")
    assert admin_products.change_status(actor(admin), hosting.id, "suspend", "Abus") == "suspended"
    with pytest.raises(InvalidInput):
        admin_products.change_status(actor(admin), hosting.id, "suspend", "Encore")
    assert admin_products.change_status(actor(admin), hosting.id, "unsuspend", "Réglé") == "active"
    new = admin_products.renew_by_hand(
        actor(admin),
        hosting.id,
        1,
        "Geste commercial",
        key="goodwill-key-0001",
        expected_expiry=hosting.expiry_date,
    )
    assert new == add_years(hosting.expiry_date, 1)
    assert (
        admin_products.change_status(actor(admin), hosting.id, "terminate", "Demande")
        == "terminated"
    )
    rows = admin_products.list_products(actor(admin), status="terminated").rows
    assert [p.id for p, _ in rows] == [hosting.id]
    assert [a for a in actions() if a.startswith("staff.product")] == [
        "staff.product_suspend",
        "staff.product_unsuspend",
        "staff.product_renewed",
        "staff.product_terminate",
    ]


def test_a_renewal_by_hand_sent_twice_renews_once(demo):
    """The key and the expiry staff saw travel with the form: the same form sent again
    reads the first outcome; a form made before the renewal is refused."""
    with read_session() as session:
        domain = session.exec(
            select(Product).where(Product.kind == "domain", Product.status == "active")
        ).first()
    admin = demo["admin"].id
    seen = domain.expiry_date

    def renew(key: str, expected=seen, by=admin):
        return admin_products.renew_by_hand(
            actor(by), domain.id, 1, "Incident", key=key, expected_expiry=expected
        )

    first = renew("hand-key-00001")
    assert first == add_years(seen, 1)
    assert renew("hand-key-00001") == first
    with pytest.raises(InvalidInput) as caught:
        renew("hand-key-00002")
    assert caught.value.errors == {"years": "error.renewal_changed"}
    with read_session() as session:
        assert session.get(Product, domain.id).expiry_date == first
    assert actions().count("staff.product_renewed") == 1
    for bad in ("", "short", "x" * 81, None, 42):
        with pytest.raises(InvalidInput) as caught:
            renew(bad, expected=first)
        assert caught.value.errors == {"key": "error.form_stale"}
    # Support may not renew by hand, whatever the key.
    with pytest.raises(NotAllowed):
        renew("hand-key-00001", by=demo["support"].id)


def test_money_parsing_and_credit_notes(demo):
    assert money.parse_euros("12,50", "amount") == 1250
    assert money.parse_euros("7", "amount") == 700
    assert money.parse_euros("0.5", "amount") == 50
    for bad in ("", "abc", "-3", "1,234", "0"):
        with pytest.raises(InvalidInput):
            money.parse_euros(bad, "amount")
    with read_session() as session:
        invoice = session.exec(select(Invoice).order_by(Invoice.id)).first()
        owner = session.get(Customer, invoice.customer_id)
    with pytest.raises(NotAllowed):
        admin_billing.credit_invoice(actor(demo["support"].id), invoice.id, "1", "x")
    too_much = f"{invoice.total_ht_cents // 100 + 1}"
    with pytest.raises(InvalidInput) as caught:
        admin_billing.credit_invoice(actor(demo["admin"].id), invoice.id, too_much, "trop")
    assert caught.value.errors == {"amount": "error.credit_too_much"}
    note = admin_billing.credit_invoice(actor(demo["admin"].id), invoice.id, "1,00", "Geste")
    assert note.number.startswith("A") and note.total_ht_cents == 100
    with read_session() as session:
        assert session.get(CreditNote, note.id).invoice_id == invoice.id
        after = session.get(Customer, owner.id)
    assert after.credit_balance_cents == owner.credit_balance_cents + note.total_ttc_cents
    assert clock.now() >= note.issued_at
