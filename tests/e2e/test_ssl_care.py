"""An SSL certificate after its order, in a real browser: staff's part of the product page
(the records its domain control waits for, "Vérifier maintenant", the issued certificate
downloaded, its revocation when an admin terminates it, and the customer's page then),
and the renewal window said on the customer's page in French and English."""

from __future__ import annotations

import re
import time
import uuid
from datetime import timedelta

from cryptography import x509
from playwright.sync_api import expect
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.billing.orders import CartItem, checkout
from o2portal.billing.payments import CardDetails, PaymentChoice
from o2portal.core import formatting
from o2portal.core.db import read_session
from o2portal.core.models import AuditEvent
from o2portal.integrations.registrar import LocalRegistrar
from o2portal.mail.models import OutboxEmail
from o2portal.products import certificates
from o2portal.products.expiry import CERTIFICATE_RENEW_DAYS
from tests.e2e.conftest import FRESH_PASSWORD, fresh_customer, log_in, wait_signed_in
from tests.e2e.test_ssl import certificate_of, download


def pay(email: str, items: list[CartItem]) -> None:
    with read_session() as session:
        customer_id = session.exec(select(Customer.id).where(Customer.email == email)).one()
    outcome = checkout(
        customer_id=customer_id,
        items=items,
        promo_code="",
        choice=PaymentChoice("card", CardDetails("4242424242424242", 12, 2031, "123", "C P")),
        key=f"e2e-ssl-{uuid.uuid4().hex}",
        terms_accepted=True,
        withdrawal_waived=True,
    )
    assert outcome.status == "paid", outcome


def test_staff_check_a_certificate_now_download_it_and_see_it_revoked(new_context):
    email = fresh_customer("ssl-staff")
    domain = f"ailleurs-{uuid.uuid4().hex[:6]}.fr"
    # Its DNS is not in the customer's account: they create the record themselves.
    LocalRegistrar().register(domain, holder_ref="x", years=1, nameservers=[], request_id=domain)
    pay(email, [CartItem("ssl", code="ssl-dv", domain=domain)])
    product, row = certificate_of(domain)
    (challenge,) = certificates.challenges_of(row)

    support = new_context().new_page()
    log_in(support, "support@o2portal.example", next_path=f"/admin/products/{product.id}")
    expect(support.locator("#product-name")).to_have_text(domain)
    expect(support.locator("#staff-ssl-state")).to_have_text(
        "En attente de la validation du domaine"
    )
    expect(support.locator("#staff-ssl-names")).to_have_text(domain)
    expect(support.locator("#staff-ssl-type")).to_have_text("DV")
    expect(support.locator("#staff-ssl-records")).to_contain_text(challenge.record_name)
    expect(support.locator("#staff-ssl-records")).to_contain_text(challenge.value)
    expect(support.locator("#staff-ssl-next-check")).not_to_be_empty()
    expect(support.locator("#staff-ssl-key")).to_contain_text("pas encore téléchargée")
    expect(support.locator("#staff-ssl-files")).to_have_count(0)

    # Not there yet: the authority says which name it does not see.
    support.locator("#staff-ssl-verify").click()
    expect(support.locator("#staff-ssl-error")).to_contain_text(
        f"L'enregistrement DNS de {domain} n'est pas encore visible"
    )
    # The customer creates it; a check a few seconds later issues the certificate.
    LocalRegistrar().add_txt_record(domain, challenge.record_name, challenge.value)
    time.sleep(certificates.CHECK_INTERVAL.total_seconds() + 0.5)
    support.locator("#staff-ssl-verify").click()
    expect(support.locator("#staff-ssl-ok")).to_have_text(
        "Domaine validé : le certificat est émis."
    )
    _product, row = certificate_of(domain)
    assert row.state == "issued"
    expect(support.locator("#staff-ssl-state")).to_have_text("Émis")
    expect(support.locator("#staff-ssl-serial")).to_have_text(row.serial)
    expect(support.locator("#staff-ssl-issuer")).to_contain_text("Local Issuing CA")
    expect(support.locator("#staff-ssl-not-after")).not_to_be_empty()
    expect(support.locator("#staff-ssl-records")).to_have_count(0)
    expect(support.locator("#staff-ssl-verify")).to_have_count(0)
    with read_session() as session:
        staff_id = session.exec(
            select(Customer.id).where(Customer.email == "support@o2portal.example")
        ).one()
        checked = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "staff.ssl_verified", AuditEvent.target_id == product.id
            )
        ).all()
    assert [e.actor_id for e in checked] == [staff_id, staff_id]  # both checks, by name

    # Staff download the certificate and its chain, never the key.
    files = support.locator("#staff-ssl-files")
    leaf = x509.load_pem_x509_certificate(
        download(support, files.get_by_role("link", name="Certificat (PEM)"))
    )
    assert leaf.serial_number == int(row.serial, 16)
    san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == [domain]
    chain = download(support, files.get_by_role("link", name="Chaîne intermédiaire (PEM)"))
    assert x509.load_pem_x509_certificates(chain)[0].subject == leaf.issuer
    expect(support.locator('a[href$="/key.pem"]')).to_have_count(0)

    # An admin terminates it: the certificate is revoked at the authority.
    admin = new_context().new_page()
    log_in(admin, "admin@o2portal.example", next_path=f"/admin/products/{product.id}")
    expect(admin.locator("#staff-ssl-state")).to_have_text("Émis")
    admin.locator("#product-terminate").click()
    admin.locator("#terminate-reason").fill("Demande du client")
    admin.locator("#terminate-confirm").click()
    expect(admin.locator("#admin-message")).to_contain_text("résilié")
    expect(admin.locator("#staff-ssl-state")).to_have_text("Révoqué")
    expect(admin.locator("#staff-ssl-revoked")).to_contain_text("Révoqué le")
    assert certificate_of(domain)[1].revoked_at is not None
    with read_session() as session:
        mail = session.exec(
            select(OutboxEmail).where(
                OutboxEmail.to_addr == email, OutboxEmail.kind == "certificate_terminated"
            )
        ).one()
    assert mail.subject == f"Le certificat SSL {domain} a été résilié"

    # The customer's page no longer offers it, and the route answers as for nothing.
    customer = new_context().new_page()
    log_in(customer, email, FRESH_PASSWORD, next_path=f"/services/{product.id}")
    wait_signed_in(customer)
    expect(customer.locator("#ssl-ended")).to_contain_text("révoqué")
    expect(customer.locator("#ssl-files")).to_have_count(0)
    gone = customer.request.get(f"/files/certificates/{product.id}/certificate.pem")
    assert gone.status == 404


