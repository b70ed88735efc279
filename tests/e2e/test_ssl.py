"""An SSL certificate in a real browser: a new customer orders a domain and a DV
certificate for it in one cart; the portal publishes the DNS record in the domain's zone
here, the local CA issues, and the customer downloads the certificate, its chain and the
key the portal made (once). The files are checked as a TLS client would."""

from __future__ import annotations

import uuid
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.verification import PolicyBuilder, Store
from playwright.sync_api import Page, expect
from sqlmodel import select

from o2portal.core import clock
from o2portal.core.db import read_session
from o2portal.integrations.ca import certificate_authority
from o2portal.products.models import Product, SslCertificate
from tests.e2e.conftest import log_in, wait_signed_in
from tests.e2e.test_orders import PASSWORD, new_customer


def download(page: Page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


def certificate_of(domain: str) -> tuple[Product, SslCertificate]:
    """The certificate product for `domain` and its row, as saved now."""
    with read_session() as session:
        product = session.exec(
            select(Product).where(Product.kind == "ssl", Product.name == domain)
        ).one()
        row = session.exec(
            select(SslCertificate).where(SslCertificate.product_id == product.id)
        ).one()
    return product, row


def public_der(key) -> bytes:
    return key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def test_a_dv_certificate_for_a_domain_managed_here_is_issued_and_downloaded(page: Page):
    email = new_customer()
    domain = f"ssl-{uuid.uuid4().hex[:6]}.fr"
    log_in(page, email, PASSWORD, next_path="/order")
    wait_signed_in(page)

    # The domain, registered here…
    page.locator("#tab-domain").click()
    page.locator("#domain-search").fill(domain)
    page.locator("#domain-check").click()
    expect(page.locator("#domain-available")).to_contain_text(domain)
    page.locator("#add-domain").click()
    expect(page.locator("#cart-lines")).to_contain_text(domain)

    # …and a DV certificate for it, the key made by the portal. A bad name first.
    page.locator("#tab-ssl").click()
    expect(page.locator("#ssl-offer-ssl-dv")).to_be_visible()
    page.locator("#ssl-offer-ssl-dv").click()
    page.locator("#ssl_domain").fill("pas un nom")
    page.locator("#add-certificate").click()
    expect(page.locator("#ssl_domain-error")).to_contain_text("pas un nom de domaine valide")
    page.locator("#ssl_domain").fill(domain)
    page.locator("#add-certificate").click()
    expect(page.locator("#cart-lines")).to_contain_text(f"Certificat SSL DV — {domain} — 1 an")
    expect(page.locator("#ssl_domain-error")).to_have_count(0)

    page.locator("#card_number").fill("4242 4242 4242 4242")
    page.locator("#card_expiry").fill("12/30")
    page.locator("#card_cvc").fill("123")
    page.locator("#card_holder").fill("Nina Nouvelle")
    page.locator("#withdrawal").check()
    page.locator("#terms").check()
    page.locator("#order-form-submit").click()
    expect(page.locator("#order-done")).to_contain_text("Commande payée")

    product, row = certificate_of(domain)
    # Validated automatically: the portal published the record in the domain's zone here.
    assert row.dns_zone == domain and row.state == "issued"

    page.goto("/services")
    expect(page.locator("#services-table")).to_contain_text("Certificat SSL")
    page.goto(f"/services/{product.id}")
    expect(page.locator("#product-name")).to_have_text(domain)
    expect(page.locator("#ssl-issued")).to_be_visible()
    expect(page.locator("#ssl-names")).to_have_text(domain)
    expect(page.locator("#ssl-serial")).to_have_text(row.serial)

    files = page.locator("#ssl-files")
    certificate_pem = download(page, files.get_by_role("link", name="Certificat (PEM)"))
    chain_pem = download(page, files.get_by_role("link", name="Chaîne intermédiaire (PEM)"))
    key_pem = download(page, page.locator("#ssl-key"))
    expect(page.locator("#ssl-key")).to_have_count(0)

    # What a TLS client checks: the certificate parses, names the domain, chains to the
    # local CA's root; and the key the portal made is the certificate's.
    leaf = x509.load_pem_x509_certificate(certificate_pem)
    names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == [domain]
    root = x509.load_pem_x509_certificates(certificate_authority().root_pem().encode())
    verifier = (
        PolicyBuilder()
        .store(Store(root))
        .time(clock.now())
        .build_server_verifier(x509.DNSName(domain))
    )
    verifier.verify(leaf, x509.load_pem_x509_certificates(chain_pem))
    key = serialization.load_pem_private_key(key_pem, password=None)
    assert public_der(key.public_key()) == public_der(leaf.public_key())

    # The key was downloadable once: the page says it is gone, and the route has nothing.
    page.reload()
    expect(page.locator("#ssl-key-gone")).to_be_visible()
    expect(page.locator("#ssl-key")).to_have_count(0)
    again = page.request.get(
        f"/files/certificates/{product.id}/key.pem", headers={"sec-fetch-site": "same-origin"}
    )
    assert again.status == 404
    with read_session() as session:
        assert session.get(SslCertificate, row.id).key_ciphertext is None
