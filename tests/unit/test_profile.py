"""Ma fiche in the domain: details, email change, password change, sessions and sign-ins."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import select

from o2portal.accounts import (
    auth,
    email_change,
    password_change,
    personal_data,
    profile,
    sessions,
    signup,
)
from o2portal.accounts.models import AuthAttempt, Customer, PendingEmailChange, UserSession
from o2portal.core import clock
from o2portal.core.db import read_session
from o2portal.core.errors import InvalidInput
from o2portal.core.models import AuditEvent
from tests.unit.helpers import (
    EMAIL,
    PASSWORD,
    get_customer,
    link_token,
    make_customer,
    open_session,
    outbox,
    rows,
    update_customer,
)

GOOD = profile.DetailsForm(
    account_type="particulier",
    first_name="Jeanne",
    last_name="Durand",
    phone="07 98 76 54 32",
    address_line1="5 place Bellecour",
    address_line2="",
    postal_code="69002",
    city="Lyon",
    country="FR",
    language="en",
)


def audits(action: str) -> list[AuditEvent]:
    with read_session() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


# ---------------------------------------------------------------- details


def test_details_are_saved_clean_and_audited(db):
    customer = make_customer()
    changed = profile.update_details(customer.id, GOOD, ip="192.0.2.1")
    saved = get_customer(customer.id)
    assert saved.phone == "+33798765432"
    assert profile.phone_for_display(saved.phone) == "07 98 76 54 32"
    assert (saved.first_name, saved.city, saved.postal_code, saved.language) == (
        "Jeanne",
        "Lyon",
        "69002",
        "en",
    )
    assert set(changed) >= {"first_name", "last_name", "phone", "city", "language"}
    [event] = audits("profile.updated")
    assert event.customer_id == customer.id and event.actor_id == customer.id
    assert set(json.loads(event.details_json)["fields"]) == set(changed)
    # Saving the same values again changes nothing and writes nothing.
    assert profile.update_details(customer.id, GOOD) == []
    assert len(audits("profile.updated")) == 1


@pytest.mark.parametrize(
    ("overrides", "field", "key"),
    [
        ({"phone": "12345"}, "phone", "error.phone_invalid"),
        ({"phone": "06 12 34 56"}, "phone", "error.phone_invalid"),
        ({"phone": ""}, "phone", "error.required"),
        ({"postal_code": "7500"}, "postal_code", "error.postal_code_fr"),
        ({"postal_code": "00123"}, "postal_code", "error.postal_code_fr"),
        ({"first_name": ""}, "first_name", "error.required"),
        ({"first_name": "x" * 101}, "first_name", "error.too_long"),
        ({"city": "Lyon\u202e"}, "city", "error.bad_characters"),
        ({"country": "XX"}, "country", "error.country_invalid"),
        ({"language": "de"}, "language", "error.choice_invalid"),
        ({"account_type": "pirate"}, "account_type", "error.choice_invalid"),
    ],
)
def test_bad_details_are_refused_and_nothing_is_saved(db, overrides, field, key):
    customer = make_customer()
    with pytest.raises(InvalidInput) as refused:
        profile.update_details(customer.id, replace(GOOD, **overrides))
    assert refused.value.errors[field] == key
    after = get_customer(customer.id)
    # Not even the good fields of the same form.
    assert after.first_name == "Jean" and after.city == "Paris" and after.phone == "+33612345678"
    assert audits("profile.updated") == []


def test_company_fields_vat_and_siret_are_checked(db):
    customer = make_customer()
    company = replace(GOOD, account_type="entreprise", company_name="Durand SARL")
    with pytest.raises(InvalidInput) as refused:
        profile.update_details(customer.id, replace(company, siret="", vat_number="FR00000"))
    assert refused.value.errors == {"siret": "error.required", "vat_number": "error.vat_invalid"}
    # A valid Belgian VAT number with a French address: billing would not exempt it.
    with pytest.raises(InvalidInput) as refused:
        profile.update_details(
            customer.id, replace(company, siret="73282932000074", vat_number="BE0403170701")
        )
    assert refused.value.errors == {"vat_number": "error.vat_country"}
    profile.update_details(
        customer.id, replace(company, siret="732 829 320 00074", vat_number="FR 40 303 265 045")
    )
    saved = get_customer(customer.id)
    assert (saved.siret, saved.vat_number) == ("73282932000074", "FR40303265045")
    # Back to a private person: the company fields go.
    profile.update_details(customer.id, replace(GOOD, company_name="ignored", siret="1"))
    saved = get_customer(customer.id)
    assert (saved.company_name, saved.siret, saved.vat_number) == (None, None, None)


def test_a_belgian_customer_has_a_belgian_postal_code_and_phone(db):
    customer = make_customer()
    belgian = replace(
        GOOD, country="BE", postal_code="1000", city="Bruxelles", phone="0470 12 34 56"
    )
    profile.update_details(customer.id, belgian)
    saved = get_customer(customer.id)
    assert saved.phone == "+32470123456"
    assert profile.phone_for_edit(saved.phone, "BE") == "0470 12 34 56"
    assert profile.phone_for_edit(saved.phone, "FR") == "+32 470 12 34 56"


# ---------------------------------------------------------------- email change


def test_email_change_link_old_address_in_force_until_opened(db):
    customer = make_customer()
    new = email_change.request_email_change(customer.id, " Jean.NEW@Example.com ", PASSWORD)
    assert new == "jean.new@example.com"
    assert get_customer(customer.id).email == EMAIL
    [link_mail] = outbox("email_change")
    assert link_mail.to_addr == new
    token = link_token(link_mail.body_text, "/confirm-email")
    [notice] = outbox("email_change_notice")
    assert notice.to_addr == EMAIL and new in notice.body_text
    # The database keeps only the token's hash.
    [pending] = rows(PendingEmailChange)
    assert token not in pending.token_hash and pending.new_email == new
    # Until the link is opened, the old address signs in and the new one does not.
    assert auth.log_in(EMAIL, PASSWORD).ok
    assert not auth.log_in(new, PASSWORD).ok

    assert email_change.confirm_email_change(token, ip="192.0.2.7") == "ok"
    saved = get_customer(customer.id)
    assert saved.email == new and saved.email_verified_at is not None
    [told] = outbox("email_changed")
    assert told.to_addr == EMAIL and new in told.body_text
    [event] = audits("profile.email_changed")
    assert json.loads(event.details_json) == {"old_email": EMAIL, "new_email": new}
    assert auth.log_in(new, PASSWORD).ok
    assert not auth.log_in(EMAIL, PASSWORD).ok
    # Single use.
    assert email_change.confirm_email_change(token) == "bad"
    assert email_change.pending_email_change(customer.id) is None


def test_email_change_needs_the_password_and_a_new_address(db):
    customer = make_customer()
    with pytest.raises(InvalidInput) as refused:
        email_change.request_email_change(customer.id, "pas une adresse", "")
    assert refused.value.errors == {
        "new_email": "error.email_invalid",
        "email_password": "error.required",
    }
    with pytest.raises(InvalidInput) as refused:
        email_change.request_email_change(customer.id, "fresh@example.com", "wrong-password-1")
    assert refused.value.errors == {"email_password": "error.current_password_wrong"}
    with pytest.raises(InvalidInput) as refused:
        email_change.request_email_change(customer.id, EMAIL, PASSWORD)
    assert refused.value.errors == {"new_email": "error.email_same"}
    assert rows(PendingEmailChange) == []
    assert outbox("email_change") == []


def _what_the_asker_sees(asker: Customer, new: str, password: str) -> dict:
    """Everything the person asking for a change can observe of it: the answer (or the
    refusal), the pending change on the page, the mails to their own account, their
    audit trail and their personal-data export; the two addresses written NEW and ME,
    and the times left out."""

    def plain(value) -> str:
        text = json.dumps(value, sort_keys=True, default=str)
        return text.replace(new.strip().lower(), "NEW").replace(asker.email, "ME")

    try:
        answer = email_change.request_email_change(asker.id, new, password, ip="192.0.2.9")
    except InvalidInput as exc:
        answer = exc.errors
    pending = email_change.pending_email_change(asker.id)
    export = personal_data.export_personal_data(asker.id)
    times = ("created_at", "sent_at", "expires_at", "used_at", "generated_at")
    for section in ("emails", "pending_email_changes", "activity"):
        for row in export[section]:
            for name in times:
                row.pop(name, None)
    return {
        "answer": plain(answer),
        "pending": plain(pending and pending.new_email),
        "export": plain([export[s] for s in ("emails", "pending_email_changes", "activity")]),
    }


def test_a_taken_address_gets_the_answer_of_a_free_one_and_its_owner_is_told(db):
    """Ma fiche does not say whether an address has an account, any more than sign-up:
    the same refusal for a wrong password (the password is checked first: no quick
    answer from the database alone), the same "link sent" and pending change, the same
    mails and trail on the asker's side. Nothing changes; the owner of the address is
    mailed that someone tried, and no link is sent to anyone."""
    owner = make_customer(email="taken@example.com", first_name="Odile")
    free_asker = make_customer(email="free.asker@example.com")
    taken_asker = make_customer(email="taken.asker@example.com")

    seen = {
        who: [_what_the_asker_sees(asker, new, pw) for pw in ("wrong-password-1", PASSWORD)]
        for who, asker, new in (
            ("free", free_asker, "free@example.com"),
            ("taken", taken_asker, " TAKEN@example.com"),
        )
    }
    assert seen["taken"][0]["answer"] == '{"email_password": "error.current_password_wrong"}'
    assert seen["taken"][1]["answer"] == '"NEW"'
    assert seen["taken"][1]["pending"] == '"NEW"'
    assert seen["taken"] == seen["free"]

    # Nothing changed, and no link went anywhere for the taken address.
    assert get_customer(owner.id).email == "taken@example.com"
    assert get_customer(taken_asker.id).email == "taken.asker@example.com"
    assert [m.to_addr for m in outbox("email_change")] == ["free@example.com"]
    [told] = outbox("email_change_existing")
    assert told.to_addr == "taken@example.com" and told.customer_id == owner.id
    assert "Odile" in told.body_text
    assert "taken.asker" not in told.body_text  # nothing of the asker reaches the owner
    [event] = audits("profile.email_change_existing")
    assert event.customer_id == owner.id

    # Sent again: still no link; the owner is told at most once an hour.
    with clock.frozen_at(clock.now() + timedelta(minutes=2)):
        assert email_change.resend_email_change(taken_asker.id) == "taken@example.com"
    assert [m.to_addr for m in outbox("email_change")] == ["free@example.com"]
    assert len(outbox("email_change_existing")) == 1
    with clock.frozen_at(clock.now() + timedelta(minutes=70)):
        email_change.request_email_change(taken_asker.id, "taken@example.com", PASSWORD)
    assert len(outbox("email_change_existing")) == 2
    assert get_customer(owner.id).email == "taken@example.com"


def test_email_change_link_expires_and_a_taken_address_is_refused_at_the_click(db):
    customer = make_customer()
    email_change.request_email_change(customer.id, "later@example.com", PASSWORD)
    token = link_token(outbox("email_change")[-1].body_text, "/confirm-email")
    with clock.frozen_at(clock.now() + timedelta(hours=49)):
        assert email_change.confirm_email_change(token) == "bad"

    with clock.frozen_at(clock.now() + timedelta(minutes=2)):
        email_change.resend_email_change(customer.id)
    token = link_token(outbox("email_change")[-1].body_text, "/confirm-email")
    # Someone signs up with that address in the meantime.
    make_customer(email="later@example.com")
    assert email_change.confirm_email_change(token) == "taken"
    assert get_customer(customer.id).email == EMAIL
    assert email_change.confirm_email_change("forged") == "bad"
    assert email_change.confirm_email_change("") == "bad"


def test_resend_is_rate_limited_and_only_the_newest_link_works(db):
    customer = make_customer()
    email_change.request_email_change(customer.id, "new@example.com", PASSWORD)
    first = link_token(outbox("email_change")[-1].body_text, "/confirm-email")
    with pytest.raises(InvalidInput) as refused:
        email_change.resend_email_change(customer.id)
    assert refused.value.errors == {"new_email": "error.email_change_wait"}
    start = clock.now()
    for minutes in (2, 4, 6, 8):
        with clock.frozen_at(start + timedelta(minutes=minutes)):
            assert email_change.resend_email_change(customer.id) == "new@example.com"
    with clock.frozen_at(start + timedelta(minutes=10)), pytest.raises(InvalidInput) as refused:
        email_change.resend_email_change(customer.id)
    assert refused.value.errors == {"new_email": "error.email_change_throttled"}
    assert len(outbox("email_change")) == 5
    last = link_token(outbox("email_change")[-1].body_text, "/confirm-email")
    assert email_change.confirm_email_change(first) == "bad"
    with clock.frozen_at(start + timedelta(minutes=10)):
        assert email_change.confirm_email_change(last) == "ok"


def test_a_cancelled_change_leaves_nothing_pending(db):
    customer = make_customer()
    email_change.request_email_change(customer.id, "new@example.com", PASSWORD)
    token = link_token(outbox("email_change")[-1].body_text, "/confirm-email")
    email_change.cancel_email_change(customer.id)
    assert email_change.pending_email_change(customer.id) is None
    assert email_change.confirm_email_change(token) == "bad"
    with pytest.raises(InvalidInput):
        email_change.resend_email_change(customer.id)


def test_a_failing_address_can_ask_for_a_new_check_link(db):
    customer = make_customer()
    with read_session() as session:
        assert session.get(Customer, customer.id).email_verified_at is None
    update_customer(customer.id, email_verified_at=clock.now(), email_failing_at=clock.now())
    # One link per 5 minutes (the welcome mail carried one).
    assert signup.resend_verification(customer.id) is False
    with clock.frozen_at(clock.now() + timedelta(minutes=6)):
        assert signup.resend_verification(customer.id) is True
        token = link_token(outbox("verify_email")[-1].body_text, "/verify-email")
        assert signup.verify_email(token)
        assert get_customer(customer.id).email_failing_at is None
    with clock.frozen_at(clock.now() + timedelta(minutes=12)):
        # Verified and delivered: nothing to send.
        assert signup.resend_verification(customer.id) is False


# ---------------------------------------------------------------- password


def test_password_change_needs_the_current_one_and_ends_the_other_sessions(db):
    customer = make_customer()
    here = open_session()
    elsewhere = open_session(ip="198.51.100.9")
    here_id = sessions.resolve_session(here).session_id
    with pytest.raises(InvalidInput) as refused:
        password_change.change_password(
            customer.id, here_id, "wrong-password", "New-password-2026", "New-password-2026"
        )
    assert refused.value.errors == {"current_password": "error.current_password_wrong"}
    with pytest.raises(InvalidInput) as refused:
        password_change.change_password(customer.id, here_id, PASSWORD, "short", "short")
    assert refused.value.errors == {"password": "error.password_short"}
    with pytest.raises(InvalidInput) as refused:
        password_change.change_password(
            customer.id, here_id, PASSWORD, "New-password-2026", "Other-2026-xx"
        )
    assert refused.value.errors == {"password_confirm": "error.password_mismatch"}
    with pytest.raises(InvalidInput) as refused:
        password_change.change_password(customer.id, here_id, PASSWORD, PASSWORD, PASSWORD)
    assert refused.value.errors == {"password": "error.password_same"}
    assert sessions.resolve_session(elsewhere) is not None

    password_change.change_password(
        customer.id, here_id, PASSWORD, "New-password-2026", "New-password-2026"
    )
    assert sessions.resolve_session(here) is not None
    assert sessions.resolve_session(elsewhere) is None
    assert not auth.log_in(EMAIL, PASSWORD).ok
    assert auth.log_in(EMAIL, "New-password-2026").ok
    assert outbox("password_changed")[-1].to_addr == EMAIL
    assert len(audits("profile.password_changed")) == 1


def test_guessing_the_current_password_is_limited(db):
    customer = make_customer()
    for _ in range(5):
        with pytest.raises(InvalidInput) as refused:
            password_change.check_current_password(customer.id, "not-my-password")
        assert refused.value.errors == {"current_password": "error.current_password_wrong"}
    with pytest.raises(InvalidInput) as refused:
        password_change.check_current_password(customer.id, PASSWORD)
    assert refused.value.errors == {"current_password": "error.reauth_throttled"}
    with clock.frozen_at(clock.now() + timedelta(minutes=16)):
        password_change.check_current_password(customer.id, PASSWORD)


# ---------------------------------------------------------------- sessions


def test_sessions_are_listed_and_only_ones_own_can_be_ended(db):
    alice = make_customer()
    bob = make_customer(email="bob@example.com")
    here = open_session()
    other = open_session(ip="198.51.100.9")
    bobs = open_session(email="bob@example.com")
    here_id = sessions.resolve_session(here).session_id
    other_id = sessions.resolve_session(other).session_id
    bob_session = sessions.resolve_session(bobs).session_id

    listed = sessions.active_sessions(alice.id, here_id)
    assert {s.id for s in listed} == {here_id, other_id}
    assert [s.current for s in listed if s.id == here_id] == [True]
    assert {s.ip for s in listed} == {"192.0.2.20", "198.51.100.9"}

    # Another customer's session, or one's own current one: nothing happens.
    assert sessions.revoke_session(alice.id, bob_session, here_id) is False
    assert sessions.revoke_session(alice.id, here_id, here_id) is False
    assert sessions.resolve_session(bobs) is not None
    assert sessions.resolve_session(here) is not None

    assert sessions.revoke_session(alice.id, other_id, here_id) is True
    assert sessions.resolve_session(other) is None
    another = open_session(ip="203.0.113.5")
    assert sessions.revoke_other_sessions(alice.id, here_id) == 1
    assert sessions.resolve_session(another) is None
    assert sessions.resolve_session(here) is not None
    assert sessions.resolve_session(bobs) is not None
    assert [s.id for s in sessions.active_sessions(alice.id, here_id)] == [here_id]
    assert bob.id != alice.id


def test_recent_sign_ins_show_failures_and_successes(db):
    customer = make_customer()
    auth.log_in(
        EMAIL,
        "wrong-password",
        ip="198.51.100.1",
        user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
    )
    open_session()
    seen = sessions.recent_sign_ins(customer.id)
    assert [(s.success, s.ip) for s in seen] == [(True, "192.0.2.20"), (False, "198.51.100.1")]
    assert seen[1].device == "Firefox · Linux"
    with read_session() as session:
        assert session.exec(select(AuthAttempt).where(AuthAttempt.kind == "login")).all()


@pytest.mark.parametrize(
    ("ua", "shown"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0 Safari/537.36 Edg/126.0",
            "Edge · Windows",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari · iPhone",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36",
            "Chrome · Android",
        ),
        ("pytest", "pytest"),
        ("", "?"),
        (None, "?"),
    ],
)
def test_devices_are_described_briefly(ua, shown):
    assert sessions.describe_device(ua) == shown


def test_a_session_row_keeps_no_token(db):
    make_customer()
    token = open_session()
    with read_session() as session:
        stored = session.exec(select(UserSession)).one()
    assert token not in stored.token_hash
