"""Mes comptes and the dashboard, on the real database: what the status filter keeps, how a
product's status reads at the 30-day boundary, the expiry sort, the name-server rules, and
what the dashboard lists (and leaves out)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from o2portal.accounts.models import Customer
from o2portal.billing.payments import PaymentChoice
from o2portal.billing.renewals import renew_product
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.content.models import Announcement
from o2portal.core import clock
from o2portal.core.db import transaction
from o2portal.core.errors import InvalidInput
from o2portal.products import customer as products
from o2portal.products.customer import clean_nameservers, display_status, list_customer_products
from o2portal.products.models import Product
from o2portal.reporting.customer_overview import customer_overview
from o2portal.support.models import Ticket

# 10:00 UTC is noon in Paris (summer time): clock.today() is 2026-06-15 either way.
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
TODAY = date(2026, 6, 15)


def _customer(email: str) -> int:
    with transaction() as session:
        customer = Customer(
            email=email,
            password_hash="not-a-login",
            first_name="Marie",
            last_name="Dupont",
            phone="+33612345678",
            address_line1="14 rue des Carmes",
            postal_code="45000",
            city="Orléans",
            country="FR",
        )
        session.add(customer)
        session.flush()
        return customer.id


def _product(customer_id: int, name: str, days_left: int, status: str = "active", **kw) -> int:
    values = {
        "customer_id": customer_id,
        "kind": "domain",
        "name": name,
        "offer_code": "fr",
        "status": status,
        "start_date": TODAY - timedelta(days=400),
        "expiry_date": TODAY + timedelta(days=days_left),
    }
    values.update(kw)
    with transaction() as session:
        product = Product(**values)
        session.add(product)
        session.flush()
        return product.id


def _names(page) -> list[str]:
    return [p.name for p in page.rows]


# ---------------------------------------------------------------- display_status


def _unsaved(days_left: int, status: str = "active") -> Product:
    return Product(
        customer_id=1,
        kind="domain",
        name="x.fr",
        offer_code="fr",
        status=status,
        start_date=TODAY - timedelta(days=400),
        expiry_date=TODAY + timedelta(days=days_left),
    )


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (365, "active"),
        (31, "active"),
        (30, "expiring"),  # exactly 30 days left: already "expiring soon"
        (1, "expiring"),
        (0, "expiring"),  # expires today: still usable today, not yet expired
        (-1, "expired"),
        (-40, "expired"),
    ],
)
def test_display_status_at_the_boundaries(days_left, expected):
    assert display_status(_unsaved(days_left), TODAY) == expected


@pytest.mark.parametrize("status", ["suspended", "terminated", "expired", "pending"])
def test_display_status_keeps_a_status_that_is_not_active(status):
    # A suspended product far from its expiry, or near it, stays "suspended".
    assert display_status(_unsaved(200, status), TODAY) == status
    assert display_status(_unsaved(5, status), TODAY) == status


# ---------------------------------------------------------------- list: filter and sort


@pytest.fixture
def shelf(db):
    """One customer's products around every boundary, plus a neighbour's."""
    with clock.frozen_at(NOW):
        me = _customer("marie@example.com")
        other = _customer("voisin@example.com")
        ids = {
            "far": _product(me, "far.fr", 200),
            "d31": _product(me, "d31.fr", 31),
            "d30": _product(me, "d30.fr", 30),
            "d0": _product(me, "d0.fr", 0),
            "dm1": _product(me, "dm1.fr", -1),
            "gone": _product(me, "gone.fr", -20, status="expired"),
            "susp": _product(me, "susp.fr", 100, status="suspended", kind="hosting"),
            "term": _product(me, "term.fr", -60, status="terminated"),
            "theirs": _product(other, "theirs.fr", 10),
        }
    return {"me": me, "other": other, "ids": ids}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("active", {"far.fr", "d31.fr"}),
        ("expiring", {"d30.fr", "d0.fr"}),
        ("expired", {"dm1.fr", "gone.fr"}),
        ("suspended", {"susp.fr"}),
        ("terminated", {"term.fr"}),
        (
            "",
            {"far.fr", "d31.fr", "d30.fr", "d0.fr", "dm1.fr", "gone.fr", "susp.fr", "term.fr"},
        ),
    ],
)
def test_status_filter_keeps_exactly_the_matching_products(shelf, status, expected):
    with clock.frozen_at(NOW):
        page = list_customer_products(shelf["me"], status=status)
    assert set(_names(page)) == expected
    assert page.total == len(expected)
    assert "theirs.fr" not in _names(page)


def test_status_filter_agrees_with_the_status_shown(shelf):
    """Every row a filter keeps reads, on the page, as that very status."""
    with clock.frozen_at(NOW):
        for status in ("active", "expiring", "expired", "suspended", "terminated"):
            for product in list_customer_products(shelf["me"], status=status).rows:
                assert display_status(product, clock.today()) == status, product.name


def test_unknown_filters_are_ignored_not_an_error(shelf):
    with clock.frozen_at(NOW):
        page = list_customer_products(shelf["me"], status="'; drop table", kind="nope")
    assert page.total == 8


def test_kind_and_status_filters_combine(shelf):
    with clock.frozen_at(NOW):
        hosting = list_customer_products(shelf["me"], kind="hosting")
        suspended_domains = list_customer_products(shelf["me"], kind="domain", status="suspended")
    assert _names(hosting) == ["susp.fr"]
    assert suspended_domains.total == 0 and suspended_domains.rows == []


def test_sorted_by_expiry_soonest_first_by_default(shelf):
    with clock.frozen_at(NOW):
        asc = list_customer_products(shelf["me"])
        desc = list_customer_products(shelf["me"], sort="expiry_desc")
    expiries = [p.expiry_date for p in asc.rows]
    assert expiries == sorted(expiries)
    assert _names(asc)[0] == "term.fr" and _names(asc)[-1] == "far.fr"
    assert [p.expiry_date for p in desc.rows] == sorted(expiries, reverse=True)
    assert _names(desc)[0] == "far.fr"


def test_sort_by_expiry_holds_across_pages(shelf):
    with clock.frozen_at(NOW):
        first = list_customer_products(shelf["me"], 1, per_page=3)
        second = list_customer_products(shelf["me"], 2, per_page=3)
        third = list_customer_products(shelf["me"], 3, per_page=3)
        beyond = list_customer_products(shelf["me"], 99, per_page=3)
    assert (first.total, first.pages) == (8, 3)
    seen = _names(first) + _names(second) + _names(third)
    assert len(seen) == len(set(seen)) == 8
    dates = [p.expiry_date for p in first.rows + second.rows + third.rows]
    assert dates == sorted(dates)
    # A page number past the end shows the last page, not an empty one.
    assert beyond.page == 3 and _names(beyond) == _names(third)


# ---------------------------------------------------------------- name servers


def test_two_to_four_valid_name_servers_are_accepted_lowercased_in_ascii():
    assert clean_nameservers(["NS1.Example.COM.", " ns2.example.com ", "", ""]) == [
        "ns1.example.com",
        "ns2.example.com",
    ]
    assert clean_nameservers(["ns1.café.fr", "ns2.café.fr"]) == [
        "ns1.xn--caf-dma.fr",
        "ns2.xn--caf-dma.fr",
    ]
    four = [f"ns{i}.o2switch.net" for i in range(1, 5)]
    assert clean_nameservers(four) == four


@pytest.mark.parametrize(
    ("values", "field", "key"),
    [
        (["ns1.example.com", "bad host!"], "ns2", "error.nameserver_invalid"),
        (["localhost", "ns2.example.com"], "ns1", "error.nameserver_invalid"),
        (["ns1.example.com", "192.168.0.1"], "ns2", "error.nameserver_invalid"),
        (["ns1.example.com", "-ns.example.com"], "ns2", "error.nameserver_invalid"),
        (["ns1.example.com", "a" * 64 + ".example.com"], "ns2", "error.nameserver_invalid"),
        (["ns1.example.com", "NS1.example.com."], "ns2", "error.nameserver_duplicate"),
        (["ns1.example.com", "", "", ""], "ns1", "error.nameservers_count"),
        (["", "", "", ""], "ns1", "error.nameservers_count"),
    ],
)
def test_bad_name_servers_are_refused_on_their_field(values, field, key):
    with pytest.raises(InvalidInput) as refused:
        clean_nameservers(values)
    assert refused.value.errors.get(field) == key, refused.value.errors


def test_more_than_four_name_servers_are_refused():
    five = [f"ns{i}.example.com" for i in range(1, 6)]
    # A fifth server is refused with a message, never dropped without a word.
    with pytest.raises(InvalidInput):
        clean_nameservers(five)


def test_update_nameservers_saves_nothing_on_bad_input(shelf):
    product_id = shelf["ids"]["far"]
    products.update_nameservers(shelf["me"], product_id, ["ns1.a.fr", "ns2.a.fr"])
    with pytest.raises(InvalidInput):
        products.update_nameservers(shelf["me"], product_id, ["ns1.b.fr", "ns1.b.fr"])
    with pytest.raises(InvalidInput):
        products.update_nameservers(shelf["me"], product_id, ["ns1.b.fr", "not valid"])
    assert products.nameservers_of(products.get_product(shelf["me"], product_id)) == [
        "ns1.a.fr",
        "ns2.a.fr",
    ]


def test_domain_only_actions_refuse_a_hosting_account(shelf):
    hosting = shelf["ids"]["susp"]
    with pytest.raises(InvalidInput):
        products.update_nameservers(shelf["me"], hosting, ["ns1.a.fr", "ns2.a.fr"])
    with pytest.raises(InvalidInput):
        products.reveal_auth_code(shelf["me"], hosting)
    with pytest.raises(InvalidInput):
        products.set_registrar_lock(shelf["me"], hosting, False)


# ---------------------------------------------------------------- dashboard


@pytest.fixture
def dashboard(db):
    with transaction() as session:
        ensure_catalogue(session)
    me = _customer("marie@example.com")
    other = _customer("voisin@example.com")
    today = clock.today()

    def product(owner, name, days, status="active"):
        with transaction() as session:
            p = Product(
                customer_id=owner,
                kind="domain",
                name=name,
                offer_code="fr",
                status=status,
                start_date=today - timedelta(days=300),
                expiry_date=today + timedelta(days=days),
            )
            session.add(p)
            session.flush()
            return p.id, p.expiry_date

    soon_id, soon_expiry = product(me, "bientot.fr", 10)
    product(me, "lointain.fr", 200)
    product(me, "resilie.fr", 5, status="terminated")
    product(other, "voisin-bientot.fr", 3)
    # An order form left unpaid: a bank transfer waits for staff.
    outcome = renew_product(
        customer_id=me,
        product_id=soon_id,
        years=1,
        expected_expiry=soon_expiry,
        choice=PaymentChoice("transfer"),
        key="dashboard-transfer-0001",
    )
    assert outcome.status == "pending", outcome
    with transaction() as session:
        for owner, subject, status in (
            (me, "Mon site est lent", "open"),
            (me, "Question de facture", "answered"),
            (me, "Ancien souci", "closed"),
            (other, "Ticket du voisin", "open"),
        ):
            session.add(
                Ticket(customer_id=owner, subject=subject, department="technique", status=status)
            )
        now = clock.now()
        for title, kw in (
            (
                "En cours",
                {"starts_at": now - timedelta(days=1), "ends_at": now + timedelta(days=1)},
            ),
            ("Sans dates", {}),
            ("Brouillon", {"published": False}),
            ("Pas encore", {"starts_at": now + timedelta(days=1)}),
            ("Terminee", {"ends_at": now - timedelta(minutes=1)}),
        ):
            session.add(Announcement(title=title, body=f"Corps {title}", **kw))
    return {"me": me, "other": other, "order": outcome.order_id}


def test_dashboard_lists_what_expires_soon_and_nothing_else(dashboard):
    data = customer_overview(dashboard["me"])
    assert [p.name for p in data.expiring] == ["bientot.fr"]


def test_dashboard_lists_unpaid_order_forms_of_the_customer_only(dashboard):
    assert [o.id for o in customer_overview(dashboard["me"]).unpaid] == [dashboard["order"]]
    assert customer_overview(dashboard["other"]).unpaid == []


def test_dashboard_lists_open_tickets_only(dashboard):
    subjects = {t.subject for t in customer_overview(dashboard["me"]).open_tickets}
    assert subjects == {"Mon site est lent", "Question de facture"}


def test_dashboard_shows_announcements_only_while_published(dashboard):
    titles = {a.title for a in customer_overview(dashboard["me"]).announcements}
    assert titles == {"En cours", "Sans dates"}
    # A day later the dated one has ended; the undated one stays.
    with clock.frozen_at(clock.now() + timedelta(days=2)):
        later = {a.title for a in customer_overview(dashboard["me"]).announcements}
    assert later == {"Sans dates", "Pas encore"}
