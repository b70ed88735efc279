"""Staff accounts (created from the command line; the admin pages come later)."""

from __future__ import annotations

from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.accounts.passwords import hash_password
from o2portal.core import audit, clock
from o2portal.core.db import transaction
from o2portal.core.errors import InvalidInput
from o2portal.core.validation import clean_email, clean_new_password


def create_staff_account(
    email: str, password: str, *, role: str = "admin", first_name: str, last_name: str
) -> Customer:
    if role not in ("admin", "support"):
        raise InvalidInput({"role": "error.choice_invalid"})
    email = clean_email(email)
    password = clean_new_password(password, password)
    password_hash = hash_password(password)
    with transaction() as session:
        if session.exec(select(Customer.id).where(Customer.email == email)).first():
            raise InvalidInput({"email": "error.email_taken"})
        staff = Customer(
            email=email,
            email_verified_at=clock.now(),
            password_hash=password_hash,
            role=role,
            first_name=first_name,
            last_name=last_name,
            phone="",
            address_line1="",
            postal_code="",
            city="",
            terms_accepted_at=clock.now(),
            created_at=clock.now(),
        )
        session.add(staff)
        session.flush()
        audit.record(session, "staff.created", customer_id=staff.id, role=role)
    return staff
