"""Mass mail: each segment holds exactly the right customers, a form's key makes one
campaign, the outbox sends mass mail at the set pace, and only admins do any of it."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.core import clock, stored_settings
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.models import AuditEvent
from o2portal.demo.seed import seed_demo
from o2portal.mail import campaigns, outbox
from o2portal.mail.models import MailCampaign, OutboxEmail
from o2portal.products.models import Product
from tests.unit.helpers import actor, count, update_customer

WEB12 = "web12.o2portal.example"


@pytest.fixture
def demo(db):
    seed_demo()
    with read_session() as session:
        return {c.email.split("@")[0]: c for c in session.exec(select(Customer)).all()}


def _product(owner: Customer, **fields) -> None:
    values = {
        "kind": "hosting",
        "name": f"extra-{owner.id}.fr",
        "offer_code": "grow",
        "start_date": clock.today(),
        "expiry_date": clock.today() + timedelta(days=300),
    }
    values.update(fields)
    with transaction() as session:
        session.add(Product(customer_id=owner.id, **values))


def _who(admin, **segment) -> set[str]:
    """The emails (before the @) the segment's preview counts, checked against the count."""
    form = {"subject": "Objet", "body": "Bonjour ${first_name}", **segment}
    preview = campaigns.preview(admin, form)
    with read_session() as session:
        found = session.exec(campaigns.recipients_query(campaigns.clean_segment(session, form)))
        emails = {row[1].split("@")[0] for row in found}
    assert preview.count == len(emails)
    return emails


def test_each_segment_holds_exactly_the_right_customers(demo):
    admin = actor(demo["admin"].id)
    # Marie has a second live product on web12: she is counted once.
    _product(demo["client"], hosting_server=WEB12, name="second.fr")
    # Staff, a disabled account and a terminated product on web12 never count.
    _product(demo["support"], hosting_server=WEB12)
    _product(demo["paul.bernard"], hosting_server=WEB12)
    update_customer(demo["paul.bernard"].id, disabled_at=clock.now())
    _product(demo["brasserie"], hosting_server=WEB12, status="terminated")
    assert _who(admin, server=WEB12) == {"client"}
    assert _who(admin, offer="pro") == {"entreprise"}
    assert _who(admin, extension=".com") == {"client", "entreprise", "brasserie"}
    soon = (clock.today() + timedelta(days=15)).isoformat()
    # Marie's expired .net is still hers (live); the Brasserie's .eu ends in 12 days.
    assert _who(admin, expiring_before=soon) == {"client", "brasserie"}
    update_customer(demo["paul.bernard"].id, disabled_at=None)
    update_customer(demo["paul.bernard"].id, email_verified_at=None)
    update_customer(demo["entreprise"].id, email_verified_at=None)
    assert _who(admin, unverified="on") == {"paul.bernard", "entreprise"}
    # Combined: the same product must match every product criterion.
    assert _who(admin, unverified="on", extension="io") == {"paul.bernard"}
    assert _who(admin, extension="eu", expiring_before=soon) == {"brasserie"}
    assert _who(admin, extension="com", expiring_before=soon) == set()
    assert _who(admin, server=WEB12, offer="pro") == set()


@pytest.mark.parametrize(
    ("form", "errors"),
    [
        ({}, {"segment": "campaign.no_criterion"}),
        ({"server": "nope.example"}, {"server": "campaign.unknown_server"}),
        ({"offer": "gold"}, {"offer": "campaign.unknown_offer"}),
        ({"extension": "%"}, {"extension": "campaign.unknown_extension"}),
        ({"expiring_before": "31/12/2026"}, {"expiring_before": "campaign.bad_date"}),
        ({"offer": "pro", "subject": "${prenom}"}, {"subject": "mailtext.unknown"}),
        ({"offer": "pro", "body": "  "}, {"body": "mailtext.required"}),
    ],
)
def test_a_bad_form_is_refused_by_its_fields(demo, form, errors):
    admin = actor(demo["admin"].id)
    full = {"subject": "Objet", "body": "Texte", **form}
    mails = count(OutboxEmail)
    with pytest.raises(InvalidInput) as refused:
        campaigns.preview(admin, full)
    assert refused.value.errors == errors
    with pytest.raises(InvalidInput):
        campaigns.send(admin, full, key="k" * 32, seen_count="1")
    assert count(MailCampaign) == 0 and count(OutboxEmail) == mails


