"""The owner's own product actions through the event handlers, as the browser calls them:
name servers, the transfer code, the registrar lock, auto-renew; the /services rows and
the dashboard as the handlers fill them."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select, update

from o2portal.accounts.models import SavedCard, UserSession
from o2portal.billing.models import Order
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.content.models import Announcement
from o2portal.core import clock
from o2portal.core.db import get_engine, read_session, transaction
from o2portal.core.i18n import translate
from o2portal.core.models import AuditEvent
from o2portal.integrations.models import RegistryDomain
from o2portal.integrations.registrar import registrar
from o2portal.products.models import Product
from o2portal.support.models import Ticket
from o2portal.web.customer.dashboard.state import DashboardState
from o2portal.web.customer.services.product_state import ProductState
from o2portal.web.customer.services.state import ServicesState
from tests.state.conftest import make_state, run

OLD_NS = ["ns1.o2switch.net", "ns2.o2switch.net"]


def _add_product(owner_id: int, name: str, days_left: int, **kw) -> int:
    values = {
        "customer_id": owner_id,
        "kind": "domain",
        "name": name,
        "offer_code": "fr",
        "start_date": clock.today() - timedelta(days=300),
        "expiry_date": clock.today() + timedelta(days=days_left),
        "nameservers_json": json.dumps(OLD_NS),
    }
    values.update(kw)
    with transaction() as session:
        product = Product(**values)
        session.add(product)
        if product.kind == "domain":  # registered at the registry, as in life
            session.add(
                RegistryDomain(
                    name=name,
                    holder_ref=f"customer:{owner_id}",
                    expires_on=values["expiry_date"],
                    nameservers_json=values["nameservers_json"],
                )
            )
        session.flush()
        return product.id


def _registry(name: str) -> RegistryDomain:
    with read_session() as session:
        return session.exec(select(RegistryDomain).where(RegistryDomain.name == name)).one()


def _product(product_id: int) -> Product:
    with read_session() as session:
        return session.get(Product, product_id)


def _audit(action: str, product_id: int) -> list[AuditEvent]:
    with read_session() as session:
        return list(
            session.exec(
                select(AuditEvent).where(
                    AuditEvent.action == action,
                    AuditEvent.target_type == "product",
                    AuditEvent.target_id == product_id,
                )
            ).all()
        )


@pytest.fixture(autouse=True)
def catalogue(people):
    """The price list: the product page quotes a renewal when it loads."""
    with transaction() as session:
        ensure_catalogue(session)


@pytest.fixture
def alice_domain(people):
    return _add_product(people["customer"]["alice"].id, "alice-site.fr", 100)


@pytest.fixture
def page(people, alice_domain):
    state = make_state(
        ProductState, token=people["token"]["alice"], path=f"/services/{alice_domain}"
    )
    run(state, "load")
    assert state.found and state.name == "alice-site.fr"
    return state


# ---------------------------------------------------------------- name servers


def test_page_shows_the_saved_name_servers_in_four_fields(page):
    assert page.nameservers == OLD_NS + ["", ""]


def test_valid_name_servers_are_saved_and_audited(page, alice_domain, people):
    form = {"ns1": "NS1.Example.COM", "ns2": "ns2.example.com.", "ns3": "ns3.example.com"}
    run(page, "save_nameservers", form)
    assert page.ns_errors == {}
    assert page.ns_message == translate("product.ns_saved", "fr")
    expected = ["ns1.example.com", "ns2.example.com", "ns3.example.com"]
    assert page.nameservers == expected + [""]
    assert json.loads(_product(alice_domain).nameservers_json) == expected
    (event,) = _audit("domain.nameservers_changed", alice_domain)
    assert event.actor_id == people["customer"]["alice"].id
    assert event.ip == "192.0.2.10"
    details = json.loads(event.details_json)
    assert details == {"before": OLD_NS, "after": expected}
    # And the registry has them, sent after the commit.
    assert json.loads(_registry("alice-site.fr").nameservers_json) == expected


@pytest.mark.parametrize(
    ("form", "field", "key"),
    [
        ({"ns1": "ns1.example.com", "ns2": "pas un hôte!"}, "ns2", "error.nameserver_invalid"),
        ({"ns1": "<script>", "ns2": "ns2.example.com"}, "ns1", "error.nameserver_invalid"),
        ({"ns1": "ns1.example.com", "ns2": "10.0.0.1"}, "ns2", "error.nameserver_invalid"),
        ({"ns1": "x" * 300, "ns2": "ns2.example.com"}, "ns1", "error.nameserver_invalid"),
        (
            {"ns1": "ns1.example.com", "ns2": "ns2.example.com", "ns3": "NS1.EXAMPLE.COM"},
            "ns3",
            "error.nameserver_duplicate",
        ),
        ({"ns1": "ns1.example.com"}, "ns1", "error.nameservers_count"),
        ({}, "ns1", "error.nameservers_count"),
    ],
)
def test_bad_name_servers_get_a_field_message_and_nothing_is_saved(
    page, alice_domain, form, field, key
):
    run(page, "save_nameservers", form)
    assert page.ns_errors.get(field) == translate(key, "fr"), page.ns_errors
    assert page.ns_message == ""
    assert json.loads(_product(alice_domain).nameservers_json) == OLD_NS
    assert _audit("domain.nameservers_changed", alice_domain) == []


def test_more_than_four_name_servers_are_refused(page, alice_domain):
    form = {f"ns{i}": f"ns{i}.example.com" for i in range(1, 6)}
    run(page, "save_nameservers", form)
    # A forged fifth field is refused with a message, and nothing is saved.
    assert page.ns_errors != {}
    assert json.loads(_product(alice_domain).nameservers_json) == OLD_NS


def test_a_refused_save_after_a_good_one_keeps_the_good_one(page, alice_domain):
    run(page, "save_nameservers", {"ns1": "a.example.com", "ns2": "b.example.com"})
    run(page, "save_nameservers", {"ns1": "a.example.com", "ns2": "a.example.com"})
    assert page.ns_errors and page.ns_message == ""
    assert json.loads(_product(alice_domain).nameservers_json) == [
        "a.example.com",
        "b.example.com",
    ]


# ---------------------------------------------------------------- transfer code


def test_the_transfer_code_is_hidden_until_asked_then_shown_and_logged(page, alice_domain, people):
    assert page.auth_code == ""
    assert _audit("domain.auth_code_shown", alice_domain) == []
    run(page, "show_auth_code")
    code = _product(alice_domain).auth_code
    assert code and page.auth_code == code
    (event,) = _audit("domain.auth_code_shown", alice_domain)
    assert event.actor_id == people["customer"]["alice"].id
    assert event.customer_id == people["customer"]["alice"].id
    assert event.ip == "192.0.2.10"
    # The code itself never goes to the log.
    assert code not in event.details_json
    # Asked again: the same code, and a second log line.
    run(page, "show_auth_code")
    assert page.auth_code == code
    assert len(_audit("domain.auth_code_shown", alice_domain)) == 2


def test_an_existing_transfer_code_is_shown_as_is(people):
    product_id = _add_product(
        people["customer"]["alice"].id, "avec-code.fr", 100, auth_code="EXISTING-CODE-42"
    )
    state = make_state(ProductState, token=people["token"]["alice"], path=f"/services/{product_id}")
    run(state, "load")
    run(state, "show_auth_code")
    assert state.auth_code == "EXISTING-CODE-42"
    assert len(_audit("domain.auth_code_shown", product_id)) == 1


def test_the_transfer_code_comes_from_the_registrar_and_waits_while_it_is_down(
    page, alice_domain, monkeypatch
):
    monkeypatch.setattr(registrar(), "down", True)
    run(page, "show_auth_code")
    assert page.auth_code == ""
    assert page.auth_error == translate("error.registrar_unavailable", "fr")
    assert _product(alice_domain).auth_code is None
    assert _audit("domain.auth_code_shown", alice_domain) == []
    monkeypatch.setattr(registrar(), "down", False)
    run(page, "show_auth_code")
    assert page.auth_error == ""
    # The registry's code, kept on the product from then on.
    assert page.auth_code == _registry(_product(alice_domain).name).auth_code != ""


def test_loading_the_page_again_hides_the_code(page):
    run(page, "show_auth_code")
    assert page.auth_code
    run(page, "load")
    assert page.auth_code == ""


# ---------------------------------------------------------------- registrar lock, auto-renew


def test_registrar_lock_off_then_on_is_saved_and_audited(page, alice_domain):
    assert page.registrar_lock is True
    run(page, "set_lock", False)
    assert page.registrar_lock is False
    assert _product(alice_domain).registrar_lock is False
    assert _registry("alice-site.fr").locked is False
    assert len(_audit("domain.lock_off", alice_domain)) == 1
    run(page, "set_lock", True)
    assert page.registrar_lock is True
    assert _product(alice_domain).registrar_lock is True
    assert _registry("alice-site.fr").locked is True
    assert len(_audit("domain.lock_on", alice_domain)) == 1
    # A fresh load reads the saved value.
    run(page, "set_lock", False)
    run(page, "load")
    assert page.registrar_lock is False


def test_auto_renew_on_then_off_is_saved(page, alice_domain):
    assert page.auto_renew is False
    run(page, "set_auto_renew", True)
    assert page.auto_renew is True
    assert _product(alice_domain).auto_renew is True
    run(page, "load")
    assert page.auto_renew is True
    run(page, "set_auto_renew", False)
    assert page.auto_renew is False
    assert _product(alice_domain).auto_renew is False
    assert len(_audit("product.auto_renew_on", alice_domain)) == 1
    assert len(_audit("product.auto_renew_off", alice_domain)) == 1


def test_auto_renew_without_a_saved_card_says_what_will_happen(page, people):
    """No card saved: switching auto-renewal on says that the order form will come by
    mail to be paid (unless the account credit covers it), and how to save a card."""
    run(page, "set_auto_renew", True)
    assert "carte" in page.auto_renew_note and "bon de commande" in page.auto_renew_note
    run(page, "load")
    assert page.auto_renew_note  # still said when the page is opened again
    run(page, "set_auto_renew", False)
    assert page.auto_renew_note == ""
    with transaction() as session:
        session.add(
            SavedCard(
                customer_id=people["customer"]["alice"].id,
                gateway_token="tok_saved",
                brand="visa",
                last4="4242",
                exp_month=12,
                exp_year=2030,
                created_at=clock.now(),
            )
        )
    run(page, "load")
    run(page, "set_auto_renew", True)
    assert page.auto_renew is True and page.auto_renew_note == ""


def test_auto_renew_works_on_a_hosting_account_too(people):
    product_id = _add_product(
        people["customer"]["alice"].id,
        "hebergement.fr",
        100,
        kind="hosting",
        offer_code="grow",
        nameservers_json=None,
    )
    state = make_state(ProductState, token=people["token"]["alice"], path=f"/services/{product_id}")
    run(state, "load")
    assert state.days_left == "dans 100 jours"
    assert {d["label"]: d["value"] for d in state.details}["Offre"] == "Hébergement Grow"
    run(state, "set_auto_renew", True)
    assert _product(product_id).auto_renew is True


# ---------------------------------------------------------------- /services rows


@pytest.fixture
def services(people):
    alice = people["customer"]["alice"].id
    for name, days, status in (
        ("loin.fr", 200, "active"),
        ("j31.fr", 31, "active"),
        ("j30.fr", 30, "active"),
        ("j0.fr", 0, "active"),
        ("hier.fr", -1, "active"),
        ("suspendu.fr", 100, "suspended"),
    ):
        _add_product(alice, name, days, status=status)
    _add_product(people["customer"]["bob"].id, "bob.fr", 5)
    state = make_state(ServicesState, token=people["token"]["alice"], path="/services")
    run(state, "load")
    return state


def test_services_rows_sorted_by_expiry_with_status_and_days_left(services):
    rows = {r["name"]: r for r in services.rows}
    assert [r["name"] for r in services.rows] == [
        "hier.fr",
        "j0.fr",
        "j30.fr",
        "j31.fr",
        "suspendu.fr",
        "loin.fr",
    ]
    assert "bob.fr" not in rows
    assert {n: (r["status"], r["days_left"]) for n, r in rows.items()} == {
        "hier.fr": ("expired", "expiré depuis 1 jour"),
        "j0.fr": ("expiring", "aujourd'hui"),
        "j30.fr": ("expiring", "dans 30 jours"),
        "j31.fr": ("active", "dans 31 jours"),
        "suspendu.fr": ("suspended", "dans 100 jours"),
        "loin.fr": ("active", "dans 200 jours"),
    }


def test_services_rows_name_the_offer_and_tell_a_hosting_account_from_its_domain(people):
    """The offer by its catalogue name (a domain's by its extension), the time left in
    words, and the kind beside the name of a hosting account and its domain."""
    alice = people["customer"]["alice"].id
    _add_product(alice, "jumeau.fr", -10)
    _add_product(alice, "jumeau.fr", 40, kind="hosting", offer_code="grow", nameservers_json=None)
    _add_product(alice, "seul.fr", 50)
    state = make_state(ServicesState, token=people["token"]["alice"], path="/services")
    run(state, "load")
    rows = [(r["name"], r["twin"], r["offer"], r["days_left"]) for r in state.rows]
    assert rows == [
        ("jumeau.fr", "Nom de domaine", ".fr", "expiré depuis 10 jours"),
        ("jumeau.fr", "Hébergement", "Hébergement Grow", "dans 40 jours"),
        ("seul.fr", "", ".fr", "dans 50 jours"),
    ]
    run(state, "set_sort", "name")  # the names are kept from the page's opening
    assert [r["offer"] for r in state.rows if r["twin"] == "Hébergement"] == ["Hébergement Grow"]


def test_products_expiring_within_30_days_stand_out(services):
    soon = {r["name"] for r in services.rows if r["soon"]}
    assert soon == {"hier.fr", "j0.fr", "j30.fr"}


@pytest.mark.parametrize(
    ("status", "names"),
    [
        ("active", {"j31.fr", "loin.fr"}),
        ("expiring", {"j0.fr", "j30.fr"}),
        ("expired", {"hier.fr"}),
        ("suspended", {"suspendu.fr"}),
        ("bogus", {"hier.fr", "j0.fr", "j30.fr", "j31.fr", "suspendu.fr", "loin.fr"}),
    ],
)
def test_services_status_filter_through_the_handler(services, status, names):
    run(services, "set_status", status)
    assert {r["name"] for r in services.rows} == names
    assert services.total == len(names)
    assert services.page == 1


# ---------------------------------------------------------------- dashboard


def test_dashboard_load_lists_the_customers_things_only(people):
    alice, bob = people["customer"]["alice"].id, people["customer"]["bob"].id
    _add_product(alice, "bientot.fr", 12)
    _add_product(alice, "lointain.fr", 300)
    _add_product(bob, "bob-bientot.fr", 2)
    now = clock.now()
    with transaction() as session:
        for owner, key in ((alice, "alice-unpaid-0001"), (bob, "bob-unpaid-00001")):
            session.add(
                Order(
                    customer_id=owner,
                    kind="renewal",
                    idempotency_key=key,
                    total_ht_cents=1000,
                    total_vat_cents=200,
                    total_ttc_cents=1200,
                    vat_rate_bp=2000,
                )
            )
        session.add(
            Order(
                customer_id=alice,
                kind="renewal",
                status="paid",
                idempotency_key="alice-paid-000001",
                total_ht_cents=1000,
                total_vat_cents=200,
                total_ttc_cents=1200,
                vat_rate_bp=2000,
            )
        )
        for owner, subject, status in (
            (alice, "Site en panne", "open"),
            (alice, "Vieux ticket", "closed"),
            (bob, "Ticket de Bob", "open"),
        ):
            session.add(
                Ticket(customer_id=owner, subject=subject, department="technique", status=status)
            )
        session.add(Announcement(title="Maintenance", body="Ce soir"))
        session.add(Announcement(title="Brouillon", body="x", published=False))
        session.add(Announcement(title="Finie", body="x", ends_at=now - timedelta(hours=1)))
    state = make_state(DashboardState, token=people["token"]["alice"], path="/")
    run(state, "load")
    assert [p["name"] for p in state.expiring] == ["bientot.fr"]
    assert state.expiring[0]["days_left"] == "dans 12 jours"
    assert state.expiring[0]["offer"] == ".fr"
    assert state.expiring[0]["status"] == "expiring"
    assert len(state.unpaid) == 1
    assert state.unpaid[0]["amount"].replace("\u202f", " ").replace("\xa0", " ") in (
        "12,00 €",
        "€12.00",
    )
    assert [t["subject"] for t in state.tickets] == ["Site en panne"]
    assert [a["title"] for a in state.announcements] == ["Maintenance"]
    assert state.first_name == "Alice"


def test_the_product_page_reads_everything_on_one_connection(people, alice_domain):
    """The page's load reads the session, the product, its offer, invoices, cards, quote,
    certificate and change of holder: one connection taken from the pool for all of them
    (core/db.one_read), not one each. The session's once-a-minute touch (a write) takes
    another, but only once the first is back: never two held at once."""
    state = make_state(
        ProductState, token=people["token"]["alice"], path=f"/services/{alice_domain}"
    )
    long_ago = clock.now() - timedelta(hours=1)
    with transaction() as session:
        session.exec(update(UserSession).values(last_seen_at=long_ago))
    engine = get_engine()
    held: list[int] = []
    listener = lambda *_: held.append(engine.pool.checkedout())  # noqa: E731
    event.listen(engine, "checkout", listener)
    try:
        run(state, "load")
    finally:
        event.remove(engine, "checkout", listener)
    assert state.found and state.name == "alice-site.fr" and state.renewable
    assert held == [1, 1]  # the reads' connection, then the touch's
    with read_session() as session:
        seen = session.exec(
            select(UserSession.last_seen_at).where(
                UserSession.customer_id == people["customer"]["alice"].id
            )
        ).one()
    assert seen > long_ago


def test_the_product_page_reads_each_row_once(people, alice_domain):
    """Its load reads the product once, though the access rule, the quote, the certificate
    and the change of holder each ask for it; and the holder's own row is the one the
    session's resolution has just read, not read again for the quote's VAT."""
    state = make_state(
        ProductState, token=people["token"]["alice"], path=f"/services/{alice_domain}"
    )
    engine = get_engine()
    seen: list[str] = []
    listener = lambda _c, _k, sql, *_: seen.append(" ".join(sql.split()))  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        run(state, "load")
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert state.found and state.renewable and state.quote["ttc"]
    assert len([s for s in seen if re.search(r"\bFROM product\b", s)]) == 1, seen
    assert not [s for s in seen if re.search(r"\bFROM customer\b", s)], seen
    # The quote's prices: the domain's own row, not the whole catalogue's four tables.
    prices = [s for s in seen if re.search(r"\.(renew_1y|monthly|renew|year)_cents\b", s)]
    assert len(prices) == 1 and "FROM tld_price WHERE tld_price.tld IN" in prices[0], prices


def test_the_dashboard_reads_everything_in_one_hop_on_one_connection(people, monkeypatch):
    """The session, the overview, the offers' names and the two notices' counts: one
    worker thread and one connection for the whole dashboard, not one each."""
    from o2portal.web import session as web_session

    with transaction() as session:
        session.exec(update(UserSession).values(last_seen_at=clock.now()))
    state = make_state(DashboardState, token=people["token"]["alice"], path="/")
    engine = get_engine()
    taken: list[int] = []
    hops: list[str] = []
    real = web_session.asyncio.to_thread

    async def counted(fn, *args, **kwargs):
        hops.append(getattr(fn, "__name__", "?"))
        return await real(fn, *args, **kwargs)

    listener = lambda *_: taken.append(1)  # noqa: E731
    event.listen(engine, "checkout", listener)
    monkeypatch.setattr(web_session.asyncio, "to_thread", counted)
    try:
        run(state, "load")
    finally:
        event.remove(engine, "checkout", listener)
        monkeypatch.setattr(web_session.asyncio, "to_thread", real)
    assert state.first_name == "Alice"
    assert hops == ["resolve_then_read"] and taken == [1]
