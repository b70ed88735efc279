"""Staff acting as a customer: the acting session ends after 30 minutes, when the admin
logs out, and when the admin is disabled; and it cannot download the customer's
personal-data export."""

from __future__ import annotations

from datetime import timedelta

import pytest

from o2portal.accounts import auth, sessions
from o2portal.accounts import staff as admin_customers
from o2portal.core import clock
from tests.security.test_profile_routes import client, get  # noqa: F401 (fixture)
from tests.unit.helpers import actor, make_customer, make_staff, open_session


@pytest.fixture
def people(db):
    customer = make_customer("client@example.fr")
    admin = make_customer("admin@example.fr")
    make_staff(admin.id)
    return customer, admin


def act_as(admin_id: int, customer_id: int) -> str:
    ticket = admin_customers.start_acting_as(actor(admin_id), customer_id)
    return auth.exchange_ticket(ticket).token


def test_an_acting_session_lasts_30_minutes(people):
    customer, admin = people
    start = clock.now()
    with clock.frozen_at(start):
        token = act_as(admin.id, customer.id)
        new = sessions.resolve_session(token)
        assert new.impersonator_id == admin.id
    with clock.frozen_at(start + timedelta(minutes=29)):
        assert sessions.resolve_session(token) is not None
    with clock.frozen_at(start + timedelta(minutes=31)):
        assert sessions.resolve_session(token) is None


def test_the_admin_logging_out_ends_their_acting_sessions(people):
    customer, admin = people
    own = open_session("admin@example.fr")
    acting = act_as(admin.id, customer.id)
    sessions.log_out(own)
    assert sessions.resolve_session(acting) is None


def test_a_disabled_admin_acts_no_more(people):
    customer, admin = people
    other_admin = make_customer("chef@example.fr")
    make_staff(other_admin.id)
    acting = act_as(admin.id, customer.id)
    admin_customers.set_disabled(actor(other_admin.id), admin.id, True, "Départ")
    assert sessions.resolve_session(acting) is None


def test_no_personal_data_export_while_acting(people, client):  # noqa: F811
    customer, admin = people
    acting = act_as(admin.id, customer.id)
    assert get(client, "/files/my-data.json", acting).status_code == 403
    own = open_session("client@example.fr")
    assert get(client, "/files/my-data.json", own).status_code == 200
