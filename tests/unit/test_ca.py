"""The built-in certificate authority signs real X.509 server certificates that a TLS
client's verification accepts, for names whose control it saw in DNS; once per request."""

from __future__ import annotations

import multiprocessing
import stat
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from o2portal.core import clock
from o2portal.core.errors import InvalidInput
from o2portal.core.settings import get_settings
from o2portal.integrations import ca_keys
from o2portal.integrations.ca import (
    CertificateUnknown,
    LocalCA,
    NotValidated,
    Organization,
    Validation,
    certificate_authority,
    challenge_domains,
)
from o2portal.integrations.csr import make_key_and_csr
from o2portal.integrations.providers import ProviderDown
from o2portal.integrations.registrar import LocalRegistrar

DV = Validation.DV


def register(name: str) -> LocalRegistrar:
    registrar = LocalRegistrar()
    registrar.register(name, holder_ref="c1", years=1, nameservers=[], request_id=name)
    return registrar


def open_and_prove(ca: LocalCA, names: list[str], request_id: str, zone: str) -> None:
    """Open the request and publish its records through the registrar, as the portal does
    for a domain managed here."""
    for challenge in ca.challenges(names, request_id=request_id):
        LocalRegistrar().add_txt_record(zone, challenge.record_name, challenge.value)


