"""The staff's support-tool handlers called by name as the browser would: notes on a
customer's file, a ticket opened for a customer (once however often the form is sent),
a canned reply put into the reply box, the queue's search, and the admins' page of
canned replies and escalation rules. Customers and support get nothing of what is not
theirs to use."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from o2portal.core.db import read_session
from o2portal.support import canned, notes, tickets
from o2portal.support.models import CannedReply, CustomerNote, EscalationRule, Ticket
from o2portal.web.guards import Forbidden
from o2portal.web.staff.customers.work_state import CustomerWorkState
from o2portal.web.staff.support_tools.state import AdminSupportToolsState
from o2portal.web.staff.tickets.state import AdminTicketsState, AdminTicketState
from tests.state.conftest import make_state, run
from tests.unit.helpers import actor


def count(model) -> int:
    with read_session() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def _ticket(customer_id: int, subject: str = "Erreur 500 sur la boutique") -> int:
    return tickets.open_ticket(
        customer_id,
        subject=subject,
        department="technique",
        priority="haute",
        product_id=None,
        body=f"À propos de : {subject}.",
    )


def _file(people, who: str, customer: str) -> CustomerWorkState:
    customer_id = people["customer"][customer].id
    state = make_state(
        CustomerWorkState, token=people["token"][who], path=f"/admin/customers/{customer_id}"
    )
    run(state, "load")
    return state


def test_support_pins_a_note_that_shows_on_the_file_and_on_the_customers_ticket(people):
    alice = people["customer"]["alice"]
    ticket_id = _ticket(alice.id)
    state = _file(people, "sam", "alice")
    run(state, "add_note", {"note": "   "})
    assert state.note_errors == {"note": "Ce champ est obligatoire."}
    run(state, "add_note", {"note": "Appeler avant toute coupure"})
    assert [n["body"] for n in state.notes] == ["Appeler avant toute coupure"]
    assert state.notes[0]["author"] == "Sam Test" and state.notes[0]["mine"] == "yes"
    page = make_state(
        AdminTicketState, token=people["token"]["sam"], path=f"/admin/tickets/{ticket_id}"
    )
    run(page, "load")
    assert [n["body"] for n in page.notes] == ["Appeler avant toute coupure"]


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_customers_cannot_read_or_write_notes(people, who):
    notes.add_note(actor(people["customer"]["sam"]), people["customer"]["alice"].id, "Secret")
    alice_id = people["customer"]["alice"].id
    state = make_state(
        CustomerWorkState, token=people["token"][who], path=f"/admin/customers/{alice_id}"
    )
    for handler, args in (("load", ()), ("add_note", ({"note": "x"},)), ("remove_note", ("1",))):
        with pytest.raises(Forbidden):
            run(state, handler, *args)
    assert state.notes == []
    assert count(CustomerNote) == 1


def test_support_cannot_remove_another_staff_members_note_but_an_admin_can(people):
    alice_id = people["customer"]["alice"].id
    note_id = notes.add_note(actor(people["customer"]["ada"]), alice_id, "Note d'Ada")
    sam = _file(people, "sam", "alice")
    assert sam.notes[0]["mine"] == ""
    run(sam, "remove_note", str(note_id))
    assert len(notes.customer_notes(actor(people["customer"]["sam"]), alice_id)) == 1
    ada = _file(people, "ada", "alice")
    run(ada, "remove_note", str(note_id))
    assert ada.notes == []


def test_a_ticket_opened_for_a_customer_is_opened_once_whatever_the_clicks(people):
    state = _file(people, "sam", "alice")
    run(state, "start_ticket")
    form = {
        "subject": "Script malveillant détecté",
        "department": "technique",
        "priority": "urgente",
        "product_id": "",
        "body": "Nous avons trouvé un script malveillant sur votre site.",
        "pay_key": state.ticket_key,
    }
    first = run(state, "open_ticket", form)
    second = run(state, "open_ticket", form)
    assert count(Ticket) == 1
    with read_session() as session:
        ticket = session.exec(select(Ticket)).one()
    assert ticket.customer_id == people["customer"]["alice"].id
    for result in (first, second):
        assert f"/admin/tickets/{ticket.id}" in str(result)
    run(state, "open_ticket", {**form, "subject": "", "pay_key": "another"})
    assert state.ticket_errors == {"subject": "Ce champ est obligatoire."}
    assert count(Ticket) == 1


def test_a_customer_cannot_open_a_ticket_in_anothers_name(people):
    alice_id = people["customer"]["alice"].id
    state = make_state(
        CustomerWorkState, token=people["token"]["bob"], path=f"/admin/customers/{alice_id}"
    )
    form = {"subject": "S", "department": "technique", "priority": "normale", "body": "B"}
    with pytest.raises(Forbidden):
        run(state, "open_ticket", form)
    assert count(Ticket) == 0


def test_a_canned_reply_lands_in_the_reply_box_filled_in_for_the_ticket(people):
    reply_id = canned.save_canned(
        actor(people["customer"]["ada"]),
        None,
        title="Cache",
        body="Bonjour ${prenom}, videz le cache (ticket #${ticket}). ${agent}",
    )
    ticket_id = _ticket(people["customer"]["alice"].id)
    page = make_state(
        AdminTicketState, token=people["token"]["sam"], path=f"/admin/tickets/{ticket_id}"
    )
    run(page, "load")
    assert page.canned == [{"id": str(reply_id), "title": "Cache"}]
    key = page.compose_key
    run(page, "use_canned", str(reply_id))
    assert page.body == f"Bonjour Alice, videz le cache (ticket #{ticket_id}). Sam"
    assert page.compose_key == key + 1
    run(page, "use_canned", "99999")  # a forged id: nothing
    run(page, "use_canned", "1e3")
    assert page.body == f"Bonjour Alice, videz le cache (ticket #{ticket_id}). Sam"


def test_a_customer_gets_no_canned_reply_by_name(people):
    reply_id = canned.save_canned(
        actor(people["customer"]["ada"]), None, title="Cache", body="Texte ${prenom}"
    )
    ticket_id = _ticket(people["customer"]["bob"].id)
    page = make_state(
        AdminTicketState, token=people["token"]["alice"], path=f"/admin/tickets/{ticket_id}"
    )
    with pytest.raises(Forbidden):
        run(page, "use_canned", str(reply_id))
    assert page.body == ""


def test_the_queue_search_finds_by_words_and_keeps_the_filters(people):
    shop = _ticket(people["customer"]["alice"].id, "Boutique en panne")
    _ticket(people["customer"]["bob"].id, "Courriels refusés")
    queue = make_state(AdminTicketsState, token=people["token"]["sam"], path="/admin/tickets")
    run(queue, "load")
    assert queue.total == 2
    run(queue, "set_query", "boutique")
    run(queue, "search")
    assert [r["id"] for r in queue.rows] == [str(shop)]
    run(queue, "set_assigned", "escalated")
    assert queue.rows == []


def test_admins_keep_canned_replies_and_rules_on_their_page_and_support_is_refused(people):
    page = make_state(AdminSupportToolsState, token=people["token"]["ada"], path="/admin/support")
    run(page, "load")
    run(page, "new_canned")
    run(page, "save_canned", {"title": "Bienvenue", "body": "Bonjour ${inconnu}"})
    assert page.errors == {"body": "Ce texte utilise une variable inconnue."}
    run(page, "save_canned", {"title": "Bienvenue", "body": "Bonjour ${prenom}"})
    assert page.errors == {} and [r["title"] for r in page.canned] == ["Bienvenue"]
    run(page, "add_rule", {"rule_department": "", "rule_priority": "haute", "hours": "0"})
    assert page.rule_errors == {"hours": "Indiquez un délai entre 0,25 et 168 heures."}
    run(page, "add_rule", {"rule_department": "", "rule_priority": "haute", "hours": "4"})
    assert page.rules[0]["after"] == "4 h" and page.rules[0]["priority"] == "Haute"
    run(page, "add_rule", {"rule_department": "", "rule_priority": "haute", "hours": "2"})
    assert page.rule_errors == {
        "rule_priority": "Une règle existe déjà pour ce département et cette priorité."
    }
    support = make_state(
        AdminSupportToolsState, token=people["token"]["sam"], path="/admin/support"
    )
    for handler, args in (
        ("load", ()),
        ("save_canned", ({"title": "X", "body": "Y"},)),
        ("delete_canned", (page.canned[0]["id"],)),
        ("add_rule", ({"rule_department": "", "rule_priority": "basse", "hours": "4"},)),
        ("remove_rule", (page.rules[0]["id"],)),
    ):
        with pytest.raises(Forbidden):
            run(support, handler, *args)
    assert count(CannedReply) == 1 and count(EscalationRule) == 1
    run(page, "delete_canned", page.canned[0]["id"])
    run(page, "remove_rule", page.rules[0]["id"])
    assert count(CannedReply) == 0 and count(EscalationRule) == 0


def test_a_manual_bill_sent_twice_makes_one_order_form_and_support_is_refused(people):
    from o2portal.billing.models import Order

    state = _file(people, "ada", "alice")
    form = {
        "description_0": "Migration du site",
        "quantity_0": "1",
        "price_0": "120",
        "pay_key": state.bill_key,
    }
    run(state, "bill", form)
    run(state, "bill", form)
    assert count(Order) == 1
    assert "BC-" in state.bill_done and state.bill_href.startswith("/files/order-forms/")
    run(state, "bill_again")
    assert state.bill_done == "" and state.bill_key != form["pay_key"]
    support = _file(people, "sam", "alice")
    with pytest.raises(Forbidden):
        run(support, "bill", {**form, "pay_key": "another-key-1"})
    assert count(Order) == 1


def test_only_admins_open_accounts_and_keep_staff_accounts(people):
    from o2portal.accounts.models import Customer
    from o2portal.web.staff.customers.new_state import NewCustomerState
    from o2portal.web.staff.members.state import AdminStaffState

    before = count(Customer)
    for who in ("sam", "alice"):
        new = make_state(NewCustomerState, token=people["token"][who], path="/admin/customers")
        with pytest.raises(Forbidden):
            run(new, "create", {"first_name": "X", "email": "x@example.fr"})
        staff = make_state(AdminStaffState, token=people["token"][who], path="/admin/staff")
        with pytest.raises(Forbidden):
            run(staff, "set_role", str(people["customer"]["ada"].id), "support")
    assert count(Customer) == before
    ada = make_state(AdminStaffState, token=people["token"]["ada"], path="/admin/staff")
    run(ada, "load")
    assert {r["email"] for r in ada.rows} == {"sam@example.fr", "ada@example.fr", "ned@example.fr"}
    run(ada, "set_role", ada.me, "support")
    assert ada.errors == {"staff": "Vous ne pouvez pas changer votre propre compte ici."}
