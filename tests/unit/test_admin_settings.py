"""The staff settings: reminder schedule, seller identity on invoices, ticket auto-close.
Saved through the domain functions into the real database and read back by the code that
uses them (the reminder job, invoicing, the ticket job)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.billing.invoices import issue_invoice
from o2portal.billing.models import Invoice, Order, OrderLine
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core import clock
from o2portal.core import stored_settings as settings_store
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent, Setting
from o2portal.core.money import totals_for
from o2portal.core.settings import get_settings
from o2portal.jobs import runner as jobs
from o2portal.products.models import Product, ReminderSent
from o2portal.support import tickets
from tests.unit.helpers import actor

START = date(2027, 3, 1)
NEW_SELLER = {
    "name": "Hébergeur Nouveau SARL",
    "address": "5 avenue des Volcans\r\n63100 Clermont-Ferrand\n\nFrance",
    "siret": "732 829 320 00074",
    "vat_number": "FR 44 732829320",
    "legal_form": "SARL au capital de 20 000 €",
    "rcs": "RCS Clermont-Ferrand 732 829 320",
}


@pytest.fixture
def people(db):
    made = {}
    with transaction() as session:
        ensure_catalogue(session)
        for role in ("admin", "support", "customer"):
            person = Customer(
                email=f"{role}@settings.example",
                password_hash="$2b$12$" + "x" * 53,  # never checked here
                first_name=role.title(),
                last_name="Test",
                phone="+33612345678",
                address_line1="1 rue de la Paix",
                postal_code="75002",
                city="Paris",
                role=role,
            )
            session.add(person)
            session.flush()
            made[role] = person.id
    return made


def setting(key: str):
    with read_session() as session:
        row = session.get(Setting, key)
        return None if row is None else json.loads(row.value_json)


def settings_events() -> list[dict]:
    with read_session() as session:
        rows = session.exec(
            select(AuditEvent)
            .where(AuditEvent.action == "staff.settings_changed")
            .order_by(AuditEvent.id)
        ).all()
    return [{"actor": e.actor_id, **json.loads(e.details_json)} for e in rows]


def at(day: date):
    """Freeze the clock at 06:00 Paris on that day (in this thread only)."""
    return clock.frozen_at(datetime.combine(day, time(5, 0), tzinfo=UTC))


def reminder_stages(product_id: int) -> list[str]:
    with read_session() as session:
        rows = session.exec(
            select(ReminderSent)
            .where(ReminderSent.product_id == product_id)
            .order_by(ReminderSent.id)
        ).all()
    return [r.stage for r in rows]


# ---------------------------------------------------------------- reminder schedule


def test_a_saved_schedule_is_read_back_and_the_job_sends_at_its_stages(people):
    saved = settings_store.save_reminder_schedule(
        actor(people["admin"]), "d+2, D-45 ; D-3", ip="192.0.2.7"
    )
    assert saved == ["D-45", "D-3", "D+2"]  # one spelling, in time order
    assert setting("reminder_schedule") == ["D-45", "D-3", "D+2"]
    with read_session() as session:
        assert settings_store.reminder_schedule(session) == [
            ("D-45", -45),
            ("D-3", -3),
            ("D+2", 2),
        ]
    [event] = settings_events()
    assert event["actor"] == people["admin"] and event["setting"] == "reminder_schedule"
    assert event["old"] == settings_store.DEFAULT_REMINDER_SCHEDULE
    assert event["new"] == ["D-45", "D-3", "D+2"]

    expiry = START + timedelta(days=70)
    with transaction() as session:
        product = Product(
            customer_id=people["customer"],
            kind="domain",
            name="schedule-test.fr",
            offer_code="fr",
            start_date=START - timedelta(days=300),
            expiry_date=expiry,
        )
        session.add(product)
        session.flush()
        product_id = product.id
    sent_on: dict[str, date] = {}
    day = START
    while day <= expiry + timedelta(days=5):
        before = len(reminder_stages(product_id))
        with at(day):
            jobs.run_all()
        after = reminder_stages(product_id)
        if len(after) > before:
            sent_on[after[-1]] = day
        day += timedelta(days=1)
    # The default stages (D-60, D-30, D-15, D-7, D-1, D0, D+7) are gone: only the new ones.
    assert reminder_stages(product_id) == ["D-45", "D-3", "D+2"]
    assert sent_on == {
        "D-45": expiry - timedelta(days=45),
        "D-3": expiry - timedelta(days=3),
        "D+2": expiry + timedelta(days=2),
    }


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("D-abc", "error.stage_invalid"),
        ("D-60, J-30", "error.stage_invalid"),
        ("D-30, D-7, D-30", "settings.stage_duplicate"),
        ("D+7, D+07", "settings.stage_duplicate"),
        ("", "settings.schedule_empty"),
        (" , ;", "settings.schedule_empty"),
        ("D-400, D-30", "settings.stage_out_of_range"),
        ("D+61", "settings.stage_out_of_range"),
        (", ".join(f"D-{n}" for n in range(1, 14)), "settings.schedule_too_many"),
    ],
)
def test_bad_schedules_are_refused_and_nothing_is_saved(people, text, error):
    before = setting("reminder_schedule")
    with pytest.raises(InvalidInput) as caught:
        settings_store.save_reminder_schedule(actor(people["admin"]), text)
    assert caught.value.errors == {"reminder_schedule": error}
    assert setting("reminder_schedule") == before
    assert settings_events() == []


def test_twelve_stages_from_d_minus_365_to_d_plus_60_are_accepted(people):
    text = "D-365, D-180, D-90, D-60, D-30, D-15, D-7, D-1, D0, D+7, D+30, D+60"
    assert len(settings_store.save_reminder_schedule(actor(people["admin"]), text)) == 12


# ---------------------------------------------------------------- seller identity


def _paid_invoice(customer_id: int, paid_at: datetime) -> int:
    totals = totals_for([8400], 2000)
    with transaction() as session:
        order = Order(
            customer_id=customer_id,
            kind="order",
            status="unpaid",
            idempotency_key=f"settings-test-{paid_at.isoformat()}",
            total_ht_cents=totals.ht,
            total_vat_cents=totals.vat,
            total_ttc_cents=totals.ttc,
            vat_rate_bp=2000,
            created_at=paid_at,
        )
        session.add(order)
        session.flush()
        session.add(
            OrderLine(
                order_id=order.id,
                action="renew",
                description="Hébergement Grow, 1 an",
                item_code="grow",
                quantity=1,
                unit_price_ht_cents=8400,
                total_ht_cents=8400,
                vat_rate_bp=2000,
            )
        )
        session.flush()
        return issue_invoice(session, order, method="transfer", paid_at=paid_at).id


def _seller_of(invoice_id: int) -> dict:
    with read_session() as session:
        return json.loads(session.get(Invoice, invoice_id).seller_snapshot_json)


def test_a_saved_seller_identity_goes_on_new_invoices_only(people):
    env = get_settings()
    older = _paid_invoice(people["customer"], datetime(2027, 1, 10, 9, tzinfo=UTC))
    assert _seller_of(older)["name"] == env.seller_name
    assert _seller_of(older)["siret"] == env.seller_siret

    saved = settings_store.save_seller_identity(actor(people["admin"]), NEW_SELLER)
    assert saved == {
        "name": "Hébergeur Nouveau SARL",
        "address": "5 avenue des Volcans\n63100 Clermont-Ferrand\nFrance",
        "siret": "73282932000074",
        "vat_number": "FR44732829320",
        "legal_form": "SARL au capital de 20 000 €",
        "rcs": "RCS Clermont-Ferrand 732 829 320",
    }
    assert setting("seller_identity") == saved

    newer = _paid_invoice(people["customer"], datetime(2027, 1, 11, 9, tzinfo=UTC))
    assert _seller_of(newer) == saved
    # The invoice issued before keeps the identity frozen in it.
    assert _seller_of(older) == settings_store.default_seller_identity()
    assert _seller_of(older)["name"] == env.seller_name != saved["name"]

    [event] = settings_events()
    assert event["setting"] == "seller_identity"
    assert event["old"]["siret"] == env.seller_siret and event["new"] == saved


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"siret": "73282932000075"}, {"siret": "error.siret_invalid"}),
        ({"siret": "1234"}, {"siret": "error.siret_invalid"}),
        ({"vat_number": "FR00732829320"}, {"vat_number": "error.vat_invalid"}),
        ({"vat_number": ""}, {"vat_number": "error.required"}),
        ({"vat_number": "FR92510961139"}, {"vat_number": "settings.vat_siren_mismatch"}),
        (
            {"name": " ", "siret": "", "address": "\n"},
            {"name": "error.required", "siret": "error.required", "address": "error.required"},
        ),
        ({"address": "\n".join(["ligne"] * 7)}, {"address": "settings.address_lines"}),
        ({"rcs": "RCS\u202eParis"}, {"rcs": "error.bad_characters"}),
    ],
)
def test_a_bad_seller_identity_is_refused_and_nothing_is_saved(people, changes, errors):
    with pytest.raises(InvalidInput) as caught:
        settings_store.save_seller_identity(actor(people["admin"]), {**NEW_SELLER, **changes})
    assert caught.value.errors == errors
    assert setting("seller_identity") is None
    with read_session() as session:
        assert settings_store.seller_identity(session) == settings_store.default_seller_identity()
    assert settings_events() == []


# ---------------------------------------------------------------- ticket auto-close


def test_ticket_autoclose_days_saved_and_checked(people):
    assert settings_store.save_ticket_autoclose_days(actor(people["admin"]), " 21 ") == 21
    with read_session() as session:
        assert tickets.autoclose_days(session) == 21
    for bad, error in (
        ("0", "settings.autoclose_range"),
        ("366", "settings.autoclose_range"),
        ("3.5", "settings.autoclose_range"),
        ("-2", "settings.autoclose_range"),
        ("", "error.required"),
    ):
        with pytest.raises(InvalidInput) as caught:
            settings_store.save_ticket_autoclose_days(actor(people["admin"]), bad)
        assert caught.value.errors == {"ticket_autoclose_days": error}
    assert setting("ticket_autoclose_days") == 21
    [event] = settings_events()
    assert (event["old"], event["new"]) == (settings_store.DEFAULT_AUTOCLOSE_DAYS, 21)


# ---------------------------------------------------------------- who may


@pytest.mark.parametrize("role", ["support", "customer"])
def test_only_an_admin_reads_or_changes_the_settings(people, role):
    who = people[role]
    with pytest.raises(NotAllowed):
        settings_store.settings_for_staff(actor(who))
    with pytest.raises(NotAllowed):
        settings_store.save_reminder_schedule(actor(who), "D-10")
    with pytest.raises(NotAllowed):
        settings_store.save_seller_identity(actor(who), NEW_SELLER)
    with pytest.raises(NotAllowed):
        settings_store.save_ticket_autoclose_days(actor(who), "3")
    # Refused before any check of the input, which tells nothing to the caller either.
    with pytest.raises(NotAllowed):
        settings_store.save_reminder_schedule(actor(who), "D-abc")
    assert setting("reminder_schedule") == settings_store.DEFAULT_REMINDER_SCHEDULE
    assert setting("seller_identity") is None and setting("ticket_autoclose_days") is None
    assert settings_events() == []


def test_a_disabled_admin_is_refused(people):
    with transaction() as session:
        admin = session.get(Customer, people["admin"])
        admin.disabled_at = clock.now()
        session.add(admin)
    with pytest.raises(NotAllowed):
        settings_store.save_reminder_schedule(actor(people["admin"]), "D-10")


def test_the_default_identity_passes_the_checks_so_the_page_saves_it_unchanged(people):
    default = settings_store.default_seller_identity()
    assert settings_store.save_seller_identity(actor(people["admin"]), default) == default


def test_the_admin_sees_the_current_values(people):
    shown = settings_store.settings_for_staff(actor(people["admin"]))
    assert shown.reminder_schedule == settings_store.DEFAULT_REMINDER_SCHEDULE
    assert shown.seller == settings_store.default_seller_identity()
    assert not shown.seller_saved and shown.ticket_autoclose_days == 7
    settings_store.save_seller_identity(actor(people["admin"]), NEW_SELLER)
    shown = settings_store.settings_for_staff(actor(people["admin"]))
    assert shown.seller_saved and shown.seller["name"] == NEW_SELLER["name"]
