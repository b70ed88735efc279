"""SSL certificates as products: ordered from the cart, paid like the rest, issued after
the payment by the certificate authority once the domain's control is seen (by itself for
a domain managed here, on "Vérifier" otherwise), downloaded, renewed and expired."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.verification import PolicyBuilder, Store
from sqlmodel import func, select

from o2portal.accounts.models import Customer
from o2portal.billing.models import Invoice, Order, OrderLine
from o2portal.billing.orders import CartItem, price_cart
from o2portal.billing.renewals import quote_renewal, renew_product
from o2portal.catalog import staff as catalogue_staff
from o2portal.catalog.models import CertificateOffer
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput
from o2portal.integrations.ca import LocalCA, certificate_authority
from o2portal.integrations.csr import make_key_and_csr
from o2portal.integrations.models import RegistryTxtRecord
from o2portal.integrations.registrar import LocalRegistrar
from o2portal.products import certificates
from o2portal.products.lifecycle import apply_expiry
from o2portal.products.models import Product, ProductTask, SslCertificate, TaskStatus
from tests.unit.helpers import actor, make_staff, outbox
from tests.unit.test_orders import card, person
from tests.unit.test_orders import order as order_with_key

pytestmark = pytest.mark.usefixtures("db")


def order(customer_id, items, key):
    """Checkout with a key as long as the forms' (8 characters at least)."""
    return order_with_key(customer_id, items, f"ssl-test-{key}")


def count(model, *where) -> int:
    with read_session() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def customer(customer_id: int) -> Customer:
    with read_session() as session:
        return session.get(Customer, customer_id)


def ssl_item(domain: str, code: str = "ssl-dv", **more) -> CartItem:
    return CartItem("ssl", code=code, domain=domain, **more)


def with_domain(email: str, name: str) -> int:
    """A customer whose domain `name` is registered here (ordered and paid)."""
    customer_id = person(email)
    outcome = order(customer_id, [CartItem("domain", domain=name, action="register")], "k-" + name)
    assert outcome.status == "paid"
    return customer_id


def the_certificate(customer_id: int) -> tuple[Product, SslCertificate]:
    with read_session() as session:
        product = session.exec(
            select(Product).where(Product.customer_id == customer_id, Product.kind == "ssl")
        ).one()
        row = session.exec(
            select(SslCertificate).where(SslCertificate.product_id == product.id)
        ).one()
    return product, row


# The tasks of a certificate whose records the portal publishes in a zone here, all done.
ZONE_TASKS_DONE = [
    ("open_certificate", TaskStatus.DONE),
    ("publish_dns_record", TaskStatus.DONE),
    ("issue_certificate", TaskStatus.DONE),
    ("unpublish_dns_record", TaskStatus.DONE),
]


def tasks_of(product_id: int) -> list[tuple[str, str]]:
    """The product's tasks in order: (action, status)."""
    with read_session() as session:
        return list(
            session.exec(
                select(ProductTask.action, ProductTask.status)
                .where(ProductTask.product_id == product_id)
                .order_by(ProductTask.id)
            ).all()
        )


def days_until(product: Product) -> int:
    return (product.expiry_date - clock.today()).days


def verify_chain(certificate_pem: str, chain_pem: str, host: str) -> x509.Certificate:
    """What a TLS client does: the certificate, through the chain, to the local CA's root."""
    leaf = x509.load_pem_x509_certificate(certificate_pem.encode())
    chain = x509.load_pem_x509_certificates(chain_pem.encode())
    root = x509.load_pem_x509_certificates(certificate_authority().root_pem().encode())
    verifier = (
        PolicyBuilder()
        .store(Store(root))
        .time(clock.now())
        .build_server_verifier(x509.DNSName(host))
    )
    verifier.verify(leaf, chain)
    return leaf


def same_key(key_pem: str, leaf: x509.Certificate) -> bool:
    key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    return key.public_key().public_bytes(der, spki) == leaf.public_key().public_bytes(der, spki)


