"""The second factor is required of every staff account (#16): until it is on, a staff
member signs in as a customer would and nothing of the staff area answers them (pages and
handlers: tests/security/test_authorization.py; files and doors: here). They cannot turn
it off; an admin resets it for a colleague who lost it."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from o2portal.accounts import staff as admin_customers
from o2portal.accounts import staff_accounts, totp
from o2portal.accounts.auth import exchange_ticket
from o2portal.accounts.models import RecoveryCode, UserSession
from o2portal.accounts.sessions import resolve_session
from o2portal.billing.models import Invoice
from o2portal.billing.orders import CartItem
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.core.permissions import Role
from tests.security.test_export_routes import client, get  # noqa: F401 (fixture)
from tests.unit.helpers import (
    actor,
    get_customer,
    make_customer,
    make_staff,
    outbox,
    update_customer,
)
from tests.unit.test_orders_rules import order


@pytest.fixture
def alices_invoice(people) -> int:
    with transaction() as session:
        ensure_catalogue(session)
    alice = people["customer"]["alice"]
    paid = order(
        alice.id,
        [CartItem("domain", domain="alice-2fa.fr", action="register")],
        "second-factor-key-0001",
    )
    assert paid.status == "paid"
    with read_session() as session:
        return session.exec(select(Invoice.id).where(Invoice.number == paid.invoice_number)).one()


def test_staff_without_second_factor_act_as_customers_everywhere(people, client, alices_invoice):  # noqa: F811
    ada, ned = people["token"]["ada"], people["token"]["ned"]
    assert resolve_session(ada).actor.role == Role.ADMIN
    # Ned signs in (his own account works), but his doors see a customer.
    ned_user = resolve_session(ned)
    assert ned_user is not None and ned_user.actor.role == Role.CUSTOMER
    with pytest.raises(NotAllowed):
        staff_accounts.staff_members(ned_user.actor)
    # Another customer's invoice and the staff exports: what a customer gets.
    assert get(client, f"/files/invoices/{alices_invoice}.pdf", ada).status_code == 200
    assert get(client, f"/files/invoices/{alices_invoice}.pdf", ned).status_code == 404
    assert get(client, "/files/exports/customers.csv", ada).status_code == 200
    assert get(client, "/files/exports/customers.csv", ned).status_code == 404
    # Once his second factor is on, the same session is staff's.
    ned_id = people["customer"]["ned"].id
    update_customer(ned_id, totp_secret="JBSWY3DPEHPK3PXP", totp_enabled_at=clock.now())
    assert resolve_session(ned).actor.role == Role.ADMIN
    assert get(client, f"/files/invoices/{alices_invoice}.pdf", ned).status_code == 200


def test_a_staff_member_cannot_turn_the_second_factor_off(people):
    sam = people["customer"]["sam"]
    with pytest.raises(InvalidInput) as refused:
        totp.disable(sam.id)
    assert refused.value.errors == {"disable_password": "error.totp_staff_keeps"}
    assert get_customer(sam.id).totp_enabled_at is not None
    assert outbox("totp_disabled") == []


def test_an_admin_resets_a_colleagues_second_factor(people):
    ada, sam = people["customer"]["ada"], people["customer"]["sam"]
    with transaction() as session:
        session.add(RecoveryCode(customer_id=sam.id, code_hash="x" * 64))
    staff_accounts.reset_second_factor(actor(ada), sam.id, ip="192.0.2.7")

    after = get_customer(sam.id)
    assert after.totp_secret is None and after.totp_enabled_at is None
    with read_session() as session:
        assert (
            session.exec(select(RecoveryCode).where(RecoveryCode.customer_id == sam.id)).all() == []
        )
        live = session.exec(
            select(UserSession).where(
                UserSession.customer_id == sam.id, col(UserSession.revoked_at).is_(None)
            )
        ).all()
        assert live == []
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "staff.member_second_factor_reset")
        ).one()
        assert (event.actor_id, event.customer_id) == (ada.id, sam.id)
    assert resolve_session(people["token"]["sam"]) is None
    assert [m.to_addr for m in outbox("staff_second_factor_reset")] == [sam.email]

    # Twice is refused by words (nothing left to reset), as is one's own and a customer's.
    with pytest.raises(InvalidInput) as refused:
        staff_accounts.reset_second_factor(actor(ada), sam.id)
    assert refused.value.errors == {"staff": "error.staff_second_factor_off"}
    with pytest.raises(InvalidInput):
        staff_accounts.reset_second_factor(actor(ada), ada.id)
    with pytest.raises(NotAllowed):
        staff_accounts.reset_second_factor(actor(ada), people["customer"]["alice"].id)
    assert get_customer(ada.id).totp_enabled_at is not None


def test_support_cannot_reset_anyones_second_factor(people):
    sam, ada = people["customer"]["sam"], people["customer"]["ada"]
    with pytest.raises(NotAllowed):
        staff_accounts.reset_second_factor(actor(sam), ada.id)
    assert get_customer(ada.id).totp_enabled_at is not None


def test_acting_as_a_customer_ends_when_the_admins_second_factor_is_reset(people):
    ada, alice = people["customer"]["ada"], people["customer"]["alice"]
    ticket = admin_customers.start_acting_as(actor(ada), alice.id)
    acting = exchange_ticket(ticket).token
    assert resolve_session(acting).impersonator_id == ada.id
    # Another admin resets Ada's second factor: her acting session lapses at once.
    zoe = make_customer("zoe@example.fr")
    make_staff(zoe.id)
    staff_accounts.reset_second_factor(actor(zoe.id), ada.id)
    assert resolve_session(acting) is None
