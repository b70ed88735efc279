"""Staff catalogue: admins change prices and promo codes, audited; bad input and other
roles change nothing; the order page reads the new prices at once."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.billing.orders import search_domain, usable_promo
from o2portal.catalog import staff as admin_catalog
from o2portal.catalog.models import HostingOffer, PromoCode, ServerModel, TldPrice
from o2portal.catalog.offers import active_catalogue
from o2portal.core import clock
from o2portal.core.db import read_session
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.demo.seed import seed_demo
from tests.unit.helpers import actor

TLD_FORM = {"register": "9,99", "renew": "11", "transfer": "11.50", "restore": "40", "active": "on"}


@pytest.fixture
def demo(db):
    seed_demo()
    with read_session() as session:
        return {c.email.split("@")[0]: c for c in session.exec(select(Customer)).all()}


def _row(model, **where):
    with read_session() as session:
        query = select(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return session.exec(query).one()


def _events(prefix: str = "catalogue.") -> list[AuditEvent]:
    with read_session() as session:
        return [
            e
            for e in session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
            if e.action.startswith(prefix)
        ]


def _snapshot() -> list:
    """Every catalogue row and every audit event, to prove that nothing was saved."""
    with read_session() as session:
        return [
            [r.model_dump() for r in session.exec(select(m).order_by(m.id)).all()]
            for m in (HostingOffer, TldPrice, ServerModel, PromoCode, AuditEvent)
        ]


def test_a_tld_price_change_is_saved_audited_and_read_by_the_order_page(demo):
    admin = demo["admin"].id
    fr = _row(TldPrice, tld="fr")
    assert fr.register_cents == 825
    admin_catalog.update_tld_price(actor(admin), fr.id, TLD_FORM, ip="203.0.113.9")
    saved = _row(TldPrice, tld="fr")
    assert (saved.register_cents, saved.renew_cents, saved.transfer_cents) == (999, 1100, 1150)
    assert (saved.restore_cents, saved.active) == (4000, True)
    (event,) = _events()
    assert (event.action, event.actor_id, event.target_id) == (
        "catalogue.tld_updated",
        admin,
        fr.id,
    )
    details = json.loads(event.details_json)
    assert details["tld"] == "fr"
    assert details["old"]["register_cents"] == 825 and details["new"]["register_cents"] == 999
    assert "active" not in details["new"]  # unchanged values are not listed
    assert event.ip == "203.0.113.9"
    # What /order shows: the catalogue and the domain search, without a cache in between.
    assert {t.tld: t.register_cents for t in active_catalogue().tlds}["fr"] == 999
    assert search_domain("un-nom-libre-pour-le-test.fr").register_cents == 999


def test_unticking_active_takes_the_row_out_of_the_order_page(demo):
    admin = demo["admin"].id
    io = _row(TldPrice, tld="io")
    admin_catalog.update_tld_price(actor(admin), io.id, {**TLD_FORM, "active": ""})
    assert "io" not in {t.tld for t in active_catalogue().tlds}
    with pytest.raises(InvalidInput):
        search_domain("un-nom-libre.io")
    grow = _row(HostingOffer, code="grow")
    form = {"first_year": "30", "renew_1y": "80", "renew_2y": "160", "renew_3y": "240"}
    admin_catalog.update_hosting_offer(actor(admin), grow.id, form)  # no "active": unticked
    assert "grow" not in {o.code for o in active_catalogue().hosting}
    admin_catalog.update_hosting_offer(actor(admin), grow.id, {**form, "active": "on"})
    offer = next(o for o in active_catalogue().hosting if o.code == "grow")
    assert (offer.first_year_cents, offer.renew_3y_cents) == (3000, 24000)


def test_hosting_and_server_prices(demo):
    admin = demo["admin"].id
    cloud = _row(HostingOffer, code="cloud")
    admin_catalog.update_hosting_offer(
        actor(admin),
        cloud.id,
        {
            "first_year": "19,90",
            "renew_1y": "192",
            "renew_2y": "288",
            "renew_3y": "320",
            "active": "on",
        },
    )
    offer = next(o for o in active_catalogue().hosting if o.code == "cloud")
    assert (offer.first_year_cents, offer.renew_3y_cents) == (1990, 32000)
    server = _row(ServerModel, code="infogere-s")
    admin_catalog.update_server_model(actor(admin), server.id, {"monthly": "159", "active": "on"})
    assert next(s for s in active_catalogue().servers if s.code == "infogere-s").monthly_cents == (
        15900
    )
    assert [e.action for e in _events()] == [
        "catalogue.hosting_updated",
        "catalogue.server_updated",
    ]
    details = json.loads(_events()[0].details_json)
    assert details["old"] == {"first_year_cents": 2112, "renew_3y_cents": 32400}
    assert details["new"] == {"first_year_cents": 1990, "renew_3y_cents": 32000}


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("", "error.amount_invalid"),
        ("   ", "error.amount_invalid"),
        ("-5", "error.amount_invalid"),
        ("0", "error.amount_invalid"),
        ("abc", "error.amount_invalid"),
        ("12.345", "error.amount_invalid"),
        ("1e3", "error.amount_invalid"),
        ("99999999", "error.amount_invalid"),
        ("10000,01", "catalog.price_too_high"),
        ("250000", "catalog.price_too_high"),
    ],
)
def test_bad_prices_are_refused_by_field_and_nothing_is_saved(demo, typed, key):
    admin = demo["admin"].id
    fr = _row(TldPrice, tld="fr")
    pro = _row(HostingOffer, code="pro")
    server = _row(ServerModel, code="infogere-m")
    before = _snapshot()
    with pytest.raises(InvalidInput) as caught:
        admin_catalog.update_tld_price(actor(admin), fr.id, {**TLD_FORM, "renew": typed})
    assert caught.value.errors == {"renew": key}
    with pytest.raises(InvalidInput) as caught:
        admin_catalog.update_hosting_offer(
            actor(admin),
            pro.id,
            {"first_year": "40", "renew_1y": typed, "renew_2y": "1", "renew_3y": typed},
        )
    assert caught.value.errors == {"renew_1y": key, "renew_3y": key}
    with pytest.raises(InvalidInput) as caught:
        admin_catalog.update_server_model(
            actor(admin), server.id, {"monthly": typed, "active": "on"}
        )
    assert caught.value.errors == {"monthly": key}
    with pytest.raises(InvalidInput) as caught:
        admin_catalog.add_tld(actor(admin), {**TLD_FORM, "tld": "dev", "restore": typed})
    assert caught.value.errors == {"restore": key}
    assert _snapshot() == before


def test_the_largest_sensible_price_is_accepted(demo):
    fr = _row(TldPrice, tld="fr")
    admin_catalog.update_tld_price(
        actor(demo["admin"].id), fr.id, {**TLD_FORM, "restore": "10 000,00"}
    )
    assert _row(TldPrice, tld="fr").restore_cents == 1_000_000


@pytest.mark.parametrize("who", ["support", "client"])
def test_only_admins_change_the_catalogue(demo, who):
    promo = admin_catalog.create_promo_code(
        actor(demo["admin"].id), {"code": "ADMIN10", "kind": "percent", "value": "10"}
    )
    fr = _row(TldPrice, tld="fr")
    grow = _row(HostingOffer, code="grow")
    server = _row(ServerModel, code="infogere-s")
    hosting_form = {"first_year": "1", "renew_1y": "1", "renew_2y": "1", "renew_3y": "1"}
    person = demo[who].id
    before = _snapshot()
    calls = [
        lambda: admin_catalog.update_tld_price(actor(person), fr.id, TLD_FORM),
        lambda: admin_catalog.add_tld(actor(person), {**TLD_FORM, "tld": "dev"}),
        lambda: admin_catalog.update_hosting_offer(actor(person), grow.id, hosting_form),
        lambda: admin_catalog.update_server_model(actor(person), server.id, {"monthly": "1"}),
        lambda: admin_catalog.create_promo_code(
            actor(person), {"code": "SUPPORT10", "kind": "percent", "value": "10"}
        ),
        lambda: admin_catalog.deactivate_promo_code(actor(person), promo.id),
        lambda: admin_catalog.staff_catalogue(actor(person)),
        lambda: admin_catalog.list_promo_codes(actor(person)),
    ]
    for call in calls:
        with pytest.raises(NotAllowed):
            call()
    assert _snapshot() == before
    assert _row(PromoCode, code="ADMIN10").active is True


def test_a_disabled_admin_is_refused(demo):
    from o2portal.core.db import transaction

    with transaction() as session:
        admin = session.get(Customer, demo["admin"].id)
        admin.disabled_at = clock.now()
        session.add(admin)
    with pytest.raises(NotAllowed):
        admin_catalog.update_tld_price(
            actor(demo["admin"].id), _row(TldPrice, tld="fr").id, TLD_FORM
        )


def test_adding_an_extension(demo):
    admin = demo["admin"].id
    row = admin_catalog.add_tld(actor(admin), {**TLD_FORM, "tld": " .Dev "})
    assert row.tld == "dev" and row.register_cents == 999
    assert "dev" in {t.tld for t in active_catalogue().tlds}
    assert search_domain("mon-projet.dev").register_cents == 999
    admin_catalog.add_tld(actor(admin), {**TLD_FORM, "tld": "xn--p1ai", "active": ""})
    assert _row(TldPrice, tld="xn--p1ai").active is False
    assert [e.action for e in _events()] == ["catalogue.tld_added", "catalogue.tld_added"]
    before = _snapshot()
    for typed, key in [
        ("", "error.required"),
        ("dev", "catalog.tld_exists"),
        ("FR", "catalog.tld_exists"),
        ("a.b.c", "catalog.tld_invalid"),
        ("co.uk", "catalog.tld_invalid"),  # not sellable: extensions are one label
        ("-fr", "catalog.tld_invalid"),
        ("fr-", "catalog.tld_invalid"),
        ("f r", "catalog.tld_invalid"),
        ("fr_", "catalog.tld_invalid"),
        ("café", "catalog.tld_invalid"),
        ("co..uk", "catalog.tld_invalid"),
        ("x" * 30, "catalog.tld_invalid"),
        ("<script>", "catalog.tld_invalid"),
    ]:
        with pytest.raises(InvalidInput) as caught:
            admin_catalog.add_tld(actor(admin), {**TLD_FORM, "tld": typed})
        assert caught.value.errors == {"tld": key}, typed
    with pytest.raises(InvalidInput) as caught:
        admin_catalog.add_tld(actor(admin), {"tld": "bad tld", "register": "x", "renew": "1"})
    assert caught.value.errors == {
        "tld": "catalog.tld_invalid",
        "register": "error.amount_invalid",
        "transfer": "error.amount_invalid",
        "restore": "error.amount_invalid",
    }
    assert _snapshot() == before


def test_promo_codes_create_list_use_and_deactivate(demo):
    admin = demo["admin"].id
    promo = admin_catalog.create_promo_code(
        actor(admin),
        {
            "code": " printemps-26 ",
            "kind": "percent",
            "value": "12,5",
            "valid_from": "2026-03-01",
            "valid_until": "2026-03-31",
            "max_uses": "100",
        },
    )
    assert (promo.code, promo.kind, promo.value, promo.max_uses) == (
        "PRINTEMPS-26",
        "percent",
        1250,
        100,
    )
    # The validity is in Paris days, the last day included.
    assert promo.valid_from == datetime(2026, 2, 28, 23, 0, tzinfo=UTC)
    assert promo.valid_until.astimezone(clock.PARIS).isoformat().startswith("2026-03-31T23:59:59")
    fixed = admin_catalog.create_promo_code(
        actor(admin), {"code": "MOINS5", "kind": "fixed", "value": "5"}
    )
    assert (fixed.value, fixed.valid_from, fixed.valid_until, fixed.max_uses) == (
        500,
        None,
        None,
        None,
    )
    assert [p.code for p in admin_catalog.list_promo_codes(actor(admin)).rows][:2] == [
        "MOINS5",
        "PRINTEMPS-26",
    ]
    with read_session() as session:
        assert usable_promo(session, "moins5").id == fixed.id

    admin_catalog.deactivate_promo_code(actor(admin), fixed.id)
    assert _row(PromoCode, code="MOINS5").active is False
    with read_session() as session, pytest.raises(InvalidInput):
        usable_promo(session, "MOINS5")
    admin_catalog.deactivate_promo_code(actor(admin), fixed.id)  # twice: one change, one event
    assert [e.action for e in _events()] == [
        "catalogue.promo_created",
        "catalogue.promo_created",
        "catalogue.promo_deactivated",
    ]
    assert json.loads(_events()[-1].details_json)["old"] == {"active": True}


def test_bad_promo_codes_are_refused_by_field(demo):
    admin = demo["admin"].id
    admin_catalog.create_promo_code(
        actor(admin), {"code": "BIENVENUE", "kind": "fixed", "value": "10"}
    )
    before = _snapshot()
    good = {"code": "NOUVEAU", "kind": "percent", "value": "10"}
    for change, errors in [
        ({"code": "bienvenue"}, {"code": "catalog.code_taken"}),
        ({"code": ""}, {"code": "error.required"}),
        ({"code": "A"}, {"code": "catalog.code_invalid"}),
        ({"code": "É TÉ"}, {"code": "catalog.code_invalid"}),
        ({"kind": "free"}, {"kind": "error.choice_invalid"}),
        ({"value": "101"}, {"value": "catalog.percent_invalid"}),
        ({"value": "-10"}, {"value": "catalog.percent_invalid"}),
        ({"value": "abc"}, {"value": "catalog.percent_invalid"}),
        ({"kind": "fixed", "value": "5,001"}, {"value": "error.amount_invalid"}),
        ({"kind": "fixed", "value": "99999"}, {"value": "catalog.price_too_high"}),
        ({"valid_from": "2026-13-01"}, {"valid_from": "catalog.date_invalid"}),
        (
            {"valid_from": "2026-05-02", "valid_until": "2026-05-01"},
            {"valid_until": "catalog.until_before_from"},
        ),
        ({"max_uses": "0"}, {"max_uses": "catalog.max_uses_invalid"}),
        ({"max_uses": "-1"}, {"max_uses": "catalog.max_uses_invalid"}),
        ({"max_uses": "10000000"}, {"max_uses": "catalog.max_uses_invalid"}),
        (
            {"code": "", "value": "abc", "max_uses": "x"},
            {
                "code": "error.required",
                "value": "catalog.percent_invalid",
                "max_uses": "catalog.max_uses_invalid",
            },
        ),
    ]:
        with pytest.raises(InvalidInput) as caught:
            admin_catalog.create_promo_code(actor(admin), {**good, **change})
        assert caught.value.errors == errors, change
    assert _snapshot() == before
