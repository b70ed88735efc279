"""An SSL certificate's life after its order: the job that looks again for the records of
a domain managed elsewhere (and never twice at once), the renewal window, revocation at
the CA when the product is terminated (after the commit, in the CRL), staff's mail of a
termination by hand, and staff's view and "Vérifier maintenant"."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from cryptography import x509
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.billing.models import Order
from o2portal.billing.renewals import quote_renewal, renew_product
from o2portal.core import clock, formatting
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.core.settings import get_settings
from o2portal.integrations import ca_keys
from o2portal.integrations.ca import MAX_DAYS, certificate_authority
from o2portal.integrations.models import CaCertificate, RegistryTxtRecord
from o2portal.integrations.registrar import LocalRegistrar, registrar
from o2portal.jobs.runner import run_job
from o2portal.products import certificates, provisioning
from o2portal.products import staff as products_staff
from o2portal.products.certificates import check_pending
from o2portal.products.expiry import CERTIFICATE_RENEW_DAYS
from o2portal.products.models import Product, ProductTask, SslCertificate, TaskStatus
from o2portal.products.tasks import run_due_tasks
from o2portal.web.helpers import refusal
from tests.unit.helpers import actor, make_staff, outbox
from tests.unit.test_orders import card, person
from tests.unit.test_ssl_products import (
    ZONE_TASKS_DONE,
    count,
    customer,
    days_until,
    order,
    ssl_item,
    tasks_of,
    the_certificate,
    verify_chain,
    with_domain,
)

pytestmark = pytest.mark.usefixtures("db")
NOTHING = {"issued": 0, "waiting": 0, "stopped": 0}


def elsewhere(email: str, domain: str) -> tuple[int, Product, SslCertificate]:
    """A customer's certificate for a domain whose DNS is not in their account: the
    customer (not the portal) fills its zone, which the built-in resolver reads."""
    customer_id = person(email)
    LocalRegistrar().register(
        domain, holder_ref="x", years=1, nameservers=[], request_id=f"reg-{domain}"
    )
    assert order(customer_id, [ssl_item(domain)], f"k-{domain}").status == "paid"
    product, row = the_certificate(customer_id)
    assert row.state == "pending" and row.dns_zone is None
    return customer_id, product, row


def publish(domain: str, row: SslCertificate) -> None:
    """The customer creates the records where their DNS is."""
    for challenge in certificates.challenges_of(row):
        LocalRegistrar().add_txt_record(domain, challenge.record_name, challenge.value)


def staff(email: str, role: str = "admin") -> int:
    staff_id = person(email)
    make_staff(staff_id, role)
    return staff_id


def renew_by_staff(admin: int, product: Product, years: int, key: str):
    """Staff's renewal by hand of the product as the page showed it."""
    return products_staff.renew_by_hand(
        actor(admin), product.id, years, "Geste", key=key, expected_expiry=product.expiry_date
    )


def actions(action: str) -> list[AuditEvent]:
    with read_session() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


class CountingCA:
    """The built-in CA, each `issue` counted by request id (and slowed down, so that two
    runners would overlap if they could take the same row)."""

    def __init__(self, pause: float = 0.0):
        self.inner = certificate_authority()
        self.pause = pause
        self.issued: list[str] = []
        self.revoked: list[tuple[str, str, str]] = []
        self._lock = threading.Lock()
        self.product_id: int | None = None

    def issue(self, *args, request_id: str, **kwargs):
        with self._lock:
            self.issued.append(request_id)
        time.sleep(self.pause)
        return self.inner.issue(*args, request_id=request_id, **kwargs)

    def revoke(self, serial: str, *, reason: str = "unspecified") -> None:
        # What the portal's database says when the CA is asked: committed or not.
        with read_session() as session:
            status = session.get(Product, self.product_id).status
        self.revoked.append((serial, status, reason))
        self.inner.revoke(serial, reason=reason)

    def __getattr__(self, name):
        return getattr(self.inner, name)


@pytest.fixture
def counting_ca(monkeypatch):
    ca = CountingCA()
    monkeypatch.setattr(certificates, "certificate_authority", lambda: ca)
    return ca


