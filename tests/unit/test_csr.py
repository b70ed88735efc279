"""A pasted CSR is accepted only when a CA would sign it for the ordered names; each
refusal says why, in words. The portal's own key and CSR pass the same check."""

from __future__ import annotations

import base64
import ipaddress
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

from o2portal.core.errors import InvalidInput
from o2portal.core.i18n import translate
from o2portal.integrations.csr import check_csr, dns_name, make_key_and_csr

SINGLE = ["exemple.fr"]
WILDCARD = ["*.exemple.fr", "exemple.fr"]


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def csr_pem(key, cn: str | None = "exemple.fr", san: list | None = None, digest=None) -> str:
    subject = [x509.NameAttribute(NameOID.COMMON_NAME, cn)] if cn else []
    builder = x509.CertificateSigningRequestBuilder().subject_name(x509.Name(subject))
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    if digest is None and not isinstance(key, ed25519.Ed25519PrivateKey):
        digest = hashes.SHA256()
    csr = builder.sign(key, digest)
    return csr.public_bytes(serialization.Encoding.PEM).decode()


def refusal(text, ordered=SINGLE) -> str:
    with pytest.raises(InvalidInput) as caught:
        check_csr(text, ordered)
    (field, key), *_ = caught.value.errors.items()
    assert field == "csr"
    assert translate(key, "fr") != key and translate(key, "en") != key  # words, not a code
    return key.removeprefix("ssl.")


def test_a_good_csr_is_accepted_with_its_names_and_key(rsa_key):
    pem = csr_pem(rsa_key, san=[x509.DNSName("exemple.fr")])
    checked = check_csr("\n  " + pem + "\n", SINGLE)  # pasted with blanks around
    assert checked.names == ("exemple.fr",)
    assert checked.key == "RSA 2048"
    assert checked.pem == pem

    ec_pem = csr_pem(ec.generate_private_key(ec.SECP384R1()), cn="Exemple.FR.")
    assert check_csr(ec_pem, SINGLE).key == "ECDSA P-384"
    old_style = pem.replace("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST")
    assert check_csr(old_style, SINGLE).names == ("exemple.fr",)


def test_a_wildcard_order_takes_the_wildcard_its_domain_and_one_label_under_it(rsa_key):
    for cn in ("*.exemple.fr", "exemple.fr", "www.exemple.fr"):
        assert check_csr(csr_pem(rsa_key, cn=cn), WILDCARD).names == (cn,)
    assert refusal(csr_pem(rsa_key, cn="a.b.exemple.fr"), WILDCARD) == "csr_wrong_name"
    assert refusal(csr_pem(rsa_key, cn="*.autre.fr"), WILDCARD) == "csr_wrong_name"


def test_accented_names_are_compared_in_their_ascii_form(rsa_key):
    assert check_csr(csr_pem(rsa_key, cn="café.fr"), ["xn--caf-dma.fr"]).names == (
        "xn--caf-dma.fr",
    )


def test_what_is_not_a_csr_is_refused_with_its_reason(rsa_key):
    assert refusal("") == "csr_required"
    assert refusal(None) == "csr_required"
    assert refusal("bonjour, voici ma demande") == "csr_not_pem"
    assert refusal("A" * 30_000) == "csr_too_long"

    key_pem = rsa_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    pem = csr_pem(rsa_key)
    assert refusal(key_pem) == "csr_private_key"
    assert refusal(pem + key_pem) == "csr_private_key"
    assert refusal(pem + pem) == "csr_several"

    now = datetime.now(UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "exemple.fr")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(rsa_key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(rsa_key, hashes.SHA256())
    )
    assert refusal(certificate.public_bytes(serialization.Encoding.PEM).decode()) == (
        "csr_is_certificate"
    )


def test_a_damaged_csr_is_unreadable(rsa_key):
    lines = csr_pem(rsa_key).splitlines()
    cut = "\n".join(lines[:3] + lines[5:])  # two lines lost in the copy
    assert refusal(cut) == "csr_unreadable"
    assert refusal(lines[0] + "\nnot base64 at all!\n" + lines[-1]) == "csr_unreadable"


def test_a_csr_changed_after_signing_has_a_bad_signature(rsa_key):
    der = x509.load_pem_x509_csr(csr_pem(rsa_key).encode()).public_bytes(serialization.Encoding.DER)
    forged = der.replace(b"exemple.fr", b"exemplx.fr")
    assert forged != der
    body = base64.encodebytes(forged).decode()
    pem = f"-----BEGIN CERTIFICATE REQUEST-----\n{body}-----END CERTIFICATE REQUEST-----\n"
    assert refusal(pem) == "csr_bad_signature"


def test_weak_or_unusual_keys_are_refused():
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    assert refusal(csr_pem(weak)) == "csr_rsa_weak"
    assert refusal(csr_pem(ec.generate_private_key(ec.SECP521R1()))) == "csr_curve"
    assert refusal(csr_pem(ec.generate_private_key(ec.SECP256K1()))) == "csr_curve"
    assert refusal(csr_pem(ed25519.Ed25519PrivateKey.generate())) == "csr_key_type"
    assert check_csr(csr_pem(ec.generate_private_key(ec.SECP256R1())), SINGLE).key == (
        "ECDSA P-256"
    )


def test_names_must_be_the_ordered_ones(rsa_key):
    assert refusal(csr_pem(rsa_key, cn="autre.fr")) == "csr_wrong_name"
    assert refusal(csr_pem(rsa_key, cn="*.exemple.fr")) == "csr_wildcard_single"
    also_other = [x509.DNSName("exemple.fr"), x509.DNSName("autre.fr")]
    assert refusal(csr_pem(rsa_key, san=also_other)) == "csr_wrong_name"
    with_ip = [x509.DNSName("exemple.fr"), x509.IPAddress(ipaddress.ip_address("192.0.2.1"))]
    assert refusal(csr_pem(rsa_key, san=with_ip)) == "csr_other_names"
    assert refusal(csr_pem(rsa_key, cn=None)) == "csr_no_name"
    assert refusal(csr_pem(rsa_key, cn="mon site")) == "csr_bad_name"
    # The CN may be left out when the subjectAltName names the domain.
    assert check_csr(csr_pem(rsa_key, cn=None, san=[x509.DNSName("exemple.fr")]), SINGLE)


def test_the_portal_makes_a_key_and_a_csr_that_pass_the_check():
    made = make_key_and_csr(WILDCARD)
    checked = check_csr(made.csr_pem, WILDCARD)
    assert checked.names == ("*.exemple.fr", "exemple.fr")
    assert checked.key == "RSA 2048"
    key = serialization.load_pem_private_key(made.key_pem.encode(), password=None)
    assert made.key_pem.startswith("-----BEGIN PRIVATE KEY-----")
    csr = x509.load_pem_x509_csr(made.csr_pem.encode())
    assert csr.public_key() == key.public_key()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Exemple.FR.", "exemple.fr"),
        ("*.exemple.fr", "*.exemple.fr"),
        ("café.fr", "xn--caf-dma.fr"),
        ("fr", None),
        ("*.fr", None),
        ("a..fr", None),
        ("-a.fr", None),
        ("a_b.fr", None),
        ("www.*.fr", None),
    ],
)
def test_dns_names(text, name):
    assert dns_name(text) == name
