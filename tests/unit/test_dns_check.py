"""Domain control: the built-in registrar's TXT records, the resolver that reads them, and
the dnspython resolver against a real (local) DNS server."""

from __future__ import annotations

import pytest

from o2portal.core.settings import reload_settings
from o2portal.integrations.providers import ProviderDown
from o2portal.integrations.registrar import DomainNotRegistered, LocalRegistrar
from o2portal.integrations.resolver import (
    DnsChallenge,
    DnsResolver,
    RegistryResolver,
    is_published,
    resolver,
)
from tests.dns_server import TxtServer

RECORD = "_o2portal-challenge.exemple.fr"


def register(name: str) -> LocalRegistrar:
    registrar = LocalRegistrar()
    registrar.register(
        name, holder_ref="c1", years=1, nameservers=["ns1.o2portal.example"], request_id=name
    )
    return registrar


def test_a_txt_record_set_through_the_registrar_is_found(db):
    registrar = register("exemple.fr")
    registrar.add_txt_record("exemple.fr", RECORD, "token-1")
    registrar.add_txt_record("exemple.fr", RECORD.upper() + ".", "token-2")
    registrar.add_txt_record("exemple.fr", RECORD, "token-1")  # again: nothing more
    registrar.add_txt_record("exemple.fr", "exemple.fr", "v=spf1 -all")

    found = RegistryResolver()
    assert found.txt_records(RECORD) == ["token-1", "token-2"]
    assert found.txt_records("exemple.fr.") == ["v=spf1 -all"]
    assert found.txt_records("_o2portal-challenge.www.exemple.fr") == []
    assert found.txt_records("_o2portal-challenge.autre.fr") == []
    assert is_published(DnsChallenge("exemple.fr", RECORD, "token-2"), found)
    assert not is_published(DnsChallenge("exemple.fr", RECORD, "token-3"), found)

    registrar.remove_txt_record("exemple.fr", RECORD, "token-1")
    registrar.remove_txt_record("exemple.fr", RECORD, "token-1")  # again: nothing
    assert found.txt_records(RECORD) == ["token-2"]


def test_the_zone_belongs_to_the_holder_of_the_moment(db):
    registrar = register("exemple.fr")
    registrar.add_txt_record("exemple.fr", RECORD, "token-1")
    registrar.release("exemple.fr")
    assert RegistryResolver().txt_records(RECORD) == []
    with pytest.raises(DomainNotRegistered):
        registrar.add_txt_record("exemple.fr", RECORD, "token-2")
    register("exemple.fr")  # somebody registers it again: an empty zone
    assert RegistryResolver().txt_records(RECORD) == []


def test_a_record_outside_the_zone_or_a_bad_value_is_refused(db):
    registrar = register("exemple.fr")
    with pytest.raises(ValueError):
        registrar.add_txt_record("exemple.fr", "_o2portal-challenge.autre.fr", "x")
    with pytest.raises(ValueError):
        registrar.add_txt_record("exemple.fr", "xexemple.fr", "x")
    with pytest.raises(ValueError):
        registrar.add_txt_record("exemple.fr", RECORD, "a" * 256)
    with pytest.raises(DomainNotRegistered):
        registrar.add_txt_record("autre.fr", "_o2portal-challenge.autre.fr", "x")


def test_the_dnspython_resolver_reads_a_real_dns_server():
    server = TxtServer({RECORD: ["token-1", 'with "quotes" and spaces'], "vide.fr": []}).start()
    try:
        dns_resolver = DnsResolver([server.host], port=server.port, timeout=3)
        # A record set has no order in DNS.
        assert sorted(dns_resolver.txt_records(RECORD)) == [
            "token-1",
            'with "quotes" and spaces',
        ]
        assert dns_resolver.txt_records("_o2portal-challenge.absent.fr") == []  # NXDOMAIN
        assert dns_resolver.txt_records("vide.fr") == []  # no TXT record
        assert is_published(DnsChallenge("exemple.fr", RECORD, "token-1"), dns_resolver)
        assert server.questions[0] == RECORD
    finally:
        server.stop()


def test_a_dns_server_that_does_not_answer_is_provider_down():
    server = TxtServer()  # bound, never started: the questions go unanswered
    try:
        with pytest.raises(ProviderDown):
            DnsResolver([server.host], port=server.port, timeout=0.5).txt_records(RECORD)
    finally:
        server.stop()


def test_the_resolver_is_chosen_by_a_setting(monkeypatch):
    monkeypatch.setenv("O2PORTAL_DNS_RESOLVER", "dns")
    monkeypatch.setenv("O2PORTAL_DNS_NAMESERVERS", "192.0.2.53, 192.0.2.54")
    monkeypatch.setenv("O2PORTAL_DNS_PORT", "5353")
    reload_settings()
    try:
        chosen = resolver()
        assert isinstance(chosen, DnsResolver)
        assert (chosen.nameservers, chosen.port) == (["192.0.2.53", "192.0.2.54"], 5353)
        monkeypatch.setenv("O2PORTAL_DNS_RESOLVER", "registry")
        reload_settings()
        assert isinstance(resolver(), RegistryResolver)
    finally:
        monkeypatch.undo()
        reload_settings()