def test_the_renewal_window_is_said_on_the_customer_and_staff_pages(new_context):
    email = fresh_customer("ssl-window")
    domain = f"fenetre-{uuid.uuid4().hex[:6]}.fr"
    pay(email, [CartItem("domain", domain=domain, action="register")])
    pay(email, [CartItem("ssl", code="ssl-dv", domain=domain)])
    product, row = certificate_of(domain)
    assert row.state == "issued"
    opens = product.expiry_date - timedelta(days=CERTIFICATE_RENEW_DAYS)

    page = new_context().new_page()
    log_in(page, email, FRESH_PASSWORD, next_path=f"/services/{product.id}")
    wait_signed_in(page)
    expect(page.locator("#ssl-issued")).to_be_visible()
    notice = page.locator("#renew-too-early")
    expect(notice).to_contain_text("au plus tôt 30 jours avant son expiration")
    expect(notice).to_contain_text(f"renouvelable à partir du {formatting.day(opens, 'fr')}")
    # No form to pay for a renewal that cannot be made.
    expect(page.locator("#renew-form")).to_have_count(0)
    expect(page.locator("#years")).to_have_count(0)
    # In English (the messages the server wrote are written again on the next load).
    page.locator("#lang-switch").click()
    expect(page.locator("#renew")).to_have_text("Renew")
    page.reload()
    expect(notice).to_contain_text("at the earliest 30 days before its expiry")
    expect(notice).to_contain_text(f"can be renewed from {formatting.day(opens, 'en')}")

    # Staff see why the renewal by hand is not offered.
    admin = new_context().new_page()
    log_in(admin, "admin@o2portal.example", next_path=f"/admin/products/{product.id}")
    expect(admin.locator("#product-renew-note")).to_contain_text(
        f"Renouvelable à partir du {formatting.day(opens, 'fr')}"
    )
    expect(admin.locator("#product-renew")).to_have_count(0)
    expect(admin.locator("#staff-ssl-state")).to_have_text("Émis")
    expect(admin.locator("#staff-ssl-key")).to_contain_text("pas encore téléchargée")
    assert re.fullmatch(r"[0-9A-F]+", row.serial)