# ---------------------------------------------------------------- the periodic check


def test_records_made_elsewhere_are_looked_for_at_a_pace_and_issued_when_seen(counting_ca):
    customer_id, product, row = elsewhere("pace@example.fr", "ailleurs-pace.fr")
    start = row.checks_since
    assert start is not None and row.next_check_at == start + timedelta(minutes=15)
    assert check_pending() == NOTHING  # not due yet
    with clock.frozen_at(start + timedelta(minutes=15)):
        assert check_pending() == {**NOTHING, "waiting": 1}
        assert check_pending() == NOTHING  # once per due time
    # Every 15 minutes the first day…
    assert the_certificate(customer_id)[1].next_check_at == start + timedelta(minutes=30)
    # …then every hour.
    late = start + timedelta(days=1, minutes=5)
    with clock.frozen_at(late):
        assert check_pending() == {**NOTHING, "waiting": 1}
    assert the_certificate(customer_id)[1].next_check_at == late + timedelta(hours=1)
    assert counting_ca.issued == [row.request_id, row.request_id]
    assert outbox("certificate_issued") == []

    publish("ailleurs-pace.fr", row)
    with clock.frozen_at(late + timedelta(hours=1)):
        assert check_pending() == {**NOTHING, "issued": 1}
        product, row = the_certificate(customer_id)
        assert row.state == "issued" and row.next_check_at is None
        verify_chain(row.certificate_pem, row.chain_pem, "ailleurs-pace.fr")
    with clock.frozen_at(late + timedelta(hours=5)):
        assert check_pending() == NOTHING  # issued: never looked for again
    (mail,) = outbox("certificate_issued")
    assert mail.subject == "Le certificat SSL ailleurs-pace.fr est émis"
    assert f"/services/{product.id}" in mail.body_text
    assert [e.details_json for e in actions("ssl.issued")] != []


def test_after_30_days_the_check_stops_and_the_customer_is_told_once(counting_ca):
    customer_id, product, row = elsewhere("stop@example.fr", "ailleurs-stop.fr")
    start = row.checks_since
    with clock.frozen_at(start + timedelta(days=29, hours=23)):
        assert check_pending() == {**NOTHING, "waiting": 1}
    with clock.frozen_at(start + timedelta(days=30, hours=1)):
        assert check_pending() == {**NOTHING, "stopped": 1}
    row = the_certificate(customer_id)[1]
    assert row.next_check_at is None and row.checks_stopped_at is not None
    before = len(counting_ca.issued)
    with clock.frozen_at(start + timedelta(days=40)):
        assert check_pending() == NOTHING
    assert len(counting_ca.issued) == before  # the CA is no longer asked
    (mail,) = outbox("certificate_checks_stopped")
    (challenge,) = certificates.challenges_of(row)
    assert (
        mail.subject == "Le certificat SSL ailleurs-stop.fr attend toujours son enregistrement DNS"
    )
    assert f'{challenge.record_name}  TXT  "{challenge.value}"' in mail.body_text
    assert "Depuis 30 jours" in mail.body_text and f"/services/{product.id}" in mail.body_text
    assert len(actions("ssl.checks_stopped")) == 1
    assert certificates.certificate_view(customer_id, product.id).checks_stopped_at is not None
    # "Vérifier" still issues it once the record exists.
    publish("ailleurs-stop.fr", row)
    with clock.frozen_at(start + timedelta(days=41)):
        assert certificates.verify_certificate(customer_id, product.id) is True
    assert the_certificate(customer_id)[1].state == "issued"


def test_a_ca_that_does_not_answer_makes_the_run_partial_and_is_asked_again():
    customer_id, _product, row = elsewhere("down@example.fr", "ailleurs-down.fr")
    ca = certificate_authority()
    moment = row.checks_since + timedelta(days=30, minutes=1)  # past the window, even
    ca.down = True
    try:
        with clock.frozen_at(moment):
            summary = check_pending()
    finally:
        ca.down = False
    assert summary["failed_items"] == 1 and "did not answer" in summary["errors"][0]
    row = the_certificate(customer_id)[1]
    # Not given up on a CA's silence: asked again an hour later.
    assert row.checks_stopped_at is None and row.next_check_at == moment + timedelta(hours=1)
    with clock.frozen_at(moment + timedelta(hours=1)):
        assert check_pending() == {**NOTHING, "stopped": 1}


