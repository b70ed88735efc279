"""SSL certificates over HTTP: the owner and staff get the certificate, its chain and both
in PEM; another customer gets the very answer a missing id gets (404); no cookie gets 401.
The key the portal made goes to its owner only, once, and only from the portal's pages.

The certificate is made through the real path: Alice's domain is registered and paid,
then a DV certificate for it, issued after the payment by the local CA."""

from __future__ import annotations

import warnings

import pytest
from cryptography import x509
from sqlmodel import select

from o2portal.accounts import auth, sessions
from o2portal.accounts import staff as admin_customers
from o2portal.billing.orders import CartItem, checkout
from o2portal.billing.payments import CardDetails, PaymentChoice
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core.db import read_session, transaction
from o2portal.products import staff as products_staff
from o2portal.products.models import Product, SslCertificate
from o2portal.web.guards import SESSION_COOKIE
from o2portal.web.routes import build_routes
from tests.unit.helpers import actor

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

SAME_SITE = {"sec-fetch-site": "same-origin"}


@pytest.fixture
def client(db):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield TestClient(build_routes(), base_url="http://localhost:3000")


def get(client, path: str, token: str | None = None, headers: dict | None = None):
    client.cookies.clear()
    if token:
        client.cookies.set(SESSION_COOKIE, token)
    return client.get(path, follow_redirects=False, headers=headers or SAME_SITE)


def pay(customer_id: int, items: list[CartItem], key: str) -> None:
    outcome = checkout(
        customer_id=customer_id,
        items=items,
        promo_code="",
        choice=PaymentChoice("card", CardDetails("4242424242424242", 12, 2031, "123", "A T")),
        key=key,
        terms_accepted=True,
        withdrawal_waived=True,
    )
    assert outcome.status == "paid", outcome


@pytest.fixture
def certificate(people):
    """Alice's certificate for alice-ssl.fr, issued; its path prefix and its row."""
    alice = people["customer"]["alice"]
    with transaction() as session:
        ensure_catalogue(session)
    pay(alice.id, [CartItem("domain", domain="alice-ssl.fr", action="register")], "ssl-route-d")
    pay(alice.id, [CartItem("ssl", code="ssl-dv", domain="alice-ssl.fr")], "ssl-route-c")
    with read_session() as session:
        product = session.exec(select(Product).where(Product.kind == "ssl")).one()
        row = session.exec(
            select(SslCertificate).where(SslCertificate.product_id == product.id)
        ).one()
    assert row.state == "issued"
    return f"/files/certificates/{product.id}", product.id + 1000, row


FILES = ["certificate", "chain", "fullchain"]


def _assert_pem(response, row, what: str) -> None:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-pem-file"
    assert response.headers["cache-control"] == "no-store"
    name = {"certificate": "alice-ssl.fr.pem"}.get(what, f"alice-ssl.fr.{what}.pem")
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'
    expected = {
        "certificate": row.certificate_pem,
        "chain": row.chain_pem,
        "fullchain": row.certificate_pem + row.chain_pem,
    }[what]
    assert response.text == expected
    x509.load_pem_x509_certificates(response.content)


@pytest.mark.parametrize("what", FILES)
@pytest.mark.parametrize("who", ["alice", "sam", "ada"])  # owner, support, admin
def test_the_owner_and_staff_download_the_files(client, people, certificate, what, who):
    base, _missing, row = certificate
    _assert_pem(get(client, f"{base}/{what}.pem", people["token"][who]), row, what)


@pytest.mark.parametrize("what", [*FILES, "key"])
def test_another_customer_gets_the_same_404_as_a_missing_id(client, people, certificate, what):
    base, missing, _row = certificate
    foreign = get(client, f"{base}/{what}.pem", people["token"]["bob"])
    absent = get(client, f"/files/certificates/{missing}/{what}.pem", people["token"]["bob"])
    assert foreign.status_code == absent.status_code == 404
    assert foreign.content == absent.content
    assert b"BEGIN" not in foreign.content
    assert (
        get(
            client, f"/files/certificates/{missing}/{what}.pem", people["token"]["alice"]
        ).status_code
        == 404
    )


