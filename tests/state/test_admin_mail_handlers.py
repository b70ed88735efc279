"""The mail templates and mass mail pages' handlers, called as the browser calls them:
errors land by their field with nothing saved, a double send makes one campaign, and
support is refused everything."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.mail.models import MailCampaign, MailTemplate, OutboxEmail
from o2portal.products.models import Product
from o2portal.web.guards import Forbidden
from o2portal.web.staff.campaigns.state import AdminCampaignsState
from o2portal.web.staff.mail_templates.state import AdminMailTemplatesState
from tests.state.conftest import make_state, run
from tests.unit.helpers import count


def _templates(people, who: str = "ada") -> AdminMailTemplatesState:
    state = make_state(
        AdminMailTemplatesState, token=people["token"][who], path="/admin/emails/templates"
    )
    run(state, "load")
    return state


def test_edit_preview_save_and_reset_a_text(people):
    state = _templates(people)
    row = next(r for r in state.rows if r["kind"] == "invoice")
    assert row["name"] == "Facture" and row["fr"] == row["en"] == "default"
    run(state, "open_text", "invoice", "en")
    assert state.title == "Facture — anglais" and not state.edited
    assert "${number}" in state.variables and "${portal_url}" in state.variables
    # The file's text, previewed with sample values as soon as it opens.
    assert state.preview_subject == "Your invoice F2026-000123"
    # The preview follows the typing; a wrong text is named by its field instead.
    run(state, "set_draft_subject", "Invoice ${number} ${nope}")
    assert state.errors == {
        "subject": "Variable inconnue : ${nope}. Utilisez une variable de la liste."
    }
    assert state.preview_subject == ""
    run(state, "set_draft_subject", "Invoice ${number}")
    run(state, "set_draft_body", "Total: ${total}")
    assert state.errors == {}
    assert (state.preview_subject, state.preview_body) == ("Invoice F2026-000123", "Total: €143.88")

    run(state, "save", {"subject": "Facture $", "body": "Total: ${total}"})
    assert "subject" in state.errors and count(MailTemplate) == 0
    run(state, "save", {"subject": "Invoice ${number}", "body": "Total: ${total}"})
    assert state.errors == {} and state.edited and state.message.startswith("Texte enregistré")
    assert next(r for r in state.rows if r["kind"] == "invoice")["en"] == "edited"
    with read_session() as session:
        saved = session.get(MailTemplate, ("invoice", "en"))
        assert (saved.subject, saved.body) == ("Invoice ${number}", "Total: ${total}")

    run(state, "reset_text")
    assert not state.edited and count(MailTemplate) == 0
    assert state.message == "Texte d'origine rétabli."
    run(state, "open_text", "no_such_kind", "fr")
    assert state.kind == ""


def test_support_is_refused_the_templates(people):
    state = make_state(
        AdminMailTemplatesState, token=people["token"]["sam"], path="/admin/emails/templates"
    )
    for handler, args in (
        ("load", ()),
        ("open_text", ("invoice", "fr")),
        ("set_draft_subject", ("x",)),
        ("save", ({"subject": "A", "body": "B"},)),
        ("reset_text", ()),
        ("set_draft_body", ("x",)),
    ):
        with pytest.raises(Forbidden):
            run(state, handler, *args)


@pytest.fixture
def hosted(people):
    """Alice has two live products on web1, Bob one; Sam (support) one too."""
    with transaction() as session:
        for who, name in (("alice", "a.fr"), ("alice", "b.fr"), ("bob", "c.fr"), ("sam", "d.fr")):
            session.add(
                Product(
                    customer_id=people["customer"][who].id,
                    kind="hosting",
                    name=name,
                    offer_code="grow",
                    hosting_server="web1.example",
                    start_date=clock.today(),
                    expiry_date=clock.today() + timedelta(days=200),
                )
            )
    return people


def _campaigns(people, who: str = "ada") -> AdminCampaignsState:
    state = make_state(
        AdminCampaignsState, token=people["token"][who], path="/admin/emails/campaigns"
    )
    run(state, "load")
    return state


FORM = {"server": "web1.example", "subject": "Travaux, ${first_name}", "body": "Bonjour."}


def test_preview_counts_then_a_double_send_queues_once(hosted):
    state = _campaigns(hosted)
    assert state.servers == ["web1.example"] and state.rows == []
    run(state, "send", {"pay_key": state.send_key, "seen_count": "2"})
    assert state.errors == {"segment": "Faites d'abord l'aperçu."}
    run(state, "preview", {**FORM, "subject": "${prenom}"})
    assert state.errors["subject"].startswith("Variable inconnue") and state.count == ""
    run(state, "preview", FORM)
    assert state.errors == {} and state.count == "2"
    assert state.sample_subject == "Travaux, Alice" and state.sample_to == "alice@example.fr"
    mails = count(OutboxEmail)
    form = {"pay_key": state.send_key, "seen_count": state.count}
    run(state, "send", form)
    assert state.done and state.message == "2 email(s) mis en file d'envoi."
    run(state, "send", form)  # the second click of a double click
    assert state.message == "Cet envoi a déjà été fait : 2 email(s)."
    assert count(MailCampaign) == 1 and count(OutboxEmail) == mails + 2
    [row] = state.rows
    assert row["segment"] == "serveur web1.example" and row["recipients"] == "2"
    assert row["pending"] == "2" and row["author"] == "Ada Test"
    with read_session() as session:
        to = set(session.exec(select(OutboxEmail.to_addr).where(OutboxEmail.kind == "campaign")))
    assert to == {"alice@example.fr", "bob@example.fr"}
    run(state, "again")
    assert not state.done and state.count == "" and state.send_key != form["pay_key"]


def test_a_count_that_changed_sends_nothing(hosted):
    state = _campaigns(hosted)
    run(state, "preview", FORM)
    run(state, "send", {"pay_key": state.send_key, "seen_count": "5"})
    assert state.errors["segment"].startswith("Le nombre de destinataires a changé")
    assert count(MailCampaign) == 0


def test_the_preview_says_how_many_failing_addresses_are_left_out(hosted):
    state = _campaigns(hosted)
    run(state, "preview", FORM)
    assert state.count == "2" and state.failing_note == ""
    with transaction() as session:
        bob = session.get(Customer, hosted["customer"]["bob"].id)
        bob.email_failing_at, bob.email_failing_reason = clock.now(), "550 no such user"
        session.add(bob)
    run(state, "preview", FORM)
    assert state.count == "1"
    assert state.failing_note == "1 client(s) laissé(s) de côté : leur adresse email est en échec."
    run(state, "send", {"pay_key": state.send_key, "seen_count": state.count})
    with read_session() as session:
        to = set(session.exec(select(OutboxEmail.to_addr).where(OutboxEmail.kind == "campaign")))
    assert to == {"alice@example.fr"}
    run(state, "again")
    assert state.failing_note == ""


def test_support_is_refused_mass_mail(hosted):
    state = make_state(
        AdminCampaignsState, token=hosted["token"]["sam"], path="/admin/emails/campaigns"
    )
    for handler, args in (
        ("load", ()),
        ("preview", (FORM,)),
        ("send", ({"pay_key": "k" * 32, "seen_count": "2"},)),
        ("again", ()),
        ("next_page", ()),
    ):
        with pytest.raises(Forbidden):
            run(state, handler, *args)
    assert count(MailCampaign) == 0