def test_several_runners_never_check_one_request_twice_at_once(monkeypatch):
    """Three runners at once (three workers whose timers fire together) over four due
    certificates: each request is asked of the CA once, by one of them."""
    ca = CountingCA(pause=0.3)
    monkeypatch.setattr(certificates, "certificate_authority", lambda: ca)
    rows = [elsewhere(f"many{n}@example.fr", f"ailleurs-{n}.fr")[2] for n in range(4)]
    due = max(r.next_check_at for r in rows)
    barrier = threading.Barrier(3)
    summaries: list[dict] = []

    def runner() -> None:
        barrier.wait()
        summaries.append(check_pending())

    with clock.frozen_at(due):
        threads = [threading.Thread(target=runner) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(ca.issued) == sorted(r.request_id for r in rows)
    assert sum(s["waiting"] for s in summaries) == 4
    assert not any(s.get("failed_items") for s in summaries)


def test_the_job_runs_once_at_a_time_under_its_lease(monkeypatch):
    ca = CountingCA(pause=0.5)
    monkeypatch.setattr(certificates, "certificate_authority", lambda: ca)
    _customer_id, _product, row = elsewhere("lease@example.fr", "ailleurs-lease.fr")
    barrier = threading.Barrier(2)
    runs = []

    def runner(name: str) -> None:
        barrier.wait()
        runs.append(run_job("certificate_checks", check_pending, holder=name))

    with clock.frozen_at(row.next_check_at):
        threads = [threading.Thread(target=runner, args=(f"w{n}",)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(r.outcome for r in runs) == ["ok", "skipped"]
    assert ca.issued == [row.request_id]


def test_a_terminated_certificate_is_no_longer_looked_for():
    customer_id, product, row = elsewhere("ended@example.fr", "ailleurs-fin.fr")
    admin = staff("admin-end@example.fr")
    products_staff.change_status(actor(admin), product.id, "terminate", "Demande du client")
    assert the_certificate(customer_id)[1].next_check_at is None
    with clock.frozen_at(row.next_check_at + timedelta(minutes=1)):
        assert check_pending() == NOTHING
    with pytest.raises(InvalidInput):
        certificates.verify_certificate(customer_id, product.id)
    view = certificates.certificate_view(customer_id, product.id)
    assert view.ended and not view.has_certificate


# ---------------------------------------------------------------- the renewal window


def test_a_certificate_renews_at_most_30_days_before_its_expiry():
    customer_id = with_domain("window@example.fr", "fenetre.fr")
    order(customer_id, [ssl_item("fenetre.fr")], "k-window")
    product, _row = the_certificate(customer_id)
    opens = product.expiry_date - timedelta(days=CERTIFICATE_RENEW_DAYS)
    too_early = {"years": f"renew.too_early|{opens.isoformat()}"}
    day_before = clock.now() + timedelta(days=(opens - clock.today()).days - 1)
    admin = staff("admin-window@example.fr")

    def renew(key: str):
        return renew_product(
            customer_id=customer_id,
            product_id=product.id,
            years=1,
            expected_expiry=product.expiry_date,
            choice=card(),
            key=key,
        )

    for moment in (clock.now(), day_before):
        with clock.frozen_at(moment):
            with pytest.raises(InvalidInput) as refused:
                quote_renewal(customer_id, product.id, 1)
            assert refused.value.errors == too_early
            with pytest.raises(InvalidInput) as refused:
                renew(f"ssl-early-{moment.toordinal()}")
            assert refused.value.errors == too_early
            with pytest.raises(InvalidInput) as refused:
                renew_by_staff(admin, product, 1, f"staff-early-{moment.toordinal()}")
            assert refused.value.errors == too_early
    assert count(Order, Order.kind == "renewal") == 0
    assert the_certificate(customer_id)[0].expiry_date == product.expiry_date
    # In words, with the day, in the reader's language.
    assert refusal(too_early["years"], "fr").endswith(
        f"renouvelable à partir du {formatting.day(opens, 'fr')}."
    )
    assert "30 jours" in refusal(too_early["years"], "fr")
    assert f"{MAX_DAYS} days" in refusal(too_early["years"], "en")

    with clock.frozen_at(day_before + timedelta(days=1)):
        quote = quote_renewal(customer_id, product.id, 1)
        # What the CA signs then covers the whole time paid for.
        assert (quote.new_expiry - clock.today()).days <= MAX_DAYS
        with pytest.raises(InvalidInput) as refused:
            renew_by_staff(admin, product, 2, "staff-two-years")
        assert refused.value.errors == {"years": "ssl.renew_one_year"}
        new = renew_by_staff(admin, product, 1, "staff-in-window")
        renewed, row = the_certificate(customer_id)
        assert new == renewed.expiry_date == quote.new_expiry
        leaf = verify_chain(row.certificate_pem, row.chain_pem, "fenetre.fr")
        assert leaf.not_valid_after_utc.astimezone(clock.PARIS).date() == renewed.expiry_date
    # Other products renew any day, years ahead.
    with read_session() as session:
        domain = session.exec(
            select(Product).where(Product.customer_id == customer_id, Product.kind == "domain")
        ).one()
    assert quote_renewal(customer_id, domain.id, 3).years == 3


def test_an_early_reminder_says_from_when_a_certificate_can_be_renewed():
    from o2portal.products.reminders import send_due_reminders

    customer_id = with_domain("early-reminder@example.fr", "rappel-tot.fr")
    order(customer_id, [ssl_item("www.rappel-tot.fr")], "k-early-reminder")
    product, _row = the_certificate(customer_id)
    opens = product.expiry_date - timedelta(days=CERTIFICATE_RENEW_DAYS)
    now, left = clock.now(), (product.expiry_date - clock.today()).days
    with clock.frozen_at(now + timedelta(days=left - 60)):
        send_due_reminders()
    with clock.frozen_at(now + timedelta(days=left - 30)):
        send_due_reminders()
    early, due = (m.body_text for m in outbox("reminder") if "www.rappel-tot.fr" in m.subject)
    assert f"vous pourrez le renouveler à partir du {formatting.day(opens, 'fr')}" in early
    assert "dès maintenant" not in early
    assert "renouvelez-le dès maintenant" in due


# ---------------------------------------------------------------- revocation


def crl() -> x509.CertificateRevocationList:
    path = get_settings().data_dir / "ca" / ca_keys.CRL
    return x509.load_pem_x509_crl(path.read_bytes())


def test_staff_terminating_a_certificate_revokes_it_after_the_commit(counting_ca):
    customer_id = with_domain("revoke@example.fr", "revoque.fr")
    order(customer_id, [ssl_item("revoque.fr")], "k-revoke")
    product, row = the_certificate(customer_id)
    counting_ca.product_id = product.id
    admin = staff("admin-revoke@example.fr")
    assert not (get_settings().data_dir / "ca" / ca_keys.CRL).exists()

    assert (
        products_staff.change_status(actor(admin), product.id, "terminate", "Fraude")
        == "terminated"
    )
    # Asked of the CA once the termination was committed, as a task.
    assert counting_ca.revoked == [(row.serial, "terminated", "cessationOfOperation")]
    with read_session() as session:
        task = session.exec(
            select(ProductTask).where(ProductTask.action == "revoke_certificate")
        ).one()
        book = session.exec(select(CaCertificate).where(CaCertificate.serial == row.serial)).one()
    assert task.status == TaskStatus.DONE and book.revoked_at is not None
    after = the_certificate(customer_id)[1]
    assert after.revoked_at is not None and after.key_ciphertext is None
    assert len(actions("ssl.revoked")) == 1

    # The CRL on disk names it, with its reason, signed by the issuing CA.
    listed = crl()
    issuer = x509.load_pem_x509_certificate(row.chain_pem.encode())
    assert listed.issuer == issuer.subject
    assert listed.is_signature_valid(issuer.public_key())
    entry = listed.get_revoked_certificate_by_serial_number(int(row.serial, 16))
    assert entry is not None
    reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
    assert reason == x509.ReasonFlags.cessation_of_operation
    path = get_settings().data_dir / "ca" / ca_keys.CRL
    assert certificate_authority().revocation_list() == path.read_text()

    # The customer is no longer offered it; staff still read it.
    with pytest.raises(certificates.FileNotFound):
        certificates.certificate_file(customer(customer_id), product.id, "certificate")
    name, text = certificates.certificate_file(customer(admin), product.id, "fullchain")
    assert text.startswith(row.certificate_pem)
    view = certificates.certificate_view(customer_id, product.id)
    assert view.ended and view.revoked_at is not None
    # Their mail says staff did it and what it means, not an expiry.
    (mail,) = outbox("certificate_terminated")
    assert mail.subject == "Le certificat SSL revoque.fr a été résilié"
    assert "Notre équipe a résilié" in mail.body_text and "révoqué" in mail.body_text
    assert "Fraude" not in mail.body_text  # the reason is staff's own note


def test_a_termination_rolled_back_revokes_nothing(counting_ca):
    customer_id = with_domain("rollback@example.fr", "retour.fr")
    order(customer_id, [ssl_item("retour.fr")], "k-rollback")
    product, row = the_certificate(customer_id)
    counting_ca.product_id = product.id
    with pytest.raises(RuntimeError), transaction() as session:
        held = session.get(Product, product.id)
        held.status = "terminated"
        provisioning.status_changed(session, held, "terminated", "test")
        raise RuntimeError("the transaction fails after deciding")
    assert counting_ca.revoked == []
    assert count(ProductTask, ProductTask.action == "revoke_certificate") == 0
    assert not certificate_authority().is_revoked(row.serial)
    assert the_certificate(customer_id)[1].key_ciphertext is not None


def test_after_a_renewal_both_certificates_still_valid_are_revoked():
    customer_id = with_domain("both@example.fr", "les-deux.fr")
    order(customer_id, [ssl_item("les-deux.fr")], "k-both")
    product, first = the_certificate(customer_id)
    admin = staff("admin-both@example.fr")
    with clock.frozen_at(clock.now() + timedelta(days=days_until(product) - 10)):
        renew_by_staff(admin, product, 1, "both-renew")
        second = the_certificate(customer_id)[1]
        assert second.serial != first.serial and second.previous_serial == first.serial
        products_staff.change_status(actor(admin), product.id, "terminate", "Fin")
    ca = certificate_authority()
    assert ca.is_revoked(first.serial) and ca.is_revoked(second.serial)
    listed = crl()
    for serial in (first.serial, second.serial):
        assert listed.get_revoked_certificate_by_serial_number(int(serial, 16)) is not None


def test_a_certificate_terminated_before_it_is_signed_is_never_signed():
    """The registrar is down when the certificate is paid: its record waits to be
    published, and the CA's signature after it. Staff terminate it meanwhile; once the
    registrar answers, nothing is signed and the record is taken down again."""
    customer_id = with_domain("late@example.fr", "trop-tard.fr")
    registrar().down = True
    try:
        order(customer_id, [ssl_item("trop-tard.fr")], "k-late")
        product, row = the_certificate(customer_id)
        assert row.state == "pending"
        products_staff.change_status(
            actor(staff("admin-late@example.fr")), product.id, "terminate", "Annulé"
        )
    finally:
        registrar().down = False
    with clock.frozen_at(clock.now() + timedelta(hours=7)):
        run_due_tasks()
    assert tasks_of(product.id) == ZONE_TASKS_DONE
    assert count(CaCertificate) == 0 and count(RegistryTxtRecord) == 0
    assert the_certificate(customer_id)[1].state == "pending"


# ---------------------------------------------------------------- staff


def owned(customer_id: int, kind: str, name: str) -> int:
    """A live product of the customer's, as staff find it on their page."""
    with transaction() as session:
        product = Product(
            customer_id=customer_id,
            kind=kind,
            name=name,
            offer_code="x",
            start_date=clock.today(),
            expiry_date=clock.today() + timedelta(days=200),
        )
        session.add(product)
        session.flush()
        return product.id


@pytest.mark.parametrize(
    ("kind", "name", "outbox_kind", "subject", "says"),
    [
        (
            "hosting",
            "site-resilie.fr",
            "product_terminated",
            "Votre hébergement site-resilie.fr a été résilié",
            "ses données vont être effacées",
        ),
        (
            "domain",
            "nom-resilie.fr",
            "product_terminated",
            "Le nom de domaine nom-resilie.fr a été résilié",
            "ne sera pas renouvelé",
        ),
        (
            "server",
            "srv1.exemple.fr",
            "product_terminated",
            "Votre serveur srv1.exemple.fr a été résilié",
            "il va être arrêté",
        ),
    ],
)
def test_staff_terminating_by_hand_mails_the_customer_its_own_words(
    kind, name, outbox_kind, subject, says
):
    product_id = owned(person(f"{kind}-end@example.fr"), kind, name)
    admin = staff(f"admin-{kind}@example.fr")
    products_staff.change_status(actor(admin), product_id, "terminate", "Note interne")
    (mail,) = outbox(outbox_kind)
    assert mail.subject == subject
    assert says in mail.body_text and "Notre équipe a résilié" in mail.body_text
    assert "Note interne" not in mail.body_text
    assert "30 jours suivant son expiration" not in mail.body_text  # not the expiry's text


def test_an_english_customer_gets_the_english_text():
    customer_id = person("english-end@example.fr")
    with transaction() as session:
        session.get(Customer, customer_id).language = "en"
    product_id = owned(customer_id, "hosting", "english-site.com")
    products_staff.change_status(actor(staff("admin-en@example.fr")), product_id, "terminate", "x")
    (mail,) = outbox("product_terminated")
    assert mail.subject == "Your hosting english-site.com has been terminated"
    assert "Our team has terminated" in mail.body_text


def test_staff_see_the_certificate_and_check_it_now():
    customer_id, product, row = elsewhere("staffview@example.fr", "ailleurs-staff.fr")
    support = staff("support-ssl@example.fr", role="support")
    view = products_staff.certificate_of(actor(support), product.id)
    assert view.kind == "dv" and view.state == "pending" and not view.automatic
    assert [c.record_name for c in view.challenges] == ["_o2portal-challenge.ailleurs-staff.fr"]
    assert view.next_check_at == row.next_check_at and view.issuer == ""
    # A customer is refused the staff doors, even for their own certificate.
    for door in (products_staff.certificate_of, products_staff.verify_certificate):
        with pytest.raises(NotAllowed):
            door(actor(customer_id), product.id)
    with pytest.raises(InvalidInput) as refused:
        products_staff.verify_certificate(actor(support), product.id)
    assert refused.value.errors == {"dcv": "ssl.not_seen|ailleurs-staff.fr"}
    publish("ailleurs-staff.fr", row)
    with clock.frozen_at(clock.now() + timedelta(seconds=6)):
        assert products_staff.verify_certificate(actor(support), product.id) is True
        view = products_staff.certificate_of(actor(support), product.id)
    assert view.state == "issued" and view.serial and view.revoked_at is None
    assert "Local Issuing CA" in view.issuer and view.not_after is not None
    # Each check that asked the CA, seen or not, under the staff member's name.
    events = actions("staff.ssl_verified")
    assert [(e.actor_id, e.target_id) for e in events] == [(support, product.id)] * 2
    # Another kind of product has no certificate part.
    with read_session() as session:
        other = session.exec(select(Product).where(Product.kind != "ssl")).first()
    assert other is None or products_staff.certificate_of(actor(support), other.id) is None
    with pytest.raises(NotAllowed):
        products_staff.verify_certificate(actor(support), product.id + 999)