def test_sending_queues_one_mail_per_customer_once_per_key(demo):
    admin = actor(demo["admin"].id)
    form = {
        "extension": "com",
        "subject": "Maintenance, ${first_name}",
        "body": "Bonjour ${first_name} ${last_name},\n\nCoupure le 12.",
    }
    preview = campaigns.preview(admin, form)
    assert preview.count == 3
    assert preview.subject == "Maintenance, Marie"
    before = count(OutboxEmail)
    sent = campaigns.send(admin, form, key="a" * 32, seen_count=str(preview.count), ip="192.0.2.1")
    again = campaigns.send(admin, form, key="a" * 32, seen_count="3")
    assert sent.created and not again.created
    assert again.campaign_id == sent.campaign_id and sent.recipients == 3
    assert count(OutboxEmail) == before + 3 and count(MailCampaign) == 1
    with read_session() as session:
        mails = session.exec(
            select(OutboxEmail).where(OutboxEmail.campaign_id == sent.campaign_id)
        ).all()
        marie = session.get(Customer, demo["client"].id)
    assert {m.kind for m in mails} == {"campaign"} and len({m.to_addr for m in mails}) == 3
    [to_marie] = [m for m in mails if m.customer_id == marie.id]
    assert to_marie.subject == "Maintenance, Marie"
    assert to_marie.body_text == f"Bonjour Marie {marie.last_name},\n\nCoupure le 12."
    event = [e for e in _events() if e.action == "staff.mass_mail_sent"][0]
    details = json.loads(event.details_json)
    assert event.actor_id == demo["admin"].id and details["recipients"] == 3
    assert details["segment"]["extension"] == "com"
    [row] = campaigns.list_campaigns(admin).rows
    assert (row.recipients, row.pending, row.sent, row.failed) == (3, 3, 0, 0)
    assert row.segment["extension"] == "com"


def test_a_failing_address_is_left_out_and_the_preview_says_how_many(demo):
    """A bounced address is not counted nor mailed (the mail would bounce again and
    hurt the sender's reputation); the preview says how many were left out for it."""
    admin = actor(demo["admin"].id)
    update_customer(
        demo["brasserie"].id, email_failing_at=clock.now(), email_failing_reason="550 unknown"
    )
    form = {"extension": "com", "subject": "Objet", "body": "Texte"}
    preview = campaigns.preview(admin, form)
    assert (preview.count, preview.failing) == (2, 1)
    assert _who(admin, extension="com") == {"client", "entreprise"}
    with pytest.raises(InvalidInput) as refused:
        campaigns.send(admin, form, key="f" * 32, seen_count="3")
    assert refused.value.errors == {"segment": "campaign.count_changed"}
    sent = campaigns.send(admin, form, key="f" * 32, seen_count="2")
    with read_session() as session:
        mails = session.exec(
            select(OutboxEmail).where(OutboxEmail.campaign_id == sent.campaign_id)
        ).all()
    assert sent.recipients == 2
    assert sorted(m.customer_id for m in mails) == sorted(
        [demo["client"].id, demo["entreprise"].id]
    )
    event = [e for e in _events() if e.action == "staff.mass_mail_sent"][0]
    assert json.loads(event.details_json)["left_out_failing"] == 1
    # Nobody failing: nothing said to be left out.
    assert campaigns.preview(admin, {**form, "extension": "io"}).failing == 0


def _events() -> list[AuditEvent]:
    with read_session() as session:
        return list(session.exec(select(AuditEvent)))