@pytest.mark.parametrize("what", [*FILES, "key"])
@pytest.mark.parametrize("token", [None, "forged-session-token", ""])
def test_without_a_valid_cookie_the_answer_is_401(client, certificate, what, token):
    base, _missing, _row = certificate
    response = get(client, f"{base}/{what}.pem", token)
    assert response.status_code == 401
    assert b"BEGIN" not in response.content


def test_a_logged_out_session_no_longer_opens_the_files(client, people, certificate):
    base, _missing, _row = certificate
    token = people["token"]["alice"]
    assert get(client, f"{base}/certificate.pem", token).status_code == 200
    sessions.log_out(token, ip="192.0.2.10")
    assert get(client, f"{base}/certificate.pem", token).status_code == 401


def test_the_key_goes_to_its_owner_once(client, people, certificate):
    base, _missing, _row = certificate
    # Staff never get it, nor a link on another site (it would spend the one download).
    for who in ("sam", "ada"):
        assert get(client, f"{base}/key.pem", people["token"][who]).status_code == 404
    elsewhere = {"sec-fetch-site": "cross-site"}
    assert get(client, f"{base}/key.pem", people["token"]["alice"], elsewhere).status_code == 403
    first = get(client, f"{base}/key.pem", people["token"]["alice"])
    assert first.status_code == 200
    assert first.text.startswith("-----BEGIN PRIVATE KEY-----")
    assert first.headers["cache-control"] == "no-store"
    assert first.headers["content-disposition"] == 'attachment; filename="alice-ssl.fr.key.pem"'
    again = get(client, f"{base}/key.pem", people["token"]["alice"])
    assert again.status_code == 404 and b"BEGIN" not in again.content


def test_an_admin_acting_as_the_customer_does_not_get_the_key(client, people, certificate):
    base, _missing, row = certificate
    ticket = admin_customers.start_acting_as(
        actor(people["customer"]["ada"].id), people["customer"]["alice"].id
    )
    token = auth.exchange_ticket(ticket).token
    assert get(client, f"{base}/key.pem", token).status_code == 404
    _assert_pem(get(client, f"{base}/certificate.pem", token), row, "certificate")
    with read_session() as session:
        assert session.get(SslCertificate, row.id).key_ciphertext is not None


@pytest.mark.parametrize(
    "path",
    [
        "/files/certificates/99999999999999999999/certificate.pem",
        "/files/certificates/9223372036854775808/key.pem",
        "/files/certificates/0/chain.pem",
        "/files/certificates/abc/chain.pem",
    ],
)
def test_ids_out_of_range_are_not_found(client, people, path):
    assert get(client, path, people["token"]["alice"]).status_code == 404


def test_another_file_name_is_not_found(client, people, certificate):
    base, _missing, _row = certificate
    for name in ("secret", "..%2Fkey", "CERTIFICATE"):
        assert get(client, f"{base}/{name}.pem", people["token"]["alice"]).status_code == 404


def test_a_terminated_certificate_is_no_longer_offered_to_its_owner(client, people, certificate):
    """Revoked at termination: the owner's routes answer 404 for every file (the key the
    portal kept is erased); staff still read the certificate, never the key."""
    base, _missing, row = certificate
    admin = actor(people["customer"]["ada"].id)
    with read_session() as session:
        product_id = session.get(SslCertificate, row.id).product_id
    products_staff.change_status(admin, product_id, "terminate", "Résiliation demandée")
    for what in [*FILES, "key"]:
        refused = get(client, f"{base}/{what}.pem", people["token"]["alice"])
        assert refused.status_code == 404 and b"BEGIN" not in refused.content
    for who in ("sam", "ada"):
        _assert_pem(get(client, f"{base}/fullchain.pem", people["token"][who]), row, "fullchain")
        assert get(client, f"{base}/key.pem", people["token"][who]).status_code == 404