def load(pem: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(pem.encode())


def verify(ca: LocalCA, issued, host: str) -> list[x509.Certificate]:
    """What a TLS client does with the server's certificate and chain: a chain to the
    root, for this host name, under the web PKI's rules, now."""
    store = Store(load(ca.root_pem()))
    verifier = (
        PolicyBuilder().store(store).time(clock.now()).build_server_verifier(x509.DNSName(host))
    )
    leaf = load(issued.certificate_pem)[0]
    return verifier.verify(leaf, load(issued.chain_pem))


@pytest.fixture
def ca(db) -> LocalCA:
    register("exemple.fr")
    return LocalCA()


def test_a_dv_certificate_for_a_managed_domain(ca):
    assert isinstance(certificate_authority(), LocalCA)
    made = make_key_and_csr(["exemple.fr", "www.exemple.fr"])
    challenges = ca.challenges(["exemple.fr", "www.exemple.fr"], request_id="order-1")
    assert [(c.domain, c.record_name) for c in challenges] == [
        ("exemple.fr", "_o2portal-challenge.exemple.fr")
    ]
    assert len(challenges[0].value) >= 40  # a random token
    with pytest.raises(NotValidated) as not_yet:
        ca.issue(
            made.csr_pem, ["exemple.fr", "www.exemple.fr"], validation=DV, request_id="order-1"
        )
    assert not_yet.value.domain == "exemple.fr"

    open_and_prove(ca, ["exemple.fr", "www.exemple.fr"], "order-1", "exemple.fr")
    issued = ca.issue(
        made.csr_pem, ["exemple.fr", "www.exemple.fr"], validation=DV, request_id="order-1"
    )

    leaf = load(issued.certificate_pem)[0]
    assert leaf.subject.rfc4514_string() == "CN=exemple.fr"
    san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["exemple.fr", "www.exemple.fr"]
    chain = verify(ca, issued, "exemple.fr")
    assert chain[0] == leaf and chain[-1].subject == chain[-1].issuer  # up to the root
    assert len(chain) == 3  # leaf, intermediate, root
    verify(ca, issued, "www.exemple.fr")
    with pytest.raises(VerificationError):
        verify(ca, issued, "autre.fr")

    key = serialization.load_pem_private_key(made.key_pem.encode(), password=None)
    assert leaf.public_key() == key.public_key()
    assert format(leaf.serial_number, "X") == issued.serial
    assert issued.not_before == leaf.not_valid_before_utc
    assert issued.not_after - issued.not_before == timedelta(days=365, hours=1)

    ext = leaf.extensions
    assert ext.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert ext.get_extension_for_class(x509.BasicConstraints).critical
    assert list(ext.get_extension_for_class(x509.ExtendedKeyUsage).value) == [
        ExtendedKeyUsageOID.SERVER_AUTH
    ]
    usage = ext.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.key_encipherment and not usage.key_cert_sign
    issuer = load(issued.chain_pem)[0]
    assert (
        ext.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
        == issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    )
    assert ext.get_extension_for_class(x509.SubjectKeyIdentifier)


def test_a_wildcard_certificate_covers_the_names_under_the_domain(ca):
    names = ["*.exemple.fr", "exemple.fr"]
    made = make_key_and_csr(names)
    open_and_prove(ca, names, "order-2", "exemple.fr")
    issued = ca.issue(made.csr_pem, names, validation=DV, request_id="order-2")
    leaf = load(issued.certificate_pem)[0]
    san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["*.exemple.fr", "exemple.fr"]
    for host in ("exemple.fr", "www.exemple.fr", "boutique.exemple.fr"):
        verify(ca, issued, host)
    with pytest.raises(VerificationError):
        verify(ca, issued, "a.b.exemple.fr")  # a wildcard covers one label


def test_an_ov_certificate_names_the_organisation(ca):
    made = make_key_and_csr(["exemple.fr"])
    open_and_prove(ca, ["exemple.fr"], "order-3", "exemple.fr")
    with pytest.raises(ValueError):
        ca.issue(made.csr_pem, ["exemple.fr"], validation=Validation.OV, request_id="order-3")
    issued = ca.issue(
        made.csr_pem,
        ["exemple.fr"],
        validation=Validation.OV,
        organization=Organization("Exemple SARL", "fr", "Lyon"),
        request_id="order-3",
    )
    subject = load(issued.certificate_pem)[0].subject
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Exemple SARL"
    assert subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "FR"
    assert subject.get_attributes_for_oid(NameOID.LOCALITY_NAME)[0].value == "Lyon"
    verify(ca, issued, "exemple.fr")


def test_the_same_request_gets_the_same_certificate(ca):
    made = make_key_and_csr(["exemple.fr"])
    first_records = ca.challenges(["exemple.fr"], request_id="order-4")
    assert ca.challenges(["exemple.fr"], request_id="order-4") == first_records
    open_and_prove(ca, ["exemple.fr"], "order-4", "exemple.fr")
    first = ca.issue(made.csr_pem, ["exemple.fr"], validation=DV, request_id="order-4")
    for challenge in first_records:  # the record is gone: the answer was given already
        LocalRegistrar().remove_txt_record("exemple.fr", challenge.record_name, challenge.value)
    again = ca.issue(made.csr_pem, ["exemple.fr"], validation=DV, request_id="order-4")
    assert again == first
    assert ca.challenges(["exemple.fr"], request_id="order-5") != first_records
    with pytest.raises(NotValidated):
        ca.issue(made.csr_pem, ["exemple.fr"], validation=DV, request_id="order-5")


def test_another_request_s_record_proves_nothing(ca):
    """A record published for somebody's request does not validate another request."""
    made = make_key_and_csr(["exemple.fr"])
    open_and_prove(ca, ["exemple.fr"], "victim", "exemple.fr")
    ca.challenges(["exemple.fr"], request_id="intruder")
    with pytest.raises(NotValidated):
        ca.issue(made.csr_pem, ["exemple.fr"], validation=DV, request_id="intruder")
    with pytest.raises(NotValidated):  # never opened
        ca.issue(made.csr_pem, ["exemple.fr"], validation=DV, request_id="unknown")


def test_a_name_not_proven_or_a_bad_csr_is_refused(ca):
    register("autre.fr")
    made = make_key_and_csr(["exemple.fr", "autre.fr"])
    names = ["exemple.fr", "autre.fr"]
    assert challenge_domains(names) == ["exemple.fr", "autre.fr"]
    records = ca.challenges(names, request_id="order-6")
    LocalRegistrar().add_txt_record("exemple.fr", records[0].record_name, records[0].value)
    with pytest.raises(NotValidated) as refused:
        ca.issue(made.csr_pem, names, validation=DV, request_id="order-6")
    assert refused.value.domain == "autre.fr"

    other = make_key_and_csr(["autre.fr"])
    open_and_prove(ca, ["exemple.fr"], "order-7", "exemple.fr")
    with pytest.raises(InvalidInput) as bad:
        ca.issue(other.csr_pem, ["exemple.fr"], validation=DV, request_id="order-7")
    assert bad.value.errors == {"csr": "ssl.csr_wrong_name"}


def test_revocation_and_a_ca_that_does_not_answer(ca):
    made = make_key_and_csr(["exemple.fr"])
    open_and_prove(ca, ["exemple.fr"], "order-8", "exemple.fr")
    issued = ca.issue(made.csr_pem, ["exemple.fr"], validation=DV, request_id="order-8")
    assert not ca.is_revoked(issued.serial)
    ca.revoke(issued.serial, reason="keyCompromise")
    ca.revoke(issued.serial)  # again: nothing more
    assert ca.is_revoked(issued.serial)
    with pytest.raises(CertificateUnknown):
        ca.revoke("ABCDEF")
    ca.down = True
    try:
        with pytest.raises(ProviderDown):
            ca.challenges(["exemple.fr"], request_id="order-9")
    finally:
        ca.down = False


def test_the_ca_files_are_private_and_made_once(ca):
    ca.root_pem()
    directory = get_settings().data_dir / "ca"
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    for name in (ca_keys.ROOT_KEY, ca_keys.ISSUER_KEY):
        assert stat.S_IMODE((directory / name).stat().st_mode) == 0o600
    root = load(ca.root_pem())[0]
    assert root.subject == root.issuer
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert LocalCA().root_pem() == ca.root_pem()  # read back, not made again


def _first_use(directory: str, barrier) -> str:
    barrier.wait(timeout=120)
    return ca_keys.load_or_create(Path(directory), "O2Portal SAS").root_pem


def test_workers_starting_together_make_one_root(tmp_path):
    workers = 4
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(workers)
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            roots = list(pool.map(_first_use, [str(tmp_path / "ca")] * workers, [barrier] * 4))
    assert len(set(roots)) == 1
    assert roots[0] == (tmp_path / "ca" / ca_keys.ROOT_CERT).read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ca"]  # no set left behind


def _signed(ca: LocalCA, n: int) -> str:
    made = make_key_and_csr(["exemple.fr"])
    open_and_prove(ca, ["exemple.fr"], f"crl-{n}", "exemple.fr")
    return ca.issue(made.csr_pem, ["exemple.fr"], validation=DV, request_id=f"crl-{n}").serial


def test_the_revocation_list_names_every_revoked_certificate(ca):
    kept, gone, plain = (_signed(ca, n) for n in range(3))
    empty = x509.load_pem_x509_crl(ca.revocation_list().encode())
    assert list(empty) == []
    ca.revoke(gone, reason="keyCompromise")
    ca.revoke(plain)  # unspecified: no reason written, as RFC 5280 asks
    path = get_settings().data_dir / "ca" / ca_keys.CRL
    crl = x509.load_pem_x509_crl(path.read_bytes())
    assert crl.is_signature_valid(ca.authority().issuer.public_key())
    assert crl.issuer == ca.authority().issuer.subject
    assert crl.next_update_utc - crl.last_update_utc == timedelta(days=7)
    assert crl.get_revoked_certificate_by_serial_number(int(kept, 16)) is None
    entry = crl.get_revoked_certificate_by_serial_number(int(gone, 16))
    reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
    assert reason == x509.ReasonFlags.key_compromise
    unspecified = crl.get_revoked_certificate_by_serial_number(int(plain, 16))
    assert len(unspecified.extensions) == 0
    assert ca.revocation_list() == path.read_text()  # still fresh: read, not signed again
    # Less than a day before its next update, it is signed again, with a greater number.
    with clock.frozen_at(crl.next_update_utc - timedelta(hours=12)):
        later = x509.load_pem_x509_crl(ca.revocation_list().encode())
    number = x509.CRLNumber
    assert later.extensions.get_extension_for_class(number).value.crl_number > (
        crl.extensions.get_extension_for_class(number).value.crl_number
    )
    assert {r.serial_number for r in later} == {int(gone, 16), int(plain, 16)}


def test_revocations_at_the_same_moment_all_reach_the_list(ca, monkeypatch):
    """Two revocations at once (two workers' tasks). The first one has read the book and
    is signing its list (slowly, here) when the second commits: the second waits for the
    first to put its list in place before reading the book, so the last list written
    names both (without the lock, the first's older list would land last)."""
    first, second = _signed(ca, 1), _signed(ca, 2)
    real = ca_keys.sign_crl
    signing = threading.Event()

    def slow_sign(authority, revoked, *, now):
        if not signing.is_set():
            signing.set()
            time.sleep(0.5)
        return real(authority, revoked, now=now)

    monkeypatch.setattr(ca_keys, "sign_crl", slow_sign)
    one = threading.Thread(target=lambda: LocalCA().revoke(first, reason="superseded"))
    one.start()
    assert signing.wait(10)
    two = threading.Thread(target=lambda: LocalCA().revoke(second, reason="superseded"))
    two.start()
    one.join()
    two.join()
    path = get_settings().data_dir / "ca" / ca_keys.CRL
    crl = x509.load_pem_x509_crl(path.read_bytes())
    assert {r.serial_number for r in crl} == {int(first, 16), int(second, 16)}
    assert not list(path.parent.glob(".crl-*.tmp"))
