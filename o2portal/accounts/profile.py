"""Ma fiche: the customer's details (identity through the one validator, phone shown
and edited in national form). Every change goes to the audit log.

The rest of Ma fiche lives beside it: accounts/email_change.py, password_change.py and
sessions.py. The `name as name` imports below keep their names reachable as
profile.<name> for the web package, which still names them so; they go once it imports
them from where they live."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from sqlmodel import Session

from o2portal.accounts.email_change import cancel_email_change as cancel_email_change
from o2portal.accounts.email_change import confirm_email_change as confirm_email_change
from o2portal.accounts.email_change import pending_email_change as pending_email_change
from o2portal.accounts.email_change import request_email_change as request_email_change
from o2portal.accounts.email_change import resend_email_change as resend_email_change
from o2portal.accounts.identity import IdentityForm, identity_of
from o2portal.accounts.models import Customer
from o2portal.accounts.password_change import change_password as change_password
from o2portal.accounts.password_change import check_current_password as check_current_password
from o2portal.accounts.sessions import active_sessions as active_sessions
from o2portal.accounts.sessions import describe_device as describe_device
from o2portal.accounts.sessions import live_customer
from o2portal.accounts.sessions import recent_sign_ins as recent_sign_ins
from o2portal.accounts.sessions import revoke_other_sessions as revoke_other_sessions
from o2portal.accounts.sessions import revoke_session as revoke_session
from o2portal.core import audit
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput
from o2portal.core.validation import format_phone_national

LANGUAGES = ("fr", "en")


def _actor(session: Session, customer: Customer, impersonator_id: int | None) -> Customer:
    """Who made the change: the customer, or the staff member acting as them."""
    if impersonator_id is not None:
        staff = session.get(Customer, impersonator_id)
        if staff is not None:
            return staff
    return customer


def get_customer(customer_id: int) -> Customer:
    with read_session() as session:
        return live_customer(session, customer_id)


# ---------------------------------------------------------------- details


@dataclass
class DetailsForm(IdentityForm):
    language: str = "fr"


def check_details(form: DetailsForm) -> dict:
    """The fiche's new values, clean, or InvalidInput with a message for every bad field:
    the identity (one validator with sign-up and staff) and the language."""
    errors: dict[str, str] = {}
    identity = identity_of(form, errors)
    if form.language not in LANGUAGES:
        errors["language"] = "error.choice_invalid"
    if errors:
        raise InvalidInput(errors)
    return {**identity, "language": form.language}


def update_details(
    customer_id: int,
    form: DetailsForm,
    *,
    ip: str | None = None,
    impersonator_id: int | None = None,
) -> list[str]:
    """Save the fiche; returns the names of the fields that changed. Raises InvalidInput
    (nothing saved then)."""
    clean = check_details(form)
    with transaction() as session:
        customer = live_customer(session, customer_id)
        changed = [name for name, value in clean.items() if getattr(customer, name) != value]
        if not changed:
            return []
        for name in changed:
            setattr(customer, name, clean[name])
        session.add(customer)
        audit.about(
            session,
            "profile.updated",
            customer,
            actor=_actor(session, customer, impersonator_id),
            ip=ip,
            fields=changed,
        )
    return changed


def phone_for_display(e164: str) -> str:
    return format_phone_national(e164) if e164 else ""


def phone_for_edit(e164: str, country: str) -> str:
    """National format when the number belongs to the fiche's country, international
    otherwise (so that it reads back the same whatever the country chosen)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == country:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
