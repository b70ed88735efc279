"""The certificate authority (CA) that signs SSL certificates, shaped like a real one
(ACME, a reseller's API), and the built-in one.

A real CA plugs in by implementing CertificateAuthority; nothing here takes the portal's
database session, and every call may raise ProviderDown (the CA did not answer):

    challenges(names, request_id=)  -> list[DnsChallenge]
            opens the certificate request `request_id` for `names` (["exemple.fr"],
            ["*.exemple.fr", "exemple.fr"]): the DNS TXT records the CA wants to see, one
            per domain to prove (challenge_domains). ACME: a new order's dns-01
            authorizations; a reseller: the order's DNS validation tokens.
    issue(csr_pem, names, validation=, organization=, days=, request_id=) -> IssuedCertificate
            finishes request `request_id`: the CA looks up its records itself and signs the
            CSR's key for `names` (the certificate names them, whatever the CSR's subject
            says). validation: Validation.DV, or OV with an Organization for the subject.
            Raises NotValidated(domain) while a record is not seen (try again later) and
            InvalidInput {"csr": key} for a CSR it refuses (integrations/csr.py).
    revoke(serial, reason=)         -> None    the certificate is no longer to be trusted
                                               (again: nothing more); CertificateUnknown if
                                               the CA never signed it. reason: RFC 5280's
                                               name ("cessationOfOperation"…)
    revocation_list()               -> str     the CA's current CRL in PEM, signed by the
                                               issuing CA, naming every revoked serial

`request_id` makes a call idempotent: the same id gets the first answer back (the same
records, the same certificate), so a call whose answer was lost can be sent again without
a second order or certificate. A renewal is a new request.

The setting O2PORTAL_CERTIFICATE_AUTHORITY chooses the CA (`certificate_authority()`);
"local" is the built-in LocalCA: a real CA, made with `cryptography`, whose root and
issuing keys live under data_dir/ca (integrations/ca_keys.py); it checks its records
through the portal's resolver (integrations/resolver.py), keeps its answers and the
certificates it signed in its own tables (provider_request, ca_certificate) and signs for
at most MAX_DAYS. Each revocation writes its CRL again, data_dir/ca/crl.pem (one writer
at a time, under a file lock, from the table: the last one written names every
revocation committed before it). Its records are TXT records named `_o2portal-challenge.<domain>`
holding a random token; a browser trusts its certificates once root.pem is installed.

Public CAs sign for at most 200 days since 15 March 2026 (100 days from March 2027, CA/B
Forum ballot SC-081): behind a real CA, a 1-year product is re-issued during its year.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.core.settings import get_settings
from o2portal.integrations import ca_keys
from o2portal.integrations.csr import check_csr, dns_name
from o2portal.integrations.models import CaCertificate
from o2portal.integrations.providers import Reachable, recorded, replay
from o2portal.integrations.resolver import DnsChallenge, Resolver, is_published, resolver

CHALLENGE_LABEL = "_o2portal-challenge"
MAX_DAYS = 398  # the longest public CAs signed for until March 2026


class Validation(StrEnum):
    DV = "dv"  # domain validated: the names only
    OV = "ov"  # organisation validated: the organisation is named in the certificate


@dataclass(frozen=True)
class Organization:
    name: str
    country: str  # ISO 3166 alpha-2: "FR"
    city: str | None = None


@dataclass(frozen=True)
class IssuedCertificate:
    certificate_pem: str
    chain_pem: str  # the intermediate certificate(s) a server sends after its own
    serial: str  # hexadecimal, as browsers show it
    not_before: datetime
    not_after: datetime


class NotValidated(Exception):
    """The CA does not see the record that proves control of `domain` (yet)."""

    def __init__(self, domain: str):
        super().__init__(domain)
        self.domain = domain


class CertificateUnknown(Exception):
    """The CA signed no certificate with this serial."""


class CertificateAuthority(Protocol):
    def challenges(self, names: Sequence[str], *, request_id: str) -> list[DnsChallenge]: ...

    def issue(
        self,
        csr_pem: str,
        names: Sequence[str],
        *,
        validation: Validation,
        organization: Organization | None = None,
        days: int = 365,
        request_id: str,
    ) -> IssuedCertificate: ...

    def revoke(self, serial: str, *, reason: str = "unspecified") -> None: ...

    def revocation_list(self) -> str: ...


def certificate_names(names: Sequence[str]) -> list[str]:
    """`names` as a certificate carries them, in order, once each; ValueError if one is
    not a domain name."""
    result: list[str] = []
    for raw in names:
        name = dns_name(raw)
        if name is None:
            raise ValueError(f"not a domain name: {raw!r}")
        if name not in result:
            result.append(name)
    if not result:
        raise ValueError("no name")
    return result


def challenge_domains(names: Sequence[str]) -> list[str]:
    """The domains whose control proves `names`: a wildcard's domain, and no name under
    another one of them (proving exemple.fr proves www.exemple.fr, as the CA/B Forum's
    DNS change method allows)."""
    bases = [n.removeprefix("*.") for n in certificate_names(names)]
    unique = list(dict.fromkeys(bases))
    return [d for d in unique if not any(d.endswith("." + o) for o in unique if o != d)]


def _covering(domain: str, challenges: list[DnsChallenge]) -> DnsChallenge | None:
    for challenge in challenges:
        if domain == challenge.domain or domain.endswith("." + challenge.domain):
            return challenge
    return None


class LocalCA(Reachable):
    """The built-in CA. `directory` defaults to data_dir/ca, `resolver` to the portal's."""

    label = "the certificate authority"

    def __init__(self, directory: Path | None = None, resolver: Resolver | None = None):
        self._directory = directory
        self._resolver = resolver

    @property
    def directory(self) -> Path:
        return self._directory or get_settings().data_dir / "ca"

    def authority(self) -> ca_keys.Authority:
        return ca_keys.authority(self.directory, get_settings().seller_name)

    def root_pem(self) -> str:
        """The trust anchor: what a browser or a test installs to trust this CA."""
        return self.authority().root_pem

    def challenges(self, names: Sequence[str], *, request_id: str) -> list[DnsChallenge]:
        self._reachable()
        domains = challenge_domains(names)

        def open_request() -> dict:
            return {
                "challenges": [
                    {
                        "domain": d,
                        "record_name": f"{CHALLENGE_LABEL}.{d}",
                        "value": secrets.token_urlsafe(32),
                    }
                    for d in domains
                ]
            }

        with transaction() as session:
            answer = replay(session, "ca-dcv", request_id, open_request)
        return [DnsChallenge(**c) for c in answer["challenges"]]

    def _answer(self, serial: str) -> IssuedCertificate:
        with read_session() as session:
            row = session.exec(select(CaCertificate).where(CaCertificate.serial == serial)).one()
        return IssuedCertificate(
            certificate_pem=row.certificate_pem,
            chain_pem=self.authority().chain_pem,
            serial=row.serial,
            not_before=row.not_before,
            not_after=row.not_after,
        )

    def _validated(self, names: list[str], request_id: str) -> None:
        with read_session() as session:
            opened = recorded(session, "ca-dcv", request_id)
        challenges = [DnsChallenge(**c) for c in (opened or {}).get("challenges", [])]
        check = self._resolver or resolver()
        for domain in challenge_domains(names):
            challenge = _covering(domain, challenges)
            if challenge is None or not is_published(challenge, check):
                raise NotValidated(domain)

    def issue(
        self,
        csr_pem: str,
        names: Sequence[str],
        *,
        validation: Validation,
        organization: Organization | None = None,
        days: int = 365,
        request_id: str,
    ) -> IssuedCertificate:
        self._reachable()
        names = certificate_names(names)
        validation = Validation(validation)
        if validation == Validation.OV and organization is None:
            raise ValueError("an OV certificate names its organisation")
        if not 1 <= days <= MAX_DAYS:
            raise ValueError(f"days must be 1 to {MAX_DAYS}")
        with read_session() as session:
            first = recorded(session, "ca", request_id)
        if first is not None:  # answered before: the same certificate, no second look
            return self._answer(first["serial"])
        csr = check_csr(csr_pem, names)
        self._validated(names, request_id)
        org = None
        if validation == Validation.OV:
            org = (organization.name, organization.country.upper(), organization.city)
        certificate = ca_keys.sign_leaf(
            self.authority(),
            x509.load_pem_x509_csr(csr.pem.encode("ascii")).public_key(),
            names,
            organization=org,
            days=days,
            now=clock.now(),
        )

        def record() -> dict:
            serial = format(certificate.serial_number, "X")
            session.add(
                CaCertificate(
                    serial=serial,
                    names_json=json.dumps(names),
                    certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode(
                        "ascii"
                    ),
                    not_before=certificate.not_valid_before_utc,
                    not_after=certificate.not_valid_after_utc,
                    created_at=clock.now(),
                )
            )
            return {"serial": serial}

        try:
            with transaction() as session:
                answer = replay(session, "ca", request_id, record)
        except IntegrityError:  # the same request answered meanwhile by another worker
            with read_session() as session:
                answer = recorded(session, "ca", request_id)
            if answer is None:
                raise
        return self._answer(answer["serial"])

    def revoke(self, serial: str, *, reason: str = "unspecified") -> None:
        self._reachable()
        with transaction() as session:
            row = session.exec(
                select(CaCertificate)
                .where(CaCertificate.serial == serial.upper().replace(":", ""))
                .with_for_update()
            ).first()
            if row is None:
                raise CertificateUnknown(serial)
            if row.revoked_at is None:
                row.revoked_at, row.revoke_reason = clock.now(), reason[:30]
                session.add(row)
        self._publish_crl()

    def revocation_list(self) -> str:
        """The CRL on disk, signed again when there is none or it has less than a day
        left."""
        self._reachable()
        path = self.directory / ca_keys.CRL
        if path.exists():
            pem = path.read_text("ascii")
            crl = x509.load_pem_x509_crl(pem.encode("ascii"))
            if crl.next_update_utc - clock.now() > timedelta(days=1):
                return pem
        return self._publish_crl()

    def _publish_crl(self) -> str:
        """Sign the list of every revocation in the book and put it in place atomically.
        Under an exclusive lock on a file beside it (flock: each open of it, in any process
        or thread, waits for the other), so that two revocations at once write one after
        the other, each reading the book after its own commit."""
        authority = self.authority()  # makes the directory on first use
        with open(self.directory / ".crl.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                with read_session() as session:
                    rows = session.exec(
                        select(CaCertificate)
                        .where(col(CaCertificate.revoked_at).is_not(None))
                        .order_by(col(CaCertificate.id))
                    ).all()
                crl = ca_keys.sign_crl(
                    authority,
                    [
                        ca_keys.Revoked(int(r.serial, 16), r.revoked_at, r.revoke_reason or "")
                        for r in rows
                    ],
                    now=clock.now(),
                )
                pem = crl.public_bytes(serialization.Encoding.PEM).decode("ascii")
                staging = self.directory / f".crl-{os.getpid()}.tmp"
                staging.write_text(pem, "ascii")
                os.replace(staging, self.directory / ca_keys.CRL)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        return pem

    def is_revoked(self, serial: str) -> bool:
        with read_session() as session:
            row = session.exec(select(CaCertificate).where(CaCertificate.serial == serial)).first()
        return row is not None and row.revoked_at is not None


_local = LocalCA()


def certificate_authority() -> CertificateAuthority:
    chosen = get_settings().certificate_authority
    if chosen == "local":
        return _local
    raise ValueError(f"unknown O2PORTAL_CERTIFICATE_AUTHORITY: {chosen!r}")
