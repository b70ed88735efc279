"""The HTTP routes of Ma fiche: the personal-data file is for the cookie's customer only,
and a password alone (second factor pending) opens neither it nor anything else."""

from __future__ import annotations

import json
import warnings

import pyotp
import pytest

from o2portal.accounts import auth, sessions, totp
from o2portal.web.guards import SESSION_COOKIE
from o2portal.web.routes import build_routes
from tests.unit.helpers import EMAIL, PASSWORD, make_customer, open_session

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

SAME_SITE = {"sec-fetch-site": "same-origin"}


@pytest.fixture
def client(db):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield TestClient(build_routes(), base_url="http://localhost:3000")


def get(client, path: str, token: str | None = None, **headers):
    client.cookies.clear()
    if token:
        client.cookies.set(SESSION_COOKIE, token)
    return client.get(path, headers=headers, follow_redirects=False)


def test_the_export_is_the_cookies_customers_and_nobody_elses(client):
    make_customer()
    make_customer(email="voisin@example.com", last_name="Voisinage", phone="07 81 22 33 44")
    mine = open_session()
    open_session(email="voisin@example.com", ip="198.51.100.50")

    assert get(client, "/files/my-data.json").status_code == 401
    assert get(client, "/files/my-data.json", "forged").status_code == 401

    response = get(client, "/files/my-data.json", mine)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["cache-control"] == "no-store"
    data = response.json()
    assert data["account"]["email"] == EMAIL
    text = json.dumps(data)
    for foreign in ("voisin@example.com", "Voisinage", "+33781223344", "198.51.100.50"):
        assert foreign not in text


def test_a_password_alone_opens_the_code_page_only(client):
    customer = make_customer()
    setup = totp.begin_setup(customer.id)
    totp.enable(customer.id, pyotp.TOTP(setup.secret).now())

    ticket = auth.log_in(EMAIL, PASSWORD, next_path="/invoices").ticket
    response = get(client, f"/auth/session?ticket={ticket}", **SAME_SITE)
    assert response.status_code == 303
    assert response.headers["location"] == "/two-factor?next=/invoices"
    token = response.cookies.get(SESSION_COOKIE)
    assert token

    # Neither the data file nor an invoice opens with it, and it is no signed-in user.
    assert get(client, "/files/my-data.json", token).status_code == 401
    assert get(client, "/files/invoices/1.pdf", token).status_code == 401
    assert sessions.resolve_session(token) is None
    assert totp.pending_sign_in(token).customer_id == customer.id


def test_without_a_second_factor_the_cookie_goes_straight_on(client):
    make_customer()
    ticket = auth.log_in(EMAIL, PASSWORD, next_path="/invoices").ticket
    response = get(client, f"/auth/session?ticket={ticket}", **SAME_SITE)
    assert response.headers["location"] == "/invoices"
    assert sessions.resolve_session(response.cookies.get(SESSION_COOKIE)) is not None
