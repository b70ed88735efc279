"""GDPR: the export holds the customer's data and nobody else's; deletion is refused while
something is still provided or owed, and otherwise erases the person but keeps invoices."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlmodel import select

from o2portal.accounts import auth, erasure, personal_data, sessions, totp
from o2portal.accounts.models import AuthAttempt, Customer, RecoveryCode, UserSession
from o2portal.billing import invoices as billing
from o2portal.billing.models import Invoice, Order, OrderLine
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput
from o2portal.core.models import AuditEvent
from o2portal.mail.models import OutboxEmail
from o2portal.products.models import Product
from o2portal.support.models import Ticket, TicketMessage
from tests.unit.helpers import (
    EMAIL,
    PASSWORD,
    actor,
    get_customer,
    make_customer,
    open_session,
    outbox,
)

BOB = "bob.martin@example.com"


def add_product(customer_id: int, name: str, status: str = "active") -> int:
    with transaction() as session:
        product = Product(
            customer_id=customer_id,
            kind="domain",
            name=name,
            offer_code="fr",
            status=status,
            start_date=clock.today() - timedelta(days=400),
            expiry_date=clock.today() + timedelta(days=30),
            auth_code=f"SECRET-{name}",
        )
        session.add(product)
        session.flush()
        return product.id


def add_order(customer_id: int, key: str, *, paid: bool) -> tuple[int, str | None]:
    with transaction() as session:
        order = Order(
            customer_id=customer_id,
            kind="order",
            status="paid" if paid else "unpaid",
            idempotency_key=key,
            total_ht_cents=1000,
            total_vat_cents=200,
            total_ttc_cents=1200,
            vat_rate_bp=2000,
            billing_snapshot_json=json.dumps({"key": key}),
        )
        session.add(order)
        session.flush()
        session.add(
            OrderLine(
                order_id=order.id,
                action="register",
                description=f"Domaine {key}.fr (1 an)",
                item_code="fr",
                unit_price_ht_cents=1000,
                total_ht_cents=1000,
                vat_rate_bp=2000,
            )
        )
        session.flush()
        number = None
        if paid:
            number = billing.issue_invoice(
                session, order, method="card", paid_at=clock.now()
            ).number
        return order.id, number


def add_ticket(customer_id: int, staff_id: int, text: str) -> None:
    with transaction() as session:
        ticket = Ticket(customer_id=customer_id, subject=f"Sujet {text}", department="technique")
        session.add(ticket)
        session.flush()
        session.add(
            TicketMessage(ticket_id=ticket.id, author_id=customer_id, body=f"Question {text}")
        )
        session.add(
            TicketMessage(
                ticket_id=ticket.id,
                author_id=staff_id,
                is_staff=True,
                body=f"Réponse {text}",
            )
        )
        session.add(
            TicketMessage(
                ticket_id=ticket.id,
                author_id=staff_id,
                is_staff=True,
                is_internal=True,
                body=f"NOTE INTERNE {text}",
            )
        )


@pytest.fixture
def two_customers(db):
    alice = make_customer()
    bob = make_customer(
        email=BOB, first_name="Robert", last_name="Martinez", phone="07 81 22 33 44"
    )
    staff = make_customer(email="agent.support@example.com", first_name="Agent", last_name="Smith")
    with transaction() as session:
        person = session.get(Customer, staff.id)
        person.role = "support"
        session.add(person)
    open_session()
    open_session(email=BOB, ip="198.51.100.77")
    add_product(alice.id, "alice-blog.fr", status="expired")
    add_product(bob.id, "bob-secret-site.fr")
    alice_invoice = add_order(alice.id, "alice-order", paid=True)[1]
    bob_invoice = add_order(bob.id, "bob-order", paid=True)[1]
    add_ticket(alice.id, staff.id, "alice")
    add_ticket(bob.id, staff.id, "bob")
    return {
        "alice": alice,
        "bob": bob,
        "staff": staff,
        "alice_invoice": alice_invoice,
        "bob_invoice": bob_invoice,
    }


def test_export_holds_the_customers_data_and_nothing_of_anyone_else(two_customers):
    alice = two_customers["alice"]
    totp.enable(alice.id, _code(totp.begin_setup(alice.id).secret))
    data = personal_data.export_personal_data(alice.id)
    text = json.dumps(data, ensure_ascii=False)

    assert data["format"] == "o2portal-personal-data/1"
    assert data["account"]["email"] == EMAIL
    assert data["account"]["phone"] == "+33612345678"
    assert data["account"]["second_factor_enabled_at"]
    assert [p["name"] for p in data["products"]] == ["alice-blog.fr"]
    assert [i["number"] for i in data["invoices"]] == [two_customers["alice_invoice"]]
    assert data["invoices"][0]["lines"][0]["description"] == "Domaine alice-order.fr (1 an)"
    assert data["order_forms"][0]["lines"]
    assert [m["body"] for m in data["tickets"][0]["messages"]] == [
        "Question alice",
        "Réponse alice",
    ]
    assert {s["ip"] for s in data["sessions"]} == {"192.0.2.20"}
    assert any(a["kind"] == "login" and a["success"] for a in data["sign_in_attempts"])
    assert data["emails"] and all(e["to_addr"] == EMAIL for e in data["emails"])
    assert len(data["recovery_codes"]) == 10
    assert any(a["action"] == "account.signup" for a in data["activity"])

    # Nobody else's data...
    for foreign in (
        BOB,
        "Robert",
        "Martinez",
        "+33781223344",
        "bob-secret-site.fr",
        "198.51.100.77",
        two_customers["bob_invoice"],
        "Question bob",
        "agent.support@example.com",
        "Smith",
    ):
        assert foreign not in text, foreign
    # ...no staff-only note, and no secret.
    assert "NOTE INTERNE" not in text
    saved = get_customer(alice.id)
    assert saved.password_hash not in text and "$2b$" not in text
    assert saved.totp_secret not in text
    assert "SECRET-alice-blog.fr" not in text
    with read_session() as session:
        for row in session.exec(select(UserSession)).all():
            assert row.token_hash not in text
    # The welcome mail's verification link is a live secret: not in a file.
    assert "verify-email?token=" in outbox("welcome")[0].body_text
    assert re.search(r"\?token=[\w\-]{20,}", text) is None
    assert json.loads(personal_data.export_json(actor(alice)))["account"]["email"] == EMAIL


def _code(secret: str) -> str:
    import pyotp

    return pyotp.TOTP(secret).now()


def test_deletion_is_refused_while_a_product_is_active(two_customers):
    alice = two_customers["alice"]
    product = add_product(alice.id, "alice-live.fr", status="active")
    with pytest.raises(InvalidInput) as refused:
        erasure.delete_account(alice.id, PASSWORD, True)
    assert refused.value.errors == {"delete": "error.delete_live_products"}
    assert get_customer(alice.id).deleted_at is None
    with transaction() as session:
        row = session.get(Product, product)
        row.status = "suspended"
        session.add(row)
    with pytest.raises(InvalidInput):
        erasure.delete_account(alice.id, PASSWORD, True)
    blockers = erasure.deletion_blockers(alice.id)
    assert blockers.live_products == 1 and blockers.any
    assert get_customer(alice.id).email == EMAIL
    assert auth.log_in(EMAIL, PASSWORD).ok


def test_deletion_is_refused_with_an_unpaid_order_form_or_credit_left(two_customers):
    alice = two_customers["alice"]
    order_id, _ = add_order(alice.id, "alice-unpaid", paid=False)
    with pytest.raises(InvalidInput) as refused:
        erasure.delete_account(alice.id, PASSWORD, True)
    assert refused.value.errors == {"delete": "error.delete_unpaid_orders"}
    with transaction() as session:
        order = session.get(Order, order_id)
        order.status = "cancelled"
        session.add(order)
        customer = session.get(Customer, alice.id)
        customer.credit_balance_cents = 500
        session.add(customer)
    with pytest.raises(InvalidInput) as refused:
        erasure.delete_account(alice.id, PASSWORD, True)
    assert refused.value.errors == {"delete": "error.delete_credit_left"}
    assert get_customer(alice.id).deleted_at is None


def test_deletion_needs_the_password_and_the_confirmation(two_customers):
    alice = two_customers["alice"]
    with pytest.raises(InvalidInput) as refused:
        erasure.delete_account(alice.id, "", False)
    assert refused.value.errors == {
        "delete_password": "error.required",
        "delete_confirm": "error.delete_confirm_required",
    }
    with pytest.raises(InvalidInput) as refused:
        erasure.delete_account(alice.id, "wrong-password-0", True)
    assert refused.value.errors == {"delete_password": "error.current_password_wrong"}
    assert get_customer(alice.id).deleted_at is None


def test_deletion_erases_the_person_keeps_invoices_and_ends_sessions(two_customers):
    alice, bob = two_customers["alice"], two_customers["bob"]
    token = open_session()
    totp.enable(alice.id, _code(totp.begin_setup(alice.id).secret))
    with read_session() as session:
        invoice_before = session.exec(select(Invoice).where(Invoice.customer_id == alice.id)).one()

    erasure.delete_account(alice.id, PASSWORD, True, ip="192.0.2.99")

    gone = get_customer(alice.id)
    assert gone.deleted_at is not None
    assert gone.email.endswith("@deleted.invalid")
    for value in (gone.first_name, gone.phone, gone.address_line1, gone.postal_code, gone.city):
        assert value == ""
    assert gone.password_hash == "" and gone.totp_secret is None
    assert sessions.resolve_session(token) is None
    assert not auth.log_in(EMAIL, PASSWORD).ok
    with read_session() as session:
        assert all(
            s.revoked_at is not None and s.ip is None
            for s in session.exec(select(UserSession).where(UserSession.customer_id == alice.id))
        )
        assert session.exec(select(RecoveryCode)).all() == []
        attempts = session.exec(
            select(AuthAttempt).where(AuthAttempt.customer_id == alice.id)
        ).all()
        assert attempts and all(a.email == "" and a.ip == "" for a in attempts)
        invoice_after = session.exec(select(Invoice).where(Invoice.customer_id == alice.id)).one()
        assert invoice_after.number == invoice_before.number
        assert invoice_after.customer_snapshot_json == invoice_before.customer_snapshot_json
        mails = session.exec(select(OutboxEmail).where(OutboxEmail.customer_id == alice.id)).all()
        assert mails and all(m.to_addr == "" and "Jean" not in m.body_text for m in mails)
        messages = session.exec(
            select(TicketMessage).where(TicketMessage.author_id == alice.id)
        ).all()
        assert [m.body for m in messages] == ["[supprimé]"]
        assert session.exec(select(Ticket).where(Ticket.customer_id == alice.id)).one().status == (
            "closed"
        )
        # Bob is untouched.
        assert session.get(Customer, bob.id).email == BOB
        assert session.exec(select(TicketMessage).where(TicketMessage.body == "Question bob")).one()
        [event] = session.exec(
            select(AuditEvent).where(AuditEvent.action == "account.deleted")
        ).all()
        assert event.customer_id == alice.id
        own = session.exec(
            select(AuditEvent).where(
                AuditEvent.customer_id == alice.id, AuditEvent.action != "account.deleted"
            )
        ).all()
        assert own and all(e.ip is None and e.details_json == "{}" for e in own)
        assert EMAIL not in "".join(e.details_json for e in own)
    [farewell] = outbox("account_deleted")
    assert farewell.to_addr == EMAIL and farewell.customer_id is None
    # The address is free again.
    make_customer()