def test_the_catalogue_sells_three_certificates_for_a_year():
    person("cat@example.fr")
    with read_session() as session:
        offers = session.exec(select(CertificateOffer).order_by(CertificateOffer.sort_order)).all()
    assert [(o.code, o.validation, o.wildcard) for o in offers] == [
        ("ssl-dv", "dv", False),
        ("ssl-dv-wildcard", "dv", True),
        ("ssl-ov", "ov", False),
    ]
    assert all(o.year_cents > 0 and o.active for o in offers)


def test_a_dv_certificate_for_a_domain_managed_here_is_issued_after_the_payment():
    customer_id = with_domain("auto@example.fr", "mon-site-auto.fr")
    outcome = order(customer_id, [ssl_item("www.mon-site-auto.fr")], "k-ssl")
    assert outcome.status == "paid"
    product, row = the_certificate(customer_id)
    assert product.name == "www.mon-site-auto.fr"
    assert product.expiry_date == clock.add_years(clock.today(), 1)
    # Published in the customer's zone, checked, signed, and the record taken down: all
    # as tasks after the payment's commit.
    assert row.dns_zone == "mon-site-auto.fr"
    assert row.state == "issued"
    assert tasks_of(product.id) == ZONE_TASKS_DONE
    assert count(RegistryTxtRecord) == 0
    leaf = verify_chain(row.certificate_pem, row.chain_pem, "www.mon-site-auto.fr")
    assert leaf.not_valid_after_utc.date() >= product.expiry_date - timedelta(days=1)
    # The invoice names the certificate.
    with read_session() as session:
        invoice = session.exec(select(Invoice).where(Invoice.customer_id == customer_id)).all()
    assert len(invoice) == 2
    # The key the portal made: kept encrypted, downloaded once, then gone.
    assert row.portal_key and row.key_ciphertext and "PRIVATE KEY" not in row.key_ciphertext
    name, key_pem = certificates.take_private_key(customer(customer_id), product.id)
    assert name == "www.mon-site-auto.fr.key.pem"
    assert same_key(key_pem, leaf)
    with pytest.raises(certificates.FileNotFound):
        certificates.take_private_key(customer(customer_id), product.id)
    _product, row = the_certificate(customer_id)
    assert row.key_ciphertext is None and row.key_downloaded_at is not None


def test_files_go_to_the_owner_and_staff_only_and_the_key_to_the_owner_only():
    owner = with_domain("files@example.fr", "fichiers.fr")
    order(owner, [ssl_item("fichiers.fr")], "k-files")
    product, row = the_certificate(owner)
    stranger = person("stranger@example.fr")
    staff = person("staff@example.fr")
    make_staff(staff)
    name, text = certificates.certificate_file(customer(owner), product.id, "certificate")
    assert (name, text) == ("fichiers.fr.pem", row.certificate_pem)
    _name, full = certificates.certificate_file(customer(staff), product.id, "fullchain")
    assert full == row.certificate_pem + row.chain_pem
    for reader, what in ((stranger, "certificate"), (stranger, "chain"), (owner, "secret")):
        with pytest.raises(certificates.FileNotFound):
            certificates.certificate_file(customer(reader), product.id, what)
    for reader in (stranger, staff):
        with pytest.raises(certificates.FileNotFound):
            certificates.take_private_key(customer(reader), product.id)
    with pytest.raises(certificates.FileNotFound):
        certificates.certificate_file(customer(owner), product.id + 1000, "certificate")
    # Nobody took the key: it is still there for its owner.
    assert the_certificate(owner)[1].key_ciphertext is not None


