"""The built-in certificate authority's keys and certificates on disk, and its signing.

Under data_dir/ca (mode 0700):

    root.pem               the root certificate (ECDSA P-384, 20 years): the trust anchor
    root-key.pem           its key (0600); used once, to sign the intermediate
    intermediate.pem       the issuing certificate (ECDSA P-256, 10 years): the chain a
                           server sends with its certificate
    intermediate-key.pem   its key (0600): signs every certificate
    crl.pem                the revocation list the issuing CA signs (`sign_crl`), written
                           again at each revocation (integrations/ca.py)

They are made on first use, once, even when several workers start together: each makes a
whole set in a private temporary directory beside data_dir/ca and renames it to
data_dir/ca, which is atomic; a worker whose rename fails because another's set is already
there throws its own away and reads the winner's.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from o2portal.core import clock

ROOT_CERT, ROOT_KEY = "root.pem", "root-key.pem"
ISSUER_CERT, ISSUER_KEY = "intermediate.pem", "intermediate-key.pem"
CRL = "crl.pem"
ROOT_YEARS, ISSUER_YEARS = 20, 10
# A revocation list is good for a week: it is signed again at each revocation, and when
# it is read with less than a day left (integrations/ca.py).
CRL_VALIDITY = timedelta(days=7)
# Certificates start an hour back, as public CAs' do, for clients whose clock is late.
BACKDATE = timedelta(hours=1)


@dataclass(frozen=True)
class Authority:
    """What signing needs: the issuing certificate and key, and the root above it."""

    root: x509.Certificate
    issuer: x509.Certificate
    issuer_key: ec.EllipticCurvePrivateKey

    @property
    def root_pem(self) -> str:
        return self.root.public_bytes(serialization.Encoding.PEM).decode("ascii")

    @property
    def chain_pem(self) -> str:
        return self.issuer.public_bytes(serialization.Encoding.PEM).decode("ascii")


def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _years_after(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def _ca_certificate(subject, key, issuer, issuer_key, *, years, path_length, digest, eku):
    start = clock.now().replace(microsecond=0) - BACKDATE
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer is not None else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(_years_after(start, years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=issuer is not None,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.public_key()), False
        )
    if eku:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
    return builder.sign(issuer_key, digest)


def _write(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def _key_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _make_set(directory: Path, organization: str) -> None:
    root_key = ec.generate_private_key(ec.SECP384R1())
    root = _ca_certificate(
        _name(f"{organization} Local Root CA", organization),
        root_key,
        None,
        root_key,
        years=ROOT_YEARS,
        path_length=1,
        digest=hashes.SHA384(),
        eku=False,
    )
    issuer_key = ec.generate_private_key(ec.SECP256R1())
    issuer = _ca_certificate(
        _name(f"{organization} Local Issuing CA", organization),
        issuer_key,
        root,
        root_key,
        years=ISSUER_YEARS,
        path_length=0,
        digest=hashes.SHA384(),
        eku=True,
    )
    _write(directory / ROOT_KEY, _key_pem(root_key), 0o600)
    _write(directory / ISSUER_KEY, _key_pem(issuer_key), 0o600)
    _write(directory / ROOT_CERT, root.public_bytes(serialization.Encoding.PEM), 0o644)
    _write(directory / ISSUER_CERT, issuer.public_bytes(serialization.Encoding.PEM), 0o644)


def _create(directory: Path, organization: str) -> None:
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".ca-", dir=directory.parent))  # mode 0700
    try:
        _make_set(staging, organization)
        try:
            os.rename(staging, directory)  # all four files appear at once, or none
        except OSError:
            if not (directory / ISSUER_KEY).exists():
                raise  # not a lost race: a real failure
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # the loser's set (the winner's moved)


def _load(directory: Path) -> Authority:
    root = x509.load_pem_x509_certificate((directory / ROOT_CERT).read_bytes())
    issuer = x509.load_pem_x509_certificate((directory / ISSUER_CERT).read_bytes())
    key = serialization.load_pem_private_key((directory / ISSUER_KEY).read_bytes(), None)
    return Authority(root=root, issuer=issuer, issuer_key=key)


def load_or_create(directory: Path, organization: str) -> Authority:
    """The authority kept in `directory`, made there first if there is none."""
    if not (directory / ISSUER_KEY).exists():
        _create(directory, organization)
    return _load(directory)


_loaded: dict[Path, Authority] = {}
_loading = threading.Lock()


def authority(directory: Path, organization: str) -> Authority:
    """load_or_create, read from disk once per process."""
    directory = directory.resolve()
    with _loading:
        if directory not in _loaded:
            _loaded[directory] = load_or_create(directory, organization)
        return _loaded[directory]


def sign_leaf(
    ca: Authority,
    public_key,
    names: list[str],
    *,
    organization: tuple[str, str, str | None] | None,
    days: int,
    now: datetime,
) -> x509.Certificate:
    """A server certificate for `names` (the first as the common name) on `public_key`;
    `organization` (name, country, city) goes in the subject of an OV certificate."""
    start = now.replace(microsecond=0) - BACKDATE
    end = min(now.replace(microsecond=0) + timedelta(days=days), ca.issuer.not_valid_after_utc)
    subject = []
    if organization is not None:
        org_name, country, city = organization
        subject.append(x509.NameAttribute(NameOID.COUNTRY_NAME, country))
        if city:
            subject.append(x509.NameAttribute(NameOID.LOCALITY_NAME, city[:128]))
        subject.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org_name[:64]))
    if len(names[0]) <= 64:  # the longest common name X.509 allows
        subject.append(x509.NameAttribute(NameOID.COMMON_NAME, names[0]))
    rsa_key = isinstance(public_key, rsa.RSAPublicKey)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name(subject))
        .issuer_name(ca.issuer.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(
            # Critical when the subject is empty, as RFC 5280 asks.
            x509.SubjectAlternativeName([x509.DNSName(n) for n in names]),
            critical=not subject,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=rsa_key,  # RSA key exchange, TLS 1.2 and older
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.issuer_key.public_key()),
            critical=False,
        )
        .sign(ca.issuer_key, hashes.SHA256())
    )


@dataclass(frozen=True)
class Revoked:
    serial: int
    when: datetime
    reason: str  # RFC 5280's name: "cessationOfOperation", "keyCompromise"…


def sign_crl(
    ca: Authority, revoked: list[Revoked], *, now: datetime
) -> x509.CertificateRevocationList:
    """The issuing CA's revocation list: every certificate in `revoked`, with its date and
    its reason (left out when unspecified, as RFC 5280 asks). Its number grows with time,
    so a newer list always has a greater one."""
    now = now.replace(microsecond=0)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.issuer.subject)
        .last_update(now)
        .next_update(now + CRL_VALIDITY)
        .add_extension(x509.CRLNumber(int(now.timestamp() * 1000)), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.issuer_key.public_key()),
            critical=False,
        )
    )
    reasons = {flag.value: flag for flag in x509.ReasonFlags}
    for entry in revoked:
        item = (
            x509.RevokedCertificateBuilder()
            .serial_number(entry.serial)
            .revocation_date(entry.when.replace(microsecond=0))
        )
        flag = reasons.get(entry.reason)
        if flag is not None and flag != x509.ReasonFlags.unspecified:
            item = item.add_extension(x509.CRLReason(flag), critical=False)
        builder = builder.add_revoked_certificate(item.build())
    return builder.sign(ca.issuer_key, hashes.SHA256())
