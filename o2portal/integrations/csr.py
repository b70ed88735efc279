"""Certificate signing requests (CSR) and keys, for SSL certificates.

    check_csr(text, ordered_names) -> CheckedCsr   a CSR a customer pasted, or InvalidInput
                                                   {"csr": key} saying what is wrong
    make_key_and_csr(names)        -> KeyAndCsr    the key and CSR the portal makes when the
                                                   customer has none (the key is for a
                                                   one-time download, never kept)
    dns_name(text)                 -> str | None   a name as certificates carry it

What is accepted is what public CAs and TLS clients accept: RSA keys of 2048 to 8192 bits,
ECDSA keys on P-256 or P-384, a valid self-signature, domain names only. Every name the
CSR asks for (its CN and its subjectAltName) must be one of the ordered names or under an
ordered wildcard; the certificate itself names the ordered names, as a CA's does, whatever
else the CSR's subject says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import idna
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from o2portal.core.errors import InvalidInput

MIN_RSA_BITS, MAX_RSA_BITS = 2048, 8192
CURVES = {"secp256r1": "P-256", "secp384r1": "P-384"}
MAX_CSR_CHARS = 20_000
GENERATED_RSA_BITS = 2048  # what every TLS client and hosting panel takes

_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_CSR_BLOCK = re.compile(
    r"-----BEGIN (NEW )?CERTIFICATE REQUEST-----.*?-----END (NEW )?CERTIFICATE REQUEST-----",
    re.DOTALL,
)


@dataclass(frozen=True)
class CheckedCsr:
    pem: str  # the CSR alone, as PEM
    names: tuple[str, ...]  # what it asks for, as dns_name() gives them
    key: str  # "RSA 2048", "ECDSA P-256"


@dataclass(frozen=True)
class KeyAndCsr:
    key_pem: str  # PKCS#8, unencrypted: what Apache, nginx and cPanel take
    csr_pem: str


def dns_name(text: str) -> str | None:
    """`text` as a certificate names it: lowercase, ASCII (IDNA for accented names), no
    final dot, a leading "*." for a wildcard; None when it is no domain name."""
    text = (text or "").strip().lower().rstrip(".")
    wildcard = text.startswith("*.")
    body = text[2:] if wildcard else text
    if not body.isascii():
        try:
            body = idna.encode(body, uts46=True).decode("ascii")
        except idna.IDNAError:
            return None
    labels = body.split(".")
    if len(labels) < 2 or len(body) > 253 or not all(_LABEL.fullmatch(x) for x in labels):
        return None
    return ("*." if wildcard else "") + body


def covers(ordered: str, name: str) -> bool:
    """`ordered` (a name or a wildcard) is good for `name`: a wildcard covers one label."""
    if ordered == name:
        return True
    return ordered.startswith("*.") and name.partition(".")[2] == ordered[2:]


def _refuse(key: str) -> InvalidInput:
    return InvalidInput({"csr": f"ssl.{key}"})


def _load(text: str) -> x509.CertificateSigningRequest:
    text = (text or "").strip()
    if not text:
        raise _refuse("csr_required")
    if len(text) > MAX_CSR_CHARS:
        raise _refuse("csr_too_long")
    if "PRIVATE KEY-----" in text:
        raise _refuse("csr_private_key")
    blocks = _CSR_BLOCK.findall(text)
    if not blocks:
        raise _refuse("csr_is_certificate" if "BEGIN CERTIFICATE-----" in text else "csr_not_pem")
    if len(blocks) > 1:
        raise _refuse("csr_several")
    pem = _CSR_BLOCK.search(text).group(0).replace("NEW CERTIFICATE", "CERTIFICATE")
    try:
        return x509.load_pem_x509_csr(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError, UnsupportedAlgorithm):
        raise _refuse("csr_unreadable") from None


def _key(csr: x509.CertificateSigningRequest) -> str:
    try:
        key = csr.public_key()
    except (ValueError, UnsupportedAlgorithm):
        raise _refuse("csr_key_type") from None
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < MIN_RSA_BITS:
            raise _refuse("csr_rsa_weak")
        if key.key_size > MAX_RSA_BITS:
            raise _refuse("csr_rsa_large")
        return f"RSA {key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        if key.curve.name not in CURVES:
            raise _refuse("csr_curve")
        return f"ECDSA {CURVES[key.curve.name]}"
    raise _refuse("csr_key_type")


def _names(csr: x509.CertificateSigningRequest) -> list[str]:
    try:
        raw = [str(a.value) for a in csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
        try:
            san = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        except x509.ExtensionNotFound:
            san = []
    except ValueError:  # a duplicated or malformed extension
        raise _refuse("csr_unreadable") from None
    for general_name in san:
        if not isinstance(general_name, x509.DNSName):
            raise _refuse("csr_other_names")
        raw.append(general_name.value)
    names: list[str] = []
    for text in raw:
        name = dns_name(text)
        if name is None:
            raise _refuse("csr_bad_name")
        if name not in names:
            names.append(name)
    if not names:
        raise _refuse("csr_no_name")
    return names


def check_csr(text: str | None, ordered_names: list[str] | tuple[str, ...]) -> CheckedCsr:
    """The pasted CSR, if a CA would sign it for `ordered_names`; else InvalidInput."""
    ordered = [dns_name(n) for n in ordered_names]
    if not ordered or None in ordered:
        raise ValueError(f"not domain names: {ordered_names!r}")
    csr = _load(text or "")
    try:
        signed = csr.is_signature_valid
    except (ValueError, UnsupportedAlgorithm):
        signed = False
    if not signed:
        raise _refuse("csr_bad_signature")
    key = _key(csr)
    names = _names(csr)
    for name in names:
        if any(covers(o, name) for o in ordered):
            continue
        wildcard_ordered = any(o.startswith("*.") for o in ordered)
        raise _refuse(
            "csr_wildcard_single"
            if name.startswith("*.") and not wildcard_ordered
            else "csr_wrong_name"
        )
    pem = csr.public_bytes(serialization.Encoding.PEM).decode("ascii")
    return CheckedCsr(pem=pem, names=tuple(names), key=key)


def make_key_and_csr(names: list[str] | tuple[str, ...]) -> KeyAndCsr:
    """A new RSA key and a CSR for `names` (the first one as the common name)."""
    checked = [dns_name(n) for n in names]
    if not checked or None in checked:
        raise ValueError(f"not domain names: {names!r}")
    key = rsa.generate_private_key(public_exponent=65537, key_size=GENERATED_RSA_BITS)
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, checked[0])]))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in checked]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return KeyAndCsr(
        key_pem=key_pem.decode("ascii"),
        csr_pem=csr.public_bytes(serialization.Encoding.PEM).decode("ascii"),
    )