def test_a_domain_elsewhere_waits_for_its_record_and_the_verify_button():
    customer_id = person("manual@example.fr")
    # Registered elsewhere: the built-in resolver reads the registry's zone, which the
    # customer (not the portal) fills.
    LocalRegistrar().register(
        "ailleurs.fr", holder_ref="x", years=1, nameservers=[], request_id="a"
    )
    order(customer_id, [ssl_item("ailleurs.fr")], "k-manual")
    product, row = the_certificate(customer_id)
    assert row.state == "pending" and row.dns_zone is None
    view = certificates.certificate_view(customer_id, product.id)
    assert [c.record_name for c in view.challenges] == ["_o2portal-challenge.ailleurs.fr"]
    assert not view.automatic and not view.has_certificate
    with pytest.raises(InvalidInput) as refused:
        certificates.verify_certificate(customer_id, product.id)
    assert refused.value.errors == {"dcv": "ssl.not_seen|ailleurs.fr"}
    assert the_certificate(customer_id)[1].state == "pending"
    challenge = view.challenges[0]
    LocalRegistrar().add_txt_record("ailleurs.fr", challenge.record_name, challenge.value)
    # Each check asks the CA and DNS: a second one at once is told to wait.
    with pytest.raises(InvalidInput) as refused:
        certificates.verify_certificate(customer_id, product.id)
    assert refused.value.errors == {"dcv": "ssl.check_wait"}
    with clock.frozen_at(clock.now() + timedelta(seconds=6)):
        assert certificates.verify_certificate(customer_id, product.id) is True
    _product, row = the_certificate(customer_id)
    assert row.state == "issued"
    verify_chain(row.certificate_pem, row.chain_pem, "ailleurs.fr")
    # Someone else's certificate is not theirs to verify.
    other = person("other@example.fr")
    with pytest.raises(Exception) as not_theirs:
        certificates.verify_certificate(other, product.id)
    assert type(not_theirs.value).__name__ == "NotAllowed"


def test_a_pasted_csr_is_signed_and_no_key_is_kept():
    customer_id = with_domain("csr@example.fr", "avec-csr.fr")
    made = make_key_and_csr(["avec-csr.fr"])
    order(customer_id, [ssl_item("avec-csr.fr", csr=made.csr_pem)], "k-csr")
    product, row = the_certificate(customer_id)
    assert row.state == "issued" and not row.portal_key and row.key_ciphertext is None
    leaf = verify_chain(row.certificate_pem, row.chain_pem, "avec-csr.fr")
    assert same_key(made.key_pem, leaf)
    with pytest.raises(certificates.FileNotFound):
        certificates.take_private_key(customer(customer_id), product.id)


def test_a_wildcard_for_a_domain_managed_here_covers_its_subdomains():
    customer_id = with_domain("wild@example.fr", "joker.fr")
    order(customer_id, [ssl_item("joker.fr", code="ssl-dv-wildcard")], "k-wild")
    product, row = the_certificate(customer_id)
    assert product.name == "*.joker.fr"
    assert json.loads(row.names_json) == ["*.joker.fr", "joker.fr"]
    assert row.state == "issued"
    verify_chain(row.certificate_pem, row.chain_pem, "shop.joker.fr")
    verify_chain(row.certificate_pem, row.chain_pem, "joker.fr")


def test_an_ov_certificate_names_the_organisation():
    customer_id = with_domain("ov@example.fr", "societe.fr")
    order(customer_id, [ssl_item("societe.fr", code="ssl-ov", organization="Société X")], "k-ov")
    _product, row = the_certificate(customer_id)
    leaf = verify_chain(row.certificate_pem, row.chain_pem, "societe.fr")
    orgs = leaf.subject.get_attributes_for_oid(x509.oid.NameOID.ORGANIZATION_NAME)
    assert [o.value for o in orgs] == ["Société X"]


