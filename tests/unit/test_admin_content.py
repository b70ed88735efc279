"""Staff content: FAQ entries and announcements, with roles, validation, audit, and what
customers then see (the public FAQ and the dashboard)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.content import staff as admin_content
from o2portal.content.faq import search_faq
from o2portal.content.models import Announcement, FaqEntry
from o2portal.core import clock
from o2portal.core.db import read_session
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.demo.seed import seed_demo
from o2portal.reporting.customer_overview import customer_overview
from tests.unit.helpers import actor, count

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def demo(db):
    seed_demo()
    with read_session() as session:
        return {c.email.split("@")[0]: c for c in session.exec(select(Customer)).all()}


def audit_of(action: str) -> list[AuditEvent]:
    with read_session() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def faq_form(**overrides) -> dict:
    values = {
        "topic": "Hébergement",
        "question": "Comment activer PHP 8.3 ?",
        "answer": "Dans **Mon hébergement**, choisissez *PHP 8.3*.\n\n- étape 1\n- étape 2",
        "language": "fr",
        "sort_order": "5",
        "published": "on",
    }
    return {**values, **overrides}


def announcement_form(**overrides) -> dict:
    values = {"title": "Maintenance", "body": "Le serveur **web3** redémarre.", "level": "info"}
    return {**values, **overrides}


def test_admin_creates_and_edits_a_faq_entry_audited(demo):
    admin = demo["admin"].id
    entry_id = admin_content.save_faq(actor(admin), None, faq_form(), ip="192.0.2.1")
    assert [e.id for e in search_faq("PHP 8.3")] == [entry_id]
    admin_content.save_faq(actor(admin), entry_id, faq_form(question="Comment passer à PHP 8.4 ?"))
    with read_session() as session:
        saved = session.get(FaqEntry, entry_id)
    assert (saved.question, saved.sort_order, saved.published) == (
        "Comment passer à PHP 8.4 ?",
        5,
        True,
    )
    assert "\n- étape 1" in saved.answer  # Markdown keeps its lines
    created, edited = audit_of("staff.faq_created"), audit_of("staff.faq_edited")
    assert [e.target_id for e in created] == [entry_id] and created[0].ip == "192.0.2.1"
    assert [e.actor_id for e in edited] == [admin]
    assert "PHP 8.4" in edited[0].details_json


def test_unpublished_faq_entry_leaves_the_public_faq(demo):
    admin = demo["admin"].id
    entry_id = admin_content.save_faq(actor(admin), None, faq_form())
    assert entry_id in [e.id for e in search_faq("")]
    admin_content.save_faq(actor(admin), entry_id, faq_form(published=""))
    assert entry_id not in [e.id for e in search_faq("")]
    assert search_faq("PHP 8.3") == []
    # Staff still list it, to publish it again.
    listed = admin_content.list_faq(actor(demo["support"].id), page=99)
    assert listed.page == listed.pages and listed.total == count(FaqEntry)


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"question": "   "}, {"question": "error.required"}),
        ({"question": "?" * 301}, {"question": "error.too_long"}),
        ({"answer": "x" * 10_001}, {"answer": "error.too_long"}),
        ({"answer": "", "topic": ""}, {"answer": "error.required", "topic": "error.required"}),
        ({"sort_order": "premier"}, {"sort_order": "content.error_number"}),
        ({"language": "de"}, {"language": "content.error_choice"}),
        ({"question": "Quoi\u202e?"}, {"question": "error.bad_characters"}),
    ],
)
def test_bad_faq_input_is_refused_and_nothing_saved(demo, overrides, errors):
    admin = demo["admin"].id
    entry_id = admin_content.save_faq(actor(admin), None, faq_form())
    entries, events = count(FaqEntry), count(AuditEvent)
    with pytest.raises(InvalidInput) as caught:
        admin_content.save_faq(actor(admin), None, faq_form(**overrides))
    assert caught.value.errors == errors
    with pytest.raises(InvalidInput):
        admin_content.save_faq(actor(admin), entry_id, faq_form(**overrides))
    assert (count(FaqEntry), count(AuditEvent)) == (entries, events)
    with read_session() as session:
        assert session.get(FaqEntry, entry_id).question == "Comment activer PHP 8.3 ?"


def test_support_and_customers_may_read_or_nothing_but_never_change(demo):
    admin, support, client = demo["admin"].id, demo["support"].id, demo["client"].id
    entry_id = admin_content.save_faq(actor(admin), None, faq_form())
    item_id = admin_content.save_announcement(actor(admin), None, announcement_form())
    assert admin_content.faq_entry(actor(support), entry_id).question == "Comment activer PHP 8.3 ?"
    assert admin_content.list_announcements(actor(support)).total == count(Announcement)
    entries, items, events = count(FaqEntry), count(Announcement), count(AuditEvent)
    for who in (support, client):
        with pytest.raises(NotAllowed):
            admin_content.save_faq(actor(who), None, faq_form())
        with pytest.raises(NotAllowed):
            admin_content.save_faq(actor(who), entry_id, faq_form(question="Piraté ?"))
        with pytest.raises(NotAllowed):
            admin_content.save_announcement(actor(who), None, announcement_form())
        with pytest.raises(NotAllowed):
            admin_content.set_announcement_published(actor(who), item_id, False)
    with pytest.raises(NotAllowed):
        admin_content.list_faq(actor(client))
    with pytest.raises(NotAllowed):
        admin_content.announcement(actor(client), item_id)
    assert (count(FaqEntry), count(Announcement), count(AuditEvent)) == (entries, items, events)


def _titles(customer_id: int) -> list[str]:
    return [a.title for a in customer_overview(customer_id).announcements]


def test_announcement_shows_only_while_published_and_within_its_dates(demo):
    admin, client = demo["admin"].id, demo["client"].id
    with clock.frozen_at(T0):
        item_id = admin_content.save_announcement(
            actor(admin),
            None,
            announcement_form(
                title="Migration PHP",
                # Paris time (UTC+2 in June): 12:00 there is 10:00 UTC.
                starts_at="2026-06-02T12:00",
                ends_at="2026-06-05T12:00",
            ),
        )
    with read_session() as session:
        saved = session.get(Announcement, item_id)
    assert saved.starts_at == datetime(2026, 6, 2, 10, 0, tzinfo=UTC)
    assert saved.published is False  # no box ticked: a draft
    admin_content.set_announcement_published(actor(admin), item_id, True, ip="192.0.2.1")
    for moment, shown in [
        (T0, False),  # before its start
        (datetime(2026, 6, 2, 9, 59, tzinfo=UTC), False),
        (datetime(2026, 6, 2, 10, 0, tzinfo=UTC), True),
        (datetime(2026, 6, 4, 10, 0, tzinfo=UTC), True),
        (datetime(2026, 6, 5, 10, 0, tzinfo=UTC), False),  # over
    ]:
        with clock.frozen_at(moment):
            assert ("Migration PHP" in _titles(client)) is shown, moment
    with clock.frozen_at(datetime(2026, 6, 3, tzinfo=UTC)):
        assert admin_content.visibility(saved.model_copy(update={"published": True})) == "visible"
        admin_content.set_announcement_published(actor(admin), item_id, False)
        assert "Migration PHP" not in _titles(client)
    assert [e.action for e in audit_of("staff.announcement_published")] == [
        "staff.announcement_published"
    ]
    assert len(audit_of("staff.announcement_unpublished")) == 1
    assert len(audit_of("staff.announcement_created")) == 1


def test_announcement_edit_and_bad_input(demo):
    admin = demo["admin"].id
    item_id = admin_content.save_announcement(actor(admin), None, announcement_form(published="on"))
    assert "Maintenance" in _titles(demo["client"].id)
    items, events = count(Announcement), count(AuditEvent)
    for overrides, errors in [
        ({"title": ""}, {"title": "error.required"}),
        ({"body": "b" * 5001}, {"body": "error.too_long"}),
        ({"level": "danger"}, {"level": "content.error_choice"}),
        ({"starts_at": "demain"}, {"starts_at": "content.error_date"}),
        (
            {"starts_at": "2026-06-05T12:00", "ends_at": "2026-06-02T12:00"},
            {"ends_at": "content.error_ends_before"},
        ),
    ]:
        with pytest.raises(InvalidInput) as caught:
            admin_content.save_announcement(actor(admin), item_id, announcement_form(**overrides))
        assert caught.value.errors == errors
    assert (count(Announcement), count(AuditEvent)) == (items, events)
    admin_content.save_announcement(
        actor(admin), item_id, announcement_form(title="Maintenance web3", level="warning")
    )
    with read_session() as session:
        saved = session.get(Announcement, item_id)
    assert (saved.title, saved.level, saved.published) == ("Maintenance web3", "warning", False)
    assert len(audit_of("staff.announcement_edited")) == 1
    with pytest.raises(NotAllowed):
        admin_content.set_announcement_published(actor(admin), 10_000, True)


def test_a_saved_faq_entry_is_found_on_the_page_that_shows_it(demo):
    admin = actor(demo["admin"].id)
    late = admin_content.save_faq(admin, None, faq_form(topic="Zzz dernier thème", language="fr"))
    early = admin_content.save_faq(admin, None, faq_form(topic="Aaa premier thème", language="en"))
    total = admin_content.list_faq(admin, 1).total
    assert total > admin_content.PAGE_SIZE  # the demo FAQ fills more than one page
    for entry_id in (late, early):
        page = admin_content.faq_page_of(admin, entry_id)
        assert entry_id in [e.id for e in admin_content.list_faq(admin, page).rows]
    assert admin_content.faq_page_of(admin, early) == 1
    assert admin_content.faq_page_of(admin, late) == admin_content.list_faq(admin, 1).pages
    assert admin_content.faq_page_of(admin, 987654) == 1