def test_a_segment_that_changed_since_the_preview_sends_nothing(demo):
    admin = actor(demo["admin"].id)
    form = {"extension": "com", "subject": "Objet", "body": "Texte"}
    with pytest.raises(InvalidInput) as refused:
        campaigns.send(admin, form, key="b" * 32, seen_count="2")
    assert refused.value.errors == {"segment": "campaign.count_changed"}
    with pytest.raises(InvalidInput) as refused:
        campaigns.send(
            admin, {**form, "extension": "eu", "offer": "pro"}, key="c" * 32, seen_count="0"
        )
    assert refused.value.errors == {"segment": "campaign.nobody"}
    with pytest.raises(InvalidInput) as refused:
        campaigns.send(admin, form, key="", seen_count="3")
    assert refused.value.errors == {"key": "error.form_stale"}
    assert count(MailCampaign) == 0


def test_two_sends_of_one_form_at_once_make_one_campaign(demo):
    admin = actor(demo["admin"].id)
    form = {"extension": "com", "subject": "Objet", "body": "Texte"}
    results, start = [], threading.Barrier(2)

    def go():
        start.wait()
        results.append(campaigns.send(admin, form, key="d" * 32, seen_count="3"))

    threads = [threading.Thread(target=go) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2 and {r.campaign_id for r in results} == {results[0].campaign_id}
    assert count(MailCampaign) == 1
    with read_session() as session:
        queued = session.exec(select(OutboxEmail).where(OutboxEmail.kind == "campaign")).all()
    assert len(queued) == 3


def test_the_outbox_sends_mass_mail_at_the_set_pace_and_other_mail_first(demo, smtp_sink):
    admin = actor(demo["admin"].id)
    stored_settings.save_mass_mail_per_minute(admin, "2")
    form = {"extension": "com", "subject": "Objet", "body": "Texte"}
    outbox.deliver_all_due()  # what the demo left in the outbox goes first
    sent = campaigns.send(admin, form, key="e" * 32, seen_count="3")
    with transaction() as session:
        outbox.queue_email(session, to="x@example.com", subject="Reset", body="b", kind="k")
    start = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    with clock.frozen_at(start):
        outbox.deliver_all_due()
    mine = [m for m in smtp_sink.messages if m["Subject"] == "Objet"]
    assert len(mine) == 2
    assert any(m["Subject"] == "Reset" for m in smtp_sink.messages)
    with clock.frozen_at(start + timedelta(seconds=30)):
        assert outbox.deliver_all_due() == 0
    with clock.frozen_at(start + timedelta(seconds=61)):
        assert outbox.deliver_all_due() == 1
    [row] = campaigns.list_campaigns(admin).rows
    assert (row.id, row.sent, row.pending) == (sent.campaign_id, 3, 0)


def test_the_pace_setting_is_checked_and_audited(demo):
    admin = actor(demo["admin"].id)
    for bad in ("0", "abc", "", "100000"):
        with pytest.raises(InvalidInput):
            stored_settings.save_mass_mail_per_minute(admin, bad)
    assert stored_settings.save_mass_mail_per_minute(admin, " 120 ") == 120
    with pytest.raises(NotAllowed):
        stored_settings.save_mass_mail_per_minute(actor(demo["support"].id), "10")


def test_only_admins_send_or_read(demo):
    form = {"extension": "com", "subject": "Objet", "body": "Texte"}
    for who in ("support", "client"):
        someone = actor(demo[who].id)
        with pytest.raises(NotAllowed):
            campaigns.segment_choices(someone)
        with pytest.raises(NotAllowed):
            campaigns.preview(someone, form)
        with pytest.raises(NotAllowed):
            campaigns.send(someone, form, key="f" * 32, seen_count="3")
        with pytest.raises(NotAllowed):
            campaigns.list_campaigns(someone)
    assert count(MailCampaign) == 0


def test_the_choices_are_the_servers_offers_and_extensions(demo):
    choices = campaigns.segment_choices(actor(demo["admin"].id))
    assert WEB12 in choices.servers and "web07.o2portal.example" in choices.servers
    assert "pro" in [code for code, _ in choices.offers]
    assert {"fr", "com", "eu"} <= set(choices.extensions)