@pytest.mark.parametrize(
    ("item", "errors"),
    [
        (ssl_item("pas un nom"), {"ssl_domain": "ssl.domain_invalid"}),
        (ssl_item(""), {"ssl_domain": "error.required"}),
        (ssl_item("*.mon-site.fr"), {"ssl_domain": "ssl.domain_wildcard_single"}),
        (
            ssl_item("ailleurs.fr", code="ssl-dv-wildcard"),
            {"ssl_domain": "ssl.wildcard_not_managed"},
        ),
        (ssl_item("mon-site.fr", code="ssl-ov"), {"organization": "ssl.organization_required"}),
        (ssl_item("mon-site.fr", csr="bonjour"), {"csr": "ssl.csr_not_pem"}),
        (
            ssl_item("mon-site.fr", csr=make_key_and_csr(["autre.fr"]).csr_pem),
            {"csr": "ssl.csr_wrong_name"},
        ),
        (ssl_item("mon-site.fr", code="nope"), {"cart": "error.cart_item_invalid"}),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_saved(item, errors):
    customer_id = person("bad@example.fr")
    with pytest.raises(InvalidInput) as refused:
        price_cart(customer_id, [item])
    assert refused.value.errors == errors
    with pytest.raises(InvalidInput):
        order(customer_id, [item], "k-bad")
    assert count(Order) == 0 and count(Product) == 0 and count(SslCertificate) == 0


def test_every_field_is_told_at_once():
    customer_id = person("all@example.fr")
    item = ssl_item("?", code="ssl-ov", csr="x")
    with pytest.raises(InvalidInput) as refused:
        price_cart(customer_id, [item])
    assert set(refused.value.errors) == {"ssl_domain", "organization"}


def test_a_renewal_reissues_the_certificate_for_one_more_year():
    customer_id = with_domain("renew@example.fr", "renouvelle.fr")
    order(customer_id, [ssl_item("renouvelle.fr")], "k-first")
    product, first = the_certificate(customer_id)
    # Renewed 20 days before its expiry: inside the window (tests below for the window).
    with clock.frozen_at(clock.now() + timedelta(days=days_until(product) - 20)):
        with pytest.raises(InvalidInput) as refused:
            quote_renewal(customer_id, product.id, 2)
        assert refused.value.errors == {"years": "ssl.renew_one_year"}
        quote = quote_renewal(customer_id, product.id, 1)
        assert quote.new_expiry == clock.add_years(product.expiry_date, 1)
        with read_session() as session:
            price = session.exec(
                select(CertificateOffer.year_cents).where(CertificateOffer.code == "ssl-dv")
            ).one()
        assert quote.totals.ht == price
        outcome = renew_product(
            customer_id=customer_id,
            product_id=product.id,
            years=1,
            expected_expiry=product.expiry_date,
            choice=card(),
            key="ssl-test-renew",
        )
        assert outcome.status == "paid"
        renewed, second = the_certificate(customer_id)
        assert renewed.expiry_date == quote.new_expiry
        assert second.issuance == 2 and second.state == "issued"
        assert second.serial != first.serial
        # The certificate signed then covers the 20 days left and the year paid.
        leaf = verify_chain(second.certificate_pem, second.chain_pem, "renouvelle.fr")
        assert leaf.not_valid_after_utc.astimezone(clock.PARIS).date() == renewed.expiry_date
    # The one before is remembered, to be revoked with it if the product is terminated.
    assert (second.previous_serial, second.previous_not_after) == (first.serial, first.not_after)
    # The same key: the customer's server keeps its key and takes the new certificate.
    assert leaf.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) == x509.load_pem_x509_certificate(first.certificate_pem.encode()).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert (
        leaf.not_valid_after_utc
        > x509.load_pem_x509_certificate(first.certificate_pem.encode()).not_valid_after_utc
    )


def test_an_older_answer_never_overwrites_a_newer_issuance():
    customer_id = with_domain("race@example.fr", "course.fr")
    order(customer_id, [ssl_item("course.fr")], "k-race")
    product, row = the_certificate(customer_id)
    stale = {"request_id": "an-older-request", "serial": "AB", "certificate_pem": "x"}
    with transaction() as session:
        assert certificates.issued(session, session.get(Product, product.id), stale) is False
    assert the_certificate(customer_id)[1].serial == row.serial


def test_a_certificate_expires_then_ends_with_its_own_words_and_is_revoked():
    customer_id = with_domain("expire@example.fr", "expire.fr")
    order(customer_id, [ssl_item("expire.fr")], "k-exp")
    product, row = the_certificate(customer_id)
    ca = certificate_authority()
    start = clock.now()
    with clock.frozen_at(start + timedelta(days=367)):
        apply_expiry()
    assert the_certificate(customer_id)[0].status == "expired"
    assert not ca.is_revoked(row.serial)  # still renewable
    with clock.frozen_at(start + timedelta(days=367 + 31)):
        apply_expiry()
        crl = x509.load_pem_x509_crl(ca.revocation_list().encode())
    assert the_certificate(customer_id)[0].status == "terminated"
    # The end of its life revokes it at the CA, as a termination by staff does.
    assert ca.is_revoked(row.serial) and the_certificate(customer_id)[1].revoked_at
    assert crl.get_revoked_certificate_by_serial_number(int(row.serial, 16)) is not None
    kinds = [m.kind for m in outbox() if m.kind.startswith("certificate_")]
    assert kinds == ["certificate_expired", "certificate_terminated"]
    assert "Le certificat SSL expire.fr a expiré" in next(
        m.subject for m in outbox() if m.kind == "certificate_expired"
    )
    ended = next(m.body_text for m in outbox() if m.kind == "certificate_terminated")
    assert "n'a pas été renouvelé" in ended and "révoqué" in ended


def test_staff_edit_a_certificate_price():
    admin_id = person("admin@example.fr")
    with transaction() as session:
        session.get(Customer, admin_id).role = "admin"
        offer_id = session.exec(
            select(CertificateOffer.id).where(CertificateOffer.code == "ssl-dv")
        ).one()
    admin = actor(customer(admin_id))
    saved = catalogue_staff.update_certificate_offer(
        admin, offer_id, {"year": "35,00", "active": "on"}
    )
    assert saved.year_cents == 3500
    customer_id = person("buyer@example.fr")
    assert price_cart(customer_id, [ssl_item("prix.fr")]).totals.ht == 3500
    with pytest.raises(InvalidInput) as refused:
        catalogue_staff.update_certificate_offer(admin, offer_id, {"year": "abc"})
    assert set(refused.value.errors) == {"year"}
    with pytest.raises(Exception) as not_admin:
        catalogue_staff.update_certificate_offer(
            actor(customer(customer_id)), offer_id, {"year": "1"}
        )
    assert type(not_admin.value).__name__ == "NotAllowed"


def test_the_order_line_keeps_what_issuing_needs():
    customer_id = with_domain("line@example.fr", "ligne.fr")
    order(customer_id, [ssl_item("ligne.fr")], "k-line")
    with read_session() as session:
        line = session.exec(select(OrderLine).where(OrderLine.action == "ssl")).one()
    assert json.loads(line.details_json) == {"names": ["ligne.fr"], "csr": ""}
    assert line.description.startswith("Certificat SSL DV — ligne.fr")
    assert isinstance(certificate_authority(), LocalCA)


def test_a_certificate_is_reminded_and_auto_renewal_makes_its_order_form():
    from o2portal.billing.autorenew import run_auto_renewals
    from o2portal.products.customer import set_auto_renew
    from o2portal.products.reminders import send_due_reminders

    customer_id = with_domain("remind@example.fr", "rappel.fr")
    order(customer_id, [ssl_item("www.rappel.fr")], "k-remind")
    product, _row = the_certificate(customer_id)
    set_auto_renew(customer_id, product.id, True)
    start = clock.now()
    with clock.frozen_at(start + timedelta(days=(product.expiry_date - clock.today()).days - 30)):
        send_due_reminders()
    mail = next(m for m in outbox("reminder") if "www.rappel.fr" in m.subject)
    assert "Le certificat SSL www.rappel.fr" in mail.body_text
    with clock.frozen_at(start + timedelta(days=(product.expiry_date - clock.today()).days - 15)):
        assert run_auto_renewals()["forms"] == 1
    with read_session() as session:
        line = session.exec(
            select(OrderLine).where(OrderLine.product_id == product.id, OrderLine.action == "renew")
        ).one()
    assert line.description.startswith("Renouvellement Certificat SSL DV — www.rappel.fr")


def test_two_downloads_at_once_give_the_key_once():
    """Two tabs (or a replay) at the same moment: the row lock lets one transaction take
    the key and erase it; the other finds nothing."""
    import threading

    customer_id = with_domain("twice@example.fr", "deux-fois.fr")
    order(customer_id, [ssl_item("deux-fois.fr")], "k-twice")
    product, _row = the_certificate(customer_id)
    reader = customer(customer_id)
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def take() -> None:
        barrier.wait()
        try:
            certificates.take_private_key(reader, product.id)
            outcomes.append("key")
        except certificates.FileNotFound:
            outcomes.append("none")

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["key", "none", "none", "none"]
