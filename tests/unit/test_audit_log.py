"""The audit log in words: each event a sentence naming who acted and on what, the object
linked, the reason said; filters by kind of action, staff member, customer and dates;
admins only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete

from o2portal.core import clock
from o2portal.core.db import transaction
from o2portal.core.errors import NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.products.models import Product
from o2portal.products.staff import change_status
from o2portal.reporting.audit_log import has_sentence, list_events, staff_choices
from tests.unit.helpers import actor, get_customer, make_customer, update_customer

T0 = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def people(db):
    marie = make_customer(email="marie@example.fr", first_name="Marie", last_name="Dupont")
    claire = make_customer(email="claire@o2portal.example", first_name="Claire", last_name="Martin")
    update_customer(claire.id, role="admin")
    sophie = make_customer(email="sophie@o2portal.example", first_name="Sophie", last_name="Leroy")
    update_customer(sophie.id, role="support")
    with transaction() as session:
        product = Product(
            customer_id=marie.id,
            kind="hosting",
            name="dupont-photo.fr",
            offer_code="grow",
            status="active",
            start_date=T0.date() - timedelta(days=300),
            expiry_date=T0.date() + timedelta(days=65),
        )
        session.add(product)
        session.flush()
        product_id = product.id
        # The sign-ups above are events too: each test starts from an empty log.
        session.execute(delete(AuditEvent))
    return {
        "marie": marie,
        "claire": get_customer(claire.id),
        "sophie": get_customer(sophie.id),
        "product": product_id,
    }


def test_a_staff_action_reads_as_a_sentence_with_its_object_linked(people):
    with clock.frozen_at(T0):
        change_status(actor(people["claire"]), people["product"], "suspend", "impayé")
    (line,) = [
        e for e in list_events(actor(people["claire"])).rows if e.action == "staff.product_suspend"
    ]
    assert line.before + line.target + line.after == (
        "Claire Martin (admin) a suspendu l'hébergement dupont-photo.fr : impayé"
    )
    assert line.target == "l'hébergement dupont-photo.fr"
    assert line.href == f"/admin/products/{people['product']}"
    assert line.customer == "Marie Dupont" and line.customer_id == people["marie"].id
    english = next(
        e
        for e in list_events(actor(people["claire"]), lang="en").rows
        if e.action == "staff.product_suspend"
    )
    assert english.before + english.target + english.after == (
        "Claire Martin (admin) suspended hosting dupont-photo.fr: impayé"
    )


def _event(session, action: str, when: datetime, actor_id=None, customer_id=None, role="admin"):
    session.add(
        AuditEvent(
            created_at=when,
            actor_id=actor_id,
            actor_role=role,
            customer_id=customer_id,
            action=action,
            details_json="{}",
        )
    )


def test_filters_by_kind_staff_member_customer_and_dates(people):
    claire, sophie, marie = people["claire"], people["sophie"], people["marie"]
    with transaction() as session:
        _event(session, "staff.customer_edited", T0, claire.id, marie.id)
        _event(session, "ticket.answered", T0 + timedelta(days=1), sophie.id, marie.id, "support")
        _event(session, "auth.login", T0 + timedelta(days=3), marie.id, marie.id, "customer")
        _event(session, "staff.settings_changed", T0 + timedelta(days=3), claire.id)
    admin = actor(claire)

    def actions(**filters) -> list[str]:
        return [e.action for e in list_events(admin, **filters).rows]

    assert actions(group="support") == ["ticket.answered"]
    assert actions(group="sign_in") == ["auth.login"]
    assert actions(staff_id=str(sophie.id)) == ["ticket.answered"]
    assert actions(customer="dupont") == ["auth.login", "ticket.answered", "staff.customer_edited"]
    assert actions(customer=str(marie.id)) == actions(customer="marie@")
    assert actions(since="2026-05-05", until="2026-05-05") == ["ticket.answered"]
    assert actions(since="2026-05-07") == ["staff.settings_changed", "auth.login"]
    assert actions(since="n'importe quoi", group="nothing", staff_id="x") == actions()
    settings = list_events(admin, staff_id=str(claire.id)).rows[0]
    assert settings.before == "Claire Martin (admin) a modifié les réglages"
    assert settings.customer == "" and settings.href == ""


def test_an_event_of_nobody_and_of_the_system_say_so(people):
    with transaction() as session:
        _event(session, "auth.login_failed", T0, role="anonymous")
        _event(session, "product.expired", T0, role="system")
        _event(session, "invoice.issued", T0, role="anonymous")
    lines = list_events(actor(people["claire"])).rows
    assert lines[0].before.startswith("Le système : ")  # no actor recorded, not a visitor
    assert lines[1].before.startswith("Le système : ")
    assert lines[2].before.startswith("Un visiteur : connexion refusée")


def test_every_known_action_has_words_and_an_unknown_one_would_not():
    assert has_sentence("staff.product_terminate")
    assert not has_sentence("staff.something_new")


def test_only_admins_read_the_log(people):
    for who in ("sophie", "marie"):
        with pytest.raises(NotAllowed):
            list_events(actor(people[who]))
        with pytest.raises(NotAllowed):
            staff_choices(actor(people[who]))
    names = [name for _, name in staff_choices(actor(people["claire"]))]
    assert names == ["Claire Martin (admin)", "Sophie Leroy (support)"]
