"""Looking up the DNS TXT records that prove control of a domain, and the built-in
resolver.

A resolver plugs in by implementing Resolver; nothing here takes the portal's database
session:

    txt_records(name) -> list[str]   the TXT values at `name` (fully qualified), each
                                     value's strings joined; [] when the name or its TXT
                                     records do not exist; ProviderDown when DNS did not
                                     answer (time out, every server failing)

Two implementations, chosen by the setting O2PORTAL_DNS_RESOLVER (`resolver()`):
- "registry" (built-in): RegistryResolver answers from the built-in registrar's books,
  the TXT records of the zone of the longest name it holds that ends `name`; nothing for
  a name it does not hold. It is the whole of DNS for a portal without a network.
- "dns": DnsResolver asks real DNS with dnspython, the servers of O2PORTAL_DNS_NAMESERVERS
  (the system's when empty), without a cache, so that a record just created is seen.

A DnsChallenge is one TXT record a certificate authority wants to see (integrations/ca.py
hands them out); `is_published` says whether a resolver sees it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import dns.exception
import dns.resolver
from sqlmodel import col, select

from o2portal.core.db import read_session
from o2portal.core.settings import get_settings
from o2portal.integrations.models import RegistryDomain, RegistryTxtRecord
from o2portal.integrations.providers import ProviderDown
from o2portal.integrations.registrar import is_held, relative_host


@dataclass(frozen=True)
class DnsChallenge:
    """Create a TXT record `record_name` with `value` to prove control of `domain` (and
    of every name under it)."""

    domain: str
    record_name: str
    value: str


class Resolver(Protocol):
    def txt_records(self, name: str) -> list[str]: ...


def _fqdn(name: str) -> str:
    return name.strip().lower().rstrip(".")


class RegistryResolver:
    """The built-in registrar's zones."""

    def txt_records(self, name: str) -> list[str]:
        name = _fqdn(name)
        labels = name.split(".")
        candidates = [".".join(labels[i:]) for i in range(len(labels))]
        with read_session() as session:
            rows = session.exec(
                select(RegistryDomain).where(col(RegistryDomain.name).in_(candidates))
            ).all()
            held = [row for row in rows if is_held(row)]
            if not held:
                return []
            zone = max(held, key=lambda row: len(row.name))
            return list(
                session.exec(
                    select(RegistryTxtRecord.value)
                    .where(
                        RegistryTxtRecord.domain_id == zone.id,
                        RegistryTxtRecord.host == relative_host(zone.name, name),
                    )
                    .order_by(RegistryTxtRecord.id)
                ).all()
            )


class DnsResolver:
    """Real DNS, through dnspython."""

    def __init__(self, nameservers: Sequence[str] = (), *, port: int = 53, timeout: float = 5):
        self.nameservers = list(nameservers)
        self.port = port
        self.timeout = timeout

    def _resolver(self) -> dns.resolver.Resolver:
        try:
            resolver = dns.resolver.Resolver(configure=not self.nameservers)
        except dns.resolver.NoResolverConfiguration as error:
            raise ProviderDown(f"no DNS server configured: {error}") from error
        if self.nameservers:
            resolver.nameservers = self.nameservers
        resolver.port = self.port
        resolver.lifetime = self.timeout
        resolver.cache = None  # a record just created must be seen at once
        return resolver

    def txt_records(self, name: str) -> list[str]:
        try:
            answer = self._resolver().resolve(_fqdn(name) + ".", "TXT", search=False)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except dns.exception.DNSException as error:  # time out, SERVFAIL from every server
            raise ProviderDown(f"DNS did not answer for {name}: {error}") from error
        return [b"".join(rdata.strings).decode("utf-8", "replace") for rdata in answer]


def is_published(challenge: DnsChallenge, resolver: Resolver) -> bool:
    """The resolver sees the challenge's record (with other values beside it or not)."""
    return challenge.value in resolver.txt_records(challenge.record_name)


def resolver() -> Resolver:
    settings = get_settings()
    if settings.dns_resolver == "dns":
        servers = [s.strip() for s in settings.dns_nameservers.split(",") if s.strip()]
        return DnsResolver(servers, port=settings.dns_port, timeout=settings.dns_timeout_seconds)
    if settings.dns_resolver == "registry":
        return RegistryResolver()
    raise ValueError(f"unknown O2PORTAL_DNS_RESOLVER: {settings.dns_resolver!r}")
