"""Admins keep the staff accounts: a new member mailed a link to choose a password; roles
changed; accounts disabled (their sessions end) and enabled; never one's own account,
never the last active admin; support and customers refused; every change audited."""

from __future__ import annotations

import pytest
from sqlmodel import select

from o2portal.accounts import staff_accounts as members
from o2portal.accounts.models import Customer, UserSession
from o2portal.core.db import read_session
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from tests.unit.helpers import (
    actor,
    count,
    get_customer,
    make_customer,
    open_session,
    outbox,
    update_customer,
)

PASSWORD = "Staff-members-password-1"


@pytest.fixture
def people(db):
    made = {}
    for key, role in (("claire", "admin"), ("sophie", "support"), ("marie", "customer")):
        person = make_customer(email=f"{key}@example.fr", password=PASSWORD, first_name=key.title())
        update_customer(person.id, role=role)
        made[key] = get_customer(person.id)
    return made


def _actions() -> list[str]:
    with read_session() as session:
        return [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]


def test_an_admin_opens_a_staff_account_that_gets_a_password_link(people):
    member_id = members.open_staff_account(
        actor(people["claire"]),
        {
            "first_name": "Paul",
            "last_name": "Petit",
            "email": "Paul@o2portal.example",
            "role": "support",
        },
    )
    member = get_customer(member_id)
    assert (member.email, member.role, member.totp_enabled_at) == (
        "paul@o2portal.example",
        "support",
        None,
    )
    (mail,) = outbox("staff_account_opened")
    assert (
        "/reset-password?token=" in mail.body_text and "double authentification" in mail.body_text
    )
    listed = {m.email: m for m in members.staff_members(actor(people["claire"]))}
    assert set(listed) == {"claire@example.fr", "sophie@example.fr", "paul@o2portal.example"}
    assert listed["paul@o2portal.example"].second_factor is False
    assert "staff.member_created" in _actions()


def test_a_new_member_needs_every_field_and_a_free_address(people):
    with pytest.raises(InvalidInput) as caught:
        members.open_staff_account(
            actor(people["claire"]),
            {"first_name": "", "last_name": "", "email": "x", "role": "boss"},
        )
    assert set(caught.value.errors) == {"first_name", "last_name", "email", "role"}
    with pytest.raises(InvalidInput) as caught:
        members.open_staff_account(
            actor(people["claire"]),
            {"first_name": "A", "last_name": "B", "email": "marie@example.fr", "role": "admin"},
        )
    assert caught.value.errors == {"email": "error.email_taken"}
    assert count(Customer) == 3


def test_roles_change_and_a_disabled_member_loses_every_session(people):
    claire, sophie = actor(people["claire"]), people["sophie"]
    open_session("sophie@example.fr", PASSWORD)
    members.set_staff_role(claire, sophie.id, "admin")
    assert get_customer(sophie.id).role == "admin"
    members.set_staff_disabled(claire, sophie.id, True)
    assert get_customer(sophie.id).disabled_at is not None
    with read_session() as session:
        live = session.exec(
            select(UserSession).where(
                UserSession.customer_id == sophie.id, UserSession.revoked_at.is_(None)
            )
        ).all()
    assert live == []
    members.set_staff_disabled(claire, sophie.id, False)
    assert get_customer(sophie.id).disabled_at is None
    assert [a for a in _actions() if a.startswith("staff.member_")] == [
        "staff.member_role",
        "staff.member_disabled",
        "staff.member_enabled",
    ]


def test_never_ones_own_account_and_never_the_last_admin(people):
    claire, sophie = people["claire"], people["sophie"]
    for change in (
        lambda: members.set_staff_role(actor(claire), claire.id, "support"),
        lambda: members.set_staff_disabled(actor(claire), claire.id, True),
    ):
        with pytest.raises(InvalidInput) as caught:
            change()
        assert caught.value.errors == {"staff": "error.staff_self"}
    # Claire and Sophie, both admins, take each other's role at the same moment: Claire's
    # request comes second, with the admin role she had when it started.
    members.set_staff_role(actor(claire), sophie.id, "admin")
    claire_as_she_was = actor(claire)
    members.set_staff_role(actor(sophie.id), claire.id, "support")
    with pytest.raises(InvalidInput) as caught:
        members.set_staff_role(claire_as_she_was, sophie.id, "support")
    assert caught.value.errors == {"staff": "error.last_admin"}
    with pytest.raises(InvalidInput):
        members.set_staff_disabled(claire_as_she_was, sophie.id, True)
    assert get_customer(sophie.id).role == "admin"
    assert get_customer(sophie.id).disabled_at is None


def test_support_and_customers_cannot_keep_staff_accounts(people):
    for who in ("sophie", "marie"):
        with pytest.raises(NotAllowed):
            members.staff_members(actor(people[who]))
        with pytest.raises(NotAllowed):
            members.set_staff_role(actor(people[who]), people["claire"].id, "support")
        with pytest.raises(NotAllowed):
            members.set_staff_disabled(actor(people[who]), people["claire"].id, True)
        with pytest.raises(NotAllowed):
            members.open_staff_account(
                actor(people[who]),
                {"first_name": "A", "last_name": "B", "email": "a@b.fr", "role": "admin"},
            )
    assert get_customer(people["claire"].id).role == "admin"


def test_a_customer_account_is_not_a_staff_member(people):
    with pytest.raises(NotAllowed):
        members.set_staff_role(actor(people["claire"]), people["marie"].id, "admin")
    assert get_customer(people["marie"].id).role == "customer"
